package ledger

import (
	"bytes"
	"context"
	"cunjing/store/ledger/ledgerfile"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

func simpleLedger(t testing.TB) []byte {
	return writeXLSX(t, xlsxSheet{name: "Sheet1", rows: [][]any{
		row("姓名", "门牌号", "与户主关系", "身份证号"),
		row("张三", "1", "户主", "11010519491231002X"),
	}})
}

func encrypted(t *testing.T) []byte {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetRow("Sheet1", "A1", &[]any{"姓名", "门牌号"}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf, excelize.Options{Password: "110"}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Files refused as a whole, each with its own advice.
func TestReadRefusesBadFiles(t *testing.T) {
	good := simpleLedger(t)
	xls := append(append([]byte{}, cfbMagic...), make([]byte, 1024)...)
	cases := []struct {
		name string
		file string
		data []byte
		want error
	}{
		{"old xls", "台账.xls", xls, ledgerfile.ErrXLS},
		{"xls renamed xlsx", "台账.xlsx", xls, ledgerfile.ErrXLS},
		{"password", "台账.xlsx", encrypted(t), ledgerfile.ErrPassword},
		{"truncated xlsx", "台账.xlsx", good[:len(good)/2], ledgerfile.ErrDamaged},
		{"truncated xlsx tail", "台账.xlsx", good[:len(good)-10], ledgerfile.ErrDamaged},
		{"not a zip", "台账.xlsx", []byte("this is not a workbook at all"), ledgerfile.ErrDamaged},
		{"html xls", "export.xls", []byte("<html><body><table><tr><td>姓名</td></tr></table></body></html>"), ledgerfile.ErrHTMLXLS},
		{"empty", "a.csv", []byte("  \r\n "), ledgerfile.ErrEmpty},
		{"binary", "a.dat", []byte{0, 1, 2, 3, 0, 5, 6}, ledgerfile.ErrUnsupported},
		{"not gbk", "a.csv", []byte("\xe5\xa7\x93,\x81\x20\x81\x20\n"), ledgerfile.ErrEncoding},
		{"utf8 cut mid-character", "a.csv", []byte("姓名,门牌号\n张三,1\n李\xe5\x9b"), ledgerfile.ErrDamaged},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read(c.file, c.data)
			if !errors.Is(err, c.want) {
				t.Fatalf("Read = %v, want %v", err, c.want)
			}
		})
	}
}

func TestReadTextEncodings(t *testing.T) {
	text := "序号,姓名,门牌号,联系电话\r\n1,张三,３号,13812345678\r\n"
	gbk, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(text))
	u16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(strings.ReplaceAll(text, ",", "\t")))
	bom := append([]byte{0xEF, 0xBB, 0xBF}, text...)
	semi := []byte(strings.ReplaceAll(text, ",", ";"))
	// Some systems export UTF-16 without a byte-order mark: it was read
	// as GB18030 and said only that no column was mapped to 姓名.
	le, _ := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().Bytes([]byte(text))
	be, _ := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewEncoder().Bytes([]byte(text))
	for name, data := range map[string][]byte{"utf8": []byte(text), "bom": bom, "gbk": gbk, "utf16 tsv": u16, "semicolons": semi, "xls that is text": u16,
		"utf16le without bom": le, "utf16be without bom": be} {
		t.Run(name, func(t *testing.T) {
			file := "a.csv"
			if name == "xls that is text" {
				file = "导出.xls"
			}
			ts, err := Read(file, data)
			if err != nil {
				t.Fatal(err)
			}
			tb := ts[0]
			if strings.Join(tb.Headers, "|") != "序号|姓名|门牌号|联系电话" || len(tb.Rows) != 1 || tb.Rows[0].Cells[1] != "张三" || tb.Rows[0].Line != 2 {
				t.Fatalf("table = %+v", tb)
			}
		})
	}
}

// A header the importer cannot recognise still reads (the user maps the
// columns by hand), but an import with nothing mapped to a name refuses.
func TestUnrecognisedHeader(t *testing.T) {
	s, _ := newStore(t, "张庄村")
	ts, err := Read("a.csv", []byte("甲,乙,丙\n1,2,3\n"))
	if err != nil {
		t.Fatal(err)
	}
	tb := Best(ts)
	if tb.HeaderLine != 1 || tb.Score != 0 {
		t.Fatalf("table = %+v", tb)
	}
	m := Suggest(tb)
	if _, err := Preview(context.Background(), s, tb, m, Options{}); err == nil || !strings.Contains(err.Error(), "姓名") {
		t.Fatalf("preview with nothing mapped = %v", err)
	}
	m.Fields = []Field{FieldName, FieldDoor, FieldName}
	if err := m.Check(); err == nil {
		t.Fatal("two columns mapped to 姓名 passed the check")
	}
	m.Fields = []Field{FieldName, FieldOwnerName, FieldDoor}
	p, err := Preview(context.Background(), s, tb, m, Options{})
	if err != nil || p.Report.Added != 1 {
		t.Fatalf("hand mapping: %v %+v", err, p)
	}
}

