package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The arrows of docs/ARCHITECTURE.md, read from `go list`: each layer
// below app imports only the layers under it, Fyne appears only in the
// window's packages, and the areas of the window import none of each
// other.

// below are the internal imports each layer below app may have (besides
// its own subpackages).
var below = map[string][]string{
	"cunjing/assets": nil,
	"cunjing/maps":   nil,
	"cunjing/store":  {"cunjing/maps"},
	"cunjing/print":  {"cunjing/maps", "cunjing/assets"},
	"cunjing/sync":   {"cunjing/store", "cunjing/maps"},
}

// fyneIn are the only packages that may depend on Fyne: the window
// (cunjing/app, which alone opens it with fyne/v2/app), its screens
// (app/ui/...) and the translations (Fyne's lang carries them).
func fyneIn(p string) bool {
	return p == "cunjing/app" || p == "cunjing/app/lang" || under(p, "cunjing/app/ui")
}

// The packages of app/ui that are not areas: the shell, the shared kit
// and the tests' support.
const (
	uiShell = "cunjing/app/ui"
	uiKit   = "cunjing/app/ui/kit"
	uiTest  = "cunjing/app/ui/uitest"
)

type listed struct {
	Dir          string
	GoFiles      []string
	TestGoFiles  []string
	XTestGoFiles []string
	ImportPath   string
	Name         string
	Doc          string // the package doc comment's first sentence
	Imports      []string
	Deps         []string
	TestImports  []string
	XTestImports []string
	CgoFiles     []string
}

func under(p, root string) bool { return p == root || strings.HasPrefix(p, root+"/") }

// layer is the layer below app a package belongs to ("" for app and the
// command).
func layer(p string) string {
	for l := range below {
		if under(p, l) {
			return l
		}
	}
	return ""
}

