package mapcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"cunjing/app/cli/clikit"
	"cunjing/app/georef"
	"cunjing/app/infile"
	"cunjing/maps"
	"cunjing/maps/geo"
	"cunjing/maps/geojson"
	"cunjing/maps/numbering"
	"cunjing/store"
	"cunjing/store/gpkg"
	"cunjing/store/mapdata"
)

// Georeferencing and the formats that carry real coordinates (issue #25):
// `map georef`, and `map export` / `map import` in GeoJSON (RFC 7946 or
// local metres), GeoPackage and KML/KMZ.

// GeorefPoint is one line of `map georef --json`: where the point is on
// the map and on the ground, and how it agrees with the fit (geo's
// PointFit: name, residual_m, de_m, dn_m, suspect).
type GeorefPoint struct {
	geo.PointFit
	X     float64   `json:"x"`
	Y     float64   `json:"y"`
	Lon   float64   `json:"lon"` // WGS 84
	Lat   float64   `json:"lat"`
	Datum geo.Datum `json:"datum"`
}

// GeorefResult is `cunjing map georef --json`: the village, geo's
// FitResult (method, rms_m, checked, suspects, scale, rotation_deg,
// smooth_offered, notes), its points with their map and ground positions
// (Points stands in for FitResult's own), and whether it was saved.
type GeorefResult struct {
	Village string `json:"village"`
	geo.FitResult
	Points []GeorefPoint `json:"points"`
	Saved  bool          `json:"saved"`
}

func cmdMapGeoref(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db, village := clikit.NewVillageFlags(env, "map georef")
	var points clikit.MultiFlag
	fs.Var(&points, "point", "[NAME:]X,Y=LON,LAT — a map position (metres, or a landmark name or house number) and where it is; "+
		"the right side may also be a pasted map link or share text, or @WAYPOINT from --waypoints (repeat for each point)")
	datum := fs.String("datum", "", "what the coordinates are in: wgs84 (GPS, GPX), gcj02 (高德, 腾讯) or bd09 (百度) — required")
	waypoints := fs.String("waypoints", "", "a GPX, KML or KMZ file whose named points @NAME refers to")
	smooth := fs.Bool("smooth", false, "add a smooth correction through every point (5 or more points)")
	accept := fs.Bool("accept-suspect", false, "save even when a point is more than 20 m off the fit of the others")
	dry := fs.Bool("dry-run", false, "fit and report, save nothing")
	clear := fs.Bool("clear", false, "remove the village's georeference")
	asJSON := clikit.JSONFlag(fs)
	if _, err := clikit.ParseFlags(fs, args); err != nil {
		return err
	}
	if *clear {
		if len(points) > 0 {
			return fmt.Errorf("%w: --clear takes no --point", clikit.ErrUsage)
		}
		s, v, _, err := openVillage(ctx, env, *db, *village)
		if err != nil {
			return err
		}
		defer s.Close()
		if err := clikit.PostOnly(s, "map georef --clear", "地图的地理配准在警务室做，再同步到派出所"); err != nil {
			return err
		}
		if err := mapdata.ClearGeoref(ctx, s, v.ID); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s: georeference removed\n", v.Name)
		return nil
	}
	if *datum == "" {
		return fmt.Errorf("%w: --datum wgs84|gcj02|bd09 is required: coordinates from 高德 or 腾讯 are gcj02, from 百度 bd09, from a GPS or GPX file wgs84", clikit.ErrUsage)
	}
	d, err := geo.ParseDatum(*datum)
	if err != nil {
		return fmt.Errorf("%w: --datum: %v", clikit.ErrUsage, err)
	}
	if len(points) < 2 {
		return fmt.Errorf("%w: at least 2 points are needed (--point X,Y=LON,LAT, once per point; got %d)", clikit.ErrUsage, len(points))
	}
	var wps []geo.Waypoint
	if *waypoints != "" {
		if wps, err = readWaypoints(*waypoints); err != nil {
			return err
		}
	}
	s, v, mv, err := openVillage(ctx, env, *db, *village)
	if err != nil {
		return err
	}
	defer s.Close()
	if !*dry {
		if err := clikit.PostOnly(s, "map georef", "地图的地理配准在警务室做，再同步到派出所"); err != nil {
			return err
		}
	}
	var cps []geo.ControlPoint
	for i, spec := range points {
		cp, err := controlPoint(spec, d, mv, wps)
		if err != nil {
			return fmt.Errorf("point %d (%s): %w (nothing saved)", i+1, spec, err)
		}
		cps = append(cps, cp)
	}
	res, saved, err := georef.Apply(ctx, s, v.ID, cps, georef.Options{Smooth: *smooth, AcceptSuspect: *accept, DryRun: *dry})
	if err != nil {
		if res != nil {
			return fmt.Errorf("%s: %w", v.Name, err)
		}
		return fmt.Errorf("%w (nothing saved)", err)
	}
	out := GeorefResult{Village: v.Name, FitResult: *res, Saved: saved}
	for i, p := range res.Points {
		c := cps[i]
		out.Points = append(out.Points, GeorefPoint{PointFit: p, X: c.X, Y: c.Y, Lon: c.Lon, Lat: c.Lat, Datum: d})
	}
	if *asJSON {
		if err := clikit.WriteJSON(env.Stdout, out); err != nil {
			return err
		}
	} else {
		printGeoref(env.Stdout, out)
	}
	if res.Suspects > 0 && !*accept && !*dry {
		return fmt.Errorf("nothing saved: %d suspect point(s); check them, or save anyway with --accept-suspect", res.Suspects)
	}
	return nil
}

