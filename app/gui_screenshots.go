//go:build !nogui

package app

import (
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/lang"

	"cunjing/app/ui"
	"cunjing/app/ui/kit"
	"cunjing/store"
	"cunjing/store/mapdata"
)

// guiCommands are the commands that need the window (absent from the
// headless build).
func guiCommands() []command {
	return []command{
		{Name: "screenshots", Summary: "open the real window and save a PNG of every area (for the user guide; run under Xvfb)", Run: cmdScreenshots},
		{Name: "framebench", Summary: "time the map editor's repaint in the real window (--db DEMO.db [--frames N] [--label NAME]; make bench-softpipe)", Run: cmdFrameBench},
	}
}

// cmdScreenshots drives the real window — GL driver, real fonts, the
// user's theme — through every area and captures each, for docs/guide.md
// (`make screenshots` runs it under Xvfb).
func cmdScreenshots(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "screenshots")
	db := fs.String("db", "", "database file (the demo post)")
	out := fs.String("out", "docs/img", "folder for the PNGs")
	code := fs.String("lang", "zh", "interface language")
	prefix := fs.String("prefix", "guide-", "file name prefix")
	settle := fs.Duration("settle", 2*time.Second, "time to let each screen load before capturing")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	s, err := openDB(ctx, env, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	a, w, screens, err := toolWindow(env, s, "screenshots", *code)
	if err != nil {
		return err
	}
	defer screens.Close()
	detailQuery := aResidentID(ctx, s)
	post := aPost(ctx, s)
	var shotErr error
	go func() {
		defer fyne.Do(a.Quit)
		time.Sleep(*settle)
		for _, area := range ui.AreasFor(s.Role()) {
			if ctx.Err() != nil {
				shotErr = ctx.Err()
				return
			}
			fyne.DoAndWait(func() { screens.Show(area) })
			time.Sleep(*settle)
			path := filepath.Join(*out, *prefix+string(area)+".png")
			if err := grabScreen(w, path); err != nil && shotErr == nil {
				shotErr = err
			}
			fmt.Fprintln(env.Stdout, path)
			if area == ui.AreaSync {
				// Every tab: pairing, status, exchange, rejects,
				// conflicts.
				var n int
				fyne.DoAndWait(func() { n = screens.SyncTabs() })
				for i := range n {
					fyne.DoAndWait(func() { screens.ShowSyncTab(i) })
					time.Sleep(*settle)
					path := filepath.Join(*out, fmt.Sprintf("%ssync-%d.png", *prefix, i+1))
					if err := grabScreen(w, path); err != nil && shotErr == nil {
						shotErr = err
					}
					fmt.Fprintln(env.Stdout, path)
				}
			}
			if area == ui.AreaTownship {
				// The township search: a surname common across the
				// posts, its hits in place of the overview.
				fyne.DoAndWait(func() { screens.SearchTownship("王") })
				time.Sleep(*settle)
				path = filepath.Join(*out, *prefix+"township-search.png")
				if err := grabScreen(w, path); err != nil && shotErr == nil {
					shotErr = err
				}
				fmt.Fprintln(env.Stdout, path)
				fyne.DoAndWait(func() { screens.SearchTownship("") })
			}
			if area == ui.AreaPosts && post.id != "" {
				// One post opened, and from it its roster and its map.
				for _, shot := range []struct {
					name string
					show func()
				}{
					{"posts-detail", func() { screens.ShowPost(post.id) }},
					{"posts-months", func() { screens.ShowPostMonths(post.id) }},
					{"posts-roster", func() { screens.ShowPostRoster(post.id, post.name) }},
					{"posts-map", func() { screens.ShowVillageMap(post.village) }},
				} {
					if shot.name == "posts-map" && post.village == "" {
						continue
					}
					fyne.DoAndWait(shot.show)
					time.Sleep(*settle)
					path := filepath.Join(*out, *prefix+shot.name+".png")
					if err := grabScreen(w, path); err != nil && shotErr == nil {
						shotErr = err
					}
					fmt.Fprintln(env.Stdout, path)
				}
			}
			if area == ui.AreaPatrol {
				// 节假日: the calendar the roster follows, 待核实 or
				// 已核实, whose each entry is.
				fyne.DoAndWait(screens.ShowHolidays)
				time.Sleep(*settle)
				path = filepath.Join(*out, *prefix+"patrol-holidays.png")
				if err := grabScreen(w, path); err != nil && shotErr == nil {
					shotErr = err
				}
				fmt.Fprintln(env.Stdout, path)
			}
			if area == ui.AreaMap && s.Role() == store.RoleStation {
				// 全镇: the georeferenced villages on one map.
				if placed, err := mapdata.GeoreferencedVillages(ctx, s); err == nil && len(placed) > 0 {
					fyne.DoAndWait(func() { screens.ShowVillageMap("township") })
					time.Sleep(*settle)
					path = filepath.Join(*out, *prefix+"map-township.png")
					if err := grabScreen(w, path); err != nil && shotErr == nil {
						shotErr = err
					}
					fmt.Fprintln(env.Stdout, path)
				}
			}
			if area == ui.AreaMap {
				// The one search's results on the map: pinyin initials
				// that many householders share, listed beside the map.
				fyne.DoAndWait(func() { screens.FindOnMap("zjj") })
				time.Sleep(*settle)
				path = filepath.Join(*out, *prefix+"map-find.png")
				if err := grabScreen(w, path); err != nil && shotErr == nil {
					shotErr = err
				}
				fmt.Fprintln(env.Stdout, path)
				// The fire route to house 203, the water sources its
				// sentence names ringed on the map.
				fyne.DoAndWait(func() { screens.RouteOnMap("203") })
				time.Sleep(*settle)
				path = filepath.Join(*out, *prefix+"map-route.png")
				if err := grabScreen(w, path); err != nil && shotErr == nil {
					shotErr = err
				}
				fmt.Fprintln(env.Stdout, path)
				// 从扫描图识别: the review of a trace draft (make
				// screenshots traces a sheet into one).
				if ids, err := s.TraceDraftVillages(ctx); err == nil && len(ids) > 0 {
					fyne.DoAndWait(func() { screens.ReviewTraceDraft(ids[0]) })
					time.Sleep(*settle)
					path = filepath.Join(*out, *prefix+"map-trace.png")
					if err := grabScreen(w, path); err != nil && shotErr == nil {
						shotErr = err
					}
					fmt.Fprintln(env.Stdout, path)
				}
			}
			if area == ui.AreaHouseholds && detailQuery != "" {
				// The same query in the household list.
				fyne.DoAndWait(func() { screens.SearchHouseholds("zjj") })
				time.Sleep(*settle)
				path = filepath.Join(*out, *prefix+"households-find.png")
				if err := grabScreen(w, path); err != nil && shotErr == nil {
					shotErr = err
				}
				fmt.Fprintln(env.Stdout, path)
				// One household opened: search by a resident's ID number.
				fyne.DoAndWait(func() { screens.SearchHouseholds(detailQuery) })
				time.Sleep(*settle)
				path = filepath.Join(*out, *prefix+"households-detail.png")
				if err := grabScreen(w, path); err != nil && shotErr == nil {
					shotErr = err
				}
				fmt.Fprintln(env.Stdout, path)
			}
		}
		// 紧急: the card of house 203 (of the first village).
		fyne.DoAndWait(func() {
			screens.ShowEmergency()
			if e := screens.EmergencyScreen(); e != nil {
				e.Search("203")
			}
		})
		time.Sleep(*settle)
		path := filepath.Join(*out, *prefix+"emergency.png")
		if err := grabScreen(w, path); err != nil && shotErr == nil {
			shotErr = err
		}
		fmt.Fprintln(env.Stdout, path)
	}()
	w.ShowAndRun()
	return shotErr
}

