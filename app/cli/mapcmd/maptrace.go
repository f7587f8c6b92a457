package mapcmd

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"strings"

	"cunjing/app/cli/clikit"
	"cunjing/app/infile"
	"cunjing/app/scantrace"
	"cunjing/maps"
	"cunjing/maps/trace"
	"cunjing/store"
)

// TraceJSON is the proposal `cunjing map trace --json` prints, in the
// input image's pixels (maps/trace.Draft, as the draft is kept).
type TraceJSON = trace.Draft

// cmdMapTrace proposes a village from a scanned hand-drawn map: `cunjing
// map trace --db PATH --village NAME FILE [--px-per-m N] [--dry-run]
// --json`. It finds house outlines, reads their hand-written numbers (a
// number that breaks its neighbours' sequence is marked doubtful) and the
// signs it knows, and (without --dry-run) keeps the proposal as the
// village's draft on this PC, for the map editor's review; a new village
// name creates the village. Nothing becomes a record until the officer
// accepts the draft in the editor.
func cmdMapTrace(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db := clikit.NewDBFlags(env, "map trace")
	village := fs.String("village", "", "village name (created if new)")
	ppm := fs.Float64("px-per-m", 0, "the scan's scale in pixels per metre (0: unknown, the editor asks before accepting)")
	dry := fs.Bool("dry-run", false, "print the proposal, save nothing")
	asJSON := clikit.JSONFlag(fs)
	pos, err := clikit.ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: give one scanned map, a .jpg or .png file", clikit.ErrUsage)
	}
	if strings.TrimSpace(*village) == "" {
		return fmt.Errorf("%w: --village NAME is required", clikit.ErrUsage)
	}
	if *db == "" {
		return fmt.Errorf("%w: --db PATH is required", clikit.ErrUsage)
	}
	if *ppm < 0 || *ppm > 1000 || math.IsNaN(*ppm) {
		return fmt.Errorf("%w: --px-per-m must be between 0 and 1000", clikit.ErrUsage)
	}
	data, err := infile.ReadBounded(pos[0], maps.MaxBaseImageBytes)
	if err != nil {
		return fmt.Errorf("map trace: %w", err)
	}
	var st *store.Store
	if !*dry {
		// open the database first: a wrong --db is said before the trace
		if st, err = clikit.OpenPostDB(ctx, env, *db, "map trace", "扫描的地图在警务室描绘和核对，再同步到派出所"); err != nil {
			return err
		}
		defer st.Close()
	}
	t, err := scantrace.Trace(ctx, data, *ppm, nil)
	if err != nil {
		return fmt.Errorf("map trace %s: %w", pos[0], err)
	}
	d := t.Draft
	saved := "nothing saved (--dry-run)"
	if !*dry {
		v, created, err := scantrace.Save(ctx, st, *village, filepath.Base(pos[0]), t)
		if err != nil {
			return fmt.Errorf("map trace %s: %w (nothing saved)", pos[0], err)
		}
		saved = fmt.Sprintf("saved as the draft of %s on this PC: review and accept it in the map editor (地图 → 底图 → 核对草稿)", v.Name)
		if created {
			saved = "new village; " + saved
		}
	}
	if *asJSON {
		// one line, as before: a 3,000-house sheet indented is megabytes
		return json.NewEncoder(env.Stdout).Encode(d)
	}
	wells, ponds := 0, 0
	for _, l := range d.Landmarks {
		switch l.Kind {
		case "well":
			wells++
		case "pond":
			ponds++
		}
	}
	doubtful := 0
	for _, h := range d.Houses {
		if h.Doubtful {
			doubtful++
		}
	}
	scale := "scale unknown (the editor asks for it)"
	if d.PxPerM > 0 {
		scale = fmt.Sprintf("%g px per metre", d.PxPerM)
	}
	if t.Flattened {
		scale += "; the photo was flattened from the sheet's corners"
	}
	fmt.Fprintf(env.Stdout, "%s: %d house outlines, %d lanes, %d ponds and %d wells found in %d×%d px; %s; numbers: %d unread, %d doubtful; %s\n",
		*village, len(d.Houses), len(d.Lanes), ponds, wells, d.Width, d.Height, scale, d.Unread, doubtful, saved)
	return nil
}
