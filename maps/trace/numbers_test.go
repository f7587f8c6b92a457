package trace

import (
	"errors"
	"fmt"
	"image"
	"os"
	"slices"
	"strings"
	"testing"

	"cunjing/maps/trace/digits"
	"cunjing/maps/trace/sheetgen"
)

// TestReadFixtureNumbers reads the kept sheets' numbers with the embedded
// weights and holds the share read exactly, among houses found, at the
// level reached (it fails if reading breaks); the few read wrong must
// mostly be flagged doubtful or be rare.
func TestReadFixtureNumbers(t *testing.T) {
	for _, tc := range []struct {
		seed     int
		minExact float64
	}{
		{1, 0.8}, {2, 0.8}, {3, 0.8},
	} {
		t.Run(fmt.Sprint(tc.seed), func(t *testing.T) {
			img, tr := loadFixture(t, tc.seed)
			p, err := Detect(img, Options{PxPerM: tr.PxPerM})
			if err != nil {
				t.Fatal(err)
			}
			var nums []string
			for _, h := range tr.Houses {
				nums = append(nums, h.Number)
			}
			s := ScoreNumbers(truthRings(tr), nums, p.Houses)
			t.Logf("%+v", s)
			if s.Found == 0 || float64(s.Exact)/float64(s.Found) < tc.minExact {
				t.Errorf("%d of %d found houses' numbers read exactly, want ≥ %.0f%%", s.Exact, s.Found, 100*tc.minExact)
			}
			for _, h := range p.Houses {
				if h.Number == "" && (h.NumberConfidence != 0 || h.Doubtful) {
					t.Errorf("unread house %+v has a confidence or a doubt", h)
				}
				if h.NumberConfidence < 0 || h.NumberConfidence > 1 {
					t.Errorf("house %+v", h)
				}
			}
		})
	}
}

// TestReadHeldOutHand draws one A3 sheet at 150 dpi (seed 106, never
// used for tuning) with every number in the handwriting font held out of
// the recogniser's training, and holds the share read exactly among the
// houses found near the level reached (docs/BENCHMARKS.md): it fails when
// a change to the segmentation, the network or the weights loses much.
func TestReadHeldOutHand(t *testing.T) {
	if _, err := os.Stat(sheetgen.HeldOutFont); errors.Is(err, os.ErrNotExist) {
		t.Skipf("skipped: the held-out font %s is not installed (Debian's fonts-dkg-handwriting)", sheetgen.HeldOutFont)
	}
	o := a3
	o.Fonts = []string{sheetgen.HeldOutFont}
	s, err := sheetgen.Generate(106, o)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Detect(s.Image, Options{PxPerM: s.Truth.PxPerM})
	if err != nil {
		t.Fatal(err)
	}
	var nums []string
	for _, h := range s.Truth.Houses {
		nums = append(nums, h.Number)
	}
	sc := ScoreNumbers(truthRings(s.Truth), nums, p.Houses)
	t.Logf("%+v", sc)
	if exact := float64(sc.Exact) / float64(max(1, sc.Found)); sc.Found < 250 || exact < heldOutFloor {
		t.Errorf("%d of %d found houses' numbers read exactly (%.1f%%), want ≥ %.0f%%", sc.Exact, sc.Found, 100*exact, 100*heldOutFloor)
	}
}

// heldOutFloor is TestReadHeldOutHand's least share read exactly.
const heldOutFloor = 0.85

func TestCheckSequence(t *testing.T) {
	// a row of houses 20 px apart, each 10×10 px
	row := func(nums ...string) []House {
		var hs []House
		for i, n := range nums {
			hs = append(hs, House{At: Pt{float64(20 * i), 0}, AreaPx: 100, Number: n})
		}
		return hs
	}
	for _, tc := range []struct {
		name     string
		hs       []House
		doubtful string // one letter a house: d doubtful, . not
	}{
		{"a row in sequence", row("1", "3", "5", "7", "9"), "....."},
		{"an inserted house fits", row("1", "3", "3-1", "5", "7"), "....."},
		{"a misread digit breaks it", row("1", "3", "85", "7", "9"), "..d.."},
		{"unread houses are neither", row("1", "", "5", "", "9"), "....."},
		{"the same number twice", row("1", "3", "5", "3", "9"), ".d.d."},
		{"too few to judge", row("1", "90"), ".."},
		{"far from any read house", append(row("1", "3", "5"), House{At: Pt{900, 900}, AreaPx: 100, Number: "77"}), "...."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkSequence(tc.hs)
			got := ""
			for _, h := range tc.hs {
				if h.Doubtful {
					got += "d"
				} else {
					got += "."
				}
			}
			if got != tc.doubtful {
				t.Errorf("doubtful %q, want %q", got, tc.doubtful)
			}
		})
	}
}

