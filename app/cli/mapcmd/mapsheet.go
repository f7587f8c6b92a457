package mapcmd

import (
	"context"
	"fmt"
	"io"
	"strings"

	"cunjing/app/cli/clikit"
	"cunjing/maps"
	"cunjing/maps/render"
	"cunjing/maps/route"
	"cunjing/print/fonts"
	"cunjing/print/mapsheet"
	"cunjing/store"
	"cunjing/store/printlog"
)

// PrintMap prints a village's map sheet: `cunjing print map --db PATH
// --village NAME --out FILE.pdf`. The same sheet as 地图's 打印地图: the map
// on A4 or A3 (tiled onto several sheets with a page index when the
// village is too big), legend, scale bar, date and post, then the house
// index.
func PrintMap(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db, village := clikit.NewVillageFlags(env, "print map")
	out := clikit.PDFOutFlag(fs)
	paper := fs.String("paper", "auto", "paper: auto, A4 or A3 (a village too big for one sheet is tiled)")
	scale := fs.Int("scale", 0, "scale denominator, e.g. 1000 for 1:1000 (default: the largest legible)")
	routeTo := fs.String("route", "", "draw the fire-engine route to this house number")
	width := fs.Float64("width", route.DefaultVehicleWidth, "fire engine width in metres for the route and the lane legend")
	noIndex := fs.Bool("no-index", false, "leave out the house index pages")
	withBase := fs.Bool("base", false, "print the scanned base map under the features")
	fontPath := clikit.FontFlag(fs)
	if _, err := clikit.ParseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("%w: --out FILE.pdf is required", clikit.ErrUsage)
	}
	var p mapsheet.Paper
	switch strings.ToUpper(strings.TrimSpace(*paper)) {
	case "", "AUTO":
		p = mapsheet.PaperAuto
	case "A4":
		p = mapsheet.PaperA4
	case "A3":
		p = mapsheet.PaperA3
	default:
		return fmt.Errorf("%w: --paper must be auto, A4 or A3", clikit.ErrUsage)
	}
	if *scale < 0 || *scale > 100000 {
		return fmt.Errorf("%w: --scale must be a denominator between 1 and 100000 (or 0 for automatic)", clikit.ErrUsage)
	}
	if *width <= 0 || *width > 20 {
		return fmt.Errorf("%w: --width must be between 0 and 20 metres", clikit.ErrUsage)
	}
	s, vil, mv, err := openVillage(ctx, env, *db, *village)
	if err != nil {
		return err
	}
	defer s.Close()
	opt := mapsheet.Options{Paper: p, Scale: *scale, VehicleWidth: *width, NoIndex: *noIndex, Date: env.Now()}
	var post store.Post
	if err := s.Get(ctx, &post, s.DeviceID()); err == nil {
		opt.Post = post.Name
	}
	if *routeTo != "" {
		res, err := route.Find(mv, route.Options{To: *routeTo, Width: *width})
		if err != nil {
			return err
		}
		if !res.Reachable {
			fmt.Fprintf(env.Stderr, "route to %s: %s\n", *routeTo, res.Problem)
		}
		// Unreachable too: the stop it can reach and the hose from there.
		opt.Route = render.OverlayOf(res)
		opt.Highlight = []string{res.HouseID}
	}
	if *withBase {
		if mv.Base == nil || mv.Base.ImageHash == "" {
			return fmt.Errorf("village %s has no base map (drop --base)", vil.Name)
		}
		data, err := s.Blob(ctx, mv.Base.ImageHash)
		if err != nil {
			return fmt.Errorf("base map of %s: %w", vil.Name, err)
		}
		img, err := maps.DecodeBaseImage(data, 0)
		if err != nil {
			return fmt.Errorf("base map of %s: %w", vil.Name, err)
		}
		opt.BaseImage = img.Original
	}
	plan, err := mapsheet.MakePlan(mv, opt)
	if err != nil {
		return err
	}
	font, err := fonts.Find(*fontPath)
	if err != nil {
		return err
	}
	err = clikit.WriteOutput(*out, func(w io.Writer) error {
		return mapsheet.WritePDF(ctx, w, font, mv, opt)
	}, func() error {
		size := plan.Paper
		if plan.Tiles > 1 {
			size = fmt.Sprintf("%s×%d", plan.Paper, plan.Tiles)
		}
		return printlog.Save(ctx, s, &store.PrintRecord{Kind: "map", Template: vil.Name, Size: size, Copies: 1,
			PrintedAt: env.Now().Format("2006-01-02 15:04:05")}, "villages", vil.ID)
	})
	if err != nil {
		return err
	}
	orient := "portrait"
	if plan.Landscape {
		orient = "landscape"
	}
	fmt.Fprintf(env.Stderr, "%s: %s %s, 1:%d, %d map page(s) (%d×%d)\n", *out, plan.Paper, orient, plan.Scale, plan.Tiles, plan.Cols, plan.Rows)
	return nil
}
