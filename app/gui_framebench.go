//go:build !nogui

package app

import (
	"context"
	"fmt"
	"slices"
	"time"

	"fyne.io/fyne/v2"

	"cunjing/app/cli/clikit"
	"cunjing/app/ui"
)

// frameWarmup repaints are not timed: the first paints upload fonts and
// textures.
const frameWarmup = 3

// cmdFrameBench times the map editor's frame in the real window: the
// demo village's map with the fire route to house 203 drawn, repainted
// whole (the window's canvas captured, which paints the scene and reads
// it back) n times. `make bench-softpipe` runs it under Xvfb on Mesa's
// llvmpipe and softpipe, the software renderer the Windows installer
// carries, and compares them.
func cmdFrameBench(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "framebench")
	db := fs.String("db", "", "database file (the demo post)")
	frames := fs.Int("frames", 30, "repaints to time (1–1000)")
	label := fs.String("label", "", "a name for this run in the output (the renderer)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *frames < 1 || *frames > 1000 {
		return fmt.Errorf("%w: --frames must be between 1 and 1000", clikit.ErrUsage)
	}
	s, err := openDB(ctx, env, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	a, w, screens, err := toolWindow(env, s, "framebench", "zh")
	if err != nil {
		return err
	}
	defer screens.Close()
	var durs []time.Duration
	go func() {
		defer fyne.Do(a.Quit)
		time.Sleep(2 * time.Second)
		fyne.DoAndWait(func() { screens.Show(ui.AreaMap) })
		fyne.DoAndWait(func() { screens.RouteOnMap("203") })
		time.Sleep(2 * time.Second)
		for i := range *frames + frameWarmup {
			if ctx.Err() != nil {
				return
			}
			var d time.Duration
			fyne.DoAndWait(func() {
				start := time.Now()
				_ = w.Canvas().Capture()
				d = time.Since(start)
			})
			if i >= frameWarmup {
				durs = append(durs, d)
			}
		}
	}()
	w.ShowAndRun()
	if len(durs) < *frames {
		return fmt.Errorf("framebench: %d of %d frames timed", len(durs), *frames)
	}
	slices.Sort(durs)
	var sum time.Duration
	for _, d := range durs {
		sum += d
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	fmt.Fprintf(env.Stdout, "%s: %d frames of the map editor (1366×768): median %.1f ms, mean %.1f ms, slowest %.1f ms\n",
		*label, len(durs), ms(durs[len(durs)/2]), ms(sum/time.Duration(len(durs))), ms(durs[len(durs)-1]))
	return nil
}