func printGeoref(w io.Writer, r GeorefResult) {
	fmt.Fprintf(w, "%s: %s fit, %d points, rms %.2f m, scale %.4f, rotation %.2f°\n", r.Village, r.Method, len(r.Points), r.RMS, r.Scale, r.RotationDeg)
	for i, p := range r.Points {
		flag := ""
		if p.Suspect {
			flag = "  ← suspect"
		}
		name := p.Name
		if name == "" {
			name = fmt.Sprintf("point %d", i+1)
		}
		fmt.Fprintf(w, "  %-12s map (%.1f, %.1f) → %.7f, %.7f  off by %.2f m%s\n", name, p.X, p.Y, p.Lon, p.Lat, p.ResidualM, flag)
	}
	for _, n := range r.Notes {
		fmt.Fprintln(w, "  "+n)
	}
	if r.Saved {
		fmt.Fprintln(w, "saved")
	} else {
		fmt.Fprintln(w, "not saved")
	}
}

// controlPoint reads [NAME:]WHERE=WHAT.
func controlPoint(spec string, d geo.Datum, mv *maps.Village, wps []geo.Waypoint) (geo.ControlPoint, error) {
	where, what, ok := strings.Cut(spec, "=")
	if !ok {
		return geo.ControlPoint{}, errors.New("want X,Y=LON,LAT")
	}
	name := ""
	if n, rest, ok := strings.Cut(where, ":"); ok {
		name, where = strings.TrimSpace(n), rest
	}
	where = strings.TrimSpace(where)
	mp, err := parseXY(where)
	if err != nil {
		var label string
		if mp, label, err = mapPlace(mv, where); err != nil {
			return geo.ControlPoint{}, err
		}
		if name == "" {
			name = label
		}
	}
	if strings.HasPrefix(strings.TrimSpace(what), "@") && wps == nil {
		return geo.ControlPoint{}, errors.New("@WAYPOINT needs --waypoints FILE.gpx|.kml")
	}
	cp, err := georef.Point(name, mp, what, d, wps)
	if m := (*georef.DatumMismatchError)(nil); errors.As(err, &m) {
		return geo.ControlPoint{}, fmt.Errorf("a %s gives %s coordinates, but --datum is %s: use --datum %s for it (or type the coordinates)", m.Source, m.Given.Label(), m.Chosen, m.Given)
	}
	return cp, err
}

