package almanac

import (
	"testing"
)

func win(t testing.TB, s string) []Window {
	t.Helper()
	w, err := ParseWindows(s)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestParseWindows(t *testing.T) {
	w := win(t, "07:00-08:00、16:30–17:30")
	if len(w) != 2 || w[1].Start != 16*60+30 || w[1].Minutes() != 60 {
		t.Errorf("%v", w)
	}
	if d := win(t, "全天"); d[0].Minutes() != 1440 || !d[0].Overnight() {
		t.Errorf("全天 = %v", d)
	}
	if n := win(t, "22:00-02:00"); n[0].Minutes() != 240 {
		t.Errorf("overnight = %v", n)
	}
	for _, bad := range []string{"", "7点", "07:00", "25:00-26:00", "24:00-01:00", "07:60-08:00"} {
		if _, err := ParseWindows(bad); err == nil {
			t.Errorf("ParseWindows(%q): want an error", bad)
		}
	}
}

func TestWindowsFromColumns(t *testing.T) {
	w, err := WindowsFromColumns("07:00,16:30", "08:00, 17:30")
	if err != nil || len(w) != 2 || w[1].String() != "16:30-17:30" {
		t.Errorf("%v %v", w, err)
	}
	if _, err := WindowsFromColumns("07:00,16:30", "08:00"); err == nil {
		t.Error("mismatched columns: want an error")
	}
}

func FuzzParseWindows(f *testing.F) {
	for _, s := range []string{"07:00-08:00、16:30-17:30", "全天", "22:00-02:00", "08:00–08:00", "7:00至8:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		ws, err := ParseWindows(text)
		if err != nil {
			return
		}
		for _, w := range ws {
			if w.Start < 0 || w.Start >= 1440 || w.End < 0 || w.End > 1440 || w.Minutes() < 1 || w.Minutes() > 1440 {
				t.Fatalf("%q gave window %+v", text, w)
			}
			back, err := ParseWindows(w.String())
			if err != nil || len(back) != 1 || back[0] != w {
				t.Fatalf("%q: %s does not parse back: %v %v", text, w, back, err)
			}
		}
	})
}
