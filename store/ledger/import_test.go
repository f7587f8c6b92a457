package ledger

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand"
	"reflect"
	"sort"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"cunjing/store"
	"cunjing/store/record"
)

// fullWidth writes ASCII digits as full-width ones, as some input methods do.
func fullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			r = '０' + (r - '0')
		}
		b.WriteRune(r)
	}
	return b.String()
}

type people struct {
	zhangSan, liXiuying, xiaoMing15, xiaoMing18, wangWu, badID string
}

func testPeople(t *testing.T) people {
	p := people{
		zhangSan:   mkID(t, "410526", "19480512", 13),
		liXiuying:  "11010519491231002X",
		xiaoMing15: "410526800101001",
		wangWu:     mkID(t, "410526", "19700303", 35),
	}
	var err error
	if p.xiaoMing18, err = record.NormaliseIDNumber(p.xiaoMing15); err != nil {
		t.Fatal(err)
	}
	good := mkID(t, "410526", "19700303", 46)
	last := good[17]
	bad := byte('0')
	if last == '0' {
		bad = '1'
	}
	p.badID = good[:17] + string(bad)
	return p
}

// messyLedger is a ledger as officers keep them: a merged title row, a
// two-row header with a merged 户主信息 group, door number and head merged
// down each household, full-width digits, a padded name, a lowercase x, a
// 15-digit ID, three date spellings, two phones in a cell, a blank row,
// a bad ID, an unreadable date, the same person twice and a footer.
func messyLedger(t *testing.T, p people) []byte {
	return writeXLSX(t, xlsxSheet{
		name: "台账",
		rows: [][]any{
			row("张庄村居民信息台账（2024年）"),
			row("序号", "门牌号", "户主信息", "", "姓名", "性别", "身份证号码", "与户主关系", "出生日期", "联系电话", "人员类别", "民族", "备注"),
			row("", "", "姓名", "电话", "", "", "", "", "", "", "", "", ""),
			row(1, "２０３号", "张 三", "138 1234 5678", "张三", "男", fullWidth(p.zhangSan), "户主", "1948.5.12", "", "党员", "汉", ""),
			row(2, "", "", "", "李秀英", "女", strings.ToLower(p.liXiuying), "妻子", "1949年12月31日", "13912345678", "留守老人", "汉", ""),
			row(3, "", "", "", "张小明", "男", p.xiaoMing15, "子", 29221.0, "13700001111/13700002222", "", "汉", "在外务工"),
			row(),
			row(4, "205", "王五", "0371-6123456", "王五", "男", p.wangWu, "户主", "", "", "重点户", "回", ""),
			row(5, "205", "王五", "0371-6123456", "王小红", "女", p.badID, "女", "", "", "", "回", ""),
			row(6, "205", "王五", "0371-6123456", "赵六", "女", "", "儿媳", "不详", "", "", "回", ""),
			row(7, "２０３", "张三", "", "张三", "", p.zhangSan, "", "", "", "", "", "户口在本村"),
			row("合计：7人"),
		},
		merges: [][2]string{
			{"A1", "M1"}, {"A2", "A3"}, {"B2", "B3"}, {"C2", "D2"}, {"E2", "E3"}, {"F2", "F3"}, {"G2", "G3"},
			{"H2", "H3"}, {"I2", "I3"}, {"J2", "J3"}, {"K2", "K3"}, {"L2", "L3"}, {"M2", "M3"},
			{"B4", "B6"}, {"C4", "C6"}, {"D4", "D6"},
		},
	})
}

