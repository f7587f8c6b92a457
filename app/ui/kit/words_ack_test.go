package kit

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"
)

// TestAckLabelCalmUntilLate: what waits for a peer is plain while it is
// younger than the stale limit (a notice just published waits for every
// post's next sync) and orange only once it has waited longer; all
// received is green.
func TestAckLabelCalmUntilLate(t *testing.T) {
	now := time.Date(2026, 12, 6, 15, 0, 0, 0, time.UTC)
	const stale = 72 * time.Hour
	for _, c := range []struct {
		name    string
		through string
		waiting int
		since   string
		want    widget.Importance
	}{
		{"just published", "2026-12-06T14:00:00Z", 12, "2026-12-06T14:30:00Z", widget.MediumImportance},
		{"two days", "", 3, "2026-12-04T16:00:00Z", widget.MediumImportance},
		{"past the limit", "", 3, "2026-12-03T14:00:00Z", widget.WarningImportance},
		{"since unreadable", "", 3, "yesterday", widget.WarningImportance},
		{"all received", "2026-12-06T14:00:00Z", 0, "", widget.SuccessImportance},
		{"nothing yet", "", 0, "", widget.MediumImportance},
	} {
		l := AckLabel("派出所", c.through, c.waiting, c.since, now, stale)
		if l.Importance != c.want {
			t.Errorf("%s: importance %v, want %v (%q)", c.name, l.Importance, c.want, l.Raw())
		}
	}
}
