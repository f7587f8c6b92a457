package clocktest

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// wallClockAllowed lists the test lines that may read the wall clock, with
// why: none of them decides what a test expects.
var wallClockAllowed = []struct{ file, line, why string }{
	{"store/crash_test.go", "rng := rand.New(rand.NewSource(time.Now().UnixNano()))", "make crashtest wants fresh kill points each run (opt-in, skipped in make test)"},
	{"store/crash_test.go", "start := time.Now()", "measures the harness's own run time"},
	{"maps/trace/numbers_bench_test.go", "t0 := time.Now()", "a benchmark's stopwatch: tracing with and without reading numbers"},
	{"sync/bep/sim_test.go", "start := time.Now()", "a benchmark's stopwatch: how long a township takes to converge"},
	{"sync/bep/countysim_test.go", "start := time.Now()", "a benchmark's stopwatch: how long a county of 200 devices takes to converge"},
	{"sync/bep/countysim_test.go", "settleStart := time.Now()", "a benchmark's deadline: how long every hop may take to settle after convergence"},
	{"sync/bep/sim_test.go", "settle := time.Now()", "a benchmark's deadline: how long a township's hops may take to settle after convergence"},
}

var wallClock = regexp.MustCompile(`\btime\.Now\b`)

// TestNoWallClockInTests fails when a _test.go file reads time.Now outside
// this package and the allow-list above: a test that takes today's date
// from the wall clock is green one week and red the next. Use Today, Date,
// Clock or Ticking instead.
func TestNoWallClockInTests(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	used := make([]bool, len(wallClockAllowed))
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); p != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, "_test.go") {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(rel, "store/clock/") {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for n := 1; sc.Scan(); n++ {
			code, _, _ := strings.Cut(sc.Text(), "//")
			if !wallClock.MatchString(code) {
				continue
			}
			allowed := false
			for i, a := range wallClockAllowed {
				if a.file == rel && strings.TrimSpace(code) == a.line {
					allowed, used[i] = true, true
				}
			}
			if !allowed {
				t.Errorf("%s:%d reads the wall clock in a test: %s\n\tuse cunjing/store/clock/clocktest (Today, Date, Clock, Ticking)", rel, n, strings.TrimSpace(code))
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range wallClockAllowed {
		if !used[i] {
			t.Errorf("allow-list entry no longer matches anything, remove it: %s: %s", a.file, a.line)
		}
	}
}

// TestLintSeesAWallClock: the lint above is not blind.
func TestLintSeesAWallClock(t *testing.T) {
	for _, c := range []struct {
		line string
		want bool
	}{
		{`today := time.Now().Format("2006-01-02")`, true},
		{`p.now = time.Now`, true},
		{`d := time.Since(start) // not time.Now`, false},
		{`x := mytime.Nowhere()`, false},
	} {
		code, _, _ := strings.Cut(c.line, "//")
		if got := wallClock.MatchString(code); got != c.want {
			t.Errorf("%q: matched %v, want %v", c.line, got, c.want)
		}
	}
}

var machineZone = regexp.MustCompile(`\btime\.Local\b|\.Local\(\)`)

// TestNoMachineZone fails when a program file (not a test) reads the
// machine's zone (time.Local, t.Local()): calendar days are Beijing's
// (clock.Zone, schedule.Zone, one definition in store/schedule/almanac),
// and a station's server set to UTC lagged 8 hours behind them.
func TestNoMachineZone(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); p != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for n, line := range strings.Split(string(b), "\n") {
			code, _, _ := strings.Cut(line, "//")
			if machineZone.MatchString(code) {
				rel, _ := filepath.Rel(root, p)
				t.Errorf("%s:%d reads the machine's zone: %s\n\tuse clock.Zone (schedule.Zone below the store), Beijing time", filepath.ToSlash(rel), n+1, strings.TrimSpace(code))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestLintSeesTheMachineZone: the lint above is not blind.
func TestLintSeesTheMachineZone(t *testing.T) {
	for _, c := range []struct {
		line string
		want bool
	}{
		{`t, err := time.ParseInLocation("2006-01", s, time.Local)`, true},
		{`day := at.Local().Format("2006-01-02")`, true},
		{`t, err := clock.Parse("2006-01", s) // not time.Local`, false},
		{`loc := time.LocalZone`, false},
	} {
		code, _, _ := strings.Cut(c.line, "//")
		if got := machineZone.MatchString(code); got != c.want {
			t.Errorf("%q: matched %v, want %v", c.line, got, c.want)
		}
	}
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fs.ErrNotExist
		}
		dir = parent
	}
}

func TestToday(t *testing.T) {
	t.Setenv(Env, "2028-02-29")
	got := Today(t)
	if got.Format("2006-01-02 15:04") != "2028-02-29 10:00" {
		t.Errorf("Today = %s", got)
	}
	if d := Date(t, 1); d != "2028-03-01" {
		t.Errorf("Date(+1) = %s", d)
	}
	t.Setenv(Env, "2028-02-30")
	if _, err := today(); err == nil {
		t.Error("an impossible date was taken")
	}
}

// TestTodayNamesItsReaders: with LogEnv set, each top-level test that reads
// today is named, whether it reads it itself or in a subtest; a test that
// does not read it is not. datecheck reads the names as a set (sort -u),
// so each read may add a line.
func TestTodayNamesItsReaders(t *testing.T) {
	log := filepath.Join(t.TempDir(), "readers")
	t.Setenv(LogEnv, log)
	t.Setenv(Env, "2027-01-31")
	readers := func() []string {
		t.Helper()
		got, err := os.ReadFile(log)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(string(got), "\n"), "\n")
		slices.Sort(lines)
		return slices.Compact(lines)
	}
	Today(t)
	Date(t, 3)
	t.Run("sub", func(t *testing.T) { Clock(t) })
	t.Run("quiet", func(t *testing.T) {})
	if got, want := readers(), []string{t.Name()}; !slices.Equal(got, want) {
		t.Errorf("%s names %q, want %q", LogEnv, got, want)
	}
	if err := logReader("TestSomethingElse/sub"); err != nil {
		t.Fatal(err)
	}
	if got, want := readers(), []string{"TestSomethingElse", t.Name()}; !slices.Equal(got, want) {
		t.Errorf("%s names %q, want %q", LogEnv, got, want)
	}
}
