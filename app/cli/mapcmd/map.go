package mapcmd

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"cunjing/app/cli/clikit"
	"cunjing/maps"
	"cunjing/maps/geojson"
	"cunjing/maps/route"
	"cunjing/store"
	"cunjing/store/mapdata"
	"cunjing/store/search"
)

// openVillage opens the database at db and the village named name with
// its map; the caller closes the store.
func openVillage(ctx context.Context, env *clikit.Env, db, name string) (*store.Store, store.Village, *maps.Village, error) {
	s, err := clikit.OpenDB(ctx, env, db)
	if err != nil {
		return nil, store.Village{}, nil, err
	}
	v, mv, err := loadVillageMap(ctx, s, name)
	if err != nil {
		s.Close()
		return nil, store.Village{}, nil, err
	}
	return s, v, mv, nil
}

// loadVillageMap opens the village named name and assembles its map. No
// name is the only village of a database that has one; where there are
// more, or the name is none of them, the error names those there are.
func loadVillageMap(ctx context.Context, s *store.Store, name string) (store.Village, *maps.Village, error) {
	var v store.Village
	var err error
	if name != "" {
		v, err = s.VillageByName(ctx, name)
	}
	if name == "" || err != nil {
		vs, lerr := s.Villages(ctx)
		if lerr != nil {
			return store.Village{}, nil, errors.Join(err, lerr)
		}
		var names []string
		for _, x := range vs {
			names = append(names, x.Name)
		}
		switch {
		case name == "" && len(vs) == 1:
			v = vs[0]
		case name == "" && len(vs) == 0:
			return store.Village{}, nil, errors.New("this database has no village yet (import a map, or draw one in the window)")
		case name == "":
			return store.Village{}, nil, fmt.Errorf("%w: --village NAME is required (villages here: %s)", clikit.ErrUsage, strings.Join(names, ", "))
		case len(vs) > 0:
			return store.Village{}, nil, fmt.Errorf("no village named %q (villages here: %s)", name, strings.Join(names, ", "))
		default:
			return store.Village{}, nil, err
		}
	}
	mv, err := mapdata.Load(ctx, s, v.ID)
	if err != nil {
		return v, nil, err
	}
	return v, mv, nil
}

func Route(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db, village := clikit.NewVillageFlags(env, "route")
	to := fs.String("to", "", "house number (an old number works too)")
	width := fs.Float64("width", route.DefaultVehicleWidth, "fire engine width in metres (GB 50016 §7.1.8: lanes of at least 4.0 m)")
	from := fs.String("from", "", "start point x,y in metres (default: the best village entrance)")
	asJSON := clikit.JSONFlag(fs)
	if _, err := clikit.ParseFlags(fs, args); err != nil {
		return err
	}
	if *to == "" {
		return fmt.Errorf("%w: --to NUMBER is required", clikit.ErrUsage)
	}
	if *width <= 0 || *width > 20 {
		return fmt.Errorf("%w: --width must be between 0 and 20 metres", clikit.ErrUsage)
	}
	opt := route.Options{To: *to, Width: *width}
	if *from != "" {
		p, err := parseXY(*from)
		if err != nil {
			return fmt.Errorf("%w: --from: %v", clikit.ErrUsage, err)
		}
		opt.Start = &p
	}
	s, _, mv, err := openVillage(ctx, env, *db, *village)
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := route.Find(mv, opt)
	if err != nil {
		return err
	}
	if *asJSON {
		return clikit.WriteJSON(env.Stdout, res)
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

func Locate(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db, village := clikit.NewVillageFlags(env, "locate")
	limit := fs.Int("limit", 20, "at most this many results")
	asJSON := clikit.JSONFlag(fs)
	pos, err := clikit.ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return fmt.Errorf("%w: give what to find (a house number, old ones too; a name, pinyin initials or a phone)", clikit.ErrUsage)
	}
	s, vil, mv, err := openVillage(ctx, env, *db, *village)
	if err != nil {
		return err
	}
	defer s.Close()
	// The one search (store/search), as the map's find box shows it.
	text := strings.Join(pos, " ")
	plan, err := search.Parse(text)
	if err != nil {
		return fmt.Errorf("%w: %v", clikit.ErrUsage, err)
	}
	found, err := s.Search(ctx, store.SearchQuery{Text: text, VillageID: vil.ID})
	if err != nil {
		return err
	}
	hits := search.Locate(search.OnMap(plan, found, mv), mv)
	if *limit > 0 && len(hits) > *limit {
		hits = hits[:*limit]
	}
	if *asJSON {
		return clikit.WriteJSON(env.Stdout, hits)
	}
	for _, h := range hits {
		fmt.Fprintf(env.Stdout, "%-8s %-10s (%.0f, %.0f)  %s\n", h.Number, h.Name, h.X, h.Y, h.Match)
	}
	if len(hits) == 0 {
		fmt.Fprintln(env.Stdout, "nothing found")
	}
	return nil
}

func Map(ctx context.Context, env *clikit.Env, args []string) error {
	return clikit.Dispatch(ctx, env, "map", map[string]clikit.Func{
		"import": cmdMapImport, "export": cmdMapExport, "georef": cmdMapGeoref, "trace": cmdMapTrace,
	}, args)
}

// mergeImported lays an imported map over the saved one: features with a
// known ID replace it, new ones are added, and (with replace) the rest
// goes. A new house may not take a number a house of this village holds
// or once held: it keeps its shape and loses the number, with a warning.
func mergeImported(cur, in *maps.Village, replace bool, rep *geojson.Report) *maps.Village {
	out := cur.Clone()
	if replace {
		out.Houses, out.Lanes, out.Landmarks, out.Labels = nil, nil, nil, nil
	}
	taken := map[string]string{} // number -> house ID
	for _, n := range cur.Retired {
		taken[n] = ""
	}
	for _, h := range cur.Houses {
		taken[h.Number] = h.ID
		for _, old := range h.History {
			taken[old] = h.ID
		}
	}
	houseAt := map[string]int{}
	for i, h := range out.Houses {
		houseAt[h.ID] = i
	}
	for i, h := range in.Houses {
		if owner, ok := taken[h.Number]; ok && h.Number != "" && owner != h.ID {
			rep.Warnings = append(rep.Warnings, geojson.Issue{Feature: i, ID: h.ID,
				Reason: fmt.Sprintf("number %s belongs (or belonged) to another house of this village: imported without a number", h.Number)})
			h.Number = ""
		}
		if j, ok := houseAt[h.ID]; ok && h.ID != "" {
			out.Houses[j] = h
		} else {
			out.Houses = append(out.Houses, h)
		}
	}
	out.Lanes = upsertByID(out.Lanes, in.Lanes, func(l maps.Lane) string { return l.ID })
	out.Landmarks = upsertByID(out.Landmarks, in.Landmarks, func(l maps.Landmark) string { return l.ID })
	out.Labels = upsertByID(out.Labels, in.Labels, func(l maps.Label) string { return l.ID })
	return out
}

func upsertByID[T any](cur, in []T, id func(T) string) []T {
	at := map[string]int{}
	for i, x := range cur {
		at[id(x)] = i
	}
	for _, x := range in {
		if j, ok := at[id(x)]; ok && id(x) != "" {
			cur[j] = x
		} else {
			cur = append(cur, x)
		}
	}
	return cur
}
