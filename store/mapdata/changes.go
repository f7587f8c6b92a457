package mapdata

import (
	"context"
	"errors"
	"fmt"

	"cunjing/maps"
	"cunjing/maps/edit"
	"cunjing/store"
	"cunjing/store/record"
)

// Queries and writes for the map editor (app/ui mapedit). The editor
// saves after every step; writing the whole map each time would read
// every house of a 3,000-house village per click, so SaveChanges
// touches only what the editor's dirty set names.

// SaveChanges writes the features d names, in one transaction: a
// feature still in v is saved (only fields that differ are written, see
// Tx.Save), one that is gone from v is deleted (a tombstone, so a deleted
// house's numbers stay retired). With d.Village the base layer is written
// too, or deleted when v has none. Features another village owns are
// never touched: an ID of theirs in d is an error.
func SaveChanges(ctx context.Context, s *store.Store, villageID string, v *maps.Village, d edit.DirtySet) error {
	if d.Empty() {
		return nil
	}
	return s.Update(ctx, func(tx *store.Tx) error { return SaveChangesTx(tx, villageID, v, d) })
}

// SaveChangesTx is SaveChanges inside a transaction.
func SaveChangesTx(tx *store.Tx, villageID string, v *maps.Village, d edit.DirtySet) error {
	for _, id := range d.Houses {
		if err := saveMapHouse(tx, villageID, v, id); err != nil {
			return err
		}
	}
	for _, id := range d.Lanes {
		rec, ok := (*record.Feature)(nil), false
		for i := range v.Lanes {
			if l := &v.Lanes[i]; l.ID == id {
				g, err := geomJSON(l.Points)
				if err != nil {
					return fmt.Errorf("lane %s: %w", l.Name, err)
				}
				rec, ok = &record.Feature{Kind: featLane, Name: l.Name, Geometry: g, WidthM: l.Width}, true
			}
		}
		if err := saveMapFeature(tx, villageID, id, rec, ok); err != nil {
			return err
		}
	}
	for _, id := range d.Landmarks {
		rec, ok := (*record.Feature)(nil), false
		for i := range v.Landmarks {
			if lm := &v.Landmarks[i]; lm.ID == id {
				g, err := geomJSON(lm.Point)
				if err != nil {
					return fmt.Errorf("landmark %s: %w", lm.Name, err)
				}
				rec, ok = &record.Feature{Kind: string(lm.Kind), Name: lm.Name, Geometry: g}, true
			}
		}
		if err := saveMapFeature(tx, villageID, id, rec, ok); err != nil {
			return err
		}
	}
	for _, id := range d.Labels {
		rec, ok := (*record.Feature)(nil), false
		for i := range v.Labels {
			if lb := &v.Labels[i]; lb.ID == id {
				g, err := geomJSON(lb.Point)
				if err != nil {
					return fmt.Errorf("label %s: %w", lb.Text, err)
				}
				attrs := ""
				if lb.Size > 0 {
					attrs = fmt.Sprintf(`{"size_m":%g}`, lb.Size)
				}
				rec, ok = &record.Feature{Kind: featLabel, Name: lb.Text, Geometry: g, Attrs: attrs}, true
			}
		}
		if err := saveMapFeature(tx, villageID, id, rec, ok); err != nil {
			return err
		}
	}
	if d.Village {
		return saveMapBase(tx, villageID, v.Base)
	}
	return nil
}

func saveMapHouse(tx *store.Tx, villageID string, v *maps.Village, id string) error {
	old := &store.House{}
	exists := true
	if err := tx.Get(old, id); err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("house %s: %w", id, err)
		}
		exists = false
	}
	if exists && old.VillageID != villageID {
		return fmt.Errorf("house %s belongs to another village", id)
	}
	i := v.HouseByID(id)
	if i < 0 {
		if !exists || old.Deleted {
			return nil // drawn and removed again before it was ever saved
		}
		return tx.Delete(&store.House{}, id)
	}
	h := &v.Houses[i]
	rec := old
	if !exists {
		rec = &store.House{Meta: store.Meta{ID: id}}
	}
	if err := houseFromMap(rec, villageID, h); err != nil {
		return err
	}
	if err := tx.Save(rec); err != nil {
		return fmt.Errorf("house %s: %w", h.Number, err)
	}
	return nil
}

// saveMapFeature saves want (when ok) under id, or deletes the stored
// feature id when the map no longer has it.
func saveMapFeature(tx *store.Tx, villageID, id string, want *record.Feature, ok bool) error {
	old := &record.Feature{}
	exists := true
	if err := tx.Get(old, id); err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("feature %s: %w", id, err)
		}
		exists = false
	}
	if exists && old.VillageID != villageID {
		return fmt.Errorf("feature %s belongs to another village", id)
	}
	if !ok {
		if !exists || old.Deleted {
			return nil
		}
		return tx.Delete(&record.Feature{}, id)
	}
	rec := old
	if !exists {
		rec = &record.Feature{Meta: store.Meta{ID: id}}
	}
	rec.VillageID, rec.Kind, rec.Name, rec.Geometry, rec.WidthM, rec.Attrs = villageID, want.Kind, want.Name, want.Geometry, want.WidthM, want.Attrs
	rec.Deleted = false
	if err := tx.Save(rec); err != nil {
		return fmt.Errorf("%s %s: %w", rec.Kind, rec.Name, err)
	}
	return nil
}

// saveMapBase writes the village's base layer (Load reads the first
// one by name), or deletes every base layer when b is nil.
func saveMapBase(tx *store.Tx, villageID string, b *maps.BaseLayer) error {
	bases, err := store.LiveTx[store.VillageMap](tx, "AND village_id = ? ORDER BY name, id", villageID)
	if err != nil {
		return err
	}
	if b == nil {
		for _, m := range bases {
			if err := tx.Delete(&store.VillageMap{}, m.ID); err != nil {
				return fmt.Errorf("remove base layer: %w", err)
			}
		}
		return nil
	}
	rec := &store.VillageMap{VillageID: villageID, Name: "底图"}
	if len(bases) > 0 {
		rec = &bases[0]
	}
	rec.ImageHash, rec.ImageW, rec.ImageH = b.ImageHash, int64(b.Width), int64(b.Height)
	rec.MetresPerPx, rec.OffsetX, rec.OffsetY, rec.Opacity = b.MetresPerPx, b.Origin.X, b.Origin.Y, b.Opacity
	if err := tx.Save(rec); err != nil {
		return fmt.Errorf("base layer: %w", err)
	}
	return nil
}
