package app

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cunjing/store"
)

// run calls the CLI as a script would and returns stdout, stderr and the
// exit code.
func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	// Backup passphrases are wrapped at scrypt 2^10, not the real 2^18:
	// the backup tests set and check one dozens of times.
	code := Run(context.Background(), args, &Env{Stdout: &out, Stderr: &errb, StoreOptions: store.Options{BackupWorkFactor: 10}})
	return out.String(), errb.String(), code
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, errs, code := run(t, args...)
	if code != 0 {
		t.Fatalf("cunjing %s: exit %d: %s", strings.Join(args, " "), code, errs)
	}
	return out
}

func demoDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "post.db")
	mustRun(t, "demo", "--db", db, "--seed", "7", "--today", "2026-11-24")
	return db
}

func TestCLIContracts(t *testing.T) {
	db := demoDB(t)

	var info map[string]any
	if err := json.Unmarshal([]byte(mustRun(t, "info", "--db", db, "--json")), &info); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"houses", "households", "residents", "teams", "members", "shift_rules", "patrols", "venues", "cost_items", "schema_version", "device_id"} {
		if _, ok := info[k]; !ok {
			t.Errorf("info --json lacks %q", k)
		}
	}
	if info["houses"].(float64) < 300 || info["residents"].(float64) < 800 || info["teams"].(float64) != 3 || info["shift_rules"].(float64) != 4 {
		t.Errorf("demo is not the ordinary demo post: %v", info)
	}
	// Every resident belongs to a household that exists.
	rows := mustRun(t, "dump", "--db", db)
	households := map[string]bool{}
	for _, l := range strings.Split(rows, "\n") {
		if f := strings.Split(l, "\t"); len(f) == 5 && f[0] == "households" {
			households[f[1]] = true
		}
	}
	residents, linked := map[string]bool{}, 0
	for _, l := range strings.Split(rows, "\n") {
		f := strings.Split(l, "\t")
		if len(f) != 5 || f[0] != "residents" {
			continue
		}
		residents[f[1]] = true
		if f[2] == "household_id" {
			linked++
			if id := strings.Trim(f[3], `"`); !households[id] {
				t.Fatalf("resident %s points to missing household %q", f[1], id)
			}
		}
	}
	if linked != len(residents) || linked == 0 {
		t.Fatalf("%d of %d residents have a household", linked, len(residents))
	}

	// Dump is deterministic for one database.
	if a, b := mustRun(t, "dump", "--db", db), mustRun(t, "dump", "--db", db); a != b || len(a) == 0 {
		t.Fatal("dump is not deterministic")
	}
	owner := info["device_id"].(string)
	if got := mustRun(t, "dump", "--db", db, "--owner", "NOBODY"); strings.Contains(got, owner) {
		t.Fatal("--owner does not filter")
	}

	var hits []map[string]any
	json.Unmarshal([]byte(mustRun(t, "locate", "--db", db, "--village", "张庄村", "203", "--json")), &hits)
	if len(hits) == 0 || hits[0]["number"] != "203" {
		t.Fatalf("locate 203: %v", hits)
	}
	for _, k := range []string{"number", "name", "x", "y"} {
		if _, ok := hits[0][k]; !ok {
			t.Errorf("locate --json lacks %q", k)
		}
	}

	var route map[string]any
	json.Unmarshal([]byte(mustRun(t, "route", "--db", db, "--village", "张庄村", "--to", "203", "--json")), &route)
	for _, k := range []string{"reachable", "length_m", "stop", "hose_m", "water", "steps", "lanes"} {
		if _, ok := route[k]; !ok {
			t.Errorf("route --json lacks %q", k)
		}
	}
	if l, _ := route["lanes"].([]any); len(l) == 0 || l[0].(map[string]any)["width_m"] == nil {
		t.Errorf("route --json lanes: %v", route["lanes"])
	}
	// A vehicle wider than every lane cannot drive in, but the answer
	// still says where it stops, the hose from there and the water.
	route = nil
	json.Unmarshal([]byte(mustRun(t, "route", "--db", db, "--village", "张庄村", "--to", "203", "--width", "15", "--json")), &route)
	if route["reachable"] != false || route["stop"] == nil || route["hose_m"] == 0.0 {
		t.Errorf("15 m engine to house 203: %v", route)
	}
	if w, _ := route["water"].([]any); len(w) == 0 {
		t.Errorf("unreachable route names no water: %v", route)
	}
	if text := mustRun(t, "route", "--db", db, "--village", "张庄村", "--to", "203", "--width", "15"); !strings.Contains(text, "到203号的水带距离") || strings.Count(text, "开不进") != 1 {
		t.Errorf("unreachable sentence: %s", text)
	}

	var slots []map[string]any
	json.Unmarshal([]byte(mustRun(t, "roster", "--db", db, "--from", "2026-12-01", "--to", "2026-12-31", "--json")), &slots)
	kinds := map[string]int{}
	for _, s := range slots {
		for _, k := range []string{"date", "start", "end", "kind", "rule", "team", "people"} {
			if _, ok := s[k]; !ok {
				t.Fatalf("roster slot lacks %q: %v", k, s)
			}
		}
		kinds[s["kind"].(string)]++
	}
	// 31 daily patrols, 31 duty days, two posts on each of the 8 Mondays and
	// Fridays of December 2026, market days.
	if kinds["patrol"] != 31 || kinds["duty"] != 31 || kinds["school_gate"] != 16 || kinds["market"] < 8 {
		t.Errorf("December roster: %v", kinds)
	}

	pdf := filepath.Join(t.TempDir(), "roster.pdf")
	mustRun(t, "print", "roster", "--db", db, "--month", "2026-12", "--out", pdf)
	if b, err := os.ReadFile(pdf); err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Fatalf("roster PDF: %v", err)
	}
}