// grabScreen saves what the X server shows (ImageMagick's import): the GL
// driver's own Canvas().Capture() reads back black under Xvfb's software
// GL. Without an X display or import it falls back to Capture.
// toolWindow is the real window over s for a command that drives it (the
// screenshots, the frame benchmark): its own app ID and preferences (never
// the user's), language code, the CJK font and theme, at the largest size
// a 1366×768 screen shows whole (kit.MaxWindow: what an officer sees;
// grabScreen crops the screen to it).
func toolWindow(env *Env, s *store.Store, name, code string) (fyne.App, fyne.Window, *ui.UI, error) {
	a := fyneapp.NewWithID(appID + "." + name)
	if err := ui.ApplyLanguage(code); err != nil {
		return nil, nil, nil, err
	}
	font, problem := kit.ChooseFont(findFont, "")
	if problem != nil {
		return nil, nil, nil, fmt.Errorf("font: %w", problem)
	}
	a.Settings().SetTheme(kit.NewTheme(font))
	w := a.NewWindow(lang.L("app.title"))
	w.Resize(kit.MaxWindow)
	return a, w, ui.New(a, w, s, ui.Options{FindFont: findFont, Version: env.Build.Version}), nil
}

func grabScreen(w fyne.Window, path string) error {
	if os.Getenv("DISPLAY") != "" {
		if imp, err := exec.LookPath("import"); err == nil {
			if out, err := exec.Command(imp, "-window", "root", "png:"+path).CombinedOutput(); err != nil {
				return fmt.Errorf("import: %v: %s", err, out)
			}
			return cropToWindow(w, path)
		}
	}
	var err error
	fyne.DoAndWait(func() {
		img := w.Canvas().Capture()
		var f *os.File
		if f, err = os.Create(path); err != nil {
			return
		}
		err = png.Encode(f, img)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	})
	if err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	return nil
}

