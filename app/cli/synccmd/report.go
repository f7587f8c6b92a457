package synccmd

import (
	"context"
	"fmt"
	"io"

	"cunjing/app/cli/clikit"
	"cunjing/app/monthreport"
	"cunjing/print/fonts"
	"cunjing/store/schedule/tally"
)

// Report is `cunjing report month`: the monthly report (月报) for the
// county as .xlsx, one sheet per topic, figures per post and the township
// total, and optionally a one-page PDF summary (app/monthreport).
func Report(ctx context.Context, env *clikit.Env, args []string) error {
	if len(args) == 0 || args[0] != "month" {
		return fmt.Errorf("%w: cunjing report month --db PATH --month YYYY-MM --out FILE.xlsx [--pdf FILE.pdf]", clikit.ErrUsage)
	}
	fs := clikit.NewFlags(env, "report month")
	db := fs.String("db", "", "database file (a station's: every post; a post's: itself)")
	month := fs.String("month", "", "the month, YYYY-MM")
	out := fs.String("out", "", "the .xlsx to write")
	pdfOut := fs.String("pdf", "", "also a one-page PDF summary")
	fontPath := fs.String("font", "", "font for the PDF (default: a Chinese system font)")
	if _, err := clikit.ParseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *month == "" || *out == "" {
		return fmt.Errorf("%w: --month and --out are required", clikit.ErrUsage)
	}
	now := env.Now()
	s, err := clikit.OpenDB(ctx, env, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	r, err := monthreport.Build(ctx, s, *month, tally.DueAt(now))
	if err != nil {
		return err
	}
	if err := clikit.WriteOutput(*out, func(w io.Writer) error { return monthreport.WriteXLSX(r, w) }, nil); err != nil {
		return err
	}
	if *pdfOut != "" {
		font, err := fonts.Find(*fontPath)
		if err != nil {
			return err
		}
		if err := clikit.WriteOutput(*pdfOut, func(w io.Writer) error { return monthreport.WritePDF(ctx, w, font, r, now) }, nil); err != nil {
			return err
		}
	}
	fmt.Fprintf(env.Stdout, "%s 月报：%d 个警务室，写入 %s\n", r.Month, len(r.Posts), *out)
	if r.Empty {
		fmt.Fprintln(env.Stdout, monthreport.EmptyNote)
	}
	return nil
}
