package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cunjing/app/cli/clitest"
	"cunjing/app/cli/mapcmd"
)

func TestCLIMapTrace(t *testing.T) {
	t.Parallel()
	sheet := filepath.Join("..", "..", "maps", "trace", "testdata", "sheet-1.jpg")
	db := filepath.Join(t.TempDir(), "c.db")
	out, errs, code := clitest.Run(t, "map", "trace", "--db", db, "--village", "东王庄", sheet, "--px-per-m", "4.2", "--dry-run", "--json")
	if code != 0 {
		t.Fatalf("map trace: exit %d: %s", code, errs)
	}
	var got mapcmd.TraceJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(got.Houses) < 25 || got.PxPerM != 4.2 {
		t.Fatalf("proposal: %d houses, %v px/m", len(got.Houses), got.PxPerM)
	}
	unread := 0
	for _, h := range got.Houses {
		if len(h.OutlinePx) < 4 || h.Confidence < 0 || h.Confidence > 1 {
			t.Fatalf("house %+v", h)
		}
		if h.Number == "" {
			unread++
		}
	}
	if got.Unread != unread || unread == len(got.Houses) {
		t.Errorf("unread %d, %d houses without a number of %d: the count must be real and some numbers read", got.Unread, unread, len(got.Houses))
	}
	if !strings.Contains(out, `"lanes":[]`) {
		t.Errorf("lanes should be an empty list: %s", out[:200])
	}
	if len(got.Landmarks) != 2 || got.Landmarks[0].Kind != "pond" {
		t.Errorf("landmarks %+v: want the sheet's two ponds", got.Landmarks)
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("a dry run created the database")
	}

	bad := filepath.Join(t.TempDir(), "bad.jpg")
	if err := os.WriteFile(bad, []byte("not a map"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--db", db, "--village", "x", sheet}, "--dry-run"},
		{[]string{"--db", db, "--village", "x", bad, "--dry-run"}, "not a JPEG or PNG"},
		{[]string{"--db", db, sheet, "--dry-run"}, "--village"},
		{[]string{"--db", db, "--village", "x", sheet, "--dry-run", "--px-per-m", "-3"}, "--px-per-m"},
	} {
		_, errs, code := clitest.Run(t, append([]string{"map", "trace"}, tc.args...)...)
		if code == 0 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, %q; want an error naming %q", tc.args, code, errs, tc.want)
		}
	}
}
