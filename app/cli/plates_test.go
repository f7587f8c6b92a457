package cli_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"cunjing/app/cli/clitest"
	"cunjing/print"
	"cunjing/print/platetest"
	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/store/mapdata"
)

// `cunjing print plates` on the demo post, two of whose houses were
// renumbered (day 1 and day 5): plates whose QR codes read back as the
// right house, 原门牌 on the renumbered one, the list of plates to replace
// by --changed-since, and clear errors that write nothing.
func TestCLIPrintPlates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	day0 := clocktest.Today(t)
	now := day0
	opts := store.Options{Now: func() time.Time { return now }, SkipIntegrityCheck: true}
	runAt := func(args ...string) (string, string, int) { return clitest.RunWith(t, opts, args...) }
	dir := t.TempDir()
	db := clitest.Demo(t, "--seed", "7", "--today", day0.Format("2006-01-02"))
	s, err := store.Open(ctx, db, opts)
	if err != nil {
		t.Fatal(err)
	}
	vil, err := s.VillageByName(ctx, "张庄村")
	if err != nil {
		t.Fatal(err)
	}
	renumber := func(day int, from, to string) {
		now = day0.AddDate(0, 0, day)
		mv, err := mapdata.Load(ctx, s, vil.ID)
		if err != nil {
			t.Fatal(err)
		}
		for i := range mv.Houses {
			if mv.Houses[i].Number == from {
				mv.Houses[i].History = append(mv.Houses[i].History, from)
				mv.Houses[i].Number = to
			}
		}
		if err := mapdata.Save(ctx, s, vil.ID, mv); err != nil {
			t.Fatal(err)
		}
	}
	renumber(1, "7", "6-1")
	renumber(5, "20", "19-1")
	var post store.Post
	if err := s.Get(ctx, &post, s.DeviceID()); err != nil {
		t.Fatal(err)
	}
	s.Close()
	now = day0.AddDate(0, 0, 6)

	out := filepath.Join(dir, "plates.pdf")
	stdout, errs, code := runAt("print", "plates", "--db", db, "--village", "张庄村", "--houses", "6-1,1..3", "--size", "20x12", "--out", out)
	if code != 0 {
		t.Fatalf("print plates: exit %d: %s", code, errs)
	}
	if !strings.Contains(stdout, "4 door plates") {
		t.Errorf("print plates says %q", stdout)
	}
	pdf, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	const dpi = 100
	pages := platetest.Render(t, pdf, dpi)
	want := []string{"1", "2", "3", "6-1"} // in number order
	if len(pages) != len(want) {
		t.Fatalf("%d pages, want %d", len(pages), len(want))
	}
	for i, img := range pages {
		got, err := platetest.Decode(img, platetest.MM(130, 15, 75, 110, dpi)) // the plate's right part
		if err != nil {
			t.Fatalf("page %d: %v", i+1, err)
		}
		if w := print.PlatePayload("张庄村", want[i], post.Phone); got != w {
			t.Errorf("page %d QR %q, want %q", i+1, got, w)
		}
	}
	if text := pdftotext(t, out); text != "" {
		if !strings.Contains(text, "原门牌 7") || strings.Count(text, "原门牌") != 1 {
			t.Errorf("the renumbered house's plate should say 原门牌 7, once:\n%s", text)
		}
	}

	// The list of plates to replace: renumbered since day 3 is 19-1 only;
	// without --changed-since both.
	list := filepath.Join(dir, "list.pdf")
	if _, errs, code := runAt("print", "plates", "--db", db, "--village", "张庄村", "--replace-list", "--changed-since", day0.AddDate(0, 0, 3).Format("2006-01-02"), "--out", list); code != 0 {
		t.Fatalf("replace list: %s", errs)
	}
	if text := pdftotext(t, list); text != "" && (!strings.Contains(text, "19-1") || strings.Count(text, "→") != 1 || !strings.Contains(text, "门牌号变了的 1 户")) {
		t.Errorf("list since day 3:\n%s", text)
	}
	if _, errs, code := runAt("print", "plates", "--db", db, "--village", "张庄村", "--replace-list", "--out", list); code != 0 {
		t.Fatalf("replace list: %s", errs)
	}
	if text := pdftotext(t, list); text != "" && (!strings.Contains(text, "19-1") || !strings.Contains(text, " 6-1") || strings.Count(text, "→") != 2) {
		t.Errorf("list of every renumbered house:\n%s", text)
	}

	// Stickers: 12 plates on two sheets.
	stick := filepath.Join(dir, "stickers.pdf")
	if stdout, errs, code := runAt("print", "plates", "--db", db, "--village", "张庄村", "--houses", "1..12", "--size", "a4-stickers", "--out", stick); code != 0 || !strings.Contains(stdout, "2 pages") {
		t.Fatalf("stickers: exit %d %q %s", code, stdout, errs)
	}

	// Refusals: a clear message, exit 1 or 2, nothing written.
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--houses", "1,9999"}, "no house 9999"},
		{[]string{"--houses", "7"}, "no house 7 (now 6-1)"},
		{[]string{"--houses", "50..1"}, "runs backwards"},
		{[]string{"--houses", "1..x"}, "both ends must be whole"},
		{[]string{"--houses", "5000..6000"}, "no house 5000..6000"},
		{[]string{"--lane", "没有这条巷"}, "no lane named"},
		{[]string{"--size", "a3"}, "want 20x12, 30x20 or a4-stickers"},
		{[]string{"--changed-since", "12/1"}, "YYYY-MM-DD"},
		{[]string{"--houses", "1..3", "--replace-list"}, "no house to print"},
		{[]string{"--replace-list", "--changed-since", day0.AddDate(0, 0, 9).Format("2006-01-02")}, "numbers changed since"},
	} {
		bad := filepath.Join(dir, "bad.pdf")
		args := append([]string{"print", "plates", "--db", db, "--village", "张庄村", "--out", bad}, c.args...)
		_, errs, code := runAt(args...)
		if code == 0 || !strings.Contains(errs, c.msg) {
			t.Errorf("%v: exit %d, %q; want an error with %q", c.args, code, errs, c.msg)
		}
		if _, err := os.Stat(bad); err == nil {
			t.Errorf("%v: a file was written", c.args)
		}
		if left, _ := filepath.Glob(filepath.Join(dir, ".cunjing-*")); len(left) > 0 {
			t.Errorf("%v: left %v", c.args, left)
		}
	}

	// Every print was recorded for the station's counts.
	s, err = store.Open(ctx, db, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	recs, err := s.PrintRecords(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, r := range recs {
		if strings.HasPrefix(r.Kind, "plates") {
			kinds = append(kinds, r.Kind+" "+r.Size)
		}
	}
	slices.Sort(kinds)
	if w := []string{"plates 20x12", "plates a4-stickers", "plates-replace A4", "plates-replace A4"}; !slices.Equal(kinds, w) {
		t.Errorf("print records %v, want %v", kinds, w)
	}
}

// pdftotext is the text of a PDF, or "" (logged) without poppler.
func pdftotext(t *testing.T, path string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Log("pdftotext missing: the text is not checked")
		return ""
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}
