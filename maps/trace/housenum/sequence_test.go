package housenum

import (
	"strings"
	"testing"

	"cunjing/maps/trace/digits"
)

func TestCheckSequence(t *testing.T) {
	// a row of houses 20 px apart, each 10×10 px
	row := func(nums ...string) []House {
		var hs []House
		for i, n := range nums {
			hs = append(hs, House{At: [2]float64{float64(20 * i), 0}, AreaPx: 100, Number: n})
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
		{"far from any read house", append(row("1", "3", "5"), House{At: [2]float64{900, 900}, AreaPx: 100, Number: "77"}), "...."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			CheckSequence(tc.hs)
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
			h := House{At: [2]float64{float64(12 * i), 0}, AreaPx: 100}
			if len(rs) > 0 {
				rd := digits.Reading{Text: rs[0], Confidence: 0.9}
				for k, a := range rs[1:] {
					rd.Alternatives = append(rd.Alternatives, digits.Reading{Text: a, Confidence: 0.5, Score: -float64(k + 1)})
				}
				h.Reading = &rd
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
			ChooseBySequence(tc.hs)
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