// goList runs go list with args; it must find at least that many packages.
func goList(t *testing.T, least int, args ...string) []listed {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command on PATH to list the packages: %v", err)
	}
	cmd := exec.Command(goCmd, append([]string{"list", "-e", "-json=Dir,Name,Doc,GoFiles,TestGoFiles,XTestGoFiles,ImportPath,Imports,Deps,TestImports,XTestImports,CgoFiles"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []listed
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listed
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < least {
		t.Fatalf("go list found %d packages: the listing is broken", len(pkgs))
	}
	return pkgs
}

// Every package says what it owns in a doc comment ("// Package x …"), so
// a newcomer finds the room by its door.
func TestEveryPackageSaysWhatItOwns(t *testing.T) {
	for _, p := range goList(t, 20, "cunjing/...") {
		if p.Name != "main" && !strings.HasPrefix(p.Doc, "Package "+p.Name+" ") && !strings.HasPrefix(p.Doc, "Package "+p.Name+",") {
			t.Errorf("%s has no package doc comment saying what it owns (a doc.go: // Package %s …)", p.ImportPath, p.Name)
		}
	}
}

func TestArchitectureArrows(t *testing.T) {
	for _, p := range goList(t, 20, "cunjing/...") {
		l := layer(p.ImportPath)
		for _, imp := range p.Imports {
			if !strings.HasPrefix(imp, "cunjing") {
				continue
			}
			if l != "" && !under(imp, l) && !slices.Contains(below[l], layer(imp)) {
				t.Errorf("%s imports %s: %s may import only %v", p.ImportPath, imp, l, below[l])
			}
			if under(imp, "cunjing/app") && !under(p.ImportPath, "cunjing/app") && p.ImportPath != "cunjing" {
				t.Errorf("%s imports %s: nothing below app imports app", p.ImportPath, imp)
			}
			if imp == uiTest {
				t.Errorf("%s imports %s outside its tests", p.ImportPath, imp)
			}
		}
		for _, d := range p.Deps {
			if strings.HasPrefix(d, "fyne.io/") && !fyneIn(p.ImportPath) && p.ImportPath != "cunjing" {
				t.Errorf("%s depends on %s: Fyne belongs to the window (app, app/ui, app/lang)", p.ImportPath, d)
				break
			}
			if d == "fyne.io/fyne/v2/app" && p.ImportPath != "cunjing/app" && p.ImportPath != "cunjing" {
				t.Errorf("%s depends on fyne.io/fyne/v2/app: only package app opens the window, so the screens run headless in tests", p.ImportPath)
			}
		}
	}
}

// mapsLayers are the maps sub-packages each package under maps may import
// (besides the types in maps itself and its own sub-packages): the lane
// network at the bottom, numbering over it, routing over both, rendering
// over routing; the editor and the village generator over numbering. The
// types in maps import none of them.
var mapsLayers = map[string][]string{
	"cunjing/maps":           nil,
	"cunjing/maps/lanenet":   nil,
	"cunjing/maps/numbering": {"cunjing/maps/lanenet"},
	"cunjing/maps/route":     {"cunjing/maps/lanenet", "cunjing/maps/numbering"},
	"cunjing/maps/render":    {"cunjing/maps/lanenet", "cunjing/maps/numbering", "cunjing/maps/route"},
	"cunjing/maps/edit":      {"cunjing/maps/lanenet", "cunjing/maps/numbering"},
	"cunjing/maps/synth":     {"cunjing/maps/lanenet", "cunjing/maps/numbering"},
	"cunjing/maps/geojson":   {"cunjing/maps/numbering"},
	"cunjing/maps/geo":       {"cunjing/maps/geojson", "cunjing/maps/lanenet", "cunjing/maps/numbering", "cunjing/maps/route"},
	"cunjing/maps/maptest":   nil,
	"cunjing/maps/trace":     {"cunjing/maps/synth"}, // sheetgen draws synth's villages
}

func TestMapsLayers(t *testing.T) {
	for _, p := range goList(t, 10, "cunjing/maps/...") {
		owner := ""
		for l := range mapsLayers {
			if under(p.ImportPath, l) && len(l) > len(owner) {
				owner = l
			}
		}
		if owner == "" {
			t.Errorf("%s is in no layer of maps: add it to mapsLayers and docs/ARCHITECTURE.md", p.ImportPath)
			continue
		}
		for _, imp := range p.Imports {
			if !under(imp, "cunjing/maps") || imp == "cunjing/maps" || (under(imp, owner) && owner != "cunjing/maps") {
				continue
			}
			if !slices.ContainsFunc(mapsLayers[owner], func(l string) bool { return under(imp, l) }) {
				t.Errorf("%s imports %s: it may import only maps and %v", p.ImportPath, imp, mapsLayers[owner])
			}
		}
	}
}

// areaOf is the area of the window a package under app/ui belongs to
// (app/ui/roster/patrollog is roster's), or "" for the shell.
func areaOf(p string) string {
	rest, ok := strings.CutPrefix(p, uiShell+"/")
	if !ok {
		return ""
	}
	area, _, _ := strings.Cut(rest, "/")
	return uiShell + "/" + area
}

// An area of the window (app/ui/<area>, with its own sub-packages)
// reaches the others only through the shell, which wires them: it imports
// no other area and not the shell; the kit imports no area.
func TestAreasImportNoOtherArea(t *testing.T) {
	areas := 0
	for _, p := range goList(t, 9, "cunjing/app/ui/...") {
		if p.ImportPath == uiShell || p.ImportPath == uiTest {
			continue
		}
		if !under(p.ImportPath, uiKit) && areaOf(p.ImportPath) == p.ImportPath {
			areas++
		}
		imports := slices.Concat(p.Imports, p.TestImports, p.XTestImports)
		for _, imp := range imports {
			if !under(imp, uiShell) || under(imp, uiKit) || imp == p.ImportPath {
				continue // the kit, with its own sub-packages (kit/wrap, kit/debounce)
			}
			if !under(p.ImportPath, uiKit) && imp != uiTest && areaOf(imp) == areaOf(p.ImportPath) {
				continue // the area's own sub-packages
			}
			if imp == uiTest && !slices.Contains(p.Imports, imp) {
				continue // the tests' support, in tests
			}
			t.Errorf("%s imports %s: an area imports only the kit (the shell wires the areas)", p.ImportPath, imp)
		}
	}
	if areas < 7 {
		t.Errorf("found %d areas under app/ui, want the seven", areas)
	}
}

// An area's own sub-packages (app/ui/mapedit/mapcanvas, …/mapprint,
// …/georefpanel, app/ui/roster/tab …) are its parts: the area wires them, so none of them
// imports the area's root.
func TestAreaPartsImportNotTheirArea(t *testing.T) {
	for _, p := range goList(t, 9, "cunjing/app/ui/...") {
		area := areaOf(p.ImportPath)
		if area == "" || area == p.ImportPath || area == uiKit || area == uiTest {
			continue
		}
		for _, imp := range slices.Concat(p.Imports, p.TestImports, p.XTestImports) {
			if imp == area {
				t.Errorf("%s imports %s: a part of an area does not import the area that wires it", p.ImportPath, imp)
			}
		}
	}
}

// The command line (app/cli) is below the window: its packages see no
// Fyne (TestArchitectureArrows), import neither package app nor app/ui,
// and each of its areas (app/cli/<area>cmd) imports only clikit of the
// command line, never another area or the table (app/cli) that lists them
// all; clikit imports no area, and clitest is for tests.
func TestCommandLineAreas(t *testing.T) {
	const cli, kit, test = "cunjing/app/cli", "cunjing/app/cli/clikit", "cunjing/app/cli/clitest"
	areas := 0
	for _, p := range goList(t, 8, cli+"/...") {
		if p.ImportPath != cli && p.ImportPath != kit && p.ImportPath != test {
			areas++
		}
		for _, imp := range p.Imports {
			switch {
			case imp == "cunjing/app" || under(imp, uiShell):
				t.Errorf("%s imports %s: the command line is below the window", p.ImportPath, imp)
			case imp == test:
				t.Errorf("%s imports %s outside its tests", p.ImportPath, imp)
			case p.ImportPath != cli && p.ImportPath != test && under(imp, cli) && imp != kit:
				t.Errorf("%s imports %s: a command area imports only clikit of the command line", p.ImportPath, imp)
			}
		}
	}
	if areas < 6 {
		t.Errorf("found %d command areas under app/cli, want six", areas)
	}
}

// The headless build (-tags nogui, for a station server without GL
// libraries) has no Fyne in it at all.
func TestHeadlessBuildHasNoFyne(t *testing.T) {
	for _, p := range goList(t, 20, "-tags", "nogui", "-deps", "cunjing") {
		if strings.HasPrefix(p.ImportPath, "fyne.io/") {
			t.Fatalf("the nogui build links %s", p.ImportPath)
		}
	}
}

// pureLeaves are packages that link no cgo and so no SQLite: a file
// format and the types it carries must build anywhere (fuzzing, a tool
// that only reads changesets). Each may import only the cunjing packages
// listed with it.
var pureLeaves = map[string][]string{
	"cunjing/store/change":   nil,
	"cunjing/store/winlock":  nil,
	"cunjing/store/cjbak":    nil,
	"cunjing/sync/changeset": {"cunjing/store/change"},
	// the roster's logic and its calendar: no database, no clock
	"cunjing/store/schedule":         {"cunjing/store/schedule/almanac"},
	"cunjing/store/schedule/almanac": nil,
	// the patrol figures: the roster expanded, the patrol log matched
	"cunjing/store/schedule/tally": {"cunjing/store/schedule", "cunjing/store/schedule/almanac"},
	// tracing a scanned hand-drawn map is image code over the map's types
	// (a draft's features are maps.House, maps.Lane, maps.Landmark), with
	// its own pure parts: the recogniser, the numbers' crop and sequence, the homography
	"cunjing/maps/trace": {"cunjing/maps", "cunjing/maps/trace/digits", "cunjing/maps/trace/housenum", "cunjing/maps/trace/homography"},
	// the synced records and their validation: a georeference decodes
	// through maps/geo, a holiday through schedule
	"cunjing/store/record": {"cunjing/maps/...", "cunjing/store/schedule/..."},
	// the table registry over the records: reflection and JSON only
	"cunjing/store/internal/table": {"cunjing/store/record", "cunjing/maps/...", "cunjing/store/schedule/..."},
}

// mayDepend says whether a pure leaf may depend on p: one of its list, or
// under an entry ending in "/...".
func mayDepend(may []string, p string) bool {
	return slices.ContainsFunc(may, func(m string) bool {
		if root, ok := strings.CutSuffix(m, "/..."); ok {
			return under(p, root)
		}
		return m == p
	})
}

func TestPureLeavesLinkNoSQLite(t *testing.T) {
	for leaf, may := range pureLeaves {
		for _, p := range goList(t, 2, "-deps", leaf) {
			if p.ImportPath == "github.com/mattn/go-sqlite3" {
				t.Errorf("%s depends on github.com/mattn/go-sqlite3: it must stay pure (no cgo, no SQLite)", leaf)
			}
			if len(p.CgoFiles) > 0 {
				t.Errorf("%s depends on %s, which uses cgo", leaf, p.ImportPath)
			}
			if strings.HasPrefix(p.ImportPath, "cunjing") && p.ImportPath != leaf && !mayDepend(may, p.ImportPath) {
				t.Errorf("%s depends on %s: it may import only %v of ours", leaf, p.ImportPath, may)
			}
		}
	}
}

// Nothing under store/ or sync/ depends on app, tests and benchmarks
// included: they make demo data with store/demodata, not app/demo.
func TestStoreAndSyncTestsImportNoApp(t *testing.T) {
	for _, p := range goList(t, 20, "-test", "-deps", "cunjing/store/...", "cunjing/sync/...") {
		if !under(p.ImportPath, "cunjing/app") {
			continue
		}
		var by []string
		for _, q := range goList(t, 1, "-test", "cunjing/store/...", "cunjing/sync/...") {
			if slices.Contains(q.Imports, p.ImportPath) {
				by = append(by, q.ImportPath)
			}
		}
		t.Errorf("store's or sync's packages or tests depend on %s (imported by %v): nothing below app imports app", p.ImportPath, by)
	}
}

// storeAbove are the packages under store that sit above its root: uses
// of the store through its exported API (they import it; the root never
// imports them), each with what it owns.
var storeAbove = map[string]string{
	"cunjing/store/backup":            "backups: make, rotate, restore, the backup key",
	"cunjing/store/demodata":          "the demo post's generator",
	"cunjing/store/emergencylog":      "the log of emergency cards opened, a card turned into a patrol record",
	"cunjing/store/ledger":            "household ledgers in and out",
	"cunjing/store/ledger/ledgerfile": "a ledger file read into tables of text cells",
	"cunjing/store/mapdata":           "a village map as records, its georeference, the township map",
	"cunjing/store/printlog":          "the print of a post's village map, door plates or roster recorded, the post's at a station",
	"cunjing/store/rosterdata":        "the roster as schedule input, holidays, patrol figures",
	"cunjing/store/storetest":         "for the tests above the root: a fresh database of a role",
	"cunjing/store/tierdata":          "posts reported on, servers and releases published down the tree",
}

// storeBelow are the packages under store that sit below its root: the
// root may import them, and they never import the root, getting what they
// need from the store through a narrow interface (a query handle, the
// clock, an update function) or as plain values.
var storeBelow = map[string]string{
	"cunjing/store/accounts":       "the PC's local accounts and logging in",
	"cunjing/store/approval":       "the monthly approval: the lock, approving, unlocking, requests, late edits held back",
	"cunjing/store/change":         "a field change and its HLC (pure)",
	"cunjing/store/cjbak":          "the encrypted backup file (pure)",
	"cunjing/store/clock":          "the wall-clock seam",
	"cunjing/store/dbfile":         "what makes a file a cunjing database: its header, application_id, a whole file verified",
	"cunjing/store/dbwatch":        "learning that another connection wrote the file (PRAGMA data_version)",
	"cunjing/store/dump":           "the canonical dump of a database",
	"cunjing/store/gpkg":           "GeoPackage export and reader",
	"cunjing/store/heldnewer":      "the changes held aside for a newer version (held_newer)",
	"cunjing/store/history":        "the change log read for people: a record's edits, door numbers changed",
	"cunjing/store/householdlist":  "the household list: filter, search, order, page, the figures of a row",
	"cunjing/store/internal/table": "the table registry: the record structs as tables and columns",
	"cunjing/store/migrations":     "the schema's history: the numbered SQL migrations, applied in order",
	"cunjing/store/postcounts":     "the per-post counts of dashboards and the month report",
	"cunjing/store/record":         "the synced records and their validation (pure)",
	"cunjing/store/schedule":       "the roster's logic and calendar (pure)",
	"cunjing/store/schedule/tally": "the patrol figures: planned against done (pure)",
	"cunjing/store/search":         "the search's rules (pure)",
	"cunjing/store/searchindex":    "the search index in the database",
	"cunjing/store/syncbook":       "the sync engine's bookkeeping",
	"cunjing/store/tracedrafts":    "the drafts of traced village maps, local to the PC",
	"cunjing/store/winlock":        "the one-window lock on a database file, the shared holds of node, sync and exchange that refuse a restore, and a backup folder's",
}

// syncAbove are the packages under sync that sit above its root: the
// carriers and views built on the engine (they import it; the root never
// imports them), each with what it owns.
var syncAbove = map[string]string{
	"cunjing/sync/bep":      "the BEP transport over TLS: sessions, index, puller, LAN, relays and discovery",
	"cunjing/sync/exchange": "the exchange folder (USB sticks, shared drives) watched with fsnotify",
	"cunjing/sync/station":  "the station's and the county's views of their posts, publishing down",
	"cunjing/sync/synctest": "for the tests above the root: devices of a role, paired, changes carried",
}

// syncBelow are the packages under sync that sit below its root: the
// engine imports them and they never import it, getting what only the
// engine knows through an interface they declare (heal.Host,
// shortpair.Pairer) or as plain values (status.Input).
var syncBelow = map[string]string{
	"cunjing/sync/admit":      "the ownership rule of the receive path: what a changeset's origin may write here, the published tables",
	"cunjing/sync/changeset":  "the changeset, blob and receipt files (pure)",
	"cunjing/sync/errno":      "a system error matched by its number, Windows' numbers named (imports none of ours)",
	"cunjing/sync/heal":       "healing splits: chains refused and taken up, notes, clocks, copies kept and written back",
	"cunjing/sync/identity":   "device identity and pairing codes",
	"cunjing/sync/quarantine": "a paired device's files that fail verification: out of the folder, counted, the device paused",
	"cunjing/sync/release":    "signed release manifests (pure)",
	"cunjing/sync/safefile":   "reading and writing in folders others write to",
	"cunjing/sync/shortpair":  "short pairing codes: shown, typed in, proved on the first connection",
	"cunjing/sync/status":     "the sync state in numbers and in words",
}

// side is the entry of above or below a package belongs to (the longest
// that holds it; "" for none) and whether it is above the root.
func side(p string, above, below map[string]string) (pkg string, isAbove bool) {
	for l := range above {
		if under(p, l) && len(l) > len(pkg) {
			pkg, isAbove = l, true
		}
	}
	for l := range below {
		if under(p, l) && len(l) > len(pkg) {
			pkg, isAbove = l, false
		}
	}
	return pkg, isAbove
}

// Every package under store sits on one side of its root, listed with what
// it owns in storeAbove or storeBelow and named in docs/ARCHITECTURE.md;
// the arrows run one way across the root.
func TestStoreLayers(t *testing.T) {
	testSides(t, "cunjing/store", storeAbove, storeBelow, 10)
}

// So does every package under sync, in syncAbove or syncBelow.
func TestSyncLayers(t *testing.T) {
	testSides(t, "cunjing/sync", syncAbove, syncBelow, 8)
}

// testSides checks the packages under root against their sides: each on
// one side, named in docs/ARCHITECTURE.md, the root importing none above
// it and none below it importing the root or a package above it.
func testSides(t *testing.T, root string, above, below map[string]string, least int) {
	t.Helper()
	name := strings.TrimPrefix(root, "cunjing/")
	doc, err := os.ReadFile(filepath.Join("..", "docs", "ARCHITECTURE.md"))
	if err != nil {
		t.Fatal(err)
	}
	for l := range above {
		if _, ok := below[l]; ok {
			t.Errorf("%s is listed both above and below %s's root", l, name)
		}
	}
	for _, m := range []map[string]string{above, below} {
		for l := range m {
			if n := strings.TrimPrefix(l, "cunjing/"); !bytes.Contains(doc, []byte(n+" ")) && !bytes.Contains(doc, []byte(n+"`")) {
				t.Errorf("%s is not named in docs/ARCHITECTURE.md", n)
			}
		}
	}
	for _, p := range goList(t, least, root+"/...") {
		if p.ImportPath == root {
			for _, imp := range p.Imports {
				if l, isAbove := side(imp, above, below); l != "" && isAbove {
					t.Errorf("%s's root imports %s, which sits above it", name, imp)
				}
			}
			continue
		}
		l, isAbove := side(p.ImportPath, above, below)
		if l == "" {
			t.Errorf("%s is on no side of %s's root: list it, with what it owns, above or below it (arch_test.go) and name it in docs/ARCHITECTURE.md", p.ImportPath, name)
			continue
		}
		for _, imp := range p.Imports {
			if imp == root && !isAbove {
				t.Errorf("%s imports %s's root: a package below it gets what it needs through a narrow interface or as plain values (or, a use of the root, is listed above it)", p.ImportPath, name)
			}
			if il, iabove := side(imp, above, below); il != "" && iabove && !isAbove {
				t.Errorf("%s (below %s's root) imports %s, which sits above it", p.ImportPath, name, imp)
			}
		}
	}
}

// storeSQL are store's exported functions whose argument is SQL (a WHERE
// tail): for store's own sub-packages above its root, never for the
// window, the command line, sync or print (the UI never writes SQL).
var storeSQL = []string{"List", "Live", "LiveTx"}

func TestOnlyStoreWritesSQL(t *testing.T) {
	for _, p := range goList(t, 20, "cunjing/...") {
		if under(p.ImportPath, "cunjing/store") {
			continue
		}
		for _, f := range slices.Concat(p.GoFiles, p.TestGoFiles, p.XTestGoFiles) {
			path := filepath.Join(p.Dir, f)
			file, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			name := ""
			for _, imp := range file.Imports {
				if imp.Path.Value == `"cunjing/store"` {
					name = "store"
					if imp.Name != nil {
						name = imp.Name.Name
					}
				}
			}
			if name == "" {
				continue
			}
			ast.Inspect(file, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok {
					if x, ok := sel.X.(*ast.Ident); ok && x.Name == name && slices.Contains(storeSQL, sel.Sel.Name) {
						t.Errorf("%s calls store.%s, whose argument is SQL: only store's sub-packages may", path, sel.Sel.Name)
					}
				}
				return true
			})
		}
	}
}
