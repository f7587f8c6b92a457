package cli_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"cunjing/app/cli/clitest"
	"cunjing/print/fonts"
	"cunjing/store"
)

// pdfText reads a PDF back with poppler; spaces are dropped because
// pdftotext puts them between wide characters.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	out, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return strings.Join(strings.Fields(string(out)), "")
}

func pdfPages(t *testing.T, path string) int {
	t.Helper()
	out, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v", path, err)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if f := strings.Fields(l); len(f) == 2 && f[0] == "Pages:" {
			n := 0
			for _, c := range f[1] {
				n = n*10 + int(c-'0')
			}
			return n
		}
	}
	t.Fatalf("pdfinfo gave no page count:\n%s", out)
	return 0
}

func needFont(t *testing.T) {
	t.Helper()
	if _, err := fonts.Find(""); err != nil {
		t.Skipf("no CJK font: %v", err)
	}
}

// boardsDB is the demo post and what the tests read from it.
func boardsDB(t *testing.T) (db string, venues []store.Venue, self store.Post) {
	t.Helper()
	db = clitest.DemoDB(t)
	s, err := store.Open(context.Background(), db, store.Options{SkipIntegrityCheck: true}) // checked when the test ends (clitest.Demo)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if venues, err = s.Venues(context.Background()); err != nil || len(venues) < 2 {
		t.Fatalf("demo venues: %d, %v", len(venues), err)
	}
	if err := s.Get(context.Background(), &self, s.DeviceID()); err != nil {
		t.Fatal(err)
	}
	return db, venues, self
}

