package ledger

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// FuzzRead feeds arbitrary bytes to the reader as a workbook and as text:
// it must return tables or an error, never panic, and whatever it reads
// must map and parse.
func FuzzRead(f *testing.F) {
	f.Add([]byte("姓名,门牌号,身份证号\n张三,1,11010519491231002X\n"), false)
	gbk, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("户主,门牌号,联系电话\n李四,２号,138 1234 5678\n,\"3\"\"\",\n"))
	f.Add(gbk, false)
	f.Add([]byte("\xff\xfe\x1cY\x0dT\t\x00"), false)
	f.Add(simpleLedger(f), true)
	f.Add(append(append([]byte{}, cfbMagic...), "E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o\x00"...), true)
	f.Fuzz(func(t *testing.T, data []byte, xlsx bool) {
		name := "f.csv"
		if xlsx {
			name = "f.xlsx"
		}
		tables, err := Read(name, data)
		if err != nil {
			return
		}
		for _, tb := range tables {
			for _, r := range tb.Rows {
				if len(r.Cells) != len(tb.Headers) {
					t.Fatalf("row %d has %d cells, header %d", r.Line, len(r.Cells), len(tb.Headers))
				}
			}
			m := Suggest(tb)
			if m.Check() != nil {
				continue
			}
			es, err := Parse(tb, m)
			if err != nil {
				t.Fatalf("parse with a checked mapping: %v", err)
			}
			if len(es) != len(tb.Rows) {
				t.Fatalf("%d entries for %d rows", len(es), len(tb.Rows))
			}
		}
	})
}

// FuzzParseDate: a parsed date is always a real YYYY-MM-DD.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024.3.5", "2024年3月5日", "45356", "20240305", "1949-10-1 8:00", "２０２４／３／５", "-1", "1e9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseDate(s, false)
		if err != nil || d == "" {
			return
		}
		again, err := parseDate(d, false)
		if err != nil || again != d || len(d) != 10 {
			t.Fatalf("parseDate(%q) = %q, which parses as %q, %v", s, d, again, err)
		}
	})
}

// FuzzParseIDNumber: an accepted ID number is canonical and accepted again.
func FuzzParseIDNumber(f *testing.F) {
	for _, s := range []string{"11010519491231002x", "110105491231002", "1101**********002X", "1.1E+17", "＇110105"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, masked, err := parseIDNumber(s)
		if err != nil || masked || id == "" {
			return
		}
		again, _, err := parseIDNumber(id)
		if err != nil || again != id || len(id) != 18 || strings.ContainsAny(id, "x ") {
			t.Fatalf("parseIDNumber(%q) = %q, again %q, %v", s, id, again, err)
		}
	})
}

// FuzzUnmarshalMapping reads arbitrary bytes as a column mapping (the
// file `import households --mapping` names): an error or a mapping that
// passes its own check, fits the header it names (when its fingerprint
// is that header's) and parses that header's rows, never a panic.
func FuzzUnmarshalMapping(f *testing.F) {
	tb := &Table{Headers: []string{"户主姓名", "门牌号", "姓名", "身份证号"}, Rows: []Row{{Line: 2, Cells: []string{"张三", "1", "张三", "11010519491231002X"}}}}
	good, err := MarshalMapping(Suggest(tb))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(`{"headers":["姓名"],"fields":[99]}`))
	f.Add([]byte(`{"headers":[],"fields":[]}`))
	f.Add([]byte(`{"headers":["a","b"],"fields":["x"]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := UnmarshalMapping(data)
		if err != nil {
			return
		}
		if err := m.Check(); err != nil {
			t.Fatalf("accepted a mapping that fails its check: %v", err)
		}
		if len(m.Headers) > 1000 {
			return // keep each run quick
		}
		cells := make([]string, len(m.Headers))
		for i := range cells {
			cells[i] = "1"
		}
		t2 := &Table{Headers: m.Headers, Rows: []Row{{Line: 2, Cells: cells}}}
		if !m.Fits(t2) {
			if m.Fingerprint == Fingerprint(m.Headers) {
				t.Fatal("a mapping does not fit the header it names")
			}
			return // made for another header row (its fingerprint)
		}
		if _, err := Parse(t2, m); err != nil {
			t.Fatalf("parse with an accepted mapping: %v", err)
		}
	})
}
