package mapcmd

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"

	"cunjing/app/cli/clikit"
	"cunjing/maps/trace"
)

// TraceJSON is the proposal `cunjing map trace --json` prints, in the
// input image's pixels.
type TraceJSON struct {
	PxPerM    float64         `json:"px_per_m"`
	Houses    []TraceHouse    `json:"houses"`
	Lanes     []TraceLane     `json:"lanes"`
	Landmarks []TraceLandmark `json:"landmarks"`
	Unread    int             `json:"unread"`
}

type TraceHouse struct {
	Number    string       `json:"number"` // "" while unread
	Px        [2]float64   `json:"px"`
	OutlinePx [][2]float64 `json:"outline_px"`
	// Confidence is the outline's, times the number's when one was read.
	Confidence float64 `json:"confidence"`
	// Doubtful: the number read breaks its neighbours' sequence.
	Doubtful bool `json:"doubtful,omitempty"`
}

type TraceLane struct {
	Px     [][2]float64 `json:"px"`
	WidthM float64      `json:"width_m"`
}

type TraceLandmark struct {
	Kind string     `json:"kind"`
	Px   [2]float64 `json:"px"`
}

// cmdMapTrace proposes a village from a scanned hand-drawn map: `cunjing
// map trace --db PATH --village NAME FILE [--px-per-m N] --dry-run --json`.
// It finds house outlines and reads their hand-written numbers (a number
// that breaks its neighbours' sequence is marked doubtful); lanes and
// wells are not found yet (ponds are), and
// only --dry-run exists (saving the proposal as the village's draft
// comes with the editor's review).
func cmdMapTrace(ctx context.Context, env *clikit.Env, args []string) error {
	fs := clikit.NewFlags(env, "map trace")
	db := fs.String("db", "", "database file")
	village := fs.String("village", "", "village name (created if new)")
	ppm := fs.Float64("px-per-m", 0, "the scan's scale in pixels per metre (0: unknown, the editor asks before accepting)")
	dry := fs.Bool("dry-run", false, "print the proposal, save nothing")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := clikit.ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: give one scanned map, a .jpg or .png file", clikit.ErrUsage)
	}
	if *village == "" {
		return fmt.Errorf("%w: --village NAME is required", clikit.ErrUsage)
	}
	if *db == "" {
		return fmt.Errorf("%w: --db PATH is required", clikit.ErrUsage)
	}
	if *ppm < 0 || *ppm > 1000 || math.IsNaN(*ppm) {
		return fmt.Errorf("%w: --px-per-m must be between 0 and 1000", clikit.ErrUsage)
	}
	if !*dry {
		return fmt.Errorf("%w: saving a traced map as the village's draft is not built yet: use --dry-run", clikit.ErrUsage)
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return fmt.Errorf("map trace: %w", err)
	}
	defer f.Close()
	img, err := trace.Decode(f)
	if err != nil {
		return fmt.Errorf("map trace %s: %w", pos[0], err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	p, err := trace.Detect(img, trace.Options{PxPerM: *ppm})
	if err != nil {
		return fmt.Errorf("map trace %s: %w", pos[0], err)
	}
	out := TraceJSON{PxPerM: *ppm, Houses: []TraceHouse{}, Lanes: []TraceLane{}, Landmarks: []TraceLandmark{}}
	for _, h := range p.Houses {
		th := TraceHouse{Number: h.Number, Px: round1(h.At), Confidence: h.Confidence, Doubtful: h.Doubtful}
		if h.Number != "" {
			th.Confidence = math.Round(h.Confidence*h.NumberConfidence*100) / 100
		}
		for _, q := range h.Outline {
			th.OutlinePx = append(th.OutlinePx, round1(q))
		}
		out.Houses = append(out.Houses, th)
		if h.Number == "" {
			out.Unread++
		}
	}
	for _, l := range p.Landmarks {
		out.Landmarks = append(out.Landmarks, TraceLandmark{Kind: l.Kind, Px: round1(l.At)})
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		return enc.Encode(out)
	}
	doubtful := 0
	for _, h := range out.Houses {
		if h.Doubtful {
			doubtful++
		}
	}
	fmt.Fprintf(env.Stdout, "%s: %d house outlines and %d ponds found in %d×%d px; numbers: %d unread, %d doubtful; nothing saved (--dry-run)\n",
		*village, len(out.Houses), len(out.Landmarks), p.Width, p.Height, out.Unread, doubtful)
	return nil
}

func round1(p trace.Pt) [2]float64 {
	return [2]float64{math.Round(p[0]*10) / 10, math.Round(p[1]*10) / 10}
}
