package mapedit

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"cunjing/app/ui/uitest"
	"cunjing/store"
)

// Search results open at the top of the side panel, "共找到 N 户" in
// view, even when the panel had been scrolled down (issue #19: they
// opened scrolled down, hiding the count); the wheel scrolls the panel
// over its buttons and fields too.
func TestFindResultsOpenAtTheTop(t *testing.T) {
	ctx := context.Background()
	s := uitest.Fixture(t, 0)
	north, err := s.VillageByName(ctx, "北庄村") // a drawn village of many houses
	if err != nil {
		t.Fatal(err)
	}
	houses, err := s.Houses(ctx, north.ID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, h := range houses {
		if h.Number == "203" || n == 11 {
			continue
		}
		hh := &store.Household{VillageID: north.ID, HouseID: h.ID, OwnerName: fmt.Sprintf("王%c", '甲'+rune(n)), Warning: store.WarnGreen}
		if err := s.Save(ctx, hh); err != nil {
			t.Fatal(err)
		}
		n++
	}
	u, w, m := openMap(t, s)
	if m.village.Selected != "北庄村" {
		m.village.SetSelected("北庄村")
		u.Wait()
	}
	w.Canvas().Capture()
	find := func(q string) {
		m.find.SetText(q)
		m.find.OnSubmitted(q)
		u.Wait()
		m.sideScroll.Scroll.Refresh() // lay the new panel out, as the window's next frame does
	}
	find("王")
	if len(m.found) < 3 {
		t.Fatalf("find 王 found %d", len(m.found))
	}
	sc := m.sideScroll.Scroll
	if sc.Offset.Y != 0 {
		t.Errorf("results open scrolled down by %v", sc.Offset.Y)
	}
	// The officer had scrolled the panel down; a new find shows the count
	// and the list from the top.
	sc.ScrollToBottom()
	if sc.Offset.Y <= 0 {
		t.Fatalf("the panel cannot scroll (content %v in %v)", sc.Content.MinSize(), sc.Size())
	}
	find("wang")
	if sc.Offset.Y != 0 {
		t.Errorf("results open scrolled down by %v", sc.Offset.Y)
	}
	if got := uitest.Joined(m.side); !strings.Contains(got, fmt.Sprintf("共找到 %d 户", len(m.found))) {
		t.Errorf("side panel lacks the count:\n%s", got)
	}
	// The wheel over a result button scrolls the panel.
	mid := m.found[len(m.found)/2]
	btn := uitest.FindButton(t, m.side, mid.Number+"号  "+mid.Name)
	test.Scroll(w.Canvas(), fyne.CurrentApp().Driver().AbsolutePositionForObject(btn).Add(fyne.NewPos(5, 5)), 0, -400)
	if sc.Offset.Y <= 0 {
		t.Error("the wheel over a result does not scroll the side panel")
	}
}
