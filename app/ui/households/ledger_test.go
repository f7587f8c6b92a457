package households

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"

	cjlang "cunjing/app/lang"
	"cunjing/app/ui/uitest"
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
	s := uitest.Fixture(t, 0)
	u, _ := openHouseholds(t, s)
	ctx := context.Background()
	h := u.h
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
	got := uitest.Joined(li.body)
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
	if !strings.Contains(uitest.Joined(li.body), "导入完成") {
		t.Errorf("no report after the commit:\n%s", uitest.Joined(li.body))
	}
	// The mapping is remembered for the next ledger of this template.
	if u.Prefs().String(prefMapping+ledger.Fingerprint(li.table.Headers)) == "" {
		t.Error("mapping not remembered")
	}
}

// A ledger whose rows go wrong in several ways: the preview says each in
// Chinese with the column and the value, from the typed problems.
func TestLedgerPreviewSaysProblemsInChinese(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, _ := openHouseholds(t, s)
	h := u.h
	c, err := store.IDCheckChar("41052619480512013")
	if err != nil {
		t.Fatal(err)
	}
	man := "41052619480512013" + string(c) // born 1948-05-12
	csv := "村,门牌号,户主姓名,姓名,与户主关系,身份证号,性别,出生日期,面积,是否党员\n" +
		"东河村,301,孙一,孙一,户主," + man + ",女,,100,\n" +
		"东河村,301,孙一,孙二,妻,,女,1960年5月,120,也许\n" +
		"东河村,301,孙一,孙三,子,,男,,130,\n" +
		"东河村,309,,周七,子,,,,,\n" +
		"南山村,310,吴八,吴八,户主,,,,,\n" +
		"东河村,311,郑九,郑九,户主,,公,,,\n"
	tables, err := ledger.Read("台账.csv", []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	vs, err := s.Villages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	li := &ledgerImport{u: u, h: h, body: container.NewStack(), name: "台账.csv"}
	li.start(ledger.Best(tables), vs)
	li.preview()
	u.Wait()
	if li.plan == nil {
		t.Fatalf("no plan: %q", li.status.Text)
	}
	got := uitest.Joined(li.body)
	for _, w := range []string{
		"第 3 行：出生日期：日期只有年月，没有日（“1960年5月”）；是否党员：应填“是”或“否”（“也许”）",
		"第 5 行：这一户没有户主姓名和地址",
		"第 6 行：村：系统里没有这个村，请先建村，或改正这一列（“南山村”）",
		"第 7 行：性别：不是可选的值（“公”）",
		"第 2 行：性别“女”和身份证号（男）对不上，以身份证号为准",
		"第 4 行：面积“130”和第 2 行（“100”）不一样，保留了第 2 行的",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("preview lacks %q:\n%s", w, got)
		}
	}
	for _, en := range []string{"is not", "does not", "differs", "no day", "village"} {
		if strings.Contains(got, en) {
			t.Errorf("English %q leaks into the preview:\n%s", en, got)
		}
	}
}

// Every kind the ledger package reports has its words in every language,
// and the English screen says them from the translation files too.
func TestProblemKindsInEveryLanguage(t *testing.T) {
	uitest.Headless(t)
	for _, l := range cjlang.Languages() {
		msgs, err := cjlang.Messages(l.Code)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range ledger.ProblemKinds() {
			if strings.TrimSpace(msgs["households.ledger.why."+string(k)]) == "" {
				t.Errorf("%s: problem kind %s has no text", l.Code, k)
			}
		}
	}
	if got := ProblemsText([]ledger.Problem{{Kind: "from_a_newer_version", Text: "x"}}); got != "这一行的内容有问题" {
		t.Errorf("unknown kind: %q", got)
	}
	if got := warningText(ledger.Warning{Kind: "from_a_newer_version", Message: "x"}); got != "导入了，但请核对这一行" {
		t.Errorf("unknown warning kind: %q", got)
	}
	for _, a := range []ledger.Action{ledger.ActAdd, ledger.ActUpdate, ledger.ActUnchanged, ledger.ActMerged, ledger.ActSkipped} {
		if k := "households.ledger.act." + string(a); strings.HasPrefix(lang.L(k), "households.") {
			t.Errorf("action %s has no text", a)
		}
	}
	if err := cjlang.Use("en"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cjlang.Use("zh") })
	got := ProblemsText([]ledger.Problem{
		{Kind: ledger.ProblemDateNoDay, Column: "出生年月", Value: "1960.5", Text: "x"},
		{Kind: ledger.ProblemBlank, Text: "y"},
	})
	if want := "出生年月: the date has a year and month but no day (“1960.5”); blank row"; got != want {
		t.Errorf("English: %q, want %q", got, want)
	}
	w := ledger.Warning{Kind: ledger.WarnTwice, Name: "李四", Household: "1 张三", Ref: 2, Message: "x"}
	if got, want := warningText(w), "李四 is also listed in household 1 张三 (row 2); kept that one"; got != want {
		t.Errorf("English warning: %q, want %q", got, want)
	}
}

func TestLedgerExportMasksIDsForAuxiliaries(t *testing.T) {
	s := uitest.Fixture(t, 0)
	ctx := context.Background()
	for _, full := range []bool{true, false} {
		var buf bytes.Buffer
		sum, err := writeLedger(ctx, s, uitest.NopCloser(&buf), full)
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
		if strings.Contains(all.String(), uitest.WangID) != full {
			t.Errorf("full=%v: the ID number in full in the export: %v", full, !full)
		}
		if !full && !strings.Contains(all.String(), store.MaskIDNumber(uitest.WangID)) {
			t.Error("masked ID missing from the export")
		}
	}
}

// A ledger whose every row is skipped or warned about (a county's export
// with a bad phone column) lists the first rows of each with how many
// more: listing each of 20,000 rows added a label at a time (each Add
// laying out the whole list again) kept the window busy for over ten
// minutes. The done page after 确认导入 is bounded the same way.
func TestLedgerPreviewOfManyBadRowsIsBounded(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, _ := openHouseholds(t, s)
	ctx := context.Background()
	var b strings.Builder
	b.WriteString("村,门牌号,户主姓名,姓名,身份证号,与户主关系,联系电话\n")
	const n = previewRows + 300
	for i := range n {
		fmt.Fprintf(&b, "东河村,%d,赵%d,赵%d,,户主,12345\n", 1000+i, i, i)
	}
	b.WriteString("东河村,207,钱六,钱六,,户主,13900002222\n")
	tables, err := ledger.Read("台账.csv", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	vs, err := s.Villages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	li := &ledgerImport{u: u, h: u.h, body: container.NewStack(), name: "台账.csv"}
	li.start(ledger.Best(tables), vs)
	li.preview()
	u.Wait()
	if li.plan == nil || len(li.plan.Report.Skipped) != n {
		t.Fatalf("plan %v: want %d skipped rows", li.plan != nil, n)
	}
	lines := func() int { return strings.Count(uitest.Joined(li.body), "电话号码不对") }
	got := uitest.Joined(li.body)
	if k := lines(); k > previewRows || !strings.Contains(got, "跳过的行（500 行）") || !strings.Contains(got, "还有 300 行没有列出") {
		t.Errorf("preview lists %d skipped rows (at most %d, then how many more)", k, previewRows)
	}
	li.commit()
	u.Wait()
	got = uitest.Joined(li.body)
	if k := lines(); k > previewRows || !strings.Contains(got, "还有 300 行没有列出") {
		t.Errorf("the done page lists %d skipped rows (at most %d, then how many more)", k, previewRows)
	}
}
