// Package gpkg writes village maps as OGC GeoPackages (the SQLite format
// QGIS, ArcGIS and GDAL read natively) and reads GeoPackages from outside
// back into cunjing's GeoJSON import.
//
// It lives under store because a GeoPackage is an SQLite file (maps stays
// pure); it imports maps and maps/geo, and store/dbfile for a file's
// SQLite URI, and nothing else of ours.
//
// A written file has, per kind of feature, a layer in WGS 84 (EPSG:4326:
// houses, lanes, landmarks, labels) when the village is georeferenced,
// and the same layers in the map's own metres (houses_local, …) in a
// local engineering CRS, so the drawing's exact numbers travel too; a
// township export (several villages) has the WGS 84 layers only, each
// feature naming its village. A table cunjing_villages holds each
// village's name and retired numbers.
//
// Reading treats the file as hostile: it must be a GeoPackage by its
// header, no larger than MaxBytes, and is opened read-only with
// trusted_schema off, query_only on, no ATTACHed databases, an
// authorizer that allows reading tables and nothing else, and only the
// tables its gpkg_contents lists as feature tables (never views).
package gpkg

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"sync"

	sqlite3 "github.com/mattn/go-sqlite3"

	"cunjing/maps"
	"cunjing/maps/geojson"
	"cunjing/store/dbfile"
)

// MaxBytes is the largest GeoPackage read (a township's villages are a few
// megabytes).
const MaxBytes = 256 << 20

// SRS ids written.
const (
	srsWGS84 = 4326
	srsLocal = 100000 // cunjing local metres: a user-defined id (GeoPackage §1.1.2)
)

const wktWGS84 = `GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]`

const wktLocal = `LOCAL_CS["cunjing village map, local metres (x east, y north)",LOCAL_DATUM["cunjing village map",32767],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH]]`

// Layer is one village to write. ToLonLat is nil for a village that is
// not georeferenced: it is written in local metres only.
type Layer struct {
	Village  *maps.Village
	ToLonLat func(maps.Point) (lon, lat float64)
}

// Write creates a GeoPackage at path, which must not exist yet (the
// caller writes to a temporary name and renames).
func Write(ctx context.Context, path string, layers []Layer) error {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("gpkg: %s already exists", path)
	}
	db, err := sql.Open("sqlite3", dbfile.URI(path, "_journal_mode=DELETE&_sync=FULL"))
	if err != nil {
		return fmt.Errorf("gpkg: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if err := write(ctx, db, layers); err != nil {
		db.Close()
		os.Remove(path)
		return fmt.Errorf("gpkg: %w", err)
	}
	return db.Close()
}

type table struct {
	name, identifier, description string
	geomType                      string
	srs                           int32
	cols                          []string // "name TYPE"
	rows                          [][]any  // geometry blob first
	minX, minY, maxX, maxY        float64
}

func newTable(name, ident, desc, geomType string, srs int32, cols ...string) *table {
	return &table{name: name, identifier: ident, description: desc, geomType: geomType, srs: srs, cols: cols,
		minX: math.Inf(1), minY: math.Inf(1), maxX: math.Inf(-1), maxY: math.Inf(-1)}
}

func (t *table) add(typ uint32, rings [][][2]float64, vals ...any) {
	for _, r := range rings {
		for _, p := range r {
			t.minX, t.maxX = math.Min(t.minX, p[0]), math.Max(t.maxX, p[0])
			t.minY, t.maxY = math.Min(t.minY, p[1]), math.Max(t.maxY, p[1])
		}
	}
	t.rows = append(t.rows, append([]any{encodeGeometry(t.srs, typ, rings)}, vals...))
}

