package print

import (
	"strings"
	"testing"
)

// TestQRPhoneExtension: a phone with an extension (0371-6123456-1,
// 0371-61234567转801) went into the contact card's and board's QR code as
// all its digits run together, 037161234561 and 037161234567801: scanned
// and saved, it rings another number or none. The extension now follows a
// comma, the pause a phone's dialer waits before dialling it.
func TestQRPhoneExtension(t *testing.T) {
	for in, want := range map[string]string{
		"0371-6123456-1":       "03716123456,1",
		"0371-61234567转801":    "037161234567,801",
		"0371-61234567 分机 8":   "037161234567,8",
		"010-12345678 ext. 23": "01012345678,23",
		"+86 138-1234-5678":    "+8613812345678",
		"037112345678":         "037112345678",
		"0371-6123456":         "03716123456",
		"110":                  "110",
	} {
		c := Contact{Officer: "王建国", Phone: in, QR: "tel"}
		if got, err := c.QRPayload(); err != nil || got != "tel:"+want {
			t.Errorf("tel QR of %q = %q (%v), want tel:%s", in, got, err, want)
		}
		c.QR = ""
		if got, _ := c.QRPayload(); !strings.Contains(got, "TEL;TYPE=WORK,VOICE:"+want+"\r\n") {
			t.Errorf("vCard of %q:\n%s\nwant TEL %s", in, got, want)
		}
	}
}
