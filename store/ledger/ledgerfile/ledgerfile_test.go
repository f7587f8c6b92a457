package ledgerfile

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// anyHeader scores a row by its non-empty cells, so the first full row is
// the header.
func anyHeader(row []string) int {
	n := 0
	for _, c := range row {
		if c != "" {
			n++
		}
	}
	return n
}

// bombXLSX is a minimal workbook whose one sheet repeats a row n times:
// megabytes of XML in a few kilobytes of zip.
func bombXLSX(t *testing.T, n int) []byte { return bombSheets(t, 1, n) }

// bombSheets is a minimal workbook of sheets sheets, each its own part
// repeating a row n times.
func bombSheets(t testing.TB, sheets, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	part := func(name, body string) {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	var types, list, rels strings.Builder
	for i := 1; i <= sheets; i++ {
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i)
		fmt.Fprintf(&list, `<sheet name="Sheet%d" sheetId="%d" r:id="rId%d"/>`, i, i, i)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i, i)
	}
	part("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`+types.String()+`</Types>`)
	part("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	part("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`+list.String()+`</sheets></workbook>`)
	part("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+rels.String()+`</Relationships>`)
	row := `<row><c t="inlineStr"><is><t>张三</t></is></c><c t="inlineStr"><is><t>13800000000</t></is></c></row>`
	for i := 1; i <= sheets; i++ {
		part(fmt.Sprintf("xl/worksheets/sheet%d.xml", i), `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+
			strings.Repeat(row, n)+`</sheetData></worksheet>`)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A workbook that unpacks to far more than it weighs, or holds more rows
// than any ledger, is refused as too large before it is read whole (a
// 1 MB workbook of 3 million rows took minutes and 5 GB of memory); a
// text file past the rows is too. Within the bounds the same files read.
func TestLedgerBounds(t *testing.T) {
	const rows = 1000
	bomb := bombXLSX(t, rows)
	for _, tc := range []struct {
		name string
		file string
		data []byte
		lim  limits
		ok   bool
	}{
		{"rows within", "a.xlsx", bomb, limits{rows: rows, unpacked: 1 << 20, cells: 1 << 30, tags: 1 << 30}, true},
		{"one row more than the bound", "a.xlsx", bomb, limits{rows: rows - 1, unpacked: 1 << 20, cells: 1 << 30, tags: 1 << 30}, false},
		{"unpacks past the bound", "a.xlsx", bomb, limits{rows: rows, unpacked: uint64(len(bomb)), cells: 1 << 30, tags: 1 << 30}, false},
		{"rows within over two sheets", "a.xlsx", bombSheets(t, 2, rows/2), limits{rows: rows, unpacked: 1 << 20, cells: 1 << 30, tags: 1 << 30}, true},
		{"rows past the bound over two sheets", "a.xlsx", bombSheets(t, 2, rows/2+1), limits{rows: rows, unpacked: 1 << 20, cells: 1 << 30, tags: 1 << 30}, false},
		{"text rows within", "a.csv", []byte(strings.Repeat("张三,13800000000\n", rows)), limits{rows: rows, unpacked: 1, cells: 1 << 30, tags: 1 << 30}, true},
		{"text rows past the bound", "a.csv", []byte(strings.Repeat("张三,13800000000\n", rows+1)), limits{rows: rows, unpacked: 1, cells: 1 << 30, tags: 1 << 30}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts, err := read(tc.file, tc.data, anyHeader, tc.lim)
			if !tc.ok {
				if !errors.Is(err, ErrTooLarge) {
					t.Fatalf("got %v, want ErrTooLarge", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := 0
			for _, t := range ts {
				got += 1 + len(t.Rows) // its header and its data rows
			}
			if got != rows {
				t.Errorf("%d rows, want %d", got, rows)
			}
		})
	}
}

// sheetRows reads what excelize's GetRows reads: empty rows between rows
// kept, those after the last dropped.
func TestSheetRowsAsGetRows(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	set := func(cell string, v any) {
		if err := f.SetCellValue("Sheet1", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	set("A1", "户主姓名")
	set("B1", "电话")
	set("A2", "张三")
	set("C5", 7)
	set("A9", "李四")
	for r := 10; r <= 40; r++ { // formatted, empty rows after the data
		if err := f.SetRowHeight("Sheet1", r, 30); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	g, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	want, err := g.GetRows("Sheet1", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := sheetRows(g, "Sheet1", 20, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sheetRows:\n%s\nGetRows:\n%s", fmt.Sprint(got), fmt.Sprint(want))
	}
	if _, _, err := sheetRows(g, "Sheet1", 8, 1000); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a row with cells past the bound: %v", err)
	}
}

// ReadFile reads ordinary files only, and no more than the bound: a
// device, a folder or a link to one is refused at once. A ledger path
// pointing at /dev/zero (the size says 0) was read until memory ran out.
func TestReadFileRefusesWhatIsNoFile(t *testing.T) {
	dir := t.TempDir()
	zero := filepath.Join(dir, "台账.csv")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Skipf("no symlink to /dev/zero here: %v", err)
	}
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	for _, path := range []string{zero, dir} {
		done := make(chan error, 1)
		go func() { _, err := ReadFile(path, anyHeader); done <- err }()
		select {
		case err := <-done:
			if !errors.Is(err, ErrUnsupported) {
				t.Errorf("%s: %v, want ErrUnsupported", path, err)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("%s: still reading after 20 s", path)
		}
	}
	// A link to a real ledger is read as the ledger.
	real := filepath.Join(dir, "real.csv")
	if err := os.WriteFile(real, []byte("姓名,电话\n王建国,13812345678\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	if ts, err := ReadFile(link, anyHeader); err != nil || len(ts) != 1 || len(ts[0].Rows) != 1 {
		t.Errorf("link to a ledger: %v %v", ts, err)
	}
}

// wideXLSX is a minimal workbook whose first row names two columns and
// whose n rows below each hold one cell in column col (XFD is Excel's
// last): a few kilobytes of zip that read as n rows of col cells each.
func wideXLSX(t testing.TB, col string, n int, merge string) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	part := func(name, body string) {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	part("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`)
	part("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	part("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	part("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`)
	var rows strings.Builder
	rows.WriteString(`<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="inlineStr"><is><t>电话</t></is></c></row>`)
	for r := 2; r <= n+1; r++ {
		fmt.Fprintf(&rows, `<row r="%d"><c r="%s%d" t="inlineStr"><is><t>x</t></is></c></row>`, r, col, r)
	}
	merges := ""
	if merge != "" {
		merges = `<mergeCells count="1"><mergeCell ref="` + merge + `"/></mergeCells>`
	}
	part("xl/worksheets/sheet1.xml", `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+rows.String()+`</sheetData>`+merges+`</worksheet>`)
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Cells are bounded as rows are: a ledger's grid is rows × its widest
// column, so one cell far to the right (or a row of a million commas)
// made a 300 KB text file ask for 160 GB and crash the import with "out
// of memory". A file whose rows × columns pass the bound, or one row
// wider than Excel's 16384 columns, is refused as too large; a wide file
// within the bounds still reads.
func TestLedgerCellBounds(t *testing.T) {
	const rows = 200
	wideHeader := "姓名,电话" + strings.Repeat(",", 998) + "备注\n" // 1000 columns, the last named
	for _, tc := range []struct {
		name string
		file string
		data []byte
		lim  limits
		ok   bool
	}{
		{"text: a wide header over many rows within the cells", "a.csv", []byte(wideHeader + strings.Repeat("张三,13800000000\n", rows)), limits{rows: 1000, unpacked: 1, cells: 1000 * rows, tags: 1 << 30}, true},
		{"text: a wide header over many rows past the cells", "a.csv", []byte(wideHeader + strings.Repeat("张三,13800000000\n", rows)), limits{rows: 1000, unpacked: 1, cells: 1000*rows - 1, tags: 1 << 30}, false},
		{"text: one row wider than Excel's last column", "a.csv", []byte("姓名,电话\n张三" + strings.Repeat(",", maxColumns) + "x\n"), limits{rows: 1000, unpacked: 1, cells: 1 << 30, tags: 1 << 30}, false},
		{"workbook: a cell in column XFD on every row past the cells", "a.xlsx", wideXLSX(t, "XFD", rows, ""), limits{rows: 1000, unpacked: 1 << 20, cells: 16384 * rows / 2, tags: 1 << 30}, false},
		{"workbook: a merge out to XFD over many rows past the cells", "a.xlsx", wideXLSX(t, "A", rows, "B1:XFD1"), limits{rows: 1000, unpacked: 1 << 20, cells: 16384 * rows / 2, tags: 1 << 30}, false},
		{"workbook: a cell in column C on every row", "a.xlsx", wideXLSX(t, "C", rows, ""), limits{rows: 1000, unpacked: 1 << 20, cells: 4 * rows, tags: 1 << 30}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts, err := read(tc.file, tc.data, anyHeader, tc.lim)
			if !tc.ok {
				if !errors.Is(err, ErrTooLarge) {
					t.Fatalf("got %v, want ErrTooLarge", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if b := Best(ts); b == nil || len(b.Rows) != rows {
				t.Fatalf("read %v", ts)
			}
		})
	}
	// The real bounds: the 300 KB file that crashed is refused.
	bomb := []byte(wideHeader + strings.Repeat(",", 100_000) + "\n" + strings.Repeat("a\n", 100_000))
	if _, err := Read("a.csv", bomb, anyHeader); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("the 300 KB file of 100000 columns × 100000 rows: %v", err)
	}
}

// sstXLSX is a workbook whose one sheet has a header and a row, the row's
// first cell a shared string, and whose shared-strings part holds n more
// strings: excelize reads that part whole into some 120 bytes a string,
// so a 620 KB workbook of 15 million took 97 s and 1.7 GB.
func sstXLSX(t testing.TB, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	part := func(name, body string) {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	part("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`)
	part("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	part("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	part("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`)
	part("xl/sharedStrings.xml", `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>张三</t></si>`+strings.Repeat("<si><t>a</t></si>", n)+`</sst>`)
	part("xl/worksheets/sheet1.xml", `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="inlineStr"><is><t>电话</t></is></c></row><row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="inlineStr"><is><t>13800000000</t></is></c></row></sheetData></worksheet>`)
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// The parts excelize reads whole (all but the sheets, which are read as
// a stream: shared strings, styles, the workbook) are bounded by their
// elements, each of which costs memory, not only by their bytes: a few
// bytes of XML a string unpack to 1 GB within the unpacked bound.
func TestLedgerTagBounds(t *testing.T) {
	const n = 1000
	data := sstXLSX(t, n)
	for _, tc := range []struct {
		name string
		tags int
		ok   bool
	}{
		{"shared strings within", 8*n + 100, true},
		{"shared strings past the bound", 4 * n, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts, err := read("a.xlsx", data, anyHeader, limits{rows: 100, unpacked: 1 << 20, cells: 1000, tags: tc.tags})
			if !tc.ok {
				if !errors.Is(err, ErrTooLarge) {
					t.Fatalf("got %v, want ErrTooLarge", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if b := Best(ts); b == nil || len(b.Rows) != 1 || b.Rows[0].Cells[0] != "张三" {
				t.Fatalf("read %+v", b)
			}
		})
	}
}

// Merged cells are read from the sheet as a stream, as its rows are:
// excelize's GetMergeCells reads the whole sheet and fixes up rows that
// give no number in time that grows with the square of their count, so a
// 60 KB workbook of 200,000 empty rows took 64 s, and one of 2 million
// more than 5 minutes. The merges still fill the header and the door
// numbers down.
func TestLedgerMergesReadAsAStream(t *testing.T) {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	part := func(name, body string) {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	part("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/data.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`)
	part("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	part("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="台账" sheetId="1" r:id="rId7"/></sheets></workbook>`)
	part("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/data.xml"/></Relationships>`)
	part("xl/worksheets/data.xml", `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+
		`<row r="1"><c r="A1" t="inlineStr"><is><t>户主信息</t></is></c><c r="C1" t="inlineStr"><is><t>门牌号</t></is></c></row>`+
		`<row r="2"><c r="A2" t="inlineStr"><is><t>姓名</t></is></c><c r="B2" t="inlineStr"><is><t>电话</t></is></c></row>`+
		`<row r="3"><c r="A3" t="inlineStr"><is><t>张三</t></is></c><c r="C3" t="inlineStr"><is><t>12</t></is></c></row>`+
		`<row r="4"><c r="A4" t="inlineStr"><is><t>张小三</t></is></c></row>`+
		strings.Repeat("<row><c/></row>", 200_000)+
		`</sheetData><mergeCells count="2"><mergeCell ref="A1:B1"/><mergeCell ref="C1:C2"/><mergeCell ref="C3:C4"/></mergeCells></worksheet>`)
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	type result struct {
		ts  []*Table
		err error
	}
	done := make(chan result, 1)
	go func() {
		ts, err := read("a.xlsx", buf.Bytes(), anyHeader, limits{rows: maxRows, unpacked: maxUnpacked, cells: maxCells, tags: maxTags})
		done <- result{ts, err}
	}()
	var ts []*Table
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatal(r.err)
		}
		ts = r.ts
	case <-time.After(20 * time.Second):
		t.Fatal("still reading after 20 s")
	}
	b := Best(ts)
	if b == nil || !reflect.DeepEqual(b.Headers, []string{"姓名", "电话", "门牌号"}) || b.Groups[0] != "户主信息" || len(b.Rows) != 2 || b.Rows[1].Cells[2] != "12" {
		t.Fatalf("read %+v", b)
	}
}
