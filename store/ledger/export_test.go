package ledger

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"cunjing/store"
	"cunjing/store/demodata"
)

func demoStore(t *testing.T) *store.Store {
	t.Helper()
	s, _ := newStore(t)
	err := demodata.Fill(context.Background(), s, demodata.Options{Houses: 40, Venues: 2, Today: time.Date(2026, 3, 1, 0, 0, 0, 0, time.Local)})
	if err != nil {
		t.Fatalf("demo: %v", err)
	}
	return s
}

// An exported workbook imports back into the same post without a single
// change, with full or masked ID numbers, and into an empty post as the
// same households and people.
func TestExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := demoStore(t)
	counts, _ := s.Counts(ctx, "")
	t.Logf("demo: %d households, %d residents", counts.Households, counts.Residents)
	for _, show := range []bool{true, false} {
		var buf bytes.Buffer
		sum, err := Export(ctx, s, &buf, ExportOptions{ShowIDs: show})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Households != counts.Households || sum.Residents != counts.Residents {
			t.Fatalf("exported %+v, store has %d households, %d residents", sum, counts.Households, counts.Residents)
		}
		f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("居民台账")
		f.Close()
		idCol := -1
		for i, h := range rows[0] {
			if h == "身份证号" {
				idCol = i
			}
		}
		masked, full := 0, 0
		for _, r := range rows[1:] {
			if idCol < len(r) && r[idCol] != "" {
				if strings.Contains(r[idCol], "*") {
					masked++
				} else {
					full++
				}
			}
		}
		if show && (masked != 0 || full == 0) || !show && (full != 0 || masked == 0) {
			t.Fatalf("showIDs=%v: %d masked, %d full ID numbers", show, masked, full)
		}

		before := changeCount(t, s)
		p, rep := importBytes(t, s, "export.xlsx", buf.Bytes(), Options{})
		if rep.Added != 0 || rep.Updated != 0 || len(rep.Skipped) != 0 || len(rep.Merged) != 0 || rep.HouseholdsAdded != 0 || rep.HouseholdsUpdated != 0 {
			for _, r := range p.Rows {
				if r.Action != ActUnchanged {
					t.Logf("row %+v", r)
				}
			}
			t.Fatalf("showIDs=%v: re-import report %+v", show, rep)
		}
		if got := changeCount(t, s); got != before {
			t.Fatalf("showIDs=%v: re-import logged %d changes", show, got-before)
		}
	}

	// Into an empty post with the same villages.
	var buf bytes.Buffer
	if _, err := Export(ctx, s, &buf, ExportOptions{ShowIDs: true}); err != nil {
		t.Fatal(err)
	}
	vs, _ := s.Villages(ctx)
	names := make([]string, len(vs))
	for i, v := range vs {
		names[i] = v.Name
	}
	fresh, _ := newStore(t, names...)
	_, rep := importBytes(t, fresh, "export.xlsx", buf.Bytes(), Options{})
	c2, _ := fresh.Counts(ctx, "")
	if c2.Households != counts.Households || c2.Residents != counts.Residents || len(rep.Skipped) != 0 {
		t.Fatalf("fresh import: %d households, %d residents (want %d, %d); report %+v", c2.Households, c2.Residents, counts.Households, counts.Residents, rep)
	}
	var again bytes.Buffer
	if _, err := Export(ctx, fresh, &again, ExportOptions{ShowIDs: true}); err != nil {
		t.Fatal(err)
	}
	a, b := sheetRows(t, buf.Bytes()), sheetRows(t, again.Bytes())
	if len(a) != len(b) {
		t.Fatalf("re-export has %d rows, first export %d", len(b), len(a))
	}
	for i := range a {
		if strings.Join(a[i], "|") != strings.Join(b[i], "|") {
			t.Fatalf("row %d differs:\n%q\n%q", i+1, a[i], b[i])
		}
	}
}

func sheetRows(t *testing.T, data []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("居民台账")
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestHouseFiles(t *testing.T) {
	ctx := context.Background()
	s := demoStore(t)
	v, err := s.VillageByName(ctx, "张庄村")
	if err != nil {
		t.Fatal(err)
	}
	all, err := HouseFiles(ctx, s, v.ID, "")
	if err != nil || len(all) == 0 {
		t.Fatalf("house files: %v (%d)", err, len(all))
	}
	for i := 1; i < len(all); i++ {
		if doorLess(all[i].HouseNumber, all[i-1].HouseNumber) {
			t.Fatalf("house files out of order: %q before %q", all[i-1].HouseNumber, all[i].HouseNumber)
		}
	}
	one, err := HouseFiles(ctx, s, v.ID, all[3].HouseNumber)
	if err != nil || len(one) == 0 || one[0].HouseNumber != all[3].HouseNumber {
		t.Fatalf("house %s: %v %+v", all[3].HouseNumber, err, one)
	}
	if _, err := HouseFiles(ctx, s, v.ID, "no-such-house"); err == nil {
		t.Fatal("an unknown house number gave no error")
	}
}

func TestDoorLess(t *testing.T) {
	in := []string{"10", "2", "203-1", "附1", "203", "", "3"}
	want := []string{"2", "3", "10", "203", "203-1", "附1", ""}
	got := append([]string(nil), in...)
	for i := 1; i < len(got); i++ {
		for j := i; j > 0 && doorLess(got[j], got[j-1]); j-- {
			got[j], got[j-1] = got[j-1], got[j]
		}
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("sorted %q, want %q", got, want)
	}
}
