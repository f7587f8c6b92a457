package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/demo"
	"cunjing/app/ui/uitest"
	"cunjing/store"
	"cunjing/store/clock/clocktest"
	cjsync "cunjing/sync"
	"cunjing/sync/exchange"
)

// The three daily tasks of issue #19, walked through the real window on
// the demo post, counting what the officer does: taps, typed entries and
// key presses. A count above the one recorded here fails: a change that
// makes a daily task longer must say so (docs/guide.md, 三件日常事的步数,
// lists these numbers).
var dailySteps = map[string]int{
	"find house 203 and read its route":   4,
	"print a board for a named venue":     5,
	"send the week's changes, see it got": 4,
}

// officer does things to the window and counts them.
type officer struct {
	t     *testing.T
	u     *UI
	steps int
}

func (o *officer) tap(w fyne.Tappable) {
	o.t.Helper()
	test.Tap(w)
	o.steps++
	o.u.Wait()
}

func (o *officer) typeIn(e *widget.Entry, text string) {
	o.t.Helper()
	test.Type(e, text)
	o.steps++
	o.u.Wait()
}

func (o *officer) press(e *widget.Entry, key fyne.KeyName) {
	o.t.Helper()
	e.TypedKey(&fyne.KeyEvent{Name: key})
	o.steps++
	o.u.Wait()
}

// entryWithHint finds the entry showing hint in o's tree.
func entryWithHint(t *testing.T, o fyne.CanvasObject, hint string) *widget.Entry {
	t.Helper()
	var found *widget.Entry
	uitest.Walk(o, func(c fyne.CanvasObject) {
		if e := entryOf(c); e != nil && e.PlaceHolder == hint && found == nil {
			found = e
		}
	})
	if found == nil {
		t.Fatalf("no entry %q on screen", hint)
	}
	return found
}

// selectWithOption finds the select that offers option.
func selectWithOption(t *testing.T, o fyne.CanvasObject, option string) *widget.Select {
	t.Helper()
	var found *widget.Select
	uitest.Walk(o, func(c fyne.CanvasObject) {
		if s, ok := c.(*widget.Select); ok && found == nil {
			for _, x := range s.Options {
				if x == option {
					found = s
				}
			}
		}
	})
	if found == nil {
		t.Fatalf("no select offers %q", option)
	}
	return found
}

func TestDailyTasksWalkthrough(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo post and a station")
	}
	ctx := context.Background()
	dir := t.TempDir()
	t.Setenv("HOME", dir) // where the file dialog starts
	path := filepath.Join(dir, "post.db")
	if err := demo.Create(ctx, path, demo.Options{Venues: 6, Seed: 1, Today: clocktest.Today(t)}); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	u, w := newTestUIWith(t, s, Options{Now: clocktest.Clock(t), FindFont: uitest.Font(t)})

	// The station, paired with the post beforehand (pairing is done once,
	// not daily).
	stn, _, err := cjsync.Init(ctx, filepath.Join(dir, "station.db"),
		store.Identity{Role: store.RoleStation, Name: "城关派出所", Township: "城关镇", Officer: "刘所长"}, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stn.Close() })
	stnEngine, err := cjsync.New(ctx, stn, cjsync.Options{})
	if err != nil {
		t.Fatal(err)
	}
	postEngine, err := u.Engine(ctx)
	if err != nil {
		t.Fatal(err)
	}
	uitest.PairEngines(t, postEngine, stnEngine)

	got := map[string]int{}

	t.Run("find house 203 and read its route", func(t *testing.T) {
		o := &officer{t: t, u: u}
		o.tap(u.nav[AreaMap])
		screen := u.screens[AreaMap].Object()
		find := entryWithHint(t, screen, "找：门牌号（含旧号）、姓名或拼音首字母、电话或尾号、身份证号或尾号")
		o.typeIn(find, "203")
		o.press(find, fyne.KeyReturn)
		text := uitest.Joined(screen)
		if !strings.Contains(text, "203号") {
			t.Fatalf("house 203 not shown:\n%s", text)
		}
		o.tap(uitest.FindButton(t, screen, "消防车路线"))
		text = uitest.Joined(screen)
		if !strings.Contains(text, "复制这段话") || !strings.Contains(text, "203") {
			t.Fatalf("no route to read:\n%s", text)
		}
		got[t.Name()] = o.steps
	})

	t.Run("print a board for a named venue", func(t *testing.T) {
		o := &officer{t: t, u: u}
		o.tap(u.nav[AreaBoards])
		screen := u.screens[AreaBoards].Object()
		venues, err := s.Venues(ctx)
		if err != nil || len(venues) == 0 {
			t.Fatal(err, venues)
		}
		venue := venues[len(venues)-1].Name
		sel := selectWithOption(t, screen, venue)
		o.tap(sel) // opens the list
		sel.SetSelected(venue)
		o.steps++ // and taps the venue in it
		for _, ov := range w.Canvas().Overlays().List() {
			w.Canvas().Overlays().Remove(ov) // the list closes on the tap
		}
		o.u.Wait()
		o.tap(uitest.FindButton(t, screen, "保存为 PDF"))
		dlg := w.Canvas().Overlays().Top()
		if dlg == nil {
			t.Fatal("no file dialog")
		}
		o.tap(uitest.DialogButton(t, dlg, "保存"))
		var pdfs []string
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(p, ".pdf") && strings.Contains(filepath.Base(p), venue) {
				pdfs = append(pdfs, p)
			}
			return nil
		})
		if len(pdfs) != 1 {
			t.Fatalf("board PDFs for %s: %v", venue, pdfs)
		}
		if fi, err := os.Stat(pdfs[0]); err != nil || fi.Size() < 1000 {
			t.Fatalf("board PDF %s: %v", pdfs[0], err)
		}
		got[t.Name()] = o.steps
	})

	t.Run("send the week's changes, see it got", func(t *testing.T) {
		o := &officer{t: t, u: u}
		stick := filepath.Join(dir, "U盘")
		if err := os.Mkdir(stick, 0o755); err != nil {
			t.Fatal(err)
		}
		o.tap(u.nav[AreaSync])
		screen := u.screens[AreaSync].Object()
		o.typeIn(entryWithHint(t, screen, "交换文件夹（U 盘上的一个文件夹）"), stick)
		o.tap(uitest.FindButton(t, screen, "交换"))
		// At the station the stick is read (its own window or node; not
		// the officer's steps) and the receipt written back.
		if _, err := exchange.Once(ctx, stnEngine, stick); err != nil {
			t.Fatal(err)
		}
		o.tap(uitest.FindButton(t, screen, "交换"))
		if text := uitest.Joined(screen); !strings.Contains(text, "派出所已收到 ") {
			t.Fatalf("no acknowledgement:\n%s", text)
		}
		got[t.Name()] = o.steps
	})

	for task, want := range dailySteps {
		n, ok := got["TestDailyTasksWalkthrough/"+strings.ReplaceAll(task, " ", "_")]
		if !ok {
			t.Errorf("%s: not walked", task)
			continue
		}
		t.Logf("%s: %d steps", task, n)
		if n > want {
			t.Errorf("%s takes %d steps, %d recorded: a daily task got longer", task, n, want)
		}
	}
}
