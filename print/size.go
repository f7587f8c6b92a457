package print

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Size is a finished board or sheet size in millimetres (portrait when W<H).
type Size struct {
	Name  string  // as the CLI and designer name it: a4, a3, 60x90, …
	W, H  float64 // mm
	Paper bool    // an office paper size: printed as-is, no bleed marks
}

func (s Size) String() string { return fmt.Sprintf("%s (%s)", s.Name, s.MM()) }

// CM is the finished size in centimetres as the size list names it:
// "21×29.7" for A4, "60×90" for a board (no rounding to whole cm).
func (s Size) CM() string { return trimNum(s.W/10) + "×" + trimNum(s.H/10) }

// MM is the finished size in millimetres: "210×297 mm".
func (s Size) MM() string { return trimNum(s.W) + "×" + trimNum(s.H) + " mm" }

// trimNum writes v with at most one decimal and no trailing ".0".
func trimNum(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }

// Sizes a board can be; the sign maker's usual boards are 60×90 and 90×120 cm.
var (
	SizeA4     = Size{Name: "a4", W: 210, H: 297, Paper: true}
	SizeA3     = Size{Name: "a3", W: 297, H: 420, Paper: true}
	Size60x90  = Size{Name: "60x90", W: 600, H: 900}
	Size90x120 = Size{Name: "90x120", W: 900, H: 1200}
)

// StandardSizes lists the named sizes in menu order.
func StandardSizes() []Size { return []Size{SizeA4, SizeA3, Size60x90, Size90x120} }

// Limits for custom sizes: below 18 cm a side a board cannot hold its
// text at the size read from 2 m (costboard.BodyMinMM: an A5 board's
// venue name and subtitle did not fit on any template, so every custom
// A5 board failed); above 2.5 m the PDF (with bleed and marks) leaves the
// range viewers and RIPs handle (PDF pages end at 5.08 m).
const (
	minSideMM = 180
	maxSideMM = 2500
)

// ParseSize reads "a4", "a3", "60x90", "90x120", or a custom "WxH" in
// centimetres ("40x60", "45.5x60") or millimetres ("450x600mm"); "×" and
// "*" work as the separator.
func ParseSize(s string) (Size, error) {
	in := strings.ToLower(strings.TrimSpace(s))
	for _, std := range StandardSizes() {
		if in == std.Name {
			return std, nil
		}
	}
	unit := 10.0
	num := in
	switch {
	case strings.HasSuffix(num, "mm"):
		unit, num = 1, strings.TrimSuffix(num, "mm")
	case strings.HasSuffix(num, "cm"):
		num = strings.TrimSuffix(num, "cm")
	}
	num = strings.NewReplacer("×", "x", "*", "x", " ", "").Replace(num)
	a, b, ok := strings.Cut(num, "x")
	if !ok {
		return Size{}, fmt.Errorf("size %q: want a4, a3, 60x90, 90x120 or WxH in cm (e.g. 40x60) or mm (450x600mm)", s)
	}
	w, err1 := strconv.ParseFloat(a, 64)
	h, err2 := strconv.ParseFloat(b, 64)
	if err1 != nil || err2 != nil {
		return Size{}, fmt.Errorf("size %q: width and height must be numbers", s)
	}
	w, h = w*unit, h*unit
	if !(w >= minSideMM && h >= minSideMM && w <= maxSideMM && h <= maxSideMM) { // also refuses NaN
		return Size{}, fmt.Errorf("size %q = %.0f×%.0f mm: each side must be %d–%d mm (a smaller board cannot hold text read from 2 m: A4 is the smallest standard size)", s, w, h, minSideMM, maxSideMM)
	}
	name := strconv.FormatFloat(w/10, 'f', -1, 64) + "x" + strconv.FormatFloat(h/10, 'f', -1, 64)
	for _, std := range StandardSizes() {
		if std.W == w && std.H == h {
			return std, nil
		}
	}
	return Size{Name: name, W: w, H: h}, nil
}
