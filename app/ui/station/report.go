package station

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/monthreport"
	"cunjing/app/ui/kit"
	"cunjing/print/fonts"
	"cunjing/store/schedule/tally"
)

// ReportEnv is what the month report bar needs besides Env: the window
// its file chooser opens over, the note that says where a file went, and
// the font the PDF embeds.
type ReportEnv interface {
	Env
	Window() fyne.Window
	ShowSaved(path, what string)
	PDFFont() (*fonts.Font, error)
}

// reportMonths is how many months back the bar offers.
const reportMonths = 12

// reportBar is 月报 on the station's home: a month (last month first
// selected: the one a county asks for) and the report written as .xlsx or
// its one-page PDF summary — what `cunjing report month` writes, through
// the same monthreport.Build.
type reportBar struct {
	u      ReportEnv
	months []time.Time
	pick   *widget.Select
}

func newReportBar(u ReportEnv) *reportBar {
	r := &reportBar{u: u, pick: kit.NewSelect(nil, nil)}
	r.fill(1) // last month: the one that has ended
	return r
}

// fill offers the months back from the clock's, selecting the one sel
// months back.
func (r *reportBar) fill(sel int) {
	now := r.u.Now()
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location())
	r.months = r.months[:0]
	var opts []string
	for i := range reportMonths {
		m := first.AddDate(0, -i, 0)
		r.months = append(r.months, m)
		opts = append(opts, fmt.Sprintf(lang.L("station.month"), m.Year(), int(m.Month())))
	}
	r.pick.Options = opts
	r.pick.SetSelectedIndex(sel)
}

// follow offers the months as of today when the month turned since they
// were listed (a station's window stays open for days): the choice keeps
// its distance back, so 上个月 stays last month.
func (r *reportBar) follow() {
	now := r.u.Now()
	if len(r.months) > 0 && r.months[0].Year() == now.Year() && r.months[0].Month() == now.Month() {
		return
	}
	sel := r.pick.SelectedIndex()
	if sel < 0 || sel >= reportMonths {
		sel = 1
	}
	r.fill(sel)
}

// Object is the bar: 月报, the month, 导出 Excel, 导出 PDF.
func (r *reportBar) Object() fyne.CanvasObject {
	xlsx := widget.NewButtonWithIcon(lang.L("station.report.xlsx"), theme.DocumentSaveIcon(), func() { r.export(false) })
	pdf := widget.NewButtonWithIcon(lang.L("station.report.pdf"), theme.DocumentPrintIcon(), func() { r.export(true) })
	return container.NewHBox(widget.NewLabel(lang.L("station.report.title")), kit.WithWidth(160, r.pick), xlsx, pdf)
}

// month is the month picked, YYYY-MM.
func (r *reportBar) month() string {
	r.follow()
	i := r.pick.SelectedIndex()
	if i < 0 || i >= len(r.months) {
		i = 1
	}
	return r.months[i].Format("2006-01")
}

// export asks where to save, then builds the report in the background and
// writes it whole (a failure leaves no half-written file).
func (r *reportBar) export(pdf bool) {
	month := r.month()
	var font *fonts.Font
	ext := ".xlsx"
	if pdf {
		f, err := r.u.PDFFont()
		if err != nil {
			r.u.ShowError(lang.L("station.report.needFont"), err)
			return
		}
		font, ext = f, ".pdf"
	}
	name := fmt.Sprintf(lang.L("station.report.fileName"), month) + ext
	kit.SavePath(r.u.Window(), name, []string{ext}, fyne.NewSize(900, 600), func(path string) {
		r.write(path, month, font)
	})
}

// write builds month's report and writes it to path: the .xlsx, or with
// font the PDF summary.
func (r *reportBar) write(path, month string, font *fonts.Font) {
	now := r.u.Now()
	var rep monthreport.Report
	kit.Run(r.u, func(ctx context.Context) error {
		var err error
		if rep, err = monthreport.Build(ctx, r.u.Store(), month, tally.DueAt(now)); err != nil {
			return err
		}
		var buf bytes.Buffer
		if font != nil {
			err = monthreport.WritePDF(ctx, &buf, font, rep, now)
		} else {
			err = monthreport.WriteXLSX(rep, &buf)
		}
		if err != nil {
			return err
		}
		return kit.WriteFile(path, buf.Bytes())
	}, func(err error) {
		r.u.ShowError(lang.L("station.report.failed"), err)
	}, func() {
		what := fmt.Sprintf(lang.L("station.report.saved"), month, len(rep.Posts))
		if rep.Empty {
			what += "\n" + monthreport.EmptyNote
		}
		r.u.ShowSaved(path, what)
	})
}
