package ledger

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"cunjing/store"
)

// planCSV parses a csv ledger with the suggested mapping and plans it
// against d (by device ME, rows without a village going to v1), so rows
// can meet records another device owns.
func planCSV(t *testing.T, csv string, d LedgerData) *planned {
	t.Helper()
	tables, err := Read("t.csv", []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	tb := Best(tables)
	entries, err := Parse(tb, Suggest(tb))
	if err != nil {
		t.Fatal(err)
	}
	d.Villages = append(d.Villages, store.Village{Meta: store.Meta{ID: "v1"}, Name: "张庄村"})
	return plan(entries, &d, env{device: "ME", villageID: "v1"})
}

// problemHeader is the ledger of the problem cases; 序号 is not imported.
const problemHeader = "村,门牌号,户主姓名,姓名,与户主关系,身份证号,性别,出生日期,联系电话,面积,是否党员,序号\n"

func TestEveryProblemKindFromARow(t *testing.T) {
	id := mkID(t, "410526", "19480512", 13)
	theirs := LedgerData{Households: []store.Household{
		{Meta: store.Meta{ID: "h1", Owner: "OTHER"}, VillageID: "v1", DoorNumber: "1", OwnerName: "张三"}}}
	cases := []struct {
		kind          ProblemKind
		rows          []string // the first row is the one checked
		d             LedgerData
		column, value string
	}{
		{ProblemBlank, []string{",,,,,,,,,,,", ",1,张三,张三,,,,,,,,"}, LedgerData{}, "", ""},
		{ProblemNothing, []string{",,,,,,,,,,,7"}, LedgerData{}, "", ""},
		{ProblemNoName, []string{",1,张三,," + "," + id + ",,,,,,"}, LedgerData{}, "", ""},
		{ProblemNoNameNoHousehold, []string{",,,,,,男,,,,,"}, LedgerData{}, "", ""},
		{ProblemNoHousehold, []string{",,,张三,,,,,,,,"}, LedgerData{}, "", ""},
		{ProblemNoOwner, []string{",209,,孙七,子,,,,,,,"}, LedgerData{}, "", ""},
		{ProblemVillage, []string{"王庄村,1,张三,张三,,,,,,,,"}, LedgerData{}, "村", "王庄村"},
		{ProblemOtherDevice, []string{",1,张三,张三,,,,,,,,"}, theirs, "", "1 张三"},
		{ProblemIDExcel, []string{",1,张三,张三,,4.10526E+17,,,,,,"}, LedgerData{}, "身份证号", "4.10526E+17"},
		{ProblemID, []string{",1,张三,张三,,410526194805120130,,,,,,"}, LedgerData{}, "身份证号", "410526194805120130"},
		{ProblemPhone, []string{",1,张三,张三,,,,,12345,,,"}, LedgerData{}, "联系电话", "12345"},
		{ProblemDate, []string{",1,张三,张三,,,,1960-2-30,,,,"}, LedgerData{}, "出生日期", "1960-2-30"},
		{ProblemDateNoDay, []string{",1,张三,张三,,,,1960年5月,,,,"}, LedgerData{}, "出生日期", "1960年5月"},
		{ProblemArea, []string{",1,张三,张三,,,,,,大约100,,"}, LedgerData{}, "面积", "大约100"},
		{ProblemYesNo, []string{",1,张三,张三,,,,,,,也许,"}, LedgerData{}, "是否党员", "也许"},
		{ProblemChoice, []string{",1,张三,张三,,,公,,,,,"}, LedgerData{}, "性别", "公"},
	}
	seen := map[ProblemKind]bool{ProblemOther: true} // no row is unclassified; see TestRecordProblemByField
	for _, c := range cases {
		t.Run(string(c.kind), func(t *testing.T) {
			out := planCSV(t, problemHeader+strings.Join(c.rows, "\n")+"\n", c.d)
			r := out.rows[0]
			if r.Action != ActSkipped || len(r.Problems) != 1 {
				t.Fatalf("row %d: %+v", r.Row, r)
			}
			p := r.Problems[0]
			if p.Kind != c.kind || p.Column != c.column || p.Value != c.value || p.Text == "" || r.Reason != p.Text {
				t.Errorf("problem %+v (reason %q), want kind %s column %q value %q", p, r.Reason, c.kind, c.column, c.value)
			}
			seen[c.kind] = true
		})
	}
	for _, k := range ProblemKinds() {
		if !seen[k] {
			t.Errorf("kind %s has no case", k)
		}
	}
}

// The English reason stays what scripts read (--json "reason"), one
// column's text after another; the problems come alongside.
func TestReasonKeepsItsEnglish(t *testing.T) {
	out := planCSV(t, problemHeader+",1,张三,张三,,,公,1960年5月,,大约100,,\n", LedgerData{})
	want := `性别: gender "公" is not one of 女, 男; 出生日期: "1960年5月" has no day; 面积: area "大约100" is not a number of square metres`
	if got := out.report.Skipped[0].Reason; got != want {
		t.Errorf("reason %q, want %q", got, want)
	}
	data, err := json.Marshal(out.report)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Skipped []struct {
			Reason   string `json:"reason"`
			Problems []struct {
				Kind, Column, Value string
			} `json:"problems"`
		} `json:"skipped"`
	}
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	ps := back.Skipped[0].Problems
	if back.Skipped[0].Reason != want || len(ps) != 3 || ps[0].Kind != "choice" || ps[1].Kind != "date_no_day" || ps[2].Column != "面积" {
		t.Errorf("json %s", data)
	}
}

