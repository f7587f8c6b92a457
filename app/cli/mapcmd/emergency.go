package mapcmd

import (
	"context"
	"fmt"
	"image/png"
	"io"
	"strings"

	"cunjing/app/cli/clikit"
	"cunjing/app/emergency"
	"cunjing/maps/route"
	"cunjing/print/ecard"
	"cunjing/print/fonts"
	"cunjing/store"
)

// Emergency is `cunjing emergency`: the emergency card of one house
// (issue #24). A query that means several houses prints {"matches": […]}
// and exits 2 without a card.
func Emergency(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db, village := clikit.NewVillageFlags(env, "emergency")
	pngOut := fs.String("png", "", "also write the card as a PNG for a phone screen (1080 px wide)")
	pdfOut := fs.String("pdf", "", "also write the card as an A4 PDF")
	width := fs.Float64("width", route.DefaultVehicleWidth, "fire engine width in metres")
	showHealth := fs.Bool("show-health", false, "name 残疾, 行动不便 and 卧床 (an officer's view); default: 需协助, as an auxiliary sees it")
	fontPath := fs.String("font", "", "CJK TrueType font for --png and --pdf (default: found on the system)")
	asJSON := clikit.JSONFlag(fs)
	pos, err := clikit.ParseFlags(fs, args)
	if err != nil {
		return err
	}
	query := strings.TrimSpace(strings.Join(pos, " "))
	if query == "" {
		return fmt.Errorf("%w: cunjing emergency --db PATH --village NAME QUERY (a house number, name or phone) [--png F] [--json]", clikit.ErrUsage)
	}
	if *width <= 0 || *width > 20 {
		return fmt.Errorf("%w: --width must be between 0 and 20 metres", clikit.ErrUsage)
	}
	s, v, _, err := openVillage(ctx, env, *db, *village)
	if err != nil {
		return err
	}
	defer s.Close()
	src, err := emergency.Load(ctx, s, v.ID)
	if err != nil {
		return err
	}
	hits, err := src.Resolve(ctx, query)
	if err != nil {
		return err
	}
	switch {
	case len(hits) == 0:
		return fmt.Errorf("no house of %s matches %q", v.Name, query)
	case len(hits) > 1:
		if *asJSON {
			if err := clikit.WriteJSON(env.Stdout, map[string]any{"matches": hits}); err != nil {
				return err
			}
		} else {
			for _, h := range hits {
				fmt.Fprintf(env.Stdout, "%-8s %-10s (%.0f, %.0f)\n", h.Number, h.Name, h.X, h.Y)
			}
		}
		return fmt.Errorf("%w: %d houses match %q: give the house number", clikit.ErrUsage, len(hits), query)
	}
	role := store.UserAuxiliary
	if *showHealth {
		role = store.UserOfficer
	}
	now := env.Now()
	card, err := emergency.Build(ctx, s, src, hits[0].HouseID, emergency.Options{Role: role, Now: now, Width: *width})
	if err != nil {
		return err
	}
	if _, err := emergency.Log(ctx, s, src, card, query, clikit.User(), "cli"); err != nil {
		return err
	}
	var font *fonts.Font
	if *pngOut != "" || *pdfOut != "" {
		if font, err = fonts.Find(*fontPath); err != nil {
			return err
		}
	}
	if *pngOut != "" {
		img, err := ecard.PNG(card, src.Map, font)
		if err != nil {
			return err
		}
		if err := clikit.WriteOutput(*pngOut, func(w io.Writer) error { return png.Encode(w, img) }, nil); err != nil {
			return err
		}
	}
	if *pdfOut != "" {
		if err := clikit.WriteOutput(*pdfOut, func(w io.Writer) error { return ecard.WritePDF(ctx, w, font, card, src.Map) }, nil); err != nil {
			return err
		}
	}
	if *asJSON {
		return clikit.WriteJSON(env.Stdout, card)
	}
	fmt.Fprintln(env.Stdout, card.Text)
	return nil
}
