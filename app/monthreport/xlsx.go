package monthreport

import (
	"fmt"
	"io"
	"sort"

	"github.com/xuri/excelize/v2"

	"cunjing/store"
	"cunjing/store/schedule"
	"cunjing/store/schedule/tally"
)

// The report is a document for the county in Chinese: its sheet names and
// headings are fixed words, as on the printed boards.

// Categories and warning colours as columns, in the order officers report
// them.
var (
	warnings   = []string{store.WarnRed, store.WarnOrange, store.WarnGreen}
	categories = []string{store.CatKey, store.CatRental, store.CatFloating, store.CatElderly, store.CatChild, store.CatAlone,
		store.CatParty, store.CatGrid, store.CatWubao}
	kindNames = map[string]string{schedule.KindPatrol: "日常巡逻", schedule.KindMarket: "逢集巡逻", schedule.KindSchoolGate: "护学岗"}
)

// Sheet names, one per topic.
const (
	SheetPeople   = "一标三实"
	SheetPatrols  = "巡逻"
	SheetCoverage = "逢集与护学岗"
	SheetBoards   = "警示牌"
	SheetVisits   = "走访"
)

// EmptyNote is what a month with no data says on every sheet.
const EmptyNote = "本月没有数据：各项均为 0。"

// WriteXLSX writes the report: one sheet per topic, a row per post and the
// township total (合计) last.
func WriteXLSX(r Report, w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	rows := append(append([]Post(nil), r.Posts...), r.Total)
	title := fmt.Sprintf("%s 月报（%s 至 %s）", r.Month, r.From, r.To)

	people := []string{"警务室", "房屋（现有）", "住户（现有）", "居民（现有）", "本月修改（条）"}
	for _, w := range warnings {
		people = append(people, w+"色")
	}
	people = append(people, categories...)
	var kinds []string
	for _, k := range schedule.Kinds {
		if tally.Logged(k) {
			kinds = append(kinds, k)
		}
	}
	patrols := []string{"警务室", "应巡", "实巡", "漏巡", "完成率", "临时巡逻"}
	for _, k := range kinds {
		patrols = append(patrols, kindNames[k]+"应巡", kindNames[k]+"实巡", kindNames[k]+"漏巡")
	}
	venues := map[string]bool{}
	for _, p := range r.Posts {
		for _, m := range []map[string]int{p.Stats.BoardsVenues, p.Month.BoardsPosted, p.Month.BoardsChecked} {
			for v := range m {
				venues[v] = true
			}
		}
	}
	var venueList []string
	for v := range venues {
		venueList = append(venueList, v)
	}
	sort.Strings(venueList)

	sheets := []struct {
		name string
		head []string
		row  func(Post) []any
	}{
		{SheetPeople, people, func(p Post) []any {
			out := []any{p.Name, p.Stats.Houses, p.Stats.Households, p.Stats.Residents, p.Month.Changes}
			for _, w := range warnings {
				out = append(out, p.Stats.ByWarning[w])
			}
			for _, c := range categories {
				out = append(out, p.Stats.ByCategory[c])
			}
			return out
		}},
		{SheetPatrols, patrols, func(p Post) []any {
			f := p.Patrols
			out := []any{p.Name, f.Planned, f.Done, f.Missed, rateCell{f.Planned, f.Rate}, f.AdHoc}
			for _, k := range kinds {
				kf := f.ByKind[k]
				out = append(out, kf.Planned, kf.Done, kf.Missed)
			}
			return out
		}},
		{SheetCoverage, []string{"警务室", "逢集班次", "有巡逻记录", "逢集覆盖率", "护学岗班次", "有巡逻记录", "护学岗到岗率"}, func(p Post) []any {
			m, g := p.Patrols.ByKind[schedule.KindMarket], p.Patrols.ByKind[schedule.KindSchoolGate]
			return []any{p.Name, m.Planned, m.Done, rateCell{m.Planned, m.Rate}, g.Planned, g.Done, rateCell{g.Planned, g.Rate}}
		}},
		{SheetBoards, boardsHead(venueList), func(p Post) []any {
			posted, checked := p.Month.Boards()
			out := []any{p.Name, p.Stats.BoardsPrint, posted, checked}
			for _, v := range venueList {
				out = append(out, p.Stats.BoardsVenues[v], p.Month.BoardsPosted[v], p.Month.BoardsChecked[v])
			}
			return out
		}},
		{SheetVisits, []string{"警务室", "本月走访（次）"}, func(p Post) []any { return []any{p.Name, p.Month.Visits} }},
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	// A rate is a number shown as a whole percentage, right-aligned as
	// the counts beside it are (it was the text 79%, set at the cell's
	// left); — where nothing was planned, right-aligned too.
	right := &excelize.Alignment{Horizontal: "right"}
	pct, err := f.NewStyle(&excelize.Style{NumFmt: 9, Alignment: right})
	if err != nil {
		return err
	}
	dash, err := f.NewStyle(&excelize.Style{Alignment: right})
	if err != nil {
		return err
	}
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(sh.name); err != nil {
			return err
		}
		line := 1
		put := func(vals []any) error {
			cell, _ := excelize.CoordinatesToCellName(1, line)
			styles := map[string]int{}
			for j, v := range vals {
				if rc, ok := v.(rateCell); ok {
					c, _ := excelize.CoordinatesToCellName(j+1, line)
					if rc.planned == 0 {
						vals[j], styles[c] = "—", dash
					} else {
						vals[j], styles[c] = rc.rate, pct
					}
				}
			}
			line++
			if err := f.SetSheetRow(sh.name, cell, &vals); err != nil {
				return err
			}
			for c, st := range styles {
				if err := f.SetCellStyle(sh.name, c, c, st); err != nil {
					return err
				}
			}
			return nil
		}
		if err := put([]any{title}); err != nil {
			return err
		}
		if r.Empty {
			if err := put([]any{EmptyNote}); err != nil {
				return err
			}
		}
		head := make([]any, len(sh.head))
		for j, h := range sh.head {
			head[j] = h
		}
		headLine := line
		if err := put(head); err != nil {
			return err
		}
		last, _ := excelize.CoordinatesToCellName(len(sh.head), headLine)
		first, _ := excelize.CoordinatesToCellName(1, headLine)
		if err := f.SetCellStyle(sh.name, first, last, bold); err != nil {
			return err
		}
		for _, p := range rows {
			if err := put(sh.row(p)); err != nil {
				return err
			}
		}
	}
	_, err = f.WriteTo(w)
	return err
}

// rateCell is a rate in the workbook: the number, formatted as a whole
// percentage, or — when nothing was planned (rateOf).
type rateCell struct {
	planned int
	rate    float64
}

// percent is a rate as a whole percentage (a rate with nothing planned is
// 100%, as on the screens).
func percent(rate float64) string { return fmt.Sprintf("%d%%", int(rate*100+0.5)) }

// boardsHead is the boards sheet's header: per post the boards printed
// (all time), put up and checked this month, then the same three per
// venue.
func boardsHead(venues []string) []string {
	out := []string{"警务室", "警示牌印制（张，累计）", "本月张贴（处次）", "本月检查（处次）"}
	for _, v := range venues {
		out = append(out, v+"：印制", v+"：本月张贴", v+"：本月检查")
	}
	return out
}
