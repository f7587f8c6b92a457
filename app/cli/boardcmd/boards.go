package boardcmd

// Print commands of the boards area: print board, print leaflet, print
// cards. They share app/boardset with the window, so a board printed from
// either reads the same.

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"cunjing/app/boardset"
	"cunjing/app/cli/clikit"
	"cunjing/assets"
	"cunjing/print"
	"cunjing/print/costboard"
	"cunjing/print/fonts"
	"cunjing/store"
	"cunjing/store/clock"
)

// checkOutPath refuses an --out whose folder is missing or not writable before
// any work is done, so the user hears about it at once and in words.
func checkOutPath(out string) error {
	if out == "" {
		return fmt.Errorf("%w: --out FILE.pdf is required", clikit.ErrUsage)
	}
	dir := filepath.Dir(out)
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("cannot write %s: folder %s: %w", out, dir, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("cannot write %s: %s is not a folder", out, dir)
	}
	if fi, err := os.Stat(out); err == nil && fi.IsDir() {
		return fmt.Errorf("cannot write %s: it is a folder", out)
	}
	return nil
}

// findPrintFont finds the CJK font the PDF embeds, with advice when none is.
func findPrintFont(override string) (*fonts.Font, error) {
	f, err := fonts.Find(override)
	if err != nil {
		return nil, fmt.Errorf("no usable Chinese font (%w); install one (e.g. fonts-wqy-microhei) or pass --font FILE.ttf", err)
	}
	return f, nil
}

