package ledgerfile

import (
	"errors"
	"strings"
	"testing"
)

// FuzzReadWithinBounds reads arbitrary bytes as a workbook and as text
// under small bounds: an error or tables, never a panic, and what it
// returns holds to the bounds (rows, and rows × columns within the
// cells: a wide row over many rows was a grid of billions of cells), each
// row as wide as its header, its line numbers rising.
func FuzzReadWithinBounds(f *testing.F) {
	f.Add([]byte("姓名,电话\n张三,13800000000\n"), false)
	f.Add([]byte("姓名,电话"+strings.Repeat(",", 40)+"备注\n张三\n李四\n"), false)
	f.Add([]byte("\xff\xfe\x1cY\x0dT\t\x00"), false)
	f.Add([]byte("\"a\"\"b\",c;d\te\n\n\n x ,\"\n"), false)
	f.Add(bombSheets(f, 2, 3), true)
	f.Add(wideXLSX(f, "XFD", 3, "B1:XFD1"), true)
	f.Add(append(append([]byte{}, cfbMagic...), encInfo16...), true)
	lim := limits{rows: 50, unpacked: 1 << 20, cells: 400, tags: 20000}
	f.Fuzz(func(t *testing.T, data []byte, xlsx bool) {
		name := "f.csv"
		if xlsx {
			name = "f.xlsx"
		}
		tables, err := read(name, data, anyHeader, lim)
		if err != nil {
			for _, known := range []error{ErrXLS, ErrHTMLXLS, ErrPassword, ErrDamaged, ErrEncoding, ErrEmpty, ErrTooLarge, ErrUnsupported} {
				if errors.Is(err, known) {
					return
				}
			}
			t.Fatalf("an error with no advice: %v", err)
		}
		rows, cells := 0, 0
		for _, tb := range tables {
			if len(tb.Groups) != len(tb.Headers) {
				t.Fatalf("%d groups for %d headers", len(tb.Groups), len(tb.Headers))
			}
			last := tb.HeaderLine
			for _, r := range tb.Rows {
				if len(r.Cells) != len(tb.Headers) {
					t.Fatalf("row %d has %d cells, header %d", r.Line, len(r.Cells), len(tb.Headers))
				}
				if r.Line <= last {
					t.Fatalf("row %d after row %d", r.Line, last)
				}
				last = r.Line
			}
			rows += len(tb.Rows)
			cells += len(tb.Rows) * len(tb.Headers)
		}
		if rows > lim.rows || cells > lim.cells {
			t.Fatalf("%d rows, %d cells read, bounds %d and %d", rows, cells, lim.rows, lim.cells)
		}
	})
}
