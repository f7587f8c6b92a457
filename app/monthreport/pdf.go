package monthreport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"cunjing/print"
	"cunjing/print/fonts"
	"cunjing/print/typeset"
	"cunjing/store/schedule"
)

// Summary is the report's PDF page: per post and the total, the headline
// figures of every sheet.
func Summary(r Report) print.SummaryTable {
	t := print.SummaryTable{Title: fmt.Sprintf("%s 月报", r.Month),
		Notes: []string{fmt.Sprintf("统计 %s 至 %s；巡逻数字与派出所、警务室屏幕上的同一算法；详见同名 Excel 各表。", r.From, r.To)}}
	if r.Empty {
		t.Notes = append(t.Notes, EmptyNote)
	}
	t.Rows = append(t.Rows, []string{"警务室", "房屋", "住户", "居民", "应巡", "实巡", "完成率", "逢集覆盖", "护学岗", "印制牌", "张贴牌", "走访"})
	for _, p := range append(append([]Post(nil), r.Posts...), r.Total) {
		f := p.Patrols
		posted, _ := p.Month.Boards()
		t.Rows = append(t.Rows, []string{p.Name, strconv.Itoa(p.Stats.Houses), strconv.Itoa(p.Stats.Households), strconv.Itoa(p.Stats.Residents),
			strconv.Itoa(f.Planned), strconv.Itoa(f.Done), rateOf(f.Planned, f.Rate),
			rateOf(f.ByKind[schedule.KindMarket].Planned, f.ByKind[schedule.KindMarket].Rate),
			rateOf(f.ByKind[schedule.KindSchoolGate].Planned, f.ByKind[schedule.KindSchoolGate].Rate),
			strconv.Itoa(p.Stats.BoardsPrint), strconv.Itoa(posted), strconv.Itoa(p.Month.Visits)})
	}
	return t
}

// rateOf is a rate as the page and the workbook print it: — when nothing
// was planned (the figures count that as 1, nothing missed, but 100% of
// nothing reads as work done).
func rateOf(planned int, rate float64) string {
	if planned == 0 {
		return "—"
	}
	return percent(rate)
}

// WritePDF writes the summary in font, on one page or, at a county with
// more posts than one page holds, on as many as it needs; created dates
// the file.
func WritePDF(ctx context.Context, w io.Writer, font *fonts.Font, r Report, created time.Time) error {
	if font == nil {
		return errors.New("monthly report PDF: no font")
	}
	m, err := typeset.NewMetrics(font.TTF)
	if err != nil {
		return fmt.Errorf("monthly report PDF: %w", err)
	}
	pages, err := print.SummaryPages(Summary(r), m)
	if err != nil {
		return fmt.Errorf("monthly report PDF: %w", err)
	}
	return print.WritePDF(ctx, w, font, print.DocInfo{Title: fmt.Sprintf("%s 月报", r.Month), Created: created}, pages, nil)
}
