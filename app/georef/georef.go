// Package georef is georeferencing a village (issue #25), the one use
// case `cunjing map georef` and the map's 地理配准 panel share: reading
// what an officer gave as a point's coordinates (typed, a pasted map link
// or share text, or a waypoint walked with a phone), turning it into a
// control point in the datum the officer named, fitting the map to the
// points, and saving the fit — never when a point is suspect unless the
// officer checked it and said so.
package georef

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"cunjing/app/infile"
	"cunjing/maps"
	"cunjing/maps/geo"
	"cunjing/store"
	"cunjing/store/mapdata"
)

// Options say how to fit and whether to save.
type Options struct {
	// Smooth adds the smooth correction through every point (5 or more).
	Smooth bool
	// AcceptSuspect saves even with a point more than 20 m off the fit of
	// the others (the officer checked it).
	AcceptSuspect bool
	// DryRun fits and reports, and saves nothing.
	DryRun bool
}

// DatumMismatchError: the pasted text says which datum its coordinates
// are in (Given, a 高德 link GCJ-02), and it is not the one the officer
// chose.
type DatumMismatchError struct {
	Source        string // what the text was read as ("高德 link")
	Given, Chosen geo.Datum
}

func (e *DatumMismatchError) Error() string {
	return fmt.Sprintf("a %s gives %s coordinates, but the datum chosen is %s", e.Source, e.Given.Label(), e.Chosen.Label())
}

// Coordinates reads what an officer gave for a point's position: "LON,LAT"
// (or "LAT,LON" where the numbers say so), a pasted map link or share
// text, or @NAME of a waypoint in wps. It returns the coordinates as given
// (in datum d) and a name for the point when the source has one.
func Coordinates(what string, d geo.Datum, wps []geo.Waypoint) (lon, lat float64, name string, err error) {
	what = strings.TrimSpace(what)
	if wname, ok := strings.CutPrefix(what, "@"); ok {
		if wps == nil {
			return 0, 0, "", errors.New("@WAYPOINT needs a GPX or KML file of waypoints")
		}
		w, err := geo.FindWaypoint(wps, wname)
		if err != nil {
			return 0, 0, "", err
		}
		return w.Lon, w.Lat, w.Name, nil
	}
	loc, err := geo.ParseLocation(what)
	if err != nil {
		return 0, 0, "", err
	}
	if loc.Datum != "" && loc.Datum != d {
		return 0, 0, "", &DatumMismatchError{Source: loc.Source, Given: loc.Datum, Chosen: d}
	}
	return loc.Lon, loc.Lat, "", nil
}

// Point is the control point at map position mp whose coordinates the
// officer gave as what (Coordinates), in datum d; name "" takes the
// waypoint's.
func Point(name string, mp maps.Point, what string, d geo.Datum, wps []geo.Waypoint) (geo.ControlPoint, error) {
	lon, lat, wname, err := Coordinates(what, d, wps)
	if err != nil {
		return geo.ControlPoint{}, err
	}
	if name == "" {
		name = wname
	}
	return geo.NewControlPoint(name, mp, d, lon, lat)
}

// Apply fits the village's map to the points and saves the fit as its
// georeference, unless opt.DryRun, or a point is suspect and not
// accepted. It reports the fit and whether it saved.
func Apply(ctx context.Context, s *store.Store, villageID string, cps []geo.ControlPoint, opt Options) (*geo.FitResult, bool, error) {
	res, err := geo.Fit(cps, geo.FitOptions{Smooth: opt.Smooth, AcceptSuspect: opt.AcceptSuspect})
	if err != nil {
		return nil, false, err
	}
	if opt.DryRun || (res.Suspects > 0 && !opt.AcceptSuspect) {
		return res, false, nil
	}
	if err := mapdata.SaveGeoref(ctx, s, villageID, res.Georef); err != nil {
		return res, false, fmt.Errorf("save the georeference: %w", err)
	}
	return res, true, nil
}

// ErrNotWaypointFile: a waypoint file is a .gpx, .kml or .kmz.
var ErrNotWaypointFile = errors.New("not a .gpx, .kml or .kmz file")

// ReadWaypoints reads the named points of a GPX track or KML/KMZ file an
// officer walked with a phone (at most geo.MaxGPXBytes).
func ReadWaypoints(path string) ([]geo.Waypoint, error) {
	ext := strings.ToLower(filepath.Ext(path))
	if ext != ".gpx" && ext != ".kml" && ext != ".kmz" {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), ErrNotWaypointFile)
	}
	data, err := infile.ReadBounded(path, geo.MaxGPXBytes)
	if err != nil {
		return nil, err
	}
	if ext == ".gpx" {
		return geo.DecodeGPX(data)
	}
	k, err := DecodeKML(path, data)
	if err != nil {
		return nil, err
	}
	ws := k.Waypoints()
	if len(ws) == 0 {
		return nil, fmt.Errorf("%s has no named points", filepath.Base(path))
	}
	return ws, nil
}

// DecodeKML decodes a .kml, or a .kmz by its name.
func DecodeKML(path string, data []byte) (*geo.KML, error) {
	if strings.EqualFold(filepath.Ext(path), ".kmz") {
		return geo.DecodeKMZ(data)
	}
	return geo.DecodeKML(data)
}
