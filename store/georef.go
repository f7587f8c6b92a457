package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"cunjing/maps/geo"
)

// georefID is the one record ID of a village's georeference.
func georefID(villageID string) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("cunjing:village_georefs:"+villageID)).String()
}

// Georef returns a village's georeference, or nil when it has none.
func (s *Store) Georef(ctx context.Context, villageID string) (*geo.Georef, error) {
	var rec VillageGeoref
	if err := s.Get(ctx, &rec, georefID(villageID)); err != nil {
		if errors.Is(err, ErrNotFound) {
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
func (s *Store) SaveGeoref(ctx context.Context, villageID string, g geo.Georef) error {
	return s.Update(ctx, func(tx *Tx) error { return tx.SaveGeoref(villageID, g) })
}

// SaveGeoref is Store.SaveGeoref inside a transaction. The record belongs
// to whoever owns the village (a station correcting a post's village
// writes the post's record).
func (tx *Tx) SaveGeoref(villageID string, g geo.Georef) error {
	var vil Village
	if err := tx.get(tables["villages"], villageID, reflectOf(&vil)); err != nil {
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
	rec := &VillageGeoref{}
	id := georefID(villageID)
	if err := tx.get(tables["village_georefs"], id, reflectOf(rec)); err != nil && !isNotFound(err) {
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
func (s *Store) ClearGeoref(ctx context.Context, villageID string) error {
	return s.Update(ctx, func(tx *Tx) error {
		var rec VillageGeoref
		if err := tx.get(tables["village_georefs"], georefID(villageID), reflectOf(&rec)); err != nil {
			if isNotFound(err) {
				return nil
			}
			return err
		}
		if rec.Deleted {
			return nil
		}
		return tx.Delete(&VillageGeoref{}, rec.ID)
	})
}

// PlacedVillage is a village and where it lies.
type PlacedVillage struct {
	Village Village
	Georef  geo.Georef
	// Problem is set (and Georef empty) when the stored georeference does
	// not make a fit (a record from a newer or broken peer): the village is
	// listed so the station sees it, and left off the map.
	Problem string
}

// GeoreferencedVillages lists every live village with a georeference, by
// name: on a station, the villages of all its posts — the township map.
func (s *Store) GeoreferencedVillages(ctx context.Context) ([]PlacedVillage, error) {
	vs, err := s.Villages(ctx)
	if err != nil {
		return nil, err
	}
	recs, err := live[VillageGeoref](ctx, s, "ORDER BY village_id, id")
	if err != nil {
		return nil, err
	}
	byVillage := map[string]VillageGeoref{}
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
func (s *Store) TownshipMap(ctx context.Context) (placed []geo.Placed, left []string, err error) {
	pvs, err := s.GeoreferencedVillages(ctx)
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
		mv, err := s.LoadMap(ctx, pv.Village.ID)
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