func printRecordsOf(t *testing.T, db, kind string) []store.PrintRecord {
	t.Helper()
	s, err := store.Open(context.Background(), db, store.Options{SkipIntegrityCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	prs, err := s.PrintRecords(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []store.PrintRecord
	for _, p := range prs {
		if p.Kind == kind {
			out = append(out, p)
		}
	}
	return out
}

func TestCLIPrintBoard(t *testing.T) {
	t.Parallel()
	needFont(t)
	db, venues, self := boardsDB(t)
	dir := t.TempDir()

	one := filepath.Join(dir, "one.pdf")
	clitest.MustRun(t, "print", "board", "--db", db, "--venue", venues[0].ID, "--template", "poster", "--size", "a3", "--out", one)
	text := pdfText(t, one)
	for _, want := range []string{"打架成本警示牌", venues[0].Name, self.Officer, "紧急情况请拨打110"} {
		if !strings.Contains(text, want) {
			t.Errorf("one board lacks %q:\n%s", want, text)
		}
	}
	if n := pdfPages(t, one); n != 1 {
		t.Errorf("one A3 board: %d pages", n)
	}
	prs := printRecordsOf(t, db, "board")
	if len(prs) != 1 || prs[0].VenueID != venues[0].ID || prs[0].Template != "poster" || prs[0].Size != "a3" {
		t.Fatalf("records after one board: %+v", prs)
	}

	all := filepath.Join(dir, "all.pdf")
	clitest.MustRun(t, "print", "board", "--db", db, "--all", "--template", "calculator", "--size", "60x90", "--tile", "a4", "--out", all, "--quiet")
	text = pdfText(t, all)
	for _, v := range venues {
		if !strings.Contains(text, v.Name) {
			t.Errorf("batch lacks venue %q", v.Name)
		}
	}
	if n := pdfPages(t, all); n < 2*len(venues) {
		t.Errorf("tiled 60×90 boards for %d venues: only %d pages", len(venues), n)
	}
	if n := len(printRecordsOf(t, db, "board")); n != 1+len(venues) {
		t.Errorf("%d board records, want %d", n, 1+len(venues))
	}
}

func TestCLIPrintLeafletAndCards(t *testing.T) {
	t.Parallel()
	needFont(t)
	db, _, self := boardsDB(t)
	dir := t.TempDir()
	for _, c := range []struct{ topic, format, want string }{
		{"fire", "a4-bifold", "防火"}, {"fraud", "a5", "诈骗"}, {"drowning", "a5", "溺水"}, {"theft", "a4-bifold", "防盗"},
	} {
		out := filepath.Join(dir, c.topic+".pdf")
		clitest.MustRun(t, "print", "leaflet", "--db", db, "--topic", c.topic, "--format", c.format, "--out", out)
		if text := pdfText(t, out); !strings.Contains(text, c.want) || !strings.Contains(text, "110") {
			t.Errorf("%s leaflet lacks %q or 110:\n%s", c.topic, c.want, text)
		}
	}
	if n := len(printRecordsOf(t, db, "leaflet")); n != 4 {
		t.Errorf("%d leaflet records, want 4", n)
	}
	// Without --db the leaflet still prints (no contact, nothing recorded).
	bare := filepath.Join(dir, "bare.pdf")
	clitest.MustRun(t, "print", "leaflet", "--topic", "fire", "--out", bare)
	if !strings.Contains(pdfText(t, bare), "防火") {
		t.Error("leaflet without a database lacks its title")
	}

	cards := filepath.Join(dir, "cards.pdf")
	clitest.MustRun(t, "print", "cards", "--db", db, "--copies", "20", "--out", cards)
	text := pdfText(t, cards)
	if strings.Count(text, self.Officer) < 20 {
		t.Errorf("cards: %q appears %d times, want 20", self.Officer, strings.Count(text, self.Officer))
	}
	if n := pdfPages(t, cards); n != 2 {
		t.Errorf("20 cards on %d pages, want 2", n)
	}
	if prs := printRecordsOf(t, db, "cards"); len(prs) != 1 || prs[0].Copies != 20 {
		t.Errorf("card records %+v", prs)
	}
}

func TestCLIPrintBoardErrors(t *testing.T) {
	t.Parallel()
	needFont(t)
	db, venues, _ := boardsDB(t)
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.db")
	clitest.MustRun(t, "init", "--db", empty, "--name", "空白警务室")
	out := filepath.Join(dir, "x.pdf")
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"neither venue nor all", []string{"print", "board", "--db", db, "--out", out}, 2, "--venue ID or --all"},
		{"both", []string{"print", "board", "--db", db, "--all", "--venue", venues[0].ID, "--out", out}, 2, "--venue ID or --all"},
		{"empty venue list", []string{"print", "board", "--db", empty, "--all", "--out", out}, 1, "venue list"},
		{"unknown venue", []string{"print", "board", "--db", db, "--venue", "nope", "--out", out}, 1, `no venue "nope"`},
		{"unwritable path", []string{"print", "board", "--db", db, "--all", "--out", filepath.Join(dir, "missing", "x.pdf")}, 1, "cannot write"},
		{"out is a folder", []string{"print", "board", "--db", db, "--all", "--out", dir}, 1, "it is a folder"},
		{"missing font", []string{"print", "board", "--db", db, "--all", "--font", filepath.Join(dir, "nofont.ttf"), "--out", out}, 1, "no usable Chinese font"},
		{"bad size", []string{"print", "board", "--db", db, "--all", "--size", "2x2", "--out", out}, 2, "--size"},
		{"bad template", []string{"print", "board", "--db", db, "--all", "--template", "fancy", "--out", out}, 2, "--template"},
		{"bad tile", []string{"print", "board", "--db", db, "--all", "--tile", "a3", "--out", out}, 2, "--tile"},
		{"bad topic", []string{"print", "leaflet", "--topic", "flood", "--out", out}, 2, "--topic"},
		{"leaflet font", []string{"print", "leaflet", "--topic", "fire", "--font", filepath.Join(dir, "nofont.ttf"), "--out", out}, 1, "no usable Chinese font"},
		{"cards without out", []string{"print", "cards", "--db", db}, 2, "--out"},
		{"cards without phone", []string{"print", "cards", "--db", empty, "--out", out}, 1, "no phone number"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, errs, code := clitest.Run(t, c.args...)
			if code != c.code || !strings.Contains(errs, c.want) {
				t.Errorf("exit %d (want %d), stderr %q (want %q)", code, c.code, errs, c.want)
			}
		})
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed print left %s: %v", out, err)
	}
	if n := len(printRecordsOf(t, db, "board")); n != 0 {
		t.Errorf("failed prints recorded %d boards", n)
	}
}

// --marks puts an A4 board on a print-shop page: 3 mm bleed, crop marks,
// and TrimBox/BleedBox that differ from the MediaBox.
func TestCLIPrintBoardMarks(t *testing.T) {
	t.Parallel()
	needFont(t)
	db, venues, _ := boardsDB(t)
	out := filepath.Join(t.TempDir(), "a4.pdf")
	clitest.MustRun(t, "print", "board", "--db", db, "--venue", venues[0].ID, "--size", "a4", "--marks", "--out", out)
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		t.Skip("pdfinfo not installed")
	}
	info, err := exec.Command("pdfinfo", "-box", out).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"MediaBox:            0.00     0.00   680.31   926.93", "TrimBox:            42.52    42.52   637.80   884.41", "BleedBox:           34.02    34.02   646.30   892.91"} {
		if !strings.Contains(string(info), want) {
			t.Errorf("pdfinfo -box lacks %q:\n%s", want, info)
		}
	}
	if _, errs, code := clitest.Run(t, "print", "board", "--db", db, "--all", "--size", "60x90", "--tile", "a4", "--marks", "--out", out); code != 2 || !strings.Contains(errs, "--marks") {
		t.Errorf("--marks with --tile: exit %d %q", code, errs)
	}
}
