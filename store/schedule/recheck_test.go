package schedule

import (
	"slices"
	"testing"
)

// Recheck names the stored rules whose days the officer should check, and
// only those: the old digit-by-digit reading of 逢2、5、10 (two days
// running), and words that read otherwise now than when saved.
func TestRecheck(t *testing.T) {
	for _, c := range []struct {
		name    string
		stored  Spec
		why     string
		endings []int // of the new reading, for RecheckRereads
	}{
		{"逢2、5、10 read digit by digit, no words", Spec{Kind: Lunar, Endings: []int{1, 2, 5, 10}}, RecheckOldReading, nil},
		{"逢5、15、25 read digit by digit, no words", Spec{Kind: Lunar, Endings: []int{1, 2, 5}}, RecheckOldReading, nil},
		{"逢10、20、30 read digit by digit, no words", Spec{Kind: Solar, Endings: []int{1, 2, 3, 10}}, RecheckOldReading, nil},
		{"逢五、十 read digit by digit from 5、10", Spec{Kind: Lunar, Endings: []int{1, 5, 10}}, RecheckOldReading, nil},
		{"逢一四七 saved before", Spec{Kind: Lunar, Endings: []int{1, 4, 7}}, "", nil},
		{"逢二五十 saved before", Spec{Kind: Lunar, Endings: []int{2, 5, 10}}, "", nil},
		{"逢三六九 saved before", Spec{Kind: Solar, Endings: []int{3, 6, 9}}, "", nil},
		{"days 初一、初二 are days, not endings", Spec{Kind: Lunar, Days: []int{1, 2}}, "", nil},
		{"weekly", Spec{Kind: Weekly, Weekdays: []int{1, 2}}, "", nil},
		{"words kept, read the same", Spec{Kind: Lunar, Endings: []int{2, 5, 10}, Text: "农历逢2、5、10"}, "", nil},
		{"words kept, read otherwise now", Spec{Kind: Lunar, Endings: []int{1, 2, 5, 10}, Text: "农历逢2、5、10"}, RecheckRereads, []int{2, 5, 10}},
		{"words kept that no longer read", Spec{Kind: Lunar, Endings: []int{1, 2}, Text: "胡说八道"}, "", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			why, now := Recheck(c.stored)
			if why != c.why {
				t.Fatalf("Recheck = %q, want %q", why, c.why)
			}
			if why == RecheckRereads && (!slices.Equal(now.Endings, c.endings) || now.Text != c.stored.Text) {
				t.Errorf("reread as %+v, want endings %v with the words kept", now, c.endings)
			}
		})
	}
}

// The words travel with the spec through the store's JSON.
func TestSpecKeepsItsWords(t *testing.T) {
	sp, err := ParseSpec("农历逢2、5、10")
	if err != nil {
		t.Fatal(err)
	}
	sp.Text = "农历逢2、5、10"
	js, err := EncodeSpec(sp)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeSpec(js)
	if err != nil || back.Text != sp.Text || !slices.Equal(back.Endings, []int{2, 5, 10}) {
		t.Errorf("%s decodes as %+v (%v)", js, back, err)
	}
	sp.Text = string(make([]byte, MaxSpecText+1))
	if _, err := EncodeSpec(sp); err == nil {
		t.Error("a text over MaxSpecText was taken")
	}
}
