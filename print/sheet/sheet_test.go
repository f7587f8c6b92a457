package sheet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cunjing/print/fonts"
	"cunjing/print/printtest"
)

func sampleSheet() Sheet {
	return Sheet{
		Village: "张庄村", Number: "203", Address: "河南省滑县城关镇张庄村东街203号", Owner: "张建国", OwnerPhone: "13812345678",
		HouseType: "平房", HouseUse: "住宅", Structure: "砖混", AreaM2: 126.5, Status: "自住", GridCell: "第三网格",
		Categories: []string{"党员", "留守老人"}, Warning: "橙", Notes: "老人独自在家时间长，重点关注用电安全",
		Members: []Member{
			{Name: "张建国", Relation: "户主", Gender: "男", BirthDate: "1952-04-08", IDNumber: "4105**********0013", Phone: "13812345678", CensusStatus: "人户一致", Categories: []string{"党员"}},
			{Name: "李秀英", Relation: "妻子", Gender: "女", BirthDate: "1955-12-31", IDNumber: "4105**********0024", Phone: "13912345678", CensusStatus: "人户一致", Categories: []string{"留守老人"}},
			{Name: "张小明", Relation: "子", Gender: "男", BirthDate: "1980-01-01", IDNumber: "4105**********0011", Phone: "03716123456", CensusStatus: "人在户不在", Occupation: "郑州务工"},
			{Name: "张欣怡", Relation: "孙女", Gender: "女", BirthDate: "2014-09-01", CensusStatus: "人户一致", Categories: []string{"留守儿童"}, Notes: "城关镇第一小学四年级"},
		},
		Visits: []Visit{
			{Date: "2026-02-20", Officer: "王建军", Notes: "春节后回访，老人身体尚好，已检查电暖器线路"},
			{Date: "2025-12-10", Officer: "王建军", Notes: "入冬走访，提醒煤炉通风，留下联系卡"},
		},
	}
}

var printed = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func TestWritePDF(t *testing.T) {
	font := printtest.Font(t)
	big := sampleSheet()
	big.Number, big.Owner, big.Warning = "15-1", "刘长顺", "红"
	for i := 0; i < 30; i++ {
		big.Members = append(big.Members, Member{Name: fmt.Sprintf("租户%02d", i), Relation: "租户", Gender: "男", CensusStatus: "人在户不在", Notes: "一个很长很长的备注，用来检查单元格里的文字会不会溢出到隔壁的格子里去"})
	}
	empty := Sheet{Village: "李家屯", Number: "附1", Address: "李家屯村口"}
	cases := []struct {
		name   string
		sheets []Sheet
		pages  int
		text   []string
		absent []string // texts the page must not show
	}{
		// Phones as on every printed page: a mobile 3-4-4, a landline with
		// its area code set off (they printed 13812345678, 037112345678).
		{"one household", []Sheet{sampleSheet()}, 1, []string{"张建国", "户情卡", "203", "138 1234 5678", "139 1234 5678", "0371-6123456", "李秀英", "留守儿童", "2026-02-20", "春节后回访", "橙色", "内部资料", "73"}, nil},
		{"large household continues", []Sheet{big}, 2, []string{"家庭成员（续）", "租户29", "红色"}, nil},
		// No phone: the line reads 电话　未登记, not 电话　电话未登记. No
		// householder: the name line says so, not （户主未登记） 户.
		{"empty household", []Sheet{empty}, 1, []string{"户主未登记", "未登记家庭成员", "走访记录", "未登记"}, []string{"电话未登记", "电话　电话", "电话 电话", "未登记） 户", "未登记）户"}},
		{"batch", []Sheet{sampleSheet(), empty, big}, 4, []string{"张建国", "附1", "租户00"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WritePDF(context.Background(), &buf, font, c.sheets, Options{Post: "张庄村警务室", Printed: printed}); err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF")) {
				t.Fatal("not a PDF")
			}
			if got := bytes.Count(buf.Bytes(), []byte("/Type /Page\n")) + bytes.Count(buf.Bytes(), []byte("/Type /Page\r")); got != c.pages && got != 0 {
				t.Errorf("%d pages, want %d", got, c.pages)
			}
			text := pdfText(t, buf.Bytes())
			if text == "" {
				return
			}
			for _, want := range c.text {
				if !strings.Contains(text, want) {
					t.Errorf("PDF text lacks %q", want)
				}
			}
			for _, bad := range c.absent {
				if strings.Contains(text, bad) {
					t.Errorf("PDF text shows %q", bad)
				}
			}
			if n := strings.Count(text, "\f"); n != c.pages {
				t.Errorf("pdftotext found %d pages, want %d", n, c.pages)
			}
		})
	}
}