// mapPlace finds a named place on the map: a landmark by name (or by kind,
// 村口, when there is one), or a house by number (its centre).
func mapPlace(mv *maps.Village, s string) (maps.Point, string, error) {
	var hits []maps.Point
	for _, l := range mv.Landmarks {
		if l.Name == s {
			hits = append(hits, l.Point)
		}
	}
	if len(hits) == 0 {
		for _, l := range mv.Landmarks {
			if l.Kind.Label() == s || string(l.Kind) == s {
				hits = append(hits, l.Point)
			}
		}
	}
	if len(hits) == 0 {
		n := numbering.Normalize(s)
		for _, h := range mv.Houses {
			if h.Number == n && n != "" {
				hits = append(hits, h.Polygon.Centroid())
			}
		}
	}
	switch len(hits) {
	case 1:
		return hits[0], s, nil
	case 0:
		return maps.Point{}, "", fmt.Errorf("%q is neither x,y in metres nor a landmark or house number on the map", s)
	}
	return maps.Point{}, "", fmt.Errorf("%d places on the map are called %q: give x,y", len(hits), s)
}

func readWaypoints(path string) ([]geo.Waypoint, error) {
	wps, err := georef.ReadWaypoints(path)
	if errors.Is(err, georef.ErrNotWaypointFile) {
		return nil, fmt.Errorf("%w: --waypoints: %v", clikit.ErrUsage, err)
	}
	return wps, err
}

// ExportResult is `cunjing map export --json`.
type ExportResult struct {
	Out      string   `json:"out"`
	Format   string   `json:"format"`
	Units    string   `json:"units"` // wgs84, m, or both (a GeoPackage of one georeferenced village)
	Villages []string `json:"villages"`
	Features int      `json:"features"`
	Skipped  []string `json:"skipped"` // villages left out of --all, and why
}

func exportFormat(out string) string {
	switch strings.ToLower(filepath.Ext(out)) {
	case ".geojson", ".json":
		return "geojson"
	case ".gpkg":
		return "gpkg"
	case ".kml":
		return "kml"
	case ".kmz":
		return "kmz"
	}
	return ""
}

