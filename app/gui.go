//go:build !nogui

package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/lang"

	"cunjing/app/demo"
	"cunjing/app/ui"
	"cunjing/app/ui/kit"
	"cunjing/assets"
	"cunjing/print/fonts"
	"cunjing/store"
	"cunjing/store/winlock"
)

// appID keys Fyne's per-user preferences (language, font, role).
const appID = "cn.cunjing.app"

// runGUI opens the window: `cunjing [--db PATH] [--lang zh|en] [FILE]`,
// FILE a backup or a pairing-code file to offer once the window is open
// (ui.UI.OpenFile). This is the only file that imports
// fyne.io/fyne/v2/app; the screens live in package ui so they run
// headless in tests.
func runGUI(ctx context.Context, env *Env, args []string) int {
	fs := newFlags(env, "")
	db := fs.String("db", "", "database file (default: cunjing.db in the user's config folder)")
	code := fs.String("lang", "", "interface language: zh or en (default: the one chosen in 设置, else zh)")
	fs.Usage = func() { // --help after the window's flags: the commands too
		printHelp(fs.Output())
		fmt.Fprintln(fs.Output(), "the window's flags:")
		fs.PrintDefaults()
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(env.Stderr, "cunjing: %v\n", err)
		return 2
	}
	file, rc := fileToOpen(env, pos, *code)
	if rc != 0 {
		return rc
	}
	path := *db
	if path == "" {
		p, err := defaultDB(env.Stderr)
		if err != nil {
			fmt.Fprintf(env.Stderr, "cunjing: %v\n", err)
			return 1
		}
		path = p
	}

	started := thisStarter(env.Stderr).start(args, *code)
	if !started.run {
		return started.rc
	}
	saveWindowRenderer(env.Stderr, started.record)

	a := fyneapp.NewWithID(appID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon()))
	settings := kit.NewSettings(a.Preferences())
	if *code == "" {
		*code = settings.Language()
	}
	if err := ui.ApplyLanguage(*code); err != nil {
		fmt.Fprintf(env.Stderr, "cunjing: --lang: %v\n", err)
		return 2
	}
	w := a.NewWindow(lang.L("app.title"))
	w.Resize(settings.WindowSize()) // as it was left, within a 1366×768 screen

	// The first-run screen needs Chinese too, before the main UI exists.
	font, problem := kit.ChooseFont(findFont, settings.FontPath())
	if problem != nil {
		fmt.Fprintf(env.Stderr, "cunjing: font: %v\n", problem)
	}
	a.Settings().SetTheme(kit.NewTheme(font))
	if started.record.Renderer == rendererSoftware {
		ui.ShowSoftwareNotice(w, a.Preferences()) // once: slower, and why
	}

	var (
		mu      sync.Mutex // guards the four below
		closed  bool       // the window is closing: build nothing more in it
		st      *store.Store
		lock    *winlock.Lock // one window per database file
		screens *ui.UI
		opening sync.WaitGroup
	)
	// onUI runs f on the UI goroutine unless the window is closing. Once
	// Fyne's loop has ended, fyne.Do runs its function on the caller's
	// goroutine with GLFW gone, which panics (seen when a station's big
	// file finished opening after a SIGTERM). closed is set when the
	// window closes, on Ctrl-C, and when the loop has returned, and is
	// checked both when queueing and when running. What remains is the
	// instant between Fyne draining its queue and ShowAndRun returning.
	onUI := func(f func()) {
		mu.Lock()
		defer mu.Unlock()
		if closed {
			return
		}
		fyne.Do(func() {
			mu.Lock()
			c := closed
			mu.Unlock()
			if !c {
				f()
			}
		})
	}
	w.SetOnClosed(func() {
		settings.SetWindowSize(w.Canvas().Size())
		mu.Lock()
		closed = true
		mu.Unlock()
	})
	// Opening checks every page and may migrate: seconds on a station's
	// big file, so it runs off the UI goroutine, and a note shows if it is
	// not done at once (a post's small file opens before anyone sees it).
	open := func() {
		// done is touched only on the UI goroutine, so a late note can
		// never cover the screens once they are shown.
		done := false
		slow := time.AfterFunc(300*time.Millisecond, func() {
			onUI(func() {
				if !done {
					ui.ShowOpening(w, path)
				}
			})
		})
		opening.Go(func() {
			// A read-only place is said as such before the lock beside
			// the file fails for it.
			var l *winlock.Lock
			err := store.Writable(path)
			if err == nil {
				l, err = winlock.Take(path)
			}
			var s *store.Store
			if err == nil {
				if s, err = store.Open(ctx, path, env.StoreOptions); err != nil {
					l.Release()
				}
			}
			slow.Stop()
			if err != nil {
				fmt.Fprintf(env.Stderr, "cunjing: open %s: %v\n", path, err)
				onUI(func() {
					done = true
					ui.ShowOpenError(w, path, err)
				})
				return
			}
			mu.Lock()
			st, lock = s, l
			mu.Unlock()
			onUI(func() {
				done = true
				u := ui.New(a, w, s, ui.Options{FindFont: findFont, Version: env.Build.Version})
				mu.Lock()
				screens = u
				mu.Unlock()
				if file != "" {
					u.OpenFile(file)
				}
			})
		})
	}
	if _, err := os.Stat(path); err == nil {
		open()
	} else if errors.Is(err, os.ErrNotExist) {
		ui.ShowWelcome(w, ui.WelcomeOptions{
			Path: path,
			CreateDemo: func(ctx context.Context, p string) error {
				if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
					return fmt.Errorf("make folder for %s: %w", p, err)
				}
				return demo.Create(ctx, p, demo.Options{})
			},
			CreateEmpty:  createEmptyPost,
			ImportLedger: importFirstLedger,
			Done:         open,
		})
	} else {
		ui.ShowOpenError(w, path, err)
	}

	// Ctrl-C in the terminal closes the window like the close button.
	stop := context.AfterFunc(ctx, func() {
		fyne.Do(func() {
			mu.Lock()
			closed = true
			mu.Unlock()
			a.Quit()
		})
	})
	w.ShowAndRun()
	stop()
	// Fyne may also have quit on its own (it catches SIGTERM) without
	// closing the window; its loop is over either way.
	mu.Lock()
	closed = true
	mu.Unlock()
	opening.Wait()

	rc = 0
	mu.Lock()
	defer mu.Unlock()
	if screens != nil {
		screens.Close()
	}
	if st != nil {
		if err := st.Close(); err != nil {
			fmt.Fprintf(env.Stderr, "cunjing: close %s: %v\n", path, err)
			rc = 1
		}
	}
	if err := lock.Release(); err != nil {
		fmt.Fprintf(env.Stderr, "cunjing: unlock %s: %v\n", path, err)
	}
	return rc
}

// findFont adapts print/fonts (the same face the PDFs embed) to the UI.
func findFont(override string) (kit.Font, error) {
	f, err := fonts.Find(override)
	if err != nil {
		return kit.Font{}, err
	}
	return kit.Font{Name: f.Name, Path: f.Path, TTF: f.TTF}, nil
}