func TestChooseBySequence(t *testing.T) {
	// a row of houses 12 px apart, each 10×10 px (so two either side are
	// neighbours), each with the reader's reading: the first text its
	// best, the rest alternatives 1 nat apart ("?": unread)
	row := func(readings ...[]string) []House {
		var hs []House
		for i, rs := range readings {
			h := House{At: Pt{float64(12 * i), 0}, AreaPx: 100}
			if len(rs) > 0 {
				rd := digits.Reading{Text: rs[0], Confidence: 0.9}
				for k, a := range rs[1:] {
					rd.Alternatives = append(rd.Alternatives, digits.Reading{Text: a, Confidence: 0.5, Score: -float64(k + 1)})
				}
				h.reading = &rd
				if rs[0] != "?" {
					h.Number = rs[0]
				}
			}
			hs = append(hs, h)
		}
		return hs
	}
	r := func(s ...string) []string { return s }
	for _, tc := range []struct {
		name string
		hs   []House
		want string // the numbers after, comma-separated
	}{
		{"a row in sequence stays", row(r("101", "107"), r("103", "108"), r("105", "106"), r("107", "101")), "101,103,105,107"},
		{"a misread tens digit gives way", row(r("101"), r("103"), r("155", "105"), r("107"), r("109")), "101,103,105,107,109"},
		{"touching digits counted as one", row(r("201"), r("203"), r("25", "205"), r("207")), "201,203,205,207"},
		{"an alternative too unlikely is not taken", row(r("101"), r("103"), r("155", "x1", "x2", "x3", "x4", "105")), "101,103,155"},
		{"an unread house read by its neighbours", row(r("11"), r("?", "13"), r("15")), "11,13,15"},
		{"a duplicate gives way to the number that fits", row(r("51"), r("53"), r("53", "55"), r("57")), "51,53,55,57"},
		{"nothing read near: left as read", row(r("77", "5")), "77"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			chooseBySequence(tc.hs)
			var got []string
			for _, h := range tc.hs {
				got = append(got, h.Number)
			}
			if g := strings.Join(got, ","); g != tc.want {
				t.Errorf("numbers %s, want %s", g, tc.want)
			}
		})
	}
}

func TestRescueTouching(t *testing.T) {
	// a 40×40 crop: the outline down its left side, an L's inner stroke
	// from the top edge down at x 25, touching a ring (a 0) below it; a
	// 1 apart as the number's island
	const cw, ch = 40, 40
	sc := &cropScratch{edge: make([]bool, cw*ch)}
	keep := make([]bool, cw*ch)
	set := func(m []bool, x, y int) { m[y*cw+x] = true }
	for y := range ch {
		set(sc.edge, 0, y)
	}
	for y := 0; y < 22; y++ {
		set(sc.edge, 25, y)
		set(sc.edge, 26, y)
	}
	ring := 0
	for y := 22; y < 32; y++ {
		for x := 22; x < 29; x++ {
			if y == 22 || y == 31 || x == 22 || x == 28 {
				set(sc.edge, x, y)
				ring++
			}
		}
	}
	for y := 22; y < 32; y++ {
		set(keep, 15, y)
	}
	sc.islands = []image.Rectangle{image.Rect(15, 22, 16, 32)}
	rescueTouching(cw, ch, keep, sc)
	kept := 0
	for y := range ch {
		for x := range cw {
			if !keep[y*cw+x] {
				continue
			}
			switch {
			case x == 15:
			case x >= 22 && x < 29 && y >= 22 && y < 32:
				kept++
			default:
				t.Errorf("%d,%d kept: the outline or the L's stroke", x, y)
			}
		}
	}
	if kept < ring*3/4 {
		t.Errorf("%d of the ring's %d pixels kept", kept, ring)
	}
	// without islands nothing is taken back
	clear(keep)
	sc.islands = nil
	rescueTouching(cw, ch, keep, sc)
	if slices.Contains(keep, true) {
		t.Error("ink taken back with no number to judge its height by")
	}
}