// Rows with values of the wrong kind are skipped whole, naming every
// problem; the other rows import.
func TestWrongTypesSkipRow(t *testing.T) {
	s, _ := newStore(t, "张庄村")
	csv := "姓名,户主姓名,门牌号,面积,出生日期,联系电话,性别,房屋状态,预警等级,是否党员\n" +
		"张三,张三,1,120平方米,1960-2-30,12345,男,自住,绿,是\n" +
		"李四,李四,2,大约100,1960年5月,13812345678,公,自用,黄,也许\n" +
		"王五,王五,3,８０㎡,19600501,+86 138-1234-5678,男性,租赁,红色,√\n"
	ts, err := Read("a.csv", []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	tb := Best(ts)
	p, err := Preview(context.Background(), s, tb, Suggest(tb), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Report.Added != 1 || len(p.Report.Skipped) != 2 {
		t.Fatalf("report = %+v", p.Report)
	}
	r1, r2 := p.Report.Skipped[0], p.Report.Skipped[1]
	for _, frag := range []string{"not a real date", "phone"} {
		if !strings.Contains(r1.Reason, frag) {
			t.Errorf("row %d reason %q lacks %q", r1.Row, r1.Reason, frag)
		}
	}
	for _, frag := range []string{"面积", "no day", "gender", "warning colour", "是否党员"} {
		if !strings.Contains(r2.Reason, frag) {
			t.Errorf("row %d reason %q lacks %q", r2.Row, r2.Reason, frag)
		}
	}
	e := p.Entries[2]
	if e.Household.AreaM2 != 80 || e.Resident.BirthDate != "1960-05-01" || e.Resident.Phone != "13812345678" ||
		e.Household.Status != "出租" || e.Household.Warning != "红" || e.Resident.Categories[0] != "党员" {
		t.Fatalf("row 4 = %+v", e)
	}
}

// Members listed under their head with the household columns left empty
// (the "blank below" ledger), and members listed before their head.
func TestGroupingWithoutHouseholdColumns(t *testing.T) {
	s, _ := newStore(t, "张庄村")
	csv := "门牌号,姓名,与户主关系\n" +
		"7,刘一,户主\n,刘二,妻\n,刘三,子\n" +
		"8,陈二,妻子\n8,陈一,本人\n"
	ts, _ := Read("a.csv", []byte(csv))
	tb := Best(ts)
	p, err := Preview(context.Background(), s, tb, Suggest(tb), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Report.Added != 5 || p.Report.HouseholdsAdded != 2 {
		t.Fatalf("report = %+v rows %+v", p.Report, p.Rows)
	}
	if p.Rows[1].Household != "7 刘一" || p.Rows[3].Household != "8 陈一" {
		t.Fatalf("rows = %+v", p.Rows)
	}
	if p.Entries[1].Resident.Relation != "妻子" || p.Entries[4].Resident.Relation != "户主" {
		t.Fatalf("relations not normalised: %+v", p.Entries)
	}
}

// A 户号 column groups rows by itself, whatever the other columns say.
func TestGroupingByHouseholdNumber(t *testing.T) {
	s, _ := newStore(t, "张庄村")
	ts, _ := Read("a.csv", []byte("户号,姓名,与户主关系,门牌号\nA1,甲,户主,5\nA1,乙,妻,\nA2,丙,户主,5\nA1,丁,子,6\n"))
	tb := Best(ts)
	p, err := Preview(context.Background(), s, tb, Suggest(tb), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Report.HouseholdsAdded != 2 || p.Report.Added != 4 {
		t.Fatalf("report = %+v", p.Report)
	}
	// Row 5 says door 6 for household A1, which row 2 said is at 5.
	if len(p.Report.Warnings) != 1 || p.Report.Warnings[0].Row != 5 || !strings.Contains(p.Report.Warnings[0].Message, "门牌号") {
		t.Fatalf("warnings = %+v", p.Report.Warnings)
	}
}