// pdfText extracts the text with poppler when it is installed.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Log("pdftotext not installed: text not checked")
		return ""
	}
	p := filepath.Join(t.TempDir(), "s.pdf")
	if err := os.WriteFile(p, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", p, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestWritePDFErrors(t *testing.T) {
	var buf bytes.Buffer
	if err := WritePDF(context.Background(), &buf, &fonts.Font{TTF: []byte("x")}, nil, Options{}); err == nil {
		t.Error("no sheets: no error")
	}
	if err := WritePDF(context.Background(), &buf, nil, []Sheet{sampleSheet()}, Options{}); err == nil {
		t.Error("no font: no error")
	}
	if err := WritePDF(context.Background(), &buf, &fonts.Font{Name: "bad", TTF: []byte("not a font")}, []Sheet{sampleSheet()}, Options{}); err == nil {
		t.Error("bad font: no error")
	}
}

func TestAge(t *testing.T) {
	for birth, want := range map[string]string{"1952-04-08": "73", "1952-03-01": "74", "1952-02-28": "74", "2026-03-02": "", "": "", "bad": ""} {
		if got := age(birth, printed); got != want {
			t.Errorf("age(%q) = %q, want %q", birth, got, want)
		}
	}
}

// TestWriteSample writes the sample sheet for a person to look at:
// SHEET_OUT=/tmp/sheet.pdf go test -run WriteSample ./print/sheet/
func TestWriteSample(t *testing.T) {
	out := os.Getenv("SHEET_OUT")
	if out == "" {
		t.Skip("set SHEET_OUT to write the sample")
	}
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := WritePDF(context.Background(), f, printtest.Font(t), []Sheet{sampleSheet()}, Options{Post: "张庄村警务室", Printed: printed}); err != nil {
		t.Fatal(err)
	}
}

// pageText is one page's text with the whitespace squeezed out, in
// the order it was drawn (-raw), so wrapped cells read whole.
func pageText(t *testing.T, pdf []byte, page int) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	p := filepath.Join(t.TempDir(), "s.pdf")
	if err := os.WriteFile(p, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	pg := fmt.Sprint(page)
	out, err := exec.Command("pdftotext", "-raw", "-f", pg, "-l", pg, p, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), "")
}

// A batch's footers name the household each page belongs to (they named
// the next one), and long values wrap whole instead of being cut with "…".
func TestBatchFootersAndWholeValues(t *testing.T) {
	font := printtest.Font(t)
	big := sampleSheet()
	big.Number, big.Owner = "15-1", "刘长顺"
	note := "一个很长很长的备注，用来检查单元格里的文字会不会溢出到隔壁的格子里去"
	for i := 0; i < 30; i++ {
		big.Members = append(big.Members, Member{Name: fmt.Sprintf("租户%02d", i), Relation: "租户", Gender: "男", CensusStatus: "人在户不在", Notes: note})
	}
	empty := Sheet{Village: "李家屯", Number: "附1", Address: "李家屯村口"}
	var buf bytes.Buffer
	if err := WritePDF(context.Background(), &buf, font, []Sheet{sampleSheet(), empty, big}, Options{Post: "张庄村警务室", Printed: printed}); err != nil {
		t.Fatal(err)
	}
	want := []string{"张庄村203", "李家屯附1", "张庄村15-1", "张庄村15-1"}
	all := ""
	for i, w := range want {
		text := pageText(t, buf.Bytes(), i+1)
		all += text
		foot := "打印于2026-03-01" + fmt.Sprintf("第%d页", i+1)
		if !strings.Contains(text, w+foot) {
			t.Errorf("page %d footer lacks %q: %s", i+1, w+foot, text[max(0, len(text)-120):])
		}
	}
	if n := strings.Count(all, note); n != 30 {
		t.Errorf("the long note is printed whole %d times, want 30", n)
	}
	if strings.Contains(all, "…") {
		t.Error("a value was cut with …")
	}
}

// A cancelled print stops between sheets with the context's error.
func TestWritePDFCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var buf bytes.Buffer
	err := WritePDF(ctx, &buf, printtest.Font(t), []Sheet{sampleSheet()}, Options{Post: "张庄村警务室", Printed: time.Date(2026, 12, 1, 9, 0, 0, 0, time.Local)})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}