func TestCLIMapRoundTripAndBackup(t *testing.T) {
	db := demoDB(t)
	dir := t.TempDir()
	gj := filepath.Join(dir, "v.geojson")
	mustRun(t, "map", "export", "--db", db, "--village", "张庄村", "--out", gj, "--local")
	fresh := filepath.Join(dir, "fresh.db")
	mustRun(t, "demo", "--db", fresh, "--houses", "20")
	var rep map[string]any
	json.Unmarshal([]byte(mustRun(t, "map", "import", "--db", fresh, "--village", "张庄村副本", gj, "--json")), &rep)
	if rep["houses"].(float64) < 300 || len(rep["skipped"].([]any)) != 0 {
		t.Fatalf("import report: %v", rep)
	}
	again := filepath.Join(dir, "again.geojson")
	mustRun(t, "map", "export", "--db", fresh, "--village", "张庄村副本", "--out", again, "--local")
	var a, b struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	ra, _ := os.ReadFile(gj)
	rb, _ := os.ReadFile(again)
	json.Unmarshal(ra, &a)
	json.Unmarshal(rb, &b)
	if len(a.Features) != len(b.Features) {
		t.Fatalf("round trip: %d features, then %d", len(a.Features), len(b.Features))
	}

	// Bad input leaves the saved map as it was.
	before := mustRun(t, "dump", "--db", fresh)
	bad := filepath.Join(dir, "bad.geojson")
	os.WriteFile(bad, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[0,0],[0,0]]]},"properties":{"kind":"house","number":"1"}}`), 0o644)
	if _, _, code := run(t, "map", "import", "--db", fresh, "--village", "张庄村副本", bad); code == 0 {
		t.Fatal("truncated GeoJSON accepted")
	}
	if mustRun(t, "dump", "--db", fresh) != before {
		t.Fatal("a failed import changed the database")
	}

	// Backup and restore through the CLI.
	t.Setenv(backupPassEnv, "map round trip")
	usb := filepath.Join(dir, "usb")
	var bk map[string]any
	json.Unmarshal([]byte(mustRun(t, "backup", "--db", db, "--to", usb, "--json")), &bk)
	want := mustRun(t, "dump", "--db", db)
	mustRun(t, "map", "import", "--db", db, "--village", "又一村", gj)
	mustRun(t, "restore", "--db", db, bk["path"].(string))
	if mustRun(t, "dump", "--db", db) != want {
		t.Fatal("restore did not bring the backup back")
	}
}

func TestCLIBadInput(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.txt")
	os.WriteFile(notDB, []byte(strings.Repeat("这不是数据库\n", 40)), 0o644)
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"info", "--json"}, 2, "--db PATH is required"},
		{[]string{"info", "--db", notDB}, 1, "not a cunjing database"},
		{[]string{"info", "--db", filepath.Join(dir, "missing.db")}, 1, "no such file"},
		{[]string{"nosuch"}, 2, "unknown command"},
		{[]string{"demo", "--db", notDB}, 1, "already exists"},
		{[]string{"demo", "--db", filepath.Join(dir, "x.db"), "--houses", "5"}, 1, "houses must be between"},
		{[]string{"roster", "--db", notDB, "--from", "2026-02-30", "--to", "2026-03-01"}, 2, "--from"},
		{[]string{"print", "nosuch"}, 2, "unknown print"},
	}
	for _, tt := range tests {
		_, errs, code := run(t, tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.msg) {
			t.Errorf("cunjing %v: exit %d, %q; want exit %d with %q", tt.args, code, errs, tt.code, tt.msg)
		}
	}
	if b, _ := os.ReadFile(notDB); !strings.HasPrefix(string(b), "这不是数据库") {
		t.Fatal("a command changed a file that is not ours")
	}
}

// TestCLIOpensFiles: a first argument that names no command but a file
// (what a double-clicked backup or pairing-code file runs) goes to the
// window; one cunjing does not open, or that is not there, is said in
// Chinese, never "unknown command"; commands still win.
func TestCLIOpensFiles(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "台账.docx")
	os.WriteFile(doc, []byte("x"), 0o644)
	os.Mkdir(filepath.Join(dir, "旧备份.cjbak"), 0o755)
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{doc}, 2, "村警通打不开这个文件"},
		{[]string{filepath.Join(dir, "旧备份.cjbak")}, 2, "村警通打不开这个文件"},
		{[]string{filepath.Join(dir, "没有.cjbak")}, 2, "找不到这个文件"},
		{[]string{"--db", filepath.Join(dir, "x.db"), filepath.Join(dir, "没有.cjpair")}, 2, "找不到这个文件"},
		{[]string{"--lang", "en", doc}, 2, "Cunjing cannot open this file"},
		{[]string{"--db", filepath.Join(dir, "x.db"), doc, doc}, 2, "give one file to open"},
		{[]string{"nosuch"}, 2, "unknown command"},
	}
	for _, tt := range tests {
		_, errs, code := run(t, tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.msg) {
			t.Errorf("cunjing %v: exit %d, %q; want exit %d with %q", tt.args, code, errs, tt.code, tt.msg)
		}
		if strings.Contains(errs, "unknown command") != (tt.args[0] == "nosuch") {
			t.Errorf("cunjing %v: %q", tt.args, errs)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x.db")); err == nil {
		t.Error("a refused file still created the database")
	}
}

func TestLooksLikeFile(t *testing.T) {
	dir := t.TempDir()
	bare := filepath.Join(dir, "backup")
	os.WriteFile(bare, nil, 0o644)
	t.Chdir(t.TempDir()) // app/ has folders named like commands (demo/, emergency/)
	for _, c := range commands() {
		if looksLikeFile(c.name) {
			t.Errorf("command %q looks like a file", c.name)
		}
	}
	tests := []struct {
		arg  string
		want bool
	}{
		{"x.cjbak", true},
		{`D:\备份\x`, true},
		{"./demo", true},
		{bare, true},
		{"nosuch", false},
		{"help", false},
	}
	for _, tt := range tests {
		if got := looksLikeFile(tt.arg); got != tt.want {
			t.Errorf("looksLikeFile(%q) = %v", tt.arg, got)
		}
	}
}
