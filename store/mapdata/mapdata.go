package mapdata

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"cunjing/maps"
	"cunjing/store"
	"cunjing/store/record"
)

// Map features are stored as records (houses in houses, lanes, landmarks
// and labels in features, the base layer in village_maps) so each house,
// lane and landmark syncs and merges on its own. Load assembles them into
// the maps package's plain value; Save writes the whole map back.

const (
	featLane  = "lane"
	featLabel = "label"
)

// storeCategory maps household categories (the words officers use) to the
// map's colour-coding categories.
var storeToMapCategory = map[string]maps.Category{
	store.CatParty: maps.CatParty, store.CatGrid: maps.CatGrid, store.CatWubao: maps.CatWubao, store.CatKey: maps.CatKey,
	store.CatElderly: maps.CatElderly, store.CatChild: maps.CatChildren, store.CatRental: maps.CatRental,
}

// Load assembles a village's map: houses with their householder, phone,
// warning colour and categories taken from the household living there;
// lanes, landmarks, labels; the base layer; and every number that a
// deleted house or an old number held (never to be given out again).
func Load(ctx context.Context, s *store.Store, villageID string) (*maps.Village, error) {
	var vil store.Village
	if err := s.Get(ctx, &vil, villageID); err != nil {
		return nil, err
	}
	v := &maps.Village{Name: vil.Name}
	all, err := s.AllHouses(ctx, villageID)
	if err != nil {
		return nil, err
	}
	hhs, err := store.Live[store.Household](ctx, s, "AND village_id = ? AND house_id != '' ORDER BY (status = '出租'), id", villageID)
	if err != nil {
		return nil, err
	}
	byHouse := map[string]store.Household{}
	for _, hh := range hhs {
		if _, ok := byHouse[hh.HouseID]; !ok {
			byHouse[hh.HouseID] = hh // the owner's household before tenants'
		}
	}
	retired := map[string]bool{}
	for _, h := range all {
		if h.Deleted {
			if h.Number != "" {
				retired[h.Number] = true
			}
			for _, n := range h.History {
				retired[n] = true
			}
			continue
		}
		mh := maps.House{ID: h.ID, Number: h.Number, History: h.History, Courtyard: h.Kind == "courtyard"}
		if err := json.Unmarshal([]byte(h.Geometry), &mh.Polygon); err != nil {
			return nil, fmt.Errorf("house %s (%s): geometry: %w", h.Number, h.ID, err)
		}
		if hh, ok := byHouse[h.ID]; ok {
			mh.Name, mh.Phone = hh.OwnerName, hh.OwnerPhone
			mh.Warning, _ = maps.ParseWarning(hh.Warning) // validated on save
			for _, c := range hh.Categories {
				if mc, ok := storeToMapCategory[c]; ok {
					mh.Categories = append(mh.Categories, mc)
				}
			}
			if hh.Status == store.StatusEmpty {
				mh.Categories = append(mh.Categories, maps.CatEmpty)
			}
		}
		v.Houses = append(v.Houses, mh)
	}
	for n := range retired {
		v.Retired = append(v.Retired, n)
	}
	sort.Strings(v.Retired)
	feats, err := s.Features(ctx, villageID)
	if err != nil {
		return nil, err
	}
	for _, f := range feats {
		switch f.Kind {
		case featLane, "road":
			l := maps.Lane{ID: f.ID, Name: f.Name, Width: f.WidthM}
			if err := json.Unmarshal([]byte(f.Geometry), &l.Points); err != nil {
				return nil, fmt.Errorf("lane %s: geometry: %w", f.Name, err)
			}
			v.Lanes = append(v.Lanes, l)
		case featLabel:
			lb := maps.Label{ID: f.ID, Text: f.Name}
			if err := json.Unmarshal([]byte(f.Geometry), &lb.Point); err != nil {
				return nil, fmt.Errorf("label %s: geometry: %w", f.Name, err)
			}
			if f.Attrs != "" {
				var a struct {
					Size float64 `json:"size_m"`
				}
				if err := json.Unmarshal([]byte(f.Attrs), &a); err == nil {
					lb.Size = a.Size
				}
			}
			v.Labels = append(v.Labels, lb)
		default:
			lm := maps.Landmark{ID: f.ID, Kind: maps.LandmarkKind(f.Kind), Name: f.Name}
			if err := json.Unmarshal([]byte(f.Geometry), &lm.Point); err != nil {
				return nil, fmt.Errorf("landmark %s: geometry: %w", f.Name, err)
			}
			v.Landmarks = append(v.Landmarks, lm)
		}
	}
	bases, err := s.VillageMaps(ctx, villageID)
	if err != nil {
		return nil, err
	}
	if len(bases) > 0 {
		b := bases[0]
		v.Base = &maps.BaseLayer{ImageHash: b.ImageHash, Width: int(b.ImageW), Height: int(b.ImageH),
			MetresPerPx: b.MetresPerPx, Origin: maps.Point{X: b.OffsetX, Y: b.OffsetY}, Opacity: b.Opacity}
	}
	return v, nil
}

func geomJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// Save writes a village map back in one transaction: new and changed
// houses and features are saved, ones missing from v are deleted
// (tombstones, so their numbers stay retired). Householder names and
// warning colours belong to households and are not written from the map.
// An ID the map does not know yet (empty) gets a fresh one, written back
// into v.
func Save(ctx context.Context, s *store.Store, villageID string, v *maps.Village) error {
	return s.Update(ctx, func(tx *store.Tx) error { return SaveTx(tx, villageID, v) })
}

// houseFromMap is the one conversion of a map's house into its record,
// for the import, the demo and the editor alike: number, history and
// outline from the map, alive. The map knows only building or courtyard:
// a record of another kind (a plot, say) keeps it unless the map marks it
// a courtyard.
func houseFromMap(rec *store.House, villageID string, h *maps.House) error {
	g, err := geomJSON(h.Polygon)
	if err != nil {
		return fmt.Errorf("house %s: %w", h.Number, err)
	}
	rec.VillageID, rec.Number, rec.History, rec.Geometry = villageID, h.Number, h.History, g
	rec.Deleted = false
	switch {
	case h.Courtyard:
		rec.Kind = "courtyard"
	case rec.Kind == "" || rec.Kind == "courtyard":
		rec.Kind = "house"
	}
	return nil
}

// SaveTx is Save inside a transaction.
func SaveTx(tx *store.Tx, villageID string, v *maps.Village) error {
	keepHouses := map[string]bool{}
	for i := range v.Houses {
		h := &v.Houses[i]
		rec := &store.House{}
		if h.ID != "" {
			if err := tx.Get(rec, h.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			if rec.VillageID != "" && rec.VillageID != villageID {
				// The same drawing imported into another village: a copy,
				// never a move of the first village's houses.
				rec, h.ID = &store.House{}, ""
			}
		}
		rec.ID = h.ID
		if err := houseFromMap(rec, villageID, h); err != nil {
			return err
		}
		if err := tx.Save(rec); err != nil {
			return fmt.Errorf("house %s: %w", h.Number, err)
		}
		h.ID = rec.ID
		keepHouses[rec.ID] = true
	}
	keepFeats := map[string]bool{}
	saveFeat := func(id *string, kind, name, geom string, width float64, attrs string) error {
		rec := &record.Feature{}
		if *id != "" {
			if err := tx.Get(rec, *id); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			if rec.VillageID != "" && rec.VillageID != villageID {
				rec, *id = &record.Feature{}, "" // a copy into another village
			}
		}
		rec.ID, rec.VillageID, rec.Kind, rec.Name, rec.Geometry, rec.WidthM, rec.Attrs = *id, villageID, kind, name, geom, width, attrs
		rec.Deleted = false
		if err := tx.Save(rec); err != nil {
			return fmt.Errorf("%s %s: %w", kind, name, err)
		}
		*id = rec.ID
		keepFeats[rec.ID] = true
		return nil
	}
	for i := range v.Lanes {
		l := &v.Lanes[i]
		g, err := geomJSON(l.Points)
		if err != nil {
			return err
		}
		if err := saveFeat(&l.ID, featLane, l.Name, g, l.Width, ""); err != nil {
			return err
		}
	}
	for i := range v.Landmarks {
		lm := &v.Landmarks[i]
		g, err := geomJSON(lm.Point)
		if err != nil {
			return err
		}
		if err := saveFeat(&lm.ID, string(lm.Kind), lm.Name, g, 0, ""); err != nil {
			return err
		}
	}
	for i := range v.Labels {
		lb := &v.Labels[i]
		g, err := geomJSON(lb.Point)
		if err != nil {
			return err
		}
		attrs := ""
		if lb.Size > 0 {
			attrs = fmt.Sprintf(`{"size_m":%g}`, lb.Size)
		}
		if err := saveFeat(&lb.ID, featLabel, lb.Text, g, 0, attrs); err != nil {
			return err
		}
	}
	// Whatever the map no longer has is deleted.
	oldHouses, err := store.LiveTx[store.House](tx, "AND village_id = ?", villageID)
	if err != nil {
		return err
	}
	for _, h := range oldHouses {
		if !keepHouses[h.ID] {
			if err := tx.Delete(&store.House{}, h.ID); err != nil {
				return err
			}
		}
	}
	oldFeats, err := store.LiveTx[record.Feature](tx, "AND village_id = ?", villageID)
	if err != nil {
		return err
	}
	for _, f := range oldFeats {
		if !keepFeats[f.ID] {
			if err := tx.Delete(&record.Feature{}, f.ID); err != nil {
				return err
			}
		}
	}
	if v.Base != nil {
		bases, err := store.LiveTx[store.VillageMap](tx, "AND village_id = ? ORDER BY name, id", villageID)
		if err != nil {
			return err
		}
		rec := &store.VillageMap{VillageID: villageID, Name: "底图"}
		if len(bases) > 0 {
			rec = &bases[0]
		}
		rec.ImageHash, rec.ImageW, rec.ImageH = v.Base.ImageHash, int64(v.Base.Width), int64(v.Base.Height)
		rec.MetresPerPx, rec.OffsetX, rec.OffsetY, rec.Opacity = v.Base.MetresPerPx, v.Base.Origin.X, v.Base.Origin.Y, v.Base.Opacity
		if err := tx.Save(rec); err != nil {
			return fmt.Errorf("base layer: %w", err)
		}
	}
	return nil
}