func TestImportMessyLedger(t *testing.T) {
	ctx := context.Background()
	s, vs := newStore(t, "张庄村")
	ppl := testPeople(t)
	data := messyLedger(t, ppl)

	tables, err := Read("台账.xlsx", data)
	if err != nil {
		t.Fatal(err)
	}
	tb := Best(tables)
	if tb.HeaderLine != 3 {
		t.Fatalf("header line = %d, want 3 (the second row of a two-row header)", tb.HeaderLine)
	}
	m := Suggest(tb)
	want := []Field{FieldIgnore, FieldDoor, FieldOwnerName, FieldOwnerPhone, FieldName, FieldGender, FieldIDNumber, FieldRelation, FieldBirthDate, FieldPhone, FieldCategories, FieldExtra, FieldNotes}
	if !reflect.DeepEqual(m.Fields, want) {
		t.Fatalf("suggested mapping\n got %v\nwant %v\nheaders %q groups %q", m.Fields, want, tb.Headers, tb.Groups)
	}

	before := changeCount(t, s)
	p, err := Preview(ctx, s, tb, m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if changeCount(t, s) != before {
		t.Fatal("preview wrote to the database")
	}
	hh, _ := s.Households(ctx, store.HouseholdFilter{})
	if len(hh) != 0 {
		t.Fatal("preview saved households")
	}
	rep, err := Commit(ctx, s, p)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != 9 || rep.Added != 4 || rep.Updated != 0 || rep.Unchanged != 0 || rep.HouseholdsAdded != 2 {
		t.Errorf("report = %+v", rep)
	}
	if !reflect.DeepEqual(rep.Merged, []Merged{{Row: 11, Into: 4}}) {
		t.Errorf("merged = %+v, want row 11 into row 4", rep.Merged)
	}
	skipped := map[int]string{}
	for _, sk := range rep.Skipped {
		skipped[sk.Row] = sk.Reason
	}
	wantSkip := map[int]string{7: "blank row", 9: "check character", 10: "not a date", 12: "nothing in the imported columns"}
	if len(skipped) != len(wantSkip) {
		t.Errorf("skipped = %+v", rep.Skipped)
	}
	for line, frag := range wantSkip {
		if !strings.Contains(skipped[line], frag) {
			t.Errorf("row %d: skip reason %q, want it to mention %q", line, skipped[line], frag)
		}
	}
	if n := rep.Rows - rep.Added - rep.Updated - rep.Unchanged - len(rep.Merged) - len(rep.Skipped); n != 0 {
		t.Errorf("%d rows not accounted for", n)
	}

	rows, err := s.Households(ctx, store.HouseholdFilter{VillageID: vs[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("%d households, want 2", len(rows))
	}
	byDoor := map[string]store.HouseholdRow{}
	for _, r := range rows {
		byDoor[r.DoorNumber] = r
	}
	zhang := byDoor["203"]
	if zhang.OwnerName != "张三" || zhang.OwnerPhone != "13812345678" || zhang.Residents != 3 {
		t.Errorf("household 203 = %+v", zhang)
	}
	if !reflect.DeepEqual(zhang.Categories, []string{store.CatParty, store.CatElderly}) {
		t.Errorf("household 203 categories = %v", zhang.Categories)
	}
	wang := byDoor["205"]
	if wang.OwnerPhone != "03716123456" || wang.Residents != 1 || !reflect.DeepEqual(wang.Categories, []string{store.CatKey}) {
		t.Errorf("household 205 = %+v", wang)
	}
	res, err := s.Residents(ctx, zhang.ID)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]store.Resident{}
	for _, r := range res {
		byName[r.Name] = r
	}
	if r := byName["张三"]; r.IDNumber != ppl.zhangSan || r.Relation != "户主" || r.BirthDate != "1948-05-12" || r.Notes != "民族：汉；户口在本村" {
		t.Errorf("张三 = %+v", r)
	}
	if r := byName["李秀英"]; r.IDNumber != ppl.liXiuying || r.Gender != "女" || r.BirthDate != "1949-12-31" || r.Phone != "13912345678" {
		t.Errorf("李秀英 = %+v", r)
	}
	if r := byName["张小明"]; r.IDNumber != ppl.xiaoMing18 || r.BirthDate != "1980-01-01" || r.Phone != "13700001111" ||
		!strings.Contains(r.Notes, "13700002222") || !strings.Contains(r.Notes, "在外务工") {
		t.Errorf("张小明 = %+v", r)
	}

	// The same file again changes nothing: no record, no change logged.
	after := changeCount(t, s)
	_, rep2 := importBytes(t, s, "台账.xlsx", data, Options{})
	if rep2.Added != 0 || rep2.Updated != 0 || rep2.Unchanged != 4 || rep2.HouseholdsAdded != 0 || rep2.HouseholdsUpdated != 0 {
		t.Errorf("second import report = %+v", rep2)
	}
	if got := changeCount(t, s); got != after {
		t.Errorf("second import logged %d changes", got-after)
	}
}

// The same people as a GBK CSV with the columns in another order and
// one-row-per-person household columns: it matches what the workbook
// recorded, and its one new value is an update.
func TestImportGBKCSVMatchesExisting(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t, "张庄村")
	ppl := testPeople(t)
	importBytes(t, s, "台账.xlsx", messyLedger(t, ppl), Options{})
	before := changeCount(t, s)

	csvText := "身份证号,姓名,户主姓名,门牌号,联系电话,走访日期,走访情况\r\n" +
		ppl.liXiuying + ",李秀英,张三,203号,13912345678,2024/3/5,身体尚好\r\n" +
		ppl.xiaoMing18 + ",张小明,张三,203,13700001111,2024/3/5,\r\n" +
		",张二妞,张三,203,,,\r\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(csvText))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(gbk, []byte(csvText)) {
		t.Fatal("GBK encoding did not change the bytes")
	}
	_, rep := importBytes(t, s, "ledger.csv", gbk, Options{})
	if rep.Added != 1 || rep.Unchanged != 2 || rep.HouseholdsAdded != 0 || rep.VisitsAdded != 1 {
		t.Errorf("report = %+v", rep)
	}
	if changeCount(t, s) == before {
		t.Error("nothing was written")
	}
	rows, _ := s.Households(ctx, store.HouseholdFilter{Query: "203"})
	if len(rows) != 1 || rows[0].Residents != 4 || rows[0].LastVisit != "2024-03-05" {
		t.Fatalf("household 203 after CSV = %+v", rows)
	}
	vis, _ := s.Visits(ctx, rows[0].ID)
	if len(vis) != 1 || vis[0].Notes != "身体尚好" {
		t.Errorf("visits = %+v", vis)
	}
	// And again: nothing.
	before = changeCount(t, s)
	_, rep = importBytes(t, s, "ledger.csv", gbk, Options{})
	if rep.Added != 0 || rep.Updated != 0 || changeCount(t, s) != before {
		t.Errorf("re-import changed things: %+v", rep)
	}
}

