package ledger

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"cunjing/store"
)

// testDir prefers tmpfs: the store fsyncs every commit.
func testDir(t testing.TB) string {
	t.Helper()
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		if d, err := os.MkdirTemp("/dev/shm", "cunjing-ledger-"); err == nil {
			t.Cleanup(func() { os.RemoveAll(d) })
			return d
		}
	}
	return t.TempDir()
}

func newStore(t testing.TB, villages ...string) (*store.Store, []store.Village) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Create(ctx, filepath.Join(testDir(t), "t.db"), store.Identity{DeviceID: "TEST-DEVICE", Role: store.RolePost, Name: "测试警务室"}, store.Options{})
	if err != nil {
		t.Fatalf("create store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	var vs []store.Village
	for _, n := range villages {
		v := store.Village{Name: n, Township: "城关镇"}
		if err := s.Save(ctx, &v); err != nil {
			t.Fatalf("save village: %v", err)
		}
		vs = append(vs, v)
	}
	return s, vs
}

// mkID builds a valid 18-character ID number.
func mkID(t testing.TB, area, birth string, seq int) string {
	t.Helper()
	first := fmt.Sprintf("%s%s%03d", area, birth, seq)
	c, err := store.IDCheckChar(first)
	if err != nil {
		t.Fatalf("mkID %s: %v", first, err)
	}
	return first + string(c)
}

// xlsxSheet is a sheet to write: rows of cells and merged ranges
// ("A1:L1"). A cell value that is a float64 is written as a number.
type xlsxSheet struct {
	name   string
	rows   [][]any
	merges [][2]string
}

func writeXLSX(t testing.TB, sheets ...xlsxSheet) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(sh.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range sh.rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(sh.name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
		for _, m := range sh.merges {
			if err := f.MergeCell(sh.name, m[0], m[1]); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func row(cells ...any) []any { return cells }

// importBytes previews and commits a file with the suggested mapping.
func importBytes(t testing.TB, s *store.Store, name string, data []byte, opt Options) (*Plan, Report) {
	t.Helper()
	ctx := context.Background()
	tables, err := Read(name, data)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	tb := Best(tables)
	p, err := Preview(ctx, s, tb, Suggest(tb), opt)
	if err != nil {
		t.Fatalf("preview %s: %v", name, err)
	}
	rep, err := Commit(ctx, s, p)
	if err != nil {
		t.Fatalf("commit %s: %v", name, err)
	}
	return p, rep
}

func changeCount(t testing.TB, s *store.Store) int {
	t.Helper()
	c, err := s.Counts(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	return c.Changes
}

// cfbMagic begins an old .xls (a compound file), which Read refuses.
var cfbMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
