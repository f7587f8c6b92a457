package kit_test

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"cunjing/app/ui/kit"
)

func TestWindowFitsA1366x768Screen(t *testing.T) {
	s := kit.NewSettings(test.NewTempApp(t).Preferences())
	fits := func(sz fyne.Size) bool {
		// the title bar and a taskbar take at least 70 of the 768
		return sz.Width <= 1366 && sz.Height+70 <= 768 && sz.Width >= 800 && sz.Height >= 500
	}
	if sz := s.WindowSize(); !fits(sz) {
		t.Errorf("a first window is %v", sz)
	}
	s.SetWindowSize(fyne.NewSize(1100, 600))
	if sz := s.WindowSize(); sz != fyne.NewSize(1100, 600) {
		t.Errorf("the kept size 1100×600 opens as %v", sz)
	}
	s.SetWindowSize(fyne.NewSize(1920, 1050)) // left so on a big monitor
	if sz := s.WindowSize(); !fits(sz) {
		t.Errorf("a size kept on a big monitor opens as %v", sz)
	}
	s.SetWindowSize(fyne.NewSize(120, 40))
	if sz := s.WindowSize(); !fits(sz) {
		t.Errorf("a window dragged tiny opens as %v", sz)
	}
}