func TestCommitRefusesStalePreview(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t, "张庄村")
	ppl := testPeople(t)
	data := messyLedger(t, ppl)
	tables, _ := Read("a.xlsx", data)
	tb := Best(tables)
	p, err := Preview(ctx, s, tb, Suggest(tb), Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Someone records 王五's household in the meantime.
	v, _ := s.VillageByName(ctx, "张庄村")
	hh := store.Household{VillageID: v.ID, DoorNumber: "205", OwnerName: "王五"}
	if err := s.Save(ctx, &hh); err != nil {
		t.Fatal(err)
	}
	before := changeCount(t, s)
	if _, err := Commit(ctx, s, p); !errors.Is(err, ErrStale) {
		t.Fatalf("commit after a change = %v, want ErrStale", err)
	}
	if changeCount(t, s) != before {
		t.Fatal("a refused commit wrote something")
	}
}

func TestPreviewNeedsVillage(t *testing.T) {
	ctx := context.Background()
	s, vs := newStore(t, "张庄村", "李庄村")
	data := []byte("姓名,门牌号,与户主关系\n张三,1,户主\n")
	tables, _ := Read("a.csv", data)
	tb := Best(tables)
	if _, err := Preview(ctx, s, tb, Suggest(tb), Options{}); !errors.Is(err, ErrNoVillage) {
		t.Fatalf("err = %v, want ErrNoVillage", err)
	}
	p, err := Preview(ctx, s, tb, Suggest(tb), Options{VillageID: vs[1].ID})
	if err != nil || p.Report.Added != 1 {
		t.Fatalf("with a village: %v %+v", err, p)
	}
	// A 村 column picks the village per row; an unknown one is skipped.
	data = []byte("村,姓名,门牌号,户主\n李庄村,张三,1,张三\n王庄村,李四,2,李四\n")
	tables, _ = Read("b.csv", data)
	tb = Best(tables)
	p, err = Preview(ctx, s, tb, Suggest(tb), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Report.Added != 1 || len(p.Report.Skipped) != 1 || !strings.Contains(p.Report.Skipped[0].Reason, "王庄村") {
		t.Fatalf("report = %+v", p.Report)
	}
}

// Property: a ledger whose rows each carry their household's columns
// gives the same records whatever the order of its rows, and importing
// it again in another order changes nothing.
func TestImportOrderDoesNotMatter(t *testing.T) {
	for seed := int64(1); seed <= 5; seed++ {
		rng := rand.New(rand.NewSource(seed))
		lines := []string{}
		for hh := 0; hh < 8+rng.Intn(8); hh++ {
			door := fmt.Sprint(1 + rng.Intn(40))
			owner := string([]rune("王李张刘陈杨赵黄")[rng.Intn(8)]) + string([]rune("建国军强明华英兰")[rng.Intn(8)])
			cat := []string{"", "党员", "留守老人"}[rng.Intn(3)]
			for m := 0; m < 1+rng.Intn(4); m++ {
				name, rel := owner, "户主"
				if m > 0 {
					name, rel = owner+string([]rune("一二三四五")[m]), "子"
				}
				id := ""
				if rng.Intn(3) > 0 {
					id = mkID(t, "410526", fmt.Sprintf("19%02d0%d1%d", 40+rng.Intn(50), 1+rng.Intn(9), rng.Intn(9)), rng.Intn(1000))
				}
				lines = append(lines, strings.Join([]string{door, owner, name, rel, id, fmt.Sprintf("1390000%04d", rng.Intn(10000)), cat}, ","))
			}
		}
		const head = "门牌号,户主姓名,姓名,与户主关系,身份证号,联系电话,人员类别\n"
		shuffled := append([]string(nil), lines...)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		a, _ := newStore(t, "张庄村")
		b, _ := newStore(t, "张庄村")
		_, ra := importBytes(t, a, "a.csv", []byte(head+strings.Join(lines, "\n")), Options{})
		_, rb := importBytes(t, b, "b.csv", []byte(head+strings.Join(shuffled, "\n")), Options{})
		if ra.Added != rb.Added || ra.HouseholdsAdded != rb.HouseholdsAdded || len(ra.Merged) != len(rb.Merged) || len(ra.Skipped) != len(rb.Skipped) {
			t.Fatalf("seed %d: reports differ:\n%+v\n%+v", seed, ra, rb)
		}
		if ea, eb := exportedSorted(t, a), exportedSorted(t, b); ea != eb {
			t.Fatalf("seed %d: records differ by row order:\n%s\n---\n%s", seed, ea, eb)
		}
		before := changeCount(t, a)
		_, again := importBytes(t, a, "b.csv", []byte(head+strings.Join(shuffled, "\n")), Options{})
		if again.Added != 0 || again.Updated != 0 || changeCount(t, a) != before {
			t.Fatalf("seed %d: shuffled re-import changed things: %+v", seed, again)
		}
	}
}

func exportedSorted(t *testing.T, s *store.Store) string {
	t.Helper()
	var buf bytes.Buffer
	if _, err := Export(context.Background(), s, &buf, ExportOptions{ShowIDs: true}); err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, r := range sheetRows(t, buf.Bytes()) {
		rows = append(rows, strings.Join(r, "|"))
	}
	sort.Strings(rows)
	return strings.Join(rows, "\n")
}
