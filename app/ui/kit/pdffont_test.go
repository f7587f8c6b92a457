package kit_test

import (
	"errors"
	"testing"

	"cunjing/app/ui/kit"
)

// TestPDFFontOnePerFont: PDFFont is one *fonts.Font while the font stays
// — it owns the fallback fonts, opened at the first rare character in a
// name — not a new one per document (which would open them again for
// every document), and a new one when another font is chosen.
func TestPDFFontOnePerFont(t *testing.T) {
	e := &kit.Env{}
	if _, err := e.PDFFont(); !errors.Is(err, kit.ErrNoFont) {
		t.Fatalf("no font: %v, want ErrNoFont", err)
	}
	e.SetFont(&kit.Font{Name: "a", TTF: []byte("a")}, nil)
	a1, err := e.PDFFont()
	if err != nil {
		t.Fatal(err)
	}
	a2, _ := e.PDFFont()
	if a1 != a2 || a1.Name != "a" {
		t.Errorf("two documents got different fonts (%p, %p) or the wrong one (%q)", a1, a2, a1.Name)
	}
	e.SetFont(&kit.Font{Name: "b", TTF: []byte("b")}, nil)
	if b, _ := e.PDFFont(); b == a1 || b == nil || b.Name != "b" {
		t.Errorf("after choosing b: %v, want a new font b", b)
	}
	e.SetFont(nil, errors.New("gone"))
	if f, err := e.PDFFont(); !errors.Is(err, kit.ErrNoFont) || f != nil {
		t.Errorf("font gone: %v, %v; want ErrNoFont", f, err)
	}
}