// Records the store refuses are classified by the refused field.
func TestRecordProblemByField(t *testing.T) {
	cases := []struct {
		err    error
		kind   ProblemKind
		column string
	}{
		{(&store.Resident{Name: "甲", Gender: "X"}).Validate(), ProblemChoice, "性别"},
		{(&store.Resident{Name: "甲", MoveIn: "2024-02-30"}).Validate(), ProblemDate, "迁入日期"},
		{(&store.Resident{Name: "甲", EmergencyPhone: "12"}).Validate(), ProblemPhone, "紧急联系电话"},
		{(&store.Household{VillageID: "v1"}).Validate(), ProblemNoOwner, ""},
		{(&store.Household{VillageID: "v1", OwnerName: "甲", AreaM2: -1}).Validate(), ProblemArea, "面积"},
		{fmt.Errorf("save: %w", &store.FieldError{Table: "residents", Field: "id_number", Value: "1", Msg: "x"}), ProblemID, "身份证号"},
		{&store.FieldError{Table: "residents", Field: "new_field", Msg: "x"}, ProblemOther, ""},
		{errors.New("disk full"), ProblemOther, ""},
	}
	for _, c := range cases {
		if c.err == nil {
			t.Fatalf("case %s %q: the store accepted the record", c.kind, c.column)
		}
		p := recordProblem("resident: ", c.err)[0]
		if p.Kind != c.kind || p.Column != c.column || p.Text != "resident: "+c.err.Error() {
			t.Errorf("%v: %+v, want %s %q", c.err, p, c.kind, c.column)
		}
	}
}

const visitHeader = "门牌号,户主姓名,姓名,与户主关系,身份证号,性别,出生日期,面积,走访日期,走访人\n"

func TestEveryWarningKindFromARow(t *testing.T) {
	id := mkID(t, "410526", "19480512", 13) // a man born 1948-05-12
	mine := store.Household{Meta: store.Meta{ID: "h1", Owner: "ME"}, VillageID: "v1", DoorNumber: "1", OwnerName: "张三"}
	cases := []struct {
		kind WarningKind
		rows []string // the last row is the one checked
		d    LedgerData
		want Warning
	}{
		{WarnDiffers, []string{"1,张三,张三,户主,,,,100,,", "1,张三,李四,妻,,,,120,,"}, LedgerData{},
			Warning{Column: "面积", Value: "120", Kept: "100", Ref: 2}},
		{WarnMoves, []string{"2,王五,李四,," + id + ",,,,,"}, LedgerData{Households: []store.Household{mine},
			Residents: []store.Resident{{Meta: store.Meta{ID: "r1", Owner: "ME"}, HouseholdID: "h1", Name: "李四", IDNumber: id}}},
			Warning{Name: "李四", Household: "1 张三"}},
		{WarnTwice, []string{"1,张三,李四,," + id + ",,,,,", "2,王五,李四,," + id + ",,,,,"}, LedgerData{},
			Warning{Name: "李四", Household: "1 张三", Ref: 2}},
		{WarnOtherDevice, []string{"1,张三,张三,户主,,,,,2024-03-05,刘警官"}, LedgerData{Households: []store.Household{mine},
			Visits: []store.Visit{{Meta: store.Meta{ID: "x1", Owner: "OTHER"}, HouseholdID: "h1", Date: "2024-03-05"}}},
			Warning{Column: "走访日期", Value: "2024-03-05"}},
		{WarnVisitNoDate, []string{"1,张三,张三,户主,,,,,,刘警官"}, LedgerData{}, Warning{Column: "走访日期"}},
		{WarnIDGender, []string{"1,张三,张三,户主," + id + ",女,,,,"}, LedgerData{}, Warning{Column: "性别", Value: "女", Kept: "男"}},
		{WarnIDBirth, []string{"1,张三,张三,户主," + id + ",,1950-01-01,,,"}, LedgerData{},
			Warning{Column: "出生日期", Value: "1950-01-01", Kept: "1948-05-12"}},
	}
	seen := map[WarningKind]bool{}
	for _, c := range cases {
		t.Run(string(c.kind), func(t *testing.T) {
			out := planCSV(t, visitHeader+strings.Join(c.rows, "\n")+"\n", c.d)
			line := len(c.rows) + 1
			var got []Warning
			for _, w := range out.report.Warnings {
				if w.Kind == c.kind && w.Row == line {
					got = append(got, w)
				}
			}
			if len(got) != 1 {
				t.Fatalf("row %d: warnings %+v", line, out.report.Warnings)
			}
			w := got[0]
			c.want.Row, c.want.Kind, c.want.Message = line, c.kind, w.Message
			if w != c.want || w.Message == "" {
				t.Errorf("warning %+v, want %+v", w, c.want)
			}
			seen[c.kind] = true
		})
	}
	for _, k := range WarningKinds() {
		if !seen[k] {
			t.Errorf("kind %s has no case", k)
		}
	}
}
