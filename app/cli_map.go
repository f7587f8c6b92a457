package app

import (
	"context"
	"fmt"
	"strconv"

	"cunjing/maps"
	"cunjing/store"
)

// loadVillageMap opens the village named name and assembles its map.
func loadVillageMap(ctx context.Context, s *store.Store, name string) (store.Village, *maps.Village, error) {
	if name == "" {
		return store.Village{}, nil, fmt.Errorf("%w: --village NAME is required", errUsage)
	}
	v, err := s.VillageByName(ctx, name)
	if err != nil {
		vs, lerr := s.Villages(ctx)
		if lerr == nil && len(vs) > 0 {
			var names []string
			for _, x := range vs {
				names = append(names, x.Name)
			}
			return store.Village{}, nil, fmt.Errorf("no village named %q (villages here: %v)", name, names)
		}
		return store.Village{}, nil, err
	}
	mv, err := s.LoadMap(ctx, v.ID)
	if err != nil {
		return v, nil, err
	}
	return v, mv, nil
}

func cmdRoute(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "route")
	db := fs.String("db", "", "database file")
	village := fs.String("village", "", "village name")
	to := fs.String("to", "", "house number (an old number works too)")
	width := fs.Float64("width", maps.DefaultVehicleWidth, "fire engine width in metres (GB 50016 §7.1.8: lanes of at least 4.0 m)")
	from := fs.String("from", "", "start point x,y in metres (default: the best village entrance)")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *to == "" {
		return fmt.Errorf("%w: --to NUMBER is required", errUsage)
	}
	if *width <= 0 || *width > 20 {
		return fmt.Errorf("%w: --width must be between 0 and 20 metres", errUsage)
	}
	opt := maps.RouteOptions{To: *to, Width: *width}
	if *from != "" {
		p, err := parseXY(*from)
		if err != nil {
			return fmt.Errorf("%w: --from: %v", errUsage, err)
		}
		opt.Start = &p
	}
	s, err := openDB(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	_, mv, err := loadVillageMap(ctx, s, *village)
	if err != nil {
		return err
	}
	res, err := maps.Route(mv, opt)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env.Stdout, res)
	}
	fmt.Fprintln(env.Stdout, res.PhoneText())
	return nil
}

func parseXY(s string) (maps.Point, error) {
	var xs, ys string
	for i := 0; i < len(s); i++ {
		if s[i] == ',' {
			xs, ys = s[:i], s[i+1:]
		}
	}
	x, err1 := strconv.ParseFloat(xs, 64)
	y, err2 := strconv.ParseFloat(ys, 64)
	if err1 != nil || err2 != nil {
		return maps.Point{}, fmt.Errorf("want x,y in metres, got %q", s)
	}
	return maps.Point{X: x, Y: y}, nil
}
