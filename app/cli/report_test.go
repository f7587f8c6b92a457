package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"cunjing/app/cli/clitest"
	"cunjing/app/monthreport"
)

// TestCLIReportMonth: `cunjing report month` at a station with two posts
// writes one sheet per topic; on every sheet the 合计 row is the sum of the
// posts' rows, and each post's patrol figures are the ones `cunjing
// station` reports for the same days (one figures function). A month with
// no data renders with zeros and says so; the PDF summary is written.
func TestCLIReportMonth(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	st := filepath.Join(dir, "station.db")
	clitest.MustRun(t, "init", "--db", st, "--role", "station", "--name", "城关派出所")
	stick := t.TempDir()
	for i, seed := range []string{"7", "8"} {
		post := filepath.Join(dir, "post"+seed+".db")
		clitest.MustRun(t, "demo", "--db", post, "--seed", seed, "--houses", strconv.Itoa(40+20*i), "--venues", "4", "--today", "2026-11-24")
		clitest.Pair(t, st, post)
		clitest.MustRun(t, "exchange", "--db", post, "--dir", stick)
	}
	clitest.MustRun(t, "exchange", "--db", st, "--dir", stick)

	xlsx, pdf := filepath.Join(dir, "月报.xlsx"), filepath.Join(dir, "月报.pdf")
	out := clitest.MustRun(t, "report", "month", "--db", st, "--month", "2026-11", "--out", xlsx, "--pdf", pdf)
	if !strings.Contains(out, "2 个警务室") || strings.Contains(out, monthreport.EmptyNote) {
		t.Errorf("output: %s", out)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := []string{monthreport.SheetPeople, monthreport.SheetPatrols, monthreport.SheetCoverage, monthreport.SheetBoards, monthreport.SheetVisits}
	if got := f.GetSheetList(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	rowsOf := func(sheet string) (head []string, posts [][]string, total []string) {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 5 || rows[len(rows)-1][0] != "合计" {
			t.Fatalf("%s: %q", sheet, rows)
		}
		return rows[1], rows[2:4], rows[4]
	}
	for _, sheet := range want {
		head, posts, total := rowsOf(sheet)
		for c := 1; c < len(head); c++ {
			sum, numeric := 0, true
			for _, p := range posts {
				n, err := strconv.Atoi(cell(p, c))
				if err != nil {
					numeric = false
					break
				}
				sum += n
			}
			if !numeric {
				continue // rates: recomputed from the sums, not summed
			}
			if got, _ := strconv.Atoi(cell(total, c)); got != sum {
				t.Errorf("%s, %s: total %s, posts sum to %d", sheet, head[c], cell(total, c), sum)
			}
		}
	}
	// The demo's first market patrol of the month put boards up: the
	// month's 张贴 is counted, per post and in total.
	head, _, total := rowsOf(monthreport.SheetBoards)
	if len(head) < 4 || head[2] != "本月张贴（处次）" {
		t.Fatalf("boards sheet head %q", head)
	}
	if n, _ := strconv.Atoi(cell(total, 2)); n == 0 {
		t.Errorf("no boards put up this month: %q", total)
	}
	_, people, _ := rowsOf(monthreport.SheetPeople)
	if n, _ := strconv.Atoi(people[0][2]); n == 0 {
		t.Errorf("no households: %q", people[0])
	}
	// The patrol figures are `cunjing station`'s for the same days.
	var v struct {
		Posts []struct {
			Name string
			Plan struct {
				Planned, Done int
				AdHoc         int `json:"ad_hoc"`
			} `json:"patrol_plan"`
		}
	}
	if err := json.Unmarshal([]byte(clitest.MustRun(t, "station", "--db", st, "--from", "2026-11-01", "--to", "2026-11-30", "--json")), &v); err != nil {
		t.Fatal(err)
	}
	_, patrols, _ := rowsOf(monthreport.SheetPatrols)
	if len(v.Posts) != len(patrols) {
		t.Fatalf("%d posts in the station view, %d in the report", len(v.Posts), len(patrols))
	}
	for i, p := range v.Posts { // both in the station's order of posts
		r := patrols[i]
		if p.Plan.Planned == 0 || r[1] != strconv.Itoa(p.Plan.Planned) || r[2] != strconv.Itoa(p.Plan.Done) || r[5] != strconv.Itoa(p.Plan.AdHoc) {
			t.Errorf("post %d: report %q, station %+v", i, r, p.Plan)
		}
	}
	if b, err := os.ReadFile(pdf); err != nil || !strings.HasPrefix(string(b), "%PDF") {
		t.Errorf("PDF: %v", err)
	}

	// A month with no data: zeros, and it says so.
	empty := filepath.Join(dir, "空.xlsx")
	if out := clitest.MustRun(t, "report", "month", "--db", st, "--month", "2025-01", "--out", empty); !strings.Contains(out, monthreport.EmptyNote) {
		t.Errorf("an empty month does not say so: %s", out)
	}
	g, err := excelize.OpenFile(empty)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	for _, sheet := range want {
		rows, _ := g.GetRows(sheet)
		if len(rows) != 6 || rows[1][0] != monthreport.EmptyNote || rows[5][0] != "合计" {
			t.Fatalf("empty month's %s: %q", sheet, rows)
		}
		// Nothing planned is no rate: —, not 100% of nothing.
		for _, r := range rows[3:] {
			for _, c := range r[1:] {
				if c != "0" && c != "—" {
					t.Errorf("empty month's %s: %q", sheet, r)
				}
			}
		}
	}
	if _, _, code := clitest.Run(t, "report", "month", "--db", st, "--month", "2026-13", "--out", empty); code == 0 {
		t.Error("a bad month was accepted")
	}
}

func cell(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}
