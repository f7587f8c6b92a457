package uitest

import (
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	cjlang "cunjing/app/lang"
	"cunjing/app/ui/kit"
	"cunjing/print/fonts"
	"cunjing/store"
	"cunjing/store/clock"
	"cunjing/store/clock/clocktest"
)

// Queue keeps what background loads hand to the UI until the test
// goroutine runs it in Env.Wait, so the widgets are only touched from one
// goroutine, as fyne.Do guarantees in the real app.
type Queue struct {
	mu sync.Mutex
	fs []func()
}

// Do queues f.
func (q *Queue) Do(f func()) {
	q.mu.Lock()
	q.fs = append(q.fs, f)
	q.mu.Unlock()
}

// Drain runs what was queued and reports whether there was anything.
func (q *Queue) Drain() bool {
	q.mu.Lock()
	fs := q.fs
	q.fs = nil
	q.mu.Unlock()
	for _, f := range fs {
		f()
	}
	return len(fs) > 0
}

// Headless prepares a test for a headless window in Chinese: Fyne's and
// Mesa's caches in temp folders, the language zh.
func Headless(t testing.TB) {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("LANG", "zh_CN.UTF-8")
	if err := cjlang.Use("zh"); err != nil {
		t.Fatalf("language: %v", err)
	}
}

// NewEnv is the environment of a headless 1366×768 window over s, with
// its clock at the tests' today (clocktest), closed when the test ends.
func NewEnv(t testing.TB, s *store.Store) (*kit.Env, fyne.Window) {
	t.Helper()
	return NewEnvAt(t, s, clocktest.Clock(t))
}

// NewEnvAt is NewEnv with the clock now.
func NewEnvAt(t testing.TB, s *store.Store, now clock.Func) (*kit.Env, fyne.Window) {
	t.Helper()
	Headless(t)
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1366, 768))
	q := &Queue{}
	env := kit.NewEnv(a, w, s, now, q.Do, q.Drain)
	t.Cleanup(env.Close)
	return env, w
}

// Font loads a CJK font the way the app does, skipping the test where the
// machine has none (the map and the previews need one to draw).
func Font(t *testing.T) kit.FontFinder {
	t.Helper()
	f, err := fonts.Find("")
	if err != nil {
		t.Skipf("no CJK font on this machine: %v", err)
	}
	return func(string) (kit.Font, error) { return kit.Font{Name: f.Name, Path: f.Path, TTF: f.TTF}, nil }
}

// UseFont gives env the machine's CJK font (skipping the test without one).
func UseFont(t *testing.T, env *kit.Env) {
	t.Helper()
	env.SetFont(kit.ChooseFont(Font(t), ""))
}

// NoCutText fails the test, when it ends, if a word-wrapped text shown
// in w (its content or a dialog over it) has less height than its lines
// need (CutWrapped): its text was set after the screen was laid out
// without kit.SetWrapped (kit.Message, ShowWrapped), and the headless
// window, which never lays a screen out again for a grown child, shows
// only its first lines (the real one, on an unlucky frame).
func NoCutText(t testing.TB, w fyne.Window) {
	t.Helper()
	t.Cleanup(func() { checkNoCutText(t, w) })
}

func checkNoCutText(t testing.TB, w fyne.Window) {
	t.Helper()
	roots := append([]fyne.CanvasObject{w.Content()}, w.Canvas().Overlays().List()...)
	for _, r := range roots {
		for _, c := range CutWrapped(r) {
			t.Errorf("cut after its first lines: %s", c)
		}
	}
}
