package mapcmd

import (
	"context"
	"fmt"
	"io"
	"strings"

	"cunjing/app/cli/clikit"
	"cunjing/app/plates"
	"cunjing/print"
	"cunjing/print/fonts"
	"cunjing/store/clock"
)

// PrintPlates is `cunjing print plates`: door plates (门牌) for a
// village, a lane or chosen houses, for a sign maker (20x12, 30x20 cm:
// each plate its own page with bleed and crop marks) or as A4 stickers;
// with --replace-list the list of plates to replace after a renumbering.
// The same use case as the map editor's 门牌 (app/plates).
func PrintPlates(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db, village := clikit.NewVillageFlags(env, "print plates")
	lane := fs.String("lane", "", "only the houses whose gate opens onto this lane")
	houses := fs.String("houses", "", "house numbers and ranges, e.g. 1..50,203,203-1 (default: every house)")
	sizeFlag := fs.String("size", "20x12", "plate size: 20x12 or 30x20 (cm, for a sign maker: bleed and crop marks) or a4-stickers")
	out := clikit.PDFOutFlag(fs)
	replace := fs.Bool("replace-list", false, "print the list of plates to replace (old number → new number, lane, householder) instead of plates: every chosen house whose number changed")
	since := fs.String("changed-since", "", "only houses whose number changed on or after this day (YYYY-MM-DD)")
	fontPath := clikit.FontFlag(fs)
	if _, err := clikit.ParseFlags(fs, args); err != nil {
		return err
	}
	usage := "cunjing print plates --db PATH --village NAME [--lane NAME] [--houses 1..50,203,203-1] [--changed-since YYYY-MM-DD] --size 20x12|30x20|a4-stickers [--replace-list] --out FILE.pdf"
	if *out == "" || *village == "" {
		return fmt.Errorf("%w: %s", clikit.ErrUsage, usage)
	}
	size, err := print.ParsePlateSize(*sizeFlag)
	if err != nil {
		return fmt.Errorf("%w: --size: %v", clikit.ErrUsage, err)
	}
	req := plates.Request{Lane: *lane, Houses: *houses, Renumbered: *replace}
	if strings.TrimSpace(*since) != "" {
		t, err := clock.Parse("2006-01-02", strings.TrimSpace(*since))
		if err != nil {
			return fmt.Errorf("%w: --changed-since %q: want a day as YYYY-MM-DD", clikit.ErrUsage, *since)
		}
		req.ChangedSince = t
	}
	if strings.TrimSpace(*houses) != "" {
		if _, err := plates.ParseHouses(*houses); err != nil {
			return fmt.Errorf("%w: %v", clikit.ErrUsage, err)
		}
	}
	s, vil, mv, err := openVillage(ctx, env, *db, *village)
	if err != nil {
		return err
	}
	defer s.Close()
	sel, err := plates.Select(ctx, s, vil.ID, mv, req)
	if err != nil {
		return err
	}
	if *replace && len(sel.Replace) == 0 {
		return fmt.Errorf("no house chosen in %s has had another number: no plate to replace", vil.Name)
	}
	font, err := fonts.Find(*fontPath)
	if err != nil {
		return err
	}
	now := env.Now()
	err = clikit.WriteOutput(*out, func(w io.Writer) error {
		if *replace {
			return sel.WriteReplaceList(ctx, w, font, req.ChangedSince, now)
		}
		return sel.WritePlates(ctx, w, font, size, now)
	}, func() error {
		return sel.Record(ctx, s, size.Name, *replace, clikit.User(), now)
	})
	if err != nil {
		return err
	}
	if sel.Unnumbered > 0 {
		fmt.Fprintf(env.Stderr, "%d houses have no number yet and got no plate\n", sel.Unnumbered)
	}
	if *replace {
		fmt.Fprintf(env.Stdout, "%s: %d plates to replace in %s\n", *out, len(sel.Replace), vil.Name)
		return nil
	}
	pages := len(sel.Plates)
	if size.Stickers {
		pages = (pages + print.PlatesPerSheet - 1) / print.PlatesPerSheet
	}
	fmt.Fprintf(env.Stdout, "%s: %d door plates of %s, %s, %d pages\n", *out, len(sel.Plates), vil.Name, size.Name, pages)
	return nil
}