func PrintBoard(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db := clikit.NewDBFlags(env, "print board")
	venue := fs.String("venue", "", "venue ID (or exact name) to print one board for")
	all := fs.Bool("all", false, "one board per venue, all in one PDF")
	tpl := fs.String("template", "table", "table, calculator or poster")
	size := fs.String("size", "a4", "a4, a3, 60x90, 90x120 or WxH in cm")
	tile := fs.String("tile", "", "a4: tile a large board onto A4 sheets with glue marks")
	marks := fs.Bool("marks", false, "a4/a3 for a print shop: 3 mm bleed and crop marks (board sizes always have them)")
	final := fs.Bool("final", false, "refuse amounts the station has not confirmed")
	title := fs.String("title", "", "board title (default 打架成本警示牌)")
	slogan := fs.String("slogan", "", "slogan (default 遇事冷静 有话好说 动手必吃亏)")
	out := clikit.PDFOutFlag(fs)
	fontPath := fs.String("font", "", "CJK TrueType font (default: found on the system)")
	quiet := fs.Bool("quiet", false, "no progress on stderr")
	if _, err := clikit.ParseFlags(fs, args); err != nil {
		return err
	}
	if (*venue == "") == !*all {
		return fmt.Errorf("%w: give either --venue ID or --all", clikit.ErrUsage)
	}
	t, err := costboard.ParseTemplate(*tpl)
	if err != nil {
		return fmt.Errorf("%w: --template: %v", clikit.ErrUsage, err)
	}
	sz, err := print.ParseSize(*size)
	if err != nil {
		return fmt.Errorf("%w: --size: %v", clikit.ErrUsage, err)
	}
	tiled, err := costboard.ParseTile(*tile)
	if err != nil {
		return fmt.Errorf("%w: --tile: %v", clikit.ErrUsage, err)
	}
	if *marks && tiled {
		return fmt.Errorf("%w: --marks is for one sheet to a print shop, not with --tile", clikit.ErrUsage)
	}
	s, data, err := openBoardSet(ctx, env, *db, *out)
	if err != nil {
		return err
	}
	defer s.Close()
	venues := data.Venues
	if !*all {
		venues = nil
		for _, v := range data.Venues {
			if v.ID == *venue || v.Name == *venue {
				venues = append(venues, v)
				break
			}
		}
		if venues == nil {
			return fmt.Errorf("no venue %q in %s (see the venues with `cunjing dump --db %s | grep ^venues`)", *venue, *db, *db)
		}
	}
	if len(venues) == 0 {
		return fmt.Errorf("the venue list of %s is empty: record shops, clinics and other venues first", *db)
	}
	inForce, err := data.InForce(env.Now())
	if err != nil {
		return err
	}
	// The lines the template prints at this size with its body text
	// legible where it is read (16 minutes of arc: a wall board at 3 m, a
	// sheet at 1.25 m; docs/PRINTING.md), so a larger board may hold fewer.
	items := costboard.DefaultItemsFor(ctx, t, sz, inForce)
	if len(items) == 0 {
		return fmt.Errorf("no cost items in force in %s: the station publishes them", *db)
	}
	base := costboard.Default(items, "", boardset.Contact(data.Self))
	if *title != "" {
		base.Title = *title
	}
	if *slogan != "" {
		base.Slogan = *slogan
	}
	boards, err := data.Boards(base, venues)
	if err != nil {
		return err
	}
	font, err := findPrintFont(*fontPath)
	if err != nil {
		return err
	}
	l := costboard.Layout{Template: t, Size: sz, TileA4: tiled, Marks: *marks, RequireConfirmed: *final}
	var progress func(done, total int)
	if !*quiet && len(boards) > 1 {
		progress = func(done, total int) { fmt.Fprintf(env.Stderr, "\r%d/%d boards", done, total) }
	}
	sizeName := sz.Name
	if tiled {
		sizeName += "/a4-tiles"
	}
	err = clikit.WriteOutput(*out, func(w io.Writer) error {
		return costboard.WriteAll(ctx, w, font, boards, l, print.DocInfo{Title: base.Title}, progress)
	}, func() error {
		recs := boardset.Records("board", string(t), sizeName, venues, 1)
		return recordPrintJob(ctx, s, recs, "board", fmt.Sprintf("%d board(s) for %s", len(recs), *out))
	})
	if progress != nil {
		fmt.Fprintln(env.Stderr)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote %d board(s) (%s, %s) to %s\n", len(boards), t, sizeName, *out)
	return nil
}

// openBoardSet checks the PDF file out can be written (checkOutPath), then
// opens the database at db and what its boards and cards print from
// (boardset.Load); the caller closes the store.
func openBoardSet(ctx context.Context, env *clikit.Env, db, out string) (*store.Store, boardset.Data, error) {
	if err := checkOutPath(out); err != nil {
		return nil, boardset.Data{}, err
	}
	s, err := clikit.OpenDB(ctx, env, db)
	if err != nil {
		return nil, boardset.Data{}, err
	}
	data, err := boardset.Load(ctx, s)
	if err != nil {
		s.Close()
		return nil, boardset.Data{}, err
	}
	return s, data, nil
}

// recordPrintJob keeps the print records and an audit entry (the prints
// carry officers' names and phone numbers).
func recordPrintJob(ctx context.Context, s *store.Store, recs []store.PrintRecord, kind, detail string) error {
	at := clock.In(s.Now()).Format("2006-01-02 15:04:05")
	list := make([]store.Record, len(recs))
	for i := range recs {
		recs[i].PrintedAt = at
		recs[i].By = "cli"
		list[i] = &recs[i]
	}
	if err := s.Save(ctx, list...); err != nil {
		return fmt.Errorf("record the print: %w", err)
	}
	if err := s.Audit(ctx, "cli", "", store.AuditPrint, kind, detail); err != nil {
		return fmt.Errorf("audit the print: %w", err)
	}
	return nil
}

func PrintLeaflet(ctx context.Context, env *clikit.Env, args []string) error {
	fs := clikit.NewFlags(env, "print leaflet")
	db := fs.String("db", "", "database file (its post's contact goes on the back; the print is recorded)")
	topic := fs.String("topic", "", "fire, theft, fraud or drowning")
	format := fs.String("format", "a4-bifold", "a4-bifold or a5")
	out := clikit.PDFOutFlag(fs)
	fontPath := fs.String("font", "", "CJK TrueType font (default: found on the system)")
	if _, err := clikit.ParseFlags(fs, args); err != nil {
		return err
	}
	if !hasString(assets.LeafletTopics, *topic) {
		return fmt.Errorf("%w: --topic must be one of %s", clikit.ErrUsage, strings.Join(assets.LeafletTopics, ", "))
	}
	lf, err := assets.DefaultLeaflet(*topic)
	if err != nil {
		return err
	}
	f, err := print.ParseLeafletFormat(*format)
	if err != nil {
		return fmt.Errorf("%w: --format: %v", clikit.ErrUsage, err)
	}
	if err := checkOutPath(*out); err != nil {
		return err
	}
	var s *store.Store
	// Without a post's database the back carries the police number only.
	contact := print.Contact{Phone: "110", QR: "tel:110"}
	if *db != "" {
		if s, err = clikit.OpenDB(ctx, env, *db); err != nil {
			return err
		}
		defer s.Close()
		data, err := boardset.Load(ctx, s)
		if err != nil {
			return err
		}
		contact = boardset.Contact(data.Self)
	}
	font, err := findPrintFont(*fontPath)
	if err != nil {
		return err
	}
	err = clikit.WriteOutput(*out, func(w io.Writer) error {
		return print.WriteLeaflet(w, font, lf, f, contact)
	}, func() error {
		if s == nil {
			return nil
		}
		return recordPrintJob(ctx, s, boardset.Records("leaflet", *topic, string(f), nil, 1), "leaflet", *topic+" "+*out)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote the %s leaflet (%s) to %s\n", *topic, f, *out)
	return nil
}

func PrintCards(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db := clikit.NewDBFlags(env, "print cards")
	copies := fs.Int("copies", 10, "cards per person (10 fill one A4 page)")
	out := clikit.PDFOutFlag(fs)
	fontPath := fs.String("font", "", "CJK TrueType font (default: found on the system)")
	if _, err := clikit.ParseFlags(fs, args); err != nil {
		return err
	}
	if *copies < 1 || *copies > 1000 {
		return fmt.Errorf("%w: --copies must be 1..1000", clikit.ErrUsage)
	}
	s, data, err := openBoardSet(ctx, env, *db, *out)
	if err != nil {
		return err
	}
	defer s.Close()
	contacts := data.CardContacts()
	for _, c := range contacts {
		if c.Phone == "" {
			return fmt.Errorf("%s has no phone number to print on its card (set it in the post's profile)", cardOwner(c))
		}
	}
	font, err := findPrintFont(*fontPath)
	if err != nil {
		return err
	}
	err = clikit.WriteOutput(*out, func(w io.Writer) error {
		return print.WriteCards(w, font, contacts, *copies)
	}, func() error {
		return recordPrintJob(ctx, s, boardset.Records("cards", "", "a4", nil, *copies*len(contacts)), "cards", *out)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote %d card(s) to %s\n", *copies*len(contacts), *out)
	return nil
}

func cardOwner(c print.Contact) string {
	if n := strings.TrimSpace(c.Post + " " + c.Officer); n != "" {
		return n
	}
	return "this post"
}

func hasString(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
