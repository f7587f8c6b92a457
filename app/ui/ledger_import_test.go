package ui

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"

	"cunjing/store"
	"cunjing/store/ledger"
)

const testLedger = "村,门牌号,户主姓名,姓名,身份证号,与户主关系,联系电话\n" +
	"东河村,203,王建国,王建国,11010519491231002X,户主,13812345678\n" +
	"东河村,203,王建国,王小明,440524188001010014,子,\n" +
	"东河村,205,李四,李四,11010519491231002Y,户主,\n" +
	",,,,,,\n" +
	"东河村,206,赵五,赵五,,户主,12345\n" +
	"东河村,207,钱六,钱六,,户主,13900002222\n"

func TestLedgerImportPreviewSkipsWithReasonsThenCommits(t *testing.T) {
	s := newFixture(t, 0)
	u, _ := newTestUI(t, s)
	ctx := context.Background()
	h := u.screens[AreaHouseholds].(*householdsScreen)
	tables, err := ledger.Read("台账.csv", []byte(testLedger))
	if err != nil {
		t.Fatal(err)
	}
	vs, err := s.Villages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	li := &ledgerImport{u: u, h: h, body: container.NewStack(), name: "台账.csv"}
	li.start(ledger.Best(tables), vs)
	if len(li.selects) != 7 || li.selects[4].Selected != "身份证号" {
		t.Fatalf("suggested mapping: %d selects, ID column read as %q", len(li.selects), li.selects[4].Selected)
	}
	// A mapping that names nothing is refused before any preview.
	for _, sel := range li.selects {
		sel.SetSelectedIndex(0)
	}
	li.preview()
	u.Wait()
	if li.plan != nil || !li.status.Visible() {
		t.Fatal("an empty mapping was previewed")
	}
	li.start(ledger.Best(tables), vs)
	li.preview()
	u.Wait()
	if li.plan == nil {
		t.Fatalf("no plan: %q", li.status.Text)
	}
	rep := li.plan.Report
	if len(rep.Skipped) != 3 || rep.Added < 2 {
		t.Fatalf("report %+v", rep)
	}
	got := joined(li.body)
	for _, w := range []string{"跳过的行（3 行）", "身份证号：身份证号不对（“11010519491231002Y”）", "空行", "联系电话：电话号码不对"} {
		if !strings.Contains(got, w) {
			t.Errorf("preview lacks %q:\n%s", w, got)
		}
	}
	if strings.Contains(got, "phone") || strings.Contains(got, "ID number") {
		t.Errorf("English leaks into the preview:\n%s", got)
	}
	// Nothing is saved by the preview.
	if rows, _ := s.Households(ctx, store.HouseholdFilter{Query: "钱六"}); len(rows) != 0 {
		t.Fatal("preview saved a household")
	}
	li.commit()
	u.Wait()
	if rows, _ := s.Households(ctx, store.HouseholdFilter{Query: "钱六"}); len(rows) != 1 {
		t.Fatal("commit did not save 钱六's household")
	}
	if rs, _ := s.SearchResidents(ctx, "440524188001010014", 5); len(rs) != 1 || rs[0].Name != "王小明" {
		t.Fatalf("王小明 not imported: %+v", rs)
	}
	if !strings.Contains(joined(li.body), "导入完成") {
		t.Errorf("no report after the commit:\n%s", joined(li.body))
	}
	// The mapping is remembered for the next ledger of this template.
	if u.app.Preferences().String(prefMapping+ledger.Fingerprint(li.table.Headers)) == "" {
		t.Error("mapping not remembered")
	}
}

func TestSkipReasonsInWords(t *testing.T) {
	newTestUI(t, newFixture(t, 0)) // for the language
	cases := []struct{ in, want string }{
		{"blank row", "空行"},
		{`身份证号: ID number "123" was stored by Excel as a number and lost its last digits; format the column as text and type it again`, "身份证号：身份证号被 Excel 当成数字存了"},
		{`出生日期: "2026-13-01" is not a real date`, "出生日期：日期看不懂（“2026-13-01”）"},
		{"no household: the row gives no 门牌号, 地址 or 户主姓名, and no row above it does", "看不出是哪一户"},
		{"resident 王五 belongs to another device (DEV)", "别的警务室登记的"},
		{"something new", "这一行的内容有问题"},
	}
	for _, c := range cases {
		if got := skipReason(c.in, false); !strings.Contains(got, c.want) {
			t.Errorf("skipReason(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := skipReason(c.in, true); got != c.in {
			t.Errorf("English skipReason changed %q to %q", c.in, got)
		}
	}
	if got := warningText(`电话 "1" differs from row 3 ("2"); kept row 3's`, false); got != "同一户的信息和第 3 行不一样，保留了第 3 行的" {
		t.Errorf("warning: %q", got)
	}
	for _, a := range []ledger.Action{ledger.ActAdd, ledger.ActUpdate, ledger.ActUnchanged, ledger.ActMerged, ledger.ActSkipped} {
		if k := "roster.ledger.act." + string(a); strings.HasPrefix(lang.L(k), "roster.") {
			t.Errorf("action %s has no text", a)
		}
	}
}

func TestLedgerExportMasksIDsForAuxiliaries(t *testing.T) {
	s := newFixture(t, 0)
	ctx := context.Background()
	for _, full := range []bool{true, false} {
		var buf bytes.Buffer
		sum, err := writeLedger(ctx, s, nopCloser{&buf}, full)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Households != 3 || sum.Residents != 4 {
			t.Errorf("summary %+v", sum)
		}
		tables, err := ledger.Read("x.xlsx", buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		var all strings.Builder
		for _, tb := range tables {
			for _, r := range tb.Rows {
				all.WriteString(strings.Join(r.Cells, ","))
			}
		}
		if strings.Contains(all.String(), wangID) != full {
			t.Errorf("full=%v: the ID number in full in the export: %v", full, !full)
		}
		if !full && !strings.Contains(all.String(), store.MaskIDNumber(wangID)) {
			t.Error("masked ID missing from the export")
		}
	}
}
