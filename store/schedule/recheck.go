package schedule

import (
	"slices"
	"strings"
)

// Why a stored rule's days should be checked by the officer (Recheck).
const (
	// RecheckRereads: the words the officer wrote (Spec.Text) read
	// differently now than when the rule was saved (a parser fix): the
	// rule still holds its old days until it is saved again.
	RecheckRereads = "rereads"
	// RecheckOldReading: the rule was saved without its words, by a
	// version that read 逢2、5、10 (two-digit days in a list) wrongly, and
	// its days can only be that reading: two days running (a 逢 rule's
	// endings side by side, 一 and 二, or 十 and 一), which no market or
	// patrol day written with 逢 has, while 逢2、5、10 read digit by digit
	// gave 逢一、二、五、十.
	RecheckOldReading = "old_reading"
)

// Recheck says whether a stored spec's days should be checked by the
// officer, and why ("" when not): its words now read otherwise (then
// reread is the new reading, which is never applied without the officer
// saving it), or it was saved without its words and can only be the old
// wrong reading. Nothing is changed: the rule keeps its stored days.
func Recheck(stored Spec) (why string, reread Spec) {
	if t := strings.TrimSpace(stored.Text); t != "" {
		now, err := ParseSpec(t)
		if err != nil || now.Validate() != nil {
			return "", Spec{}
		}
		a, b := stored.Normalized(), now.Normalized()
		a.Text, b.Text = "", ""
		ea, erra := EncodeSpec(a)
		eb, errb := EncodeSpec(b)
		if erra == nil && errb == nil && ea != eb {
			now.Text = stored.Text
			return RecheckRereads, now
		}
		return "", Spec{}
	}
	if (stored.Kind == Lunar || stored.Kind == Solar) && endingsSideBySide(stored.Endings) {
		return RecheckOldReading, Spec{}
	}
	return "", Spec{}
}

// endingsSideBySide reports whether two of a 逢 rule's endings are days
// running (1 and 2 … 9 and 十, or 十 and 一: the 10th and the 11th).
func endingsSideBySide(endings []int) bool {
	for _, e := range endings {
		next := e + 1
		if e == 10 {
			next = 1
		}
		if next != e && slices.Contains(endings, next) {
			return true
		}
	}
	return false
}
