package boards

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/print"
	"cunjing/print/fonts"
	"cunjing/store"
)

// pathChooser asks where to save a file (suggested name given) and calls
// then with the chosen path; cancelling calls nothing. Tests replace the
// dialog with a fixed path.
type pathChooser func(suggested string, then func(path string))

// saveDialog is the real chooser: the window's own (kit.SavePath), PDF files only.
func (u *area) saveDialog(suggested string, then func(path string)) {
	// The chooser creates nothing: the PDF is written through a temporary
	// name and renamed over the path.
	kit.SavePath(u.Window(), suggested, []string{".pdf"}, fyne.NewSize(860, 580), then)
}

// printJob is one PDF to write and what to record once it is written.
type printJob struct {
	path    string
	write   func(ctx context.Context, w io.Writer) error
	records []store.PrintRecord
	// audit, when set, is the subject of an audit entry: the print
	// carries people's names and phone numbers.
	audit string
}

// runPrint writes a print job off the UI goroutine (through a temporary
// file, so a failure never leaves half a PDF), records it, says where it
// is (with 打开 and 打开所在文件夹) and calls done on the UI goroutine
// with the outcome.
func (u *area) runPrint(ctx context.Context, job printJob, done func(err error)) {
	err := print.CreateFile(job.path, func(w io.Writer) error { return job.write(ctx, w) })
	if err == nil {
		err = u.recordPrints(ctx, job)
	}
	if u.Ctx().Err() != nil {
		return // the window is closing
	}
	u.Do(func() {
		if err == nil {
			u.ShowSaved(job.path, "")
		}
		done(err)
	})
}

// saveToFile runs a print job into path for a designer's "save" button:
// the button is disabled and msg says what is happening until the file is
// written (and opened), or the error is shown.
func (u *area) saveToFile(job printJob, path string, save *widget.Button, msg kit.TextSetter) {
	job.path = path
	save.Disable()
	kit.SetWrapped(msg, lang.L("boards.out.writing"))
	u.GoBG(func(ctx context.Context) {
		u.runPrint(ctx, job, func(err error) {
			save.Enable()
			if err != nil {
				kit.SetWrapped(msg, "")
				u.ShowError(lang.L("boards.out.saveFailed"), err)
				return
			}
			kit.SetWrapped(msg, fmt.Sprintf(lang.L("boards.out.saved"), path))
			u.refreshPrinted()
		})
	})
}

// recordPrints keeps what was printed (the station counts boards per
// venue) and audits prints that carry personal data.
func (u *area) recordPrints(ctx context.Context, job printJob) error {
	by := u.Actor()
	now := u.Now().Format("2006-01-02 15:04:05")
	recs := make([]store.Record, 0, len(job.records))
	for i := range job.records {
		job.records[i].PrintedAt = now
		job.records[i].By = by
		recs = append(recs, &job.records[i])
	}
	if len(recs) > 0 {
		if err := u.Store().Save(ctx, recs...); err != nil {
			return fmt.Errorf("record the print: %w", err)
		}
	}
	if job.audit != "" {
		if err := u.Audit(ctx, store.AuditPrint, job.audit, job.path); err != nil {
			return err
		}
	}
	return nil
}

// renderPages rasterises pages for a preview into one image, each page
// widthPx wide: landscape pages (a folded leaflet's outside and inside)
// stacked, portrait ones side by side, so they show as large as the panel
// allows.
func renderPages(font *fonts.Font, pages []print.Page, widthPx int) (image.Image, error) {
	if len(pages) == 0 {
		return nil, errors.New("nothing to preview")
	}
	var imgs []*image.RGBA
	w, h := 0, 0
	stack := pages[0].W > pages[0].H
	gap := widthPx / 40
	for i, p := range pages {
		img, err := print.Rasterize(font, p, widthPx)
		if err != nil {
			return nil, fmt.Errorf("preview %s: %w", p.Label, err)
		}
		imgs = append(imgs, img)
		b := img.Bounds()
		if i > 0 {
			if stack {
				h += gap
			} else {
				w += gap
			}
		}
		if stack {
			w, h = max(w, b.Dx()), h+b.Dy()
		} else {
			w, h = w+b.Dx(), max(h, b.Dy())
		}
	}
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	x, y := 0, 0
	for _, img := range imgs {
		b := img.Bounds()
		draw.Draw(out, image.Rect(x, y, x+b.Dx(), y+b.Dy()), img, b.Min, draw.Src)
		if stack {
			y += b.Dy() + gap
		} else {
			x += b.Dx() + gap
		}
	}
	return out, nil
}
