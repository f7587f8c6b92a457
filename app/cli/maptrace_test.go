package cli_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cunjing/app/cli/clitest"
	"cunjing/app/cli/mapcmd"
	"cunjing/app/scantrace"
	"cunjing/store"
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
	if len(got.Lanes) == 0 || got.Lanes[0].WidthM <= 0 || len(got.Lanes[0].Px) < 2 {
		t.Errorf("lanes %+v: want the sheet's lanes with widths in metres", got.Lanes)
	}
	ponds := 0
	for _, l := range got.Landmarks {
		if l.Kind == "pond" {
			ponds++
		}
	}
	if ponds != 2 {
		t.Errorf("landmarks %+v: want the sheet's two ponds among them", got.Landmarks)
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
		{[]string{"--db", db, "--village", "x", sheet}, "no such file"},
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

// Without --dry-run the proposal is kept as the village's draft on this
// PC (a new name makes the village), and no house is saved before the
// officer accepts it in the editor; a second trace replaces the draft.
func TestCLIMapTraceSavesDraft(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sheet := filepath.Join("..", "..", "maps", "trace", "testdata", "sheet-2.jpg")
	db := clitest.DemoDB(t)
	houses := func() string {
		var info map[string]any
		if err := json.Unmarshal([]byte(clitest.MustRun(t, "info", "--db", db, "--json")), &info); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(info["houses"], " houses, ", info["villages"], " villages")
	}
	before := houses()
	out := clitest.MustRun(t, "map", "trace", "--db", db, "--village", "新庄村", sheet, "--px-per-m", "4.2")
	if !strings.Contains(out, "new village; saved as the draft of 新庄村") {
		t.Fatalf("output: %s", out)
	}
	var got mapcmd.TraceJSON
	if err := json.Unmarshal([]byte(clitest.MustRun(t, "map", "trace", "--db", db, "--village", "新庄村", sheet, "--json")), &got); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	v, err := st.VillageByName(ctx, "新庄村")
	if err != nil {
		t.Fatal(err)
	}
	d, rec, err := scantrace.Load(ctx, st, v.ID)
	if err != nil || d == nil {
		t.Fatalf("draft: %v", err)
	}
	if len(d.Houses) != len(got.Houses) || d.PxPerM != 0 || rec.Source != "sheet-2.jpg" {
		t.Errorf("the second trace (no scale) did not replace the draft: %d houses, %v px/m, from %q", len(d.Houses), d.PxPerM, rec.Source)
	}
	if ok, _ := st.HasBlob(ctx, rec.ImageHash); !ok {
		t.Error("the scan was not kept with the draft")
	}
	if after := houses(); after != "384 houses, 3 villages" || before != "384 houses, 2 villages" {
		t.Errorf("before %s, after %s: want one more village and no new house", before, after)
	}
}