func cmdMapExport(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db, village := clikit.NewVillageFlags(env, "map export")
	all := fs.Bool("all", false, "every georeferenced village (the township map)")
	out := fs.String("out", "", "file to write: .geojson (WGS 84), .gpkg (GeoPackage), .kml or .kmz (phone map apps)")
	local := fs.Bool("local", false, "write the map's own metres: .geojson with \"units\": \"m\" (cunjing's round-trip format), or a .gpkg without WGS 84 layers")
	asJSON := clikit.JSONFlag(fs)
	if _, err := clikit.ParseFlags(fs, args); err != nil {
		return err
	}
	format := exportFormat(*out)
	switch {
	case *out == "":
		return fmt.Errorf("%w: --out FILE.geojson|.gpkg|.kml|.kmz is required", clikit.ErrUsage)
	case format == "":
		return fmt.Errorf("%w: --out %s: write .geojson, .gpkg, .kml or .kmz", clikit.ErrUsage, *out)
	case *all && *village != "":
		return fmt.Errorf("%w: --all or --village, not both", clikit.ErrUsage)
	case *all && *local:
		return fmt.Errorf("%w: --all writes WGS 84 (each village's local metres are its own); drop --local", clikit.ErrUsage)
	case *local && (format == "kml" || format == "kmz"):
		return fmt.Errorf("%w: KML is longitude/latitude only; --local fits .geojson or .gpkg", clikit.ErrUsage)
	}
	s, err := clikit.OpenDB(ctx, env, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	res := ExportResult{Out: *out, Format: format, Units: "wgs84", Villages: []string{}, Skipped: []string{}}
	var placed []geo.Placed
	var unplaced *maps.Village
	if *all {
		var left []string
		if placed, left, err = mapdata.TownshipMap(ctx, s); err != nil {
			return err
		}
		res.Skipped = append(res.Skipped, left...)
		if len(placed) == 0 {
			return fmt.Errorf("no village here is georeferenced: georeference them first (cunjing map georef)")
		}
	} else {
		v, mv, err := loadVillageMap(ctx, s, *village)
		if err != nil {
			return err
		}
		g, err := mapdata.Georef(ctx, s, v.ID)
		if err != nil {
			return err
		}
		switch {
		case *local || (g == nil && format == "gpkg"):
			unplaced = mv
		case g == nil:
			return fmt.Errorf("%s is not georeferenced, so it has no place on Earth to write: %s files are WGS 84 longitude/latitude. "+
				"Georeference it (cunjing map georef --village %s --point X,Y=LON,LAT … --datum …), "+
				"or write --out %s.gpkg (a GeoPackage in the map's own metres), "+
				"or add --local for cunjing's local-metre GeoJSON (\"units\": \"m\")",
				v.Name, map[string]string{"geojson": "GeoJSON", "kml": "KML", "kmz": "KMZ"}[format], v.Name, strings.TrimSuffix(filepath.Base(*out), filepath.Ext(*out)))
		default:
			tr, err := g.Transform()
			if err != nil {
				return fmt.Errorf("%s: georeference: %w", v.Name, err)
			}
			placed = []geo.Placed{{Village: mv, Transform: tr}}
		}
	}
	count := func(v *maps.Village) int { return len(v.Houses) + len(v.Lanes) + len(v.Landmarks) + len(v.Labels) }
	for _, p := range placed {
		res.Villages = append(res.Villages, p.Village.Name)
		res.Features += count(p.Village)
	}
	if unplaced != nil {
		res.Villages = append(res.Villages, unplaced.Name)
		res.Features = count(unplaced)
		res.Units = "m"
	}
	if format == "gpkg" && len(placed) == 1 && !*all {
		res.Units = "wgs84+m"
	}
	audit := func() error {
		return s.Audit(ctx, clikit.User(), "cli", store.AuditExport, "map "+strings.Join(res.Villages, ","),
			fmt.Sprintf("%d features, %s, %s → %s", res.Features, format, res.Units, *out))
	}
	title := strings.Join(res.Villages, "、")
	switch format {
	case "gpkg":
		var layers []gpkg.Layer
		for _, p := range placed {
			layers = append(layers, gpkg.Layer{Village: p.Village, ToLonLat: p.Transform.ToLonLat})
		}
		if unplaced != nil {
			layers = []gpkg.Layer{{Village: unplaced}}
		}
		if err := writeGeoPackage(ctx, *out, layers); err != nil {
			return err
		}
		if err := audit(); err != nil {
			return err
		}
	default:
		var data []byte
		switch {
		case unplaced != nil:
			data, err = geojson.Export(unplaced)
		case format == "geojson":
			data, err = geojson.ExportWGS84(geo.GeoJSONLayers(placed))
		case format == "kml":
			data, err = geo.EncodeKML(placed, title)
		case format == "kmz":
			data, err = geo.EncodeKMZ(placed, title)
		}
		if err != nil {
			return err
		}
		if err := clikit.WriteOutput(*out, func(w io.Writer) error { _, err := w.Write(data); return err }, audit); err != nil {
			return err
		}
	}
	if *asJSON {
		return clikit.WriteJSON(env.Stdout, res)
	}
	for _, sk := range res.Skipped {
		fmt.Fprintf(env.Stderr, "left out: %s\n", sk)
	}
	fmt.Fprintf(env.Stdout, "%s: %s, %s, %d features (%s)\n", *out, format, res.Units, res.Features, title)
	return nil
}

// writeGeoPackage writes beside the target and renames, so a failed
// export leaves no half-written file under the name asked for.
func writeGeoPackage(ctx context.Context, out string, layers []gpkg.Layer) error {
	if err := clikit.CheckOutput(out); err != nil {
		return err
	}
	dir := filepath.Dir(out)
	tmp, err := os.CreateTemp(dir, ".cunjing-*.gpkg")
	if err != nil {
		return fmt.Errorf("cannot write to %s: %w", dir, err)
	}
	name := tmp.Name()
	tmp.Close()
	os.Remove(name) // gpkg.Write creates it itself
	if err := gpkg.Write(ctx, name, layers); err != nil {
		os.Remove(name)
		return err
	}
	if err := os.Chmod(name, 0o644); err != nil {
		os.Remove(name)
		return err
	}
	if err := os.Rename(name, out); err != nil {
		os.Remove(name)
		return fmt.Errorf("write %s: %w", out, err)
	}
	return nil
}

// ImportResult is `cunjing map import --json`.
type ImportResult struct {
	Village   string          `json:"village"`
	Units     string          `json:"units"` // m (local metres) or wgs84 (degrees, placed by the georeference)
	FrameSet  bool            `json:"frame_set"`
	Houses    int             `json:"houses"`
	Lanes     int             `json:"lanes"`
	Landmarks int             `json:"landmarks"`
	Labels    int             `json:"labels"`
	Skipped   []geojson.Issue `json:"skipped"`
	Warnings  []geojson.Issue `json:"warnings"`
	Notes     []string        `json:"notes"`
}

func cmdMapImport(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db := clikit.NewDBFlags(env, "map import")
	village := fs.String("village", "", "village name (created if new)")
	replace := fs.Bool("replace", false, "delete what the file does not have (default: add and update only)")
	datum := fs.String("datum", "wgs84", "the datum of a file in degrees: wgs84 (GeoJSON, GeoPackage and KML are by definition), gcj02 or bd09 for files made from 高德/腾讯/百度")
	asJSON := clikit.JSONFlag(fs)
	pos, err := clikit.ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: give one .geojson, .gpkg, .kml or .kmz file", clikit.ErrUsage)
	}
	if *village == "" {
		return fmt.Errorf("%w: --village NAME is required", clikit.ErrUsage)
	}
	d, err := geo.ParseDatum(*datum)
	if err != nil {
		return fmt.Errorf("%w: --datum: %v", clikit.ErrUsage, err)
	}
	path := pos[0]
	res := ImportResult{Notes: []string{}}
	var data []byte
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".gpkg":
		data, _, res.Notes, err = gpkg.Read(ctx, path)
		if err != nil {
			return fmt.Errorf("%w (nothing imported)", err)
		}
	case ".kml", ".kmz":
		raw, err := infile.ReadBounded(path, geo.MaxKMLBytes)
		if err != nil {
			return err
		}
		k, err := georef.DecodeKML(path, raw)
		if err != nil {
			return fmt.Errorf("%s: %w (nothing imported)", path, err)
		}
		if data, err = k.GeoJSON(); err != nil {
			return fmt.Errorf("%s: %w (nothing imported)", path, err)
		}
	case ".geojson", ".json":
		if data, err = infile.ReadBounded(path, geojson.MaxBytes); err != nil {
			return err
		}
	default:
		return fmt.Errorf("%w: %s: give a .geojson, .gpkg, .kml or .kmz file", clikit.ErrUsage, path)
	}
	s, err := clikit.OpenPostDB(ctx, env, *db, "map import", "村庄地图在警务室导入和修改，再同步到派出所")
	if err != nil {
		return err
	}
	defer s.Close()
	// The map is read, merged with the file and written back whole (what
	// the merge left out is deleted), so a write by another program in
	// between (a second import, a sync) would be undone: the save checks
	// the change log is where it was when the map was read, and if not,
	// reads and merges again.
	var (
		v        store.Village
		rep      *geojson.Report
		newFrame *geo.Georef
		notes    = res.Notes
	)
	for attempt := 1; ; attempt++ {
		res.Notes = append([]string(nil), notes...)
		var merged *maps.Village
		var isNew bool
		seq, err := s.MaxChangeSeq(ctx)
		if err != nil {
			return err
		}
		v, merged, rep, newFrame, isNew, err = mergeFile(ctx, s, *village, d, data, *replace, &res)
		if err != nil {
			return fmt.Errorf("%s: %w (nothing imported)", path, err)
		}
		if beforeSave != nil {
			beforeSave()
		}
		err = s.Update(ctx, func(tx *store.Tx) error {
			if now, err := tx.MaxChangeSeq(); err != nil {
				return err
			} else if now != seq {
				return errChangedMeanwhile
			}
			if isNew {
				v = store.Village{Name: *village}
				if err := tx.Save(&v); err != nil {
					return err
				}
			}
			if err := mapdata.SaveTx(tx, v.ID, merged); err != nil {
				return err
			}
			if newFrame != nil {
				return mapdata.SaveGeorefTx(tx, v.ID, *newFrame)
			}
			return nil
		})
		if errors.Is(err, errChangedMeanwhile) && attempt < maxImportAttempts {
			continue
		}
		if errors.Is(err, errChangedMeanwhile) {
			return fmt.Errorf("save map of %s: the database changed %d times while the file was merged (another program is writing to it): try again (nothing imported)", *village, attempt)
		}
		if err != nil {
			return fmt.Errorf("save map of %s: %w (nothing imported)", *village, err)
		}
		break
	}
	res.Village, res.FrameSet = v.Name, newFrame != nil
	res.Houses, res.Lanes, res.Landmarks, res.Labels, res.Skipped, res.Warnings = rep.Houses, rep.Lanes, rep.Landmarks, rep.Labels, rep.Skipped, rep.Warnings
	if newFrame != nil {
		res.Notes = append(res.Notes, fmt.Sprintf("%s had no georeference: its map now uses metres around %.6f, %.6f (the data's centre)", v.Name, newFrame.Lon, newFrame.Lat))
	}
	if res.Skipped == nil {
		res.Skipped = []geojson.Issue{}
	}
	if res.Warnings == nil {
		res.Warnings = []geojson.Issue{}
	}
	if *asJSON {
		return clikit.WriteJSON(env.Stdout, res)
	}
	fmt.Fprintln(env.Stdout, rep.String())
	for _, n := range res.Notes {
		fmt.Fprintln(env.Stdout, n)
	}
	return nil
}

