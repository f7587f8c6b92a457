package cli_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cunjing/app/cli/clitest"
	"cunjing/maps/route"
	"cunjing/store"
	"cunjing/store/mapdata"
)

func TestCLIPrintMap(t *testing.T) {
	t.Parallel()
	db := clitest.DemoDB(t)
	dir := t.TempDir()
	ctx := context.Background()
	s, err := store.Open(ctx, db, store.Options{SkipIntegrityCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.VillageByName(ctx, "张庄村")
	if err != nil {
		t.Fatal(err)
	}
	mv, err := mapdata.Load(ctx, s, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	target := mv.Houses[len(mv.Houses)/2].Number
	res, err := route.Find(mv, route.Options{To: target})
	if err != nil {
		t.Fatal(err)
	}

	pdf := filepath.Join(dir, "map.pdf")
	// Printed by a clock at 23:30 UTC on 28 February: 1 March in Beijing.
	at := store.Options{Now: func() time.Time { return time.Date(2027, 2, 28, 23, 30, 0, 0, time.UTC) }}
	_, errs, code := clitest.RunWith(t, at, "print", "map", "--db", db, "--village", "张庄村", "--out", pdf, "--paper", "a4", "--route", target)
	if code != 0 {
		t.Fatalf("print map: exit %d: %s", code, errs)
	}
	if !strings.Contains(errs, "A4") || !strings.Contains(errs, "map page") {
		t.Errorf("print map says %q", errs)
	}
	b, err := os.ReadFile(pdf)
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Fatalf("map PDF: %v", err)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		text, err := exec.Command("pdftotext", pdf, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(text), "2027年3月1日") {
			t.Errorf("the sheet is not dated 2027年3月1日 (its clock's Beijing day)")
		}
		// The route, its legend and the water sources its sentence names
		// (ringed on the map) are on the sheet.
		want := []string{"张庄村", target, "消防车路线", "停车点", "最近水源"}
		for _, w := range res.NamedWater() {
			want = append(want, w.Name)
		}
		for _, w := range want {
			if !strings.Contains(string(text), w) {
				t.Errorf("map sheet text lacks %q", w)
			}
		}
	}
	s, err = store.Open(ctx, db, store.Options{SkipIntegrityCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := s.PrintRecords(ctx)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Kind != "map" || recs[0].Template != "张庄村" || !strings.HasPrefix(recs[0].Size, "A4") {
		t.Fatalf("print records: %+v", recs)
	}

	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"print", "map", "--db", db, "--village", "张庄村"}, 2, "--out FILE.pdf is required"},
		{[]string{"print", "map", "--db", db, "--village", "张庄村", "--out", pdf, "--paper", "B5"}, 2, "--paper"},
		{[]string{"print", "map", "--db", db, "--village", "张庄村", "--out", pdf, "--scale", "-5"}, 2, "--scale"},
		{[]string{"print", "map", "--db", db, "--village", "无此村", "--out", pdf}, 1, "no village named"},
		{[]string{"print", "map", "--db", db, "--out", pdf}, 2, "--village NAME is required"},
		{[]string{"print", "map", "--db", db, "--village", "张庄村", "--out", pdf, "--route", "no-such-9"}, 1, "no house has that number"},
		{[]string{"print", "map", "--db", db, "--village", "张庄村", "--out", pdf, "--base"}, 1, "no base map"},
		{[]string{"print", "map", "--db", db, "--village", "张庄村", "--out", filepath.Join(dir, "nope", "x.pdf")}, 1, "nope"},
	}
	for _, tt := range tests {
		_, errs, code := clitest.Run(t, tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.msg) {
			t.Errorf("cunjing %v: exit %d, %q; want exit %d with %q", tt.args, code, errs, tt.code, tt.msg)
		}
	}
	if b2, _ := os.ReadFile(pdf); !bytes.Equal(b, b2) {
		t.Error("a failed print changed the earlier PDF")
	}
}
