package record

import (
	"cunjing/maps/geo"
	"encoding/json"
	"fmt"
)

// VillageGeoref is where a village map lies on Earth (migration 0007): the
// tangent plane's origin, the fit method and the control points as JSON.
// The fit is recomputed from the points (geo.Georef.Transform), never
// stored. One record per village; its ID is derived from the village's, so
// two devices georeferencing the same village edit one record.
type VillageGeoref struct {
	Meta
	VillageID string  `db:"village_id"`
	Method    string  `db:"method"`
	OriginLon float64 `db:"origin_lon"`
	OriginLat float64 `db:"origin_lat"`
	Points    string  `db:"points"` // JSON []geo.ControlPoint
}

func (*VillageGeoref) Table() string { return "village_georefs" }

func (g *VillageGeoref) Validate() error {
	if err := finite("village_georefs", num{"origin_lon", g.OriginLon}, num{"origin_lat", g.OriginLat}); err != nil {
		return err
	}
	if g.VillageID == "" {
		return fieldErr("village_georefs", "village_id", "", "required")
	}
	if _, err := g.Georef(); err != nil {
		return fieldErr("village_georefs", "points", "", err.Error())
	}
	return nil
}

// Georef decodes the record and checks that it makes a fit.
func (g *VillageGeoref) Georef() (geo.Georef, error) {
	out := geo.Georef{Lon: g.OriginLon, Lat: g.OriginLat, Method: geo.Method(g.Method)}
	if g.Points != "" {
		if err := json.Unmarshal([]byte(g.Points), &out.Points); err != nil {
			return geo.Georef{}, fmt.Errorf("control points: %w", err)
		}
	}
	switch out.Method {
	case geo.MethodFrame, geo.MethodSimilarity, geo.MethodAffine, geo.MethodSmooth:
	default:
		return geo.Georef{}, fmt.Errorf("unknown method %q", g.Method)
	}
	if _, err := out.Transform(); err != nil {
		return geo.Georef{}, err
	}
	return out, nil
}
