package typeset

import "testing"

// TestPhoneExtensionKept: a landline with a one-digit extension written
// after a dash (0371-6123456-1, 分机 1) has the twelve digits of a landline
// with an eight-digit number; it printed 0371-61234561, a number that rings
// somebody else. A number whose digits after the area code hold another
// dash stays as written.
func TestPhoneExtensionKept(t *testing.T) {
	for in, want := range map[string]string{
		"0371-6123456-1":  "0371-6123456-1",
		"010 1234567-8":   "010 1234567-8",
		"(0371)6123456-1": "(0371)6123456-1",
		"0371-61234567":   "0371-61234567",
		"037161234567":    "0371-61234567",
		"(0371)61234567":  "0371-61234567",
		"010-8888 8888":   "010-88888888",
		"010 88888888":    "010-88888888",
	} {
		if got := Phone(in); got != want {
			t.Errorf("Phone(%q) = %q, want %q", in, got, want)
		}
	}
}
