package housenum

import (
	"image"
	"slices"
	"testing"
)

func TestRescueTouching(t *testing.T) {
	// a 40×40 crop: the outline down its left side, an L's inner stroke
	// from the top edge down at x 25, touching a ring (a 0) below it; a
	// 1 apart as the number's island
	const cw, ch = 40, 40
	sc := &Scratch{edge: make([]bool, cw*ch)}
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