// errChangedMeanwhile: the change log moved between reading the map and
// saving it; maxImportAttempts is how often the import reads and merges
// again before it gives up.
var errChangedMeanwhile = errors.New("the database changed while the map was merged")

const maxImportAttempts = 5

// beforeSave, when set (tests), runs between reading and merging the map
// and saving it.
var beforeSave func()

// mergeFile reads the village named (a new one if there is none), places
// the file's features on its map and lays them over it (mergeImported):
// the map to save, with the georeference to set on a new frame. res gets
// the units and notes.
func mergeFile(ctx context.Context, s *store.Store, village string, d geo.Datum, data []byte, replace bool, res *ImportResult) (store.Village, *maps.Village, *geojson.Report, *geo.Georef, bool, error) {
	v, err := s.VillageByName(ctx, village)
	isNew := errors.Is(err, store.ErrNotFound)
	if err != nil && !isNew {
		return store.Village{}, nil, nil, nil, false, err
	}
	cur := &maps.Village{}
	var g *geo.Georef
	if !isNew {
		if cur, err = mapdata.Load(ctx, s, v.ID); err != nil {
			return store.Village{}, nil, nil, nil, false, err
		}
		if g, err = mapdata.Georef(ctx, s, v.ID); err != nil {
			return store.Village{}, nil, nil, nil, false, err
		}
	}
	var newFrame *geo.Georef
	res.Units = geojson.UnitsLocal
	place := func(ext maps.Rect) (func(lon, lat float64) (maps.Point, error), error) {
		res.Units = geojson.UnitsDegrees
		if d != geo.WGS84 {
			res.Notes = append(res.Notes, "coordinates converted from "+d.Label()+" to WGS 84")
		}
		var tr *geo.Transform
		switch {
		case g != nil:
			var err error
			if tr, err = g.Transform(); err != nil {
				return nil, err
			}
		case len(cur.Houses)+len(cur.Lanes)+len(cur.Landmarks)+len(cur.Labels) > 0:
			return nil, fmt.Errorf("%s has a drawn map but no georeference, so longitude/latitude cannot be placed on it: "+
				"georeference it first (cunjing map georef), or import into a new village", village)
		default:
			c := ext.Center()
			lon, lat, err := geo.ToWGS84(d, c.X, c.Y)
			if err != nil {
				return nil, err
			}
			fg := geo.FrameGeoref(lon, lat)
			if tr, err = fg.Transform(); err != nil {
				return nil, err
			}
			newFrame = &fg
		}
		return func(lon, lat float64) (maps.Point, error) {
			wl, wa, err := geo.ToWGS84(d, lon, lat)
			if err != nil {
				return maps.Point{}, err
			}
			return tr.FromLonLat(wl, wa)
		}, nil
	}
	in, rep, err := geojson.ImportWith(data, geojson.Options{Place: place})
	if err != nil {
		return store.Village{}, nil, nil, nil, false, err
	}
	merged := mergeImported(cur, in, replace, rep)
	return v, merged, rep, newFrame, isNew, nil
}