// cropToWindow cuts a screen grab down to the window (at the screen's top
// left under Xvfb, no window manager): the screenshot is what the window
// shows at its size, whatever the screen's.
func cropToWindow(w fyne.Window, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	var size fyne.Size
	var scale float32 = 1
	fyne.DoAndWait(func() {
		size = w.Canvas().Size()
		scale = w.Canvas().Scale()
	})
	r := image.Rect(0, 0, int(size.Width*scale+0.5), int(size.Height*scale+0.5)).Intersect(img.Bounds())
	sub, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	})
	if !ok || r.Empty() {
		return fmt.Errorf("crop %s to %v: cannot", path, r)
	}
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	err = png.Encode(out, sub.SubImage(r))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

// aResidentID picks the ID number of a resident of a household with
// several people, so the guide shows a household opened.
func aResidentID(ctx context.Context, s *store.Store) string {
	rows, err := s.Households(ctx, store.HouseholdFilter{Limit: 40})
	if err != nil {
		return ""
	}
	for _, r := range rows {
		if r.Residents < 3 {
			continue
		}
		res, err := s.Residents(ctx, r.ID)
		if err == nil && len(res) > 0 && res[0].IDNumber != "" {
			return res[0].IDNumber
		}
	}
	return ""
}

// shotPost is the post a station's screenshots open.
type shotPost struct{ id, name, village string }

// aPost picks a station's first post that has a village (empty at a post).
func aPost(ctx context.Context, s *store.Store) shotPost {
	if s.Role() != store.RoleStation {
		return shotPost{}
	}
	peers, err := s.SyncBook().Peers(ctx, true)
	if err != nil {
		return shotPost{}
	}
	vs, err := s.Villages(ctx)
	if err != nil {
		return shotPost{}
	}
	var first shotPost
	for _, p := range peers {
		if p.Role != store.RolePost {
			continue
		}
		sp := shotPost{id: p.DeviceID, name: p.Name}
		for _, v := range vs {
			if v.Owner == p.DeviceID {
				sp.village = v.ID
				return sp
			}
		}
		if first.id == "" {
			first = sp
		}
	}
	return first
}