func write(ctx context.Context, db *sql.DB, layers []Layer) error {
	placed := len(layers) > 0
	for _, l := range layers {
		placed = placed && l.ToLonLat != nil
	}
	local := len(layers) == 1
	if !placed && !local {
		return errors.New("several villages are written only when every one is georeferenced")
	}
	var tables []*table
	mk := func(suffix string, srs int32, label string) []*table {
		h := newTable("houses"+suffix, "houses"+suffix, "房屋 houses"+label, "POLYGON", srs,
			"id TEXT", "number TEXT", "name TEXT", "phone TEXT", "warning TEXT", "categories TEXT", "history TEXT", "courtyard BOOLEAN", "village TEXT")
		ln := newTable("lanes"+suffix, "lanes"+suffix, "巷道 lanes"+label, "LINESTRING", srs, "id TEXT", "name TEXT", "width_m REAL", "village TEXT")
		lm := newTable("landmarks"+suffix, "landmarks"+suffix, "地标 landmarks"+label, "POINT", srs, "id TEXT", "kind TEXT", "kind_label TEXT", "name TEXT", "water BOOLEAN", "village TEXT")
		lb := newTable("labels"+suffix, "labels"+suffix, "文字 labels"+label, "POINT", srs, "id TEXT", "text TEXT", "size_m REAL", "village TEXT")
		tables = append(tables, h, ln, lm, lb)
		return []*table{h, ln, lm, lb}
	}
	type set struct {
		t  []*table
		xy func(*maps.Village, maps.Point) [2]float64
	}
	var sets []set
	if placed {
		sets = append(sets, set{mk("", srsWGS84, " (WGS 84)"), nil})
	}
	if local {
		sets = append(sets, set{mk("_local", srsLocal, " (local metres)"), func(_ *maps.Village, p maps.Point) [2]float64 { return [2]float64{p.X, p.Y} }})
	}
	for _, s := range sets {
		for _, l := range layers {
			v := l.Village
			xy := func(p maps.Point) [2]float64 {
				if s.xy != nil {
					return s.xy(v, p)
				}
				lon, lat := l.ToLonLat(p)
				return [2]float64{lon, lat}
			}
			for _, h := range v.Houses {
				if len(h.Polygon) == 0 {
					continue
				}
				ring := make([][2]float64, 0, len(h.Polygon)+1)
				for _, p := range h.Polygon {
					ring = append(ring, xy(p))
				}
				ring = append(ring, ring[0])
				var cats []string
				for _, c := range h.Categories {
					cats = append(cats, string(c))
				}
				s.t[0].add(wkbPolygon, [][][2]float64{ring}, h.ID, h.Number, h.Name, h.Phone, string(h.Warning),
					strings.Join(cats, ","), strings.Join(h.History, ","), h.Courtyard, v.Name)
			}
			for _, ln := range v.Lanes {
				line := make([][2]float64, len(ln.Points))
				for i, p := range ln.Points {
					line[i] = xy(p)
				}
				s.t[1].add(wkbLineString, [][][2]float64{line}, ln.ID, ln.Name, ln.Width, v.Name)
			}
			for _, m := range v.Landmarks {
				s.t[2].add(wkbPoint, [][][2]float64{{xy(m.Point)}}, m.ID, string(m.Kind), m.Kind.Label(), m.Name, m.Kind.IsWater(), v.Name)
			}
			for _, lb := range v.Labels {
				s.t[3].add(wkbPoint, [][][2]float64{{xy(lb.Point)}}, lb.ID, lb.Text, lb.Size, v.Name)
			}
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmts := []string{
		`PRAGMA application_id = 1196444487`, // "GPKG"
		`PRAGMA user_version = 10300`,        // GeoPackage 1.3.0
		`CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
		  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)`,
		`CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
		  description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
		  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
		  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))`,
		`CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
		  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
		  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT uk_gc_table_name UNIQUE (table_name),
		  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
		  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))`,
	}
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%.40s…: %w", q, err)
		}
	}
	srs := [][]any{
		{"Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate reference system"},
		{"Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system"},
		{"WGS 84 geodetic", srsWGS84, "EPSG", 4326, wktWGS84, "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid"},
		{"cunjing local metres", srsLocal, "cunjing", 1, wktLocal, "a village map's own metres, x east and y north; not tied to the Earth"},
	}
	for _, r := range srs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO gpkg_spatial_ref_sys VALUES (?,?,?,?,?,?)`, r...); err != nil {
			return err
		}
	}
	for _, t := range tables {
		cols := append([]string{"fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL", "geom " + t.geomType}, t.cols...)
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`CREATE TABLE %q (%s)`, t.name, strings.Join(cols, ", "))); err != nil {
			return err
		}
		var minX, minY, maxX, maxY any
		if len(t.rows) > 0 {
			minX, minY, maxX, maxY = t.minX, t.minY, t.maxX, t.maxY
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id)
			VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?)`, t.name, t.identifier, t.description, minX, minY, maxX, maxY, t.srs); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)`, t.name, t.geomType, t.srs); err != nil {
			return err
		}
		names := []string{"geom"}
		for _, c := range t.cols {
			names = append(names, strings.Fields(c)[0])
		}
		ins, err := tx.PrepareContext(ctx, fmt.Sprintf(`INSERT INTO %q (%s) VALUES (?%s)`, t.name, strings.Join(names, ", "), strings.Repeat(", ?", len(names)-1)))
		if err != nil {
			return err
		}
		for _, r := range t.rows {
			if _, err := ins.ExecContext(ctx, r...); err != nil {
				ins.Close()
				return err
			}
		}
		ins.Close()
	}
	// The villages: names and retired numbers (an attributes table).
	if _, err := tx.ExecContext(ctx, `CREATE TABLE cunjing_villages (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, name TEXT, retired TEXT, georeferenced BOOLEAN)`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES ('cunjing_villages', 'attributes', 'cunjing_villages', '村 villages')`); err != nil {
		return err
	}
	for _, l := range layers {
		if _, err := tx.ExecContext(ctx, `INSERT INTO cunjing_villages (name, retired, georeferenced) VALUES (?, ?, ?)`,
			l.Village.Name, strings.Join(l.Village.Retired, ","), l.ToLonLat != nil); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Units of what Read returns.
const (
	UnitsDegrees = "wgs84"
	UnitsLocal   = "m"
)

var registerOnce sync.Once

const driverName = "cunjing_gpkg_readonly"

// The reading driver: every connection is read-only and locked down
// before the first query (see the package comment).
func register() {
	registerOnce.Do(func() {
		sql.Register(driverName, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
			for _, q := range []string{"PRAGMA trusted_schema = OFF", "PRAGMA query_only = ON", "PRAGMA cell_size_check = ON", "PRAGMA mmap_size = 0"} {
				if _, err := c.Exec(q, nil); err != nil {
					return err
				}
			}
			c.SetLimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
			c.SetLimit(sqlite3.SQLITE_LIMIT_LENGTH, maxBlobBytes)
			c.SetLimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, 100_000)
			c.RegisterAuthorizer(func(op int, a, b, _ string) int {
				switch op {
				case sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ:
					return sqlite3.SQLITE_OK
				}
				return sqlite3.SQLITE_DENY
			})
			return nil
		}})
	})
}

