package settings

import (
	"testing"

	"cunjing/app/ui/uitest"
)

// The mouse wheel over a text field scrolls 设置 at 1366×768 (issue #19:
// it stopped while the pointer was over a field).
func TestWheelOverAFieldScrollsSettings(t *testing.T) {
	u, sc := openSettings(t, uitest.Fixture(t, 0), nil)
	if !uitest.WheelScrollsForm(t, u.Window().Canvas(), sc.Object(), sc.fontPath) {
		t.Error("the wheel over the font path field does not scroll 设置")
	}
}
