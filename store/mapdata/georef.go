package mapdata

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"cunjing/maps/geo"
	"cunjing/store"
	"cunjing/store/record"
)

// georefID is the one record ID of a village's georeference.
func georefID(villageID string) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("cunjing:village_georefs:"+villageID)).String()
}

// Georef returns a village's georeference, or nil when it has none.
func Georef(ctx context.Context, s *store.Store, villageID string) (*geo.Georef, error) {
	var rec record.VillageGeoref
	if err := s.Get(ctx, &rec, georefID(villageID)); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil
		}
		return nil, err
	}
	if rec.Deleted {
		return nil, nil
	}
	g, err := rec.Georef()
	if err != nil {
		return nil, fmt.Errorf("georeference of village %s: %w", villageID, err)
	}
	return &g, nil
}

// SaveGeoref stores a village's georeference (replacing the one it had).
func SaveGeoref(ctx context.Context, s *store.Store, villageID string, g geo.Georef) error {
	return s.Update(ctx, func(tx *store.Tx) error { return SaveGeorefTx(tx, villageID, g) })
}

// SaveGeorefTx is SaveGeoref inside a transaction. The record belongs
// to whoever owns the village (a station correcting a post's village
// writes the post's record).
func SaveGeorefTx(tx *store.Tx, villageID string, g geo.Georef) error {
	var vil store.Village
	if err := tx.Get(&vil, villageID); err != nil {
		return fmt.Errorf("georeference: village %s: %w", villageID, err)
	}
	pts := ""
	if len(g.Points) > 0 {
		b, err := json.Marshal(g.Points)
		if err != nil {
			return fmt.Errorf("georeference: %w", err)
		}
		pts = string(b)
	}
	rec := &record.VillageGeoref{}
	id := georefID(villageID)
	if err := tx.Get(rec, id); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if rec.ID == "" {
		rec.ID, rec.Owner = id, vil.Owner
	}
	rec.VillageID, rec.Method, rec.OriginLon, rec.OriginLat, rec.Points = villageID, string(g.Method), g.Lon, g.Lat, pts
	rec.Deleted = false
	return tx.Save(rec)
}

// ClearGeoref removes a village's georeference (a tombstone, like every
// synced delete).
func ClearGeoref(ctx context.Context, s *store.Store, villageID string) error {
	return s.Update(ctx, func(tx *store.Tx) error {
		var rec record.VillageGeoref
		if err := tx.Get(&rec, georefID(villageID)); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return nil
			}
			return err
		}
		if rec.Deleted {
			return nil
		}
		return tx.Delete(&record.VillageGeoref{}, rec.ID)
	})
}

// PlacedVillage is a village and where it lies.
type PlacedVillage struct {
	Village store.Village
	Georef  geo.Georef
	// Problem is set (and Georef empty) when the stored georeference does
	// not make a fit (a record from a newer or broken peer): the village is
	// listed so the station sees it, and left off the map.
	Problem string
}

// GeoreferencedVillages lists every live village with a georeference, by
// name: on a station, the villages of all its posts — the township map.
func GeoreferencedVillages(ctx context.Context, s *store.Store) ([]PlacedVillage, error) {
	vs, err := s.Villages(ctx)
	if err != nil {
		return nil, err
	}
	recs, err := store.Live[record.VillageGeoref](ctx, s, "ORDER BY village_id, id")
	if err != nil {
		return nil, err
	}
	byVillage := map[string]record.VillageGeoref{}
	for _, r := range recs {
		if r.ID == georefID(r.VillageID) {
			byVillage[r.VillageID] = r
		}
	}
	var out []PlacedVillage
	for _, v := range vs {
		r, ok := byVillage[v.ID]
		if !ok {
			continue
		}
		pv := PlacedVillage{Village: v}
		if g, err := r.Georef(); err != nil {
			pv.Problem = err.Error()
		} else {
			pv.Georef = g
		}
		out = append(out, pv)
	}
	return out, nil
}

// TownshipMap loads every georeferenced village's map with its fit, ready
// to draw or export together (the station's township map). left names the
// villages left off and why: not georeferenced, or a georeference that does
// not make a fit.
func TownshipMap(ctx context.Context, s *store.Store) (placed []geo.Placed, left []string, err error) {
	pvs, err := GeoreferencedVillages(ctx, s)
	if err != nil {
		return nil, nil, err
	}
	have := map[string]bool{}
	for _, pv := range pvs {
		have[pv.Village.ID] = true
		if pv.Problem != "" {
			left = append(left, pv.Village.Name+": "+pv.Problem)
			continue
		}
		tr, err := pv.Georef.Transform()
		if err != nil {
			left = append(left, pv.Village.Name+": "+err.Error())
			continue
		}
		mv, err := Load(ctx, s, pv.Village.ID)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", pv.Village.Name, err)
		}
		placed = append(placed, geo.Placed{Village: mv, Transform: tr})
	}
	vs, err := s.Villages(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, v := range vs {
		if !have[v.ID] {
			left = append(left, v.Name+": not georeferenced")
		}
	}
	return placed, left, nil
}