// checkHeader refuses anything but a GeoPackage before SQLite opens it.
//
// What the path is, is asked before it is opened: opening a named pipe
// (or a link to one) waits for a writer, for ever.
func checkHeader(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if fi.Size() > MaxBytes {
		return fmt.Errorf("%s is %d MB; a GeoPackage is read up to %d MB", path, fi.Size()>>20, MaxBytes>>20)
	}
	var h [100]byte
	if _, err := io.ReadFull(f, h[:]); err != nil {
		return fmt.Errorf("%s is not a GeoPackage (too short)", path)
	}
	if string(h[:16]) != "SQLite format 3\x00" {
		return fmt.Errorf("%s is not a GeoPackage (not an SQLite file)", path)
	}
	switch id := string(h[68:72]); id {
	case "GPKG", "GP10", "GP11":
	case "CJNG":
		return fmt.Errorf("%s is a cunjing database, not a GeoPackage", path)
	default:
		return fmt.Errorf("%s is an SQLite file but not a GeoPackage (application_id %q)", path, strings.TrimRight(id, "\x00"))
	}
	if binary.BigEndian.Uint16(h[16:18]) == 0 {
		return fmt.Errorf("%s is not a GeoPackage (bad page size)", path)
	}
	return nil
}

// Read opens a GeoPackage from outside and returns its features as a
// GeoJSON FeatureCollection for geojson.ImportWith: in WGS 84 degrees
// when the file has feature tables in longitude/latitude (EPSG:4326,
// OGC CRS84, or CGCS2000 EPSG:4490, which agrees with WGS 84 to well
// under a metre), otherwise in local metres ("units": "m") when it has
// cunjing's local-metre tables. Tables in other coordinate systems are
// refused with the command that converts them. notes lists what was left
// out and why.
func Read(ctx context.Context, path string) (data []byte, units string, notes []string, err error) {
	if err := checkHeader(path); err != nil {
		return nil, "", nil, err
	}
	register()
	db, err := sql.Open(driverName, dbfile.URI(path, "mode=ro"))
	if err != nil {
		return nil, "", nil, fmt.Errorf("gpkg: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	type ft struct {
		name, geomCol string
		units         string
	}
	rows, err := db.QueryContext(ctx, `SELECT g.table_name, g.column_name, s.organization, s.organization_coordsys_id, s.definition
		FROM gpkg_geometry_columns g JOIN gpkg_contents c ON c.table_name = g.table_name
		JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id
		WHERE c.data_type = 'features' ORDER BY g.table_name`)
	if err != nil {
		return nil, "", nil, fmt.Errorf("gpkg: %s: not a readable GeoPackage: %w", path, err)
	}
	var tables []ft
	for rows.Next() {
		var name, col, org, def string
		var code int64
		if err := rows.Scan(&name, &col, &org, &code, &def); err != nil {
			rows.Close()
			return nil, "", nil, fmt.Errorf("gpkg: %w", err)
		}
		u := ""
		switch o := strings.ToUpper(org); {
		case o == "EPSG" && (code == 4326 || code == 4490), o == "OGC" && code == 84:
			u = UnitsDegrees
			if code == 4490 {
				notes = append(notes, fmt.Sprintf("table %s is in CGCS2000 (EPSG:4490), read as WGS 84 (they agree to well under a metre)", name))
			}
		case o == "CUNJING":
			u = UnitsLocal
		default:
			notes = append(notes, fmt.Sprintf("table %s is in %s:%d and was not read: convert it with ogr2ogr -t_srs EPSG:4326", name, org, code))
			continue
		}
		tables = append(tables, ft{name: name, geomCol: col, units: u})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, "", nil, fmt.Errorf("gpkg: %w", err)
	}
	units = UnitsLocal
	for _, t := range tables {
		if t.units == UnitsDegrees {
			units = UnitsDegrees
		}
	}
	fc := map[string]any{"type": "FeatureCollection"}
	if units == UnitsLocal {
		fc["units"] = "m"
	}
	var feats []map[string]any
	for _, t := range tables {
		if t.units != units {
			notes = append(notes, fmt.Sprintf("table %s (local metres) was not read: the file's WGS 84 tables were", t.name))
			continue
		}
		var typ string
		if err := db.QueryRowContext(ctx, `SELECT type FROM sqlite_master WHERE name = ?`, t.name).Scan(&typ); err != nil || typ != "table" {
			notes = append(notes, fmt.Sprintf("%s is not a table and was not read", t.name))
			continue
		}
		fs, n, err := readTable(ctx, db, t.name, t.geomCol, MaxFeatures-len(feats))
		if err != nil {
			return nil, "", nil, fmt.Errorf("gpkg: table %s: %w", t.name, err)
		}
		notes = append(notes, n...)
		feats = append(feats, fs...)
	}
	if len(tables) == 0 || feats == nil {
		return nil, "", notes, fmt.Errorf("gpkg: %s has no features cunjing can read%s", path, noteTail(notes))
	}
	// The villages' names and retired numbers, when cunjing wrote the file.
	if rows, err := db.QueryContext(ctx, `SELECT name, retired FROM cunjing_villages ORDER BY fid`); err == nil {
		var names, retired []string
		for rows.Next() {
			var n, r sql.NullString
			if rows.Scan(&n, &r) == nil {
				names = append(names, n.String)
				for _, x := range strings.Split(r.String, ",") {
					if x = strings.TrimSpace(x); x != "" {
						retired = append(retired, x)
					}
				}
			}
		}
		rows.Close()
		if len(names) == 1 {
			fc["name"] = names[0]
		}
		if len(retired) > 0 {
			fc["retired"] = retired
		}
	}
	fc["features"] = feats
	data, err = json.Marshal(fc)
	return data, units, notes, err
}

// MaxFeatures bounds what one file yields.
const MaxFeatures = geojson.MaxFeatures

func noteTail(notes []string) string {
	if len(notes) == 0 {
		return ""
	}
	return " (" + strings.Join(notes, "; ") + ")"
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// readTable reads one feature table: every column but the primary key
// becomes a property; the kind follows the table's name when it has none.
func readTable(ctx context.Context, db *sql.DB, name, geomCol string, room int) ([]map[string]any, []string, error) {
	rows, err := db.QueryContext(ctx, "SELECT * FROM "+quoteIdent(name))
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, nil, err
	}
	kind := ""
	base := strings.TrimSuffix(strings.ToLower(name), "_local")
	switch base {
	case "houses":
		kind = "house"
	case "lanes":
		kind = "lane"
	case "labels":
		kind = "label"
	}
	var out []map[string]any
	var notes []string
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		n++
		if len(out) >= room {
			return nil, nil, fmt.Errorf("more than %d features", MaxFeatures)
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, nil, err
		}
		props := map[string]any{}
		var geom any
		for i, c := range cols {
			switch v := vals[i].(type) {
			case []byte:
				if c == geomCol {
					g, err := DecodeGeometry(v)
					if err != nil {
						notes = append(notes, fmt.Sprintf("table %s row %d: %v", name, n, err))
						break
					}
					geom = map[string]any{"type": g.Type, "coordinates": g.Coords}
				} else {
					props[c] = string(v)
				}
			case nil:
			case int64:
				props[c] = float64(v)
			case float64:
				if !math.IsNaN(v) && !math.IsInf(v, 0) {
					props[c] = v
				}
			case bool:
				props[c] = v
			case string:
				props[c] = v
			}
		}
		if geom == nil {
			continue
		}
		delete(props, "fid")
		delete(props, "village")
		delete(props, "kind_label")
		delete(props, "water")
		if kind != "" && props["kind"] == nil {
			props["kind"] = kind
		}
		if c, ok := props["courtyard"].(float64); ok {
			props["courtyard"] = c != 0
		}
		for _, k := range []string{"categories", "history"} {
			if s, ok := props[k].(string); ok {
				var list []any
				for _, x := range strings.Split(s, ",") {
					if x = strings.TrimSpace(x); x != "" {
						list = append(list, x)
					}
				}
				if list == nil {
					delete(props, k)
				} else {
					props[k] = list
				}
			}
		}
		for k, v := range props {
			if s, ok := v.(string); ok && s == "" {
				delete(props, k)
			}
		}
		// "number" read as an integer column comes back as a float.
		if f, ok := props["number"].(float64); ok && f == math.Trunc(f) {
			props["number"] = fmt.Sprintf("%d", int64(f))
		}
		out = append(out, map[string]any{"type": "Feature", "geometry": geom, "properties": props})
	}
	return out, notes, rows.Err()
}
