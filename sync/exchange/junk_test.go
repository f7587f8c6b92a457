package exchange

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/clock"
	"cunjing/store/clock/clocktest"
	cjsync "cunjing/sync"
	"cunjing/sync/quarantine"
)

// A stick planted with files under changesets' names that fail
// verification: each added a line to the rejection log, for good, as many
// as the stick held, every day it came (over BEP the sending device is
// paused past quarantine's bounds; a stick had no bound at all). Now the
// day's are counted in quarantine's bookkeeping and, past its bound, the
// rest of the stick is left unread that day, said in Chinese; the next
// day the count starts again and the post's changeset behind the junk is
// taken. Nothing taken before is lost and the log holds a line per file.
func TestStickJunkCountedPerDay(t *testing.T) {
	ctx := context.Background()
	now := clocktest.Today(t)
	post, station := pairedPost(t, store.Options{Now: func() time.Time { return now }})
	stick := t.TempDir()
	if _, err := Once(ctx, post, stick); err != nil {
		t.Fatal(err)
	}
	const junk = quarantine.MaxFiles + 6
	for i := range junk {
		// '0' sorts before every device ID's first letter: read first.
		p := filepath.Join(stick, fmt.Sprintf("cs-0000000-p0000000-%012d-0123456789abcdef.cjcs", i+1))
		if err := os.WriteFile(p, []byte(strings.Repeat("junk", 25)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	es, _ := os.ReadDir(stick)
	for _, en := range es {
		settle(t, filepath.Join(stick, en.Name()))
	}
	pass := func() Report { t.Helper(); return once(t, station, stick) }
	for range 2 {
		rep := pass()
		if rep.JunkToday.Files != quarantine.MaxFiles || rep.JunkToday.PausedAt == "" {
			t.Fatalf("the day's junk: %+v", rep.JunkToday)
		}
		if rep.Imported.Unexamined < junk-quarantine.MaxFiles+1 {
			t.Fatalf("unexamined %d", rep.Imported.Unexamined)
		}
		if n := len(rejectsOf(t, station)); n != quarantine.MaxFiles {
			t.Fatalf("%d lines in the rejection log, want %d", n, quarantine.MaxFiles)
		}
	}
	if strings.Contains(dump(t, station, post.Self()), "西河村") {
		t.Fatal("the post's changeset was read past the day's bound")
	}
	now = now.Add(24 * time.Hour)
	rep := pass()
	if rep.JunkToday.Files != junk-quarantine.MaxFiles || rep.JunkToday.PausedAt != "" || rep.Imported.Unexamined != 0 {
		t.Fatalf("the next day: %+v unexamined %d", rep.JunkToday, rep.Imported.Unexamined)
	}
	if rep.Imported.Outcomes[cjsync.Applied] != 1 || !strings.Contains(dump(t, station, post.Self()), "西河村") {
		t.Fatalf("the post's changeset not taken the next day: %+v", rep.Imported.Outcomes)
	}
	if n := len(rejectsOf(t, station)); n != junk {
		t.Fatalf("%d lines in the rejection log, want %d", n, junk)
	}
}

// The day's counts of stick junk (stick:<day> in quarantine's
// bookkeeping) were never removed. Now those older than 30 days go; and a
// PC clock set years ahead or back for a pass neither deletes the real
// day's count (a stick would get the day's bound again) nor leaves a count
// dated years away for ever. (Red before: nothing was removed.)
func TestStickDaysPruned(t *testing.T) {
	ctx := context.Background()
	today := clocktest.Today(t)
	now := today
	_, station := pairedPost(t, store.Options{Now: func() time.Time { return now }})
	day := func(d time.Time) string { return "stick:" + d.In(clock.Zone).Format(time.DateOnly) }
	for _, back := range []int{45, 31, 29, 1} {
		if _, _, err := station.Book().NoteRefused(ctx, day(today.AddDate(0, 0, -back)), 1, 10, quarantine.MaxFiles, quarantine.MaxBytes); err != nil {
			t.Fatal(err)
		}
	}
	// Today's bound reached.
	if _, _, err := station.Book().NoteRefused(ctx, day(today), quarantine.MaxFiles, 10, quarantine.MaxFiles, quarantine.MaxBytes); err != nil {
		t.Fatal(err)
	}
	stick := t.TempDir()
	pass := func(at time.Time) []string {
		t.Helper()
		now = at
		if _, err := Once(ctx, station, stick); err != nil {
			t.Fatal(err)
		}
		all, err := station.Book().RefusedAll(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var days []string
		for k := range all {
			if strings.HasPrefix(k, "stick:") {
				days = append(days, strings.TrimPrefix(k, "stick:"))
			}
		}
		slices.Sort(days)
		return days
	}
	d := func(back int) string { return today.AddDate(0, 0, -back).In(clock.Zone).Format(time.DateOnly) }
	ahead, behind := today.AddDate(3, 0, 0), today.AddDate(-3, 0, 0)
	for _, step := range []struct {
		name string
		at   time.Time
		want []string
	}{
		{"today", today, []string{d(29), d(1), d(0)}},
		{"clock 3 years ahead", ahead, []string{d(0)}},
		{"clock right again", today, []string{d(0)}},
		{"clock 3 years behind", behind, []string{d(0)}},
		{"clock right again, after", today, []string{d(0)}},
	} {
		if got := pass(step.at); !slices.Equal(got, step.want) {
			t.Errorf("%s: days kept %v, want %v", step.name, got, step.want)
		}
		if step.at.Equal(today) {
			if r, err := station.Book().RefusedOf(ctx, day(today)); err != nil || r.Files != quarantine.MaxFiles || r.PausedAt == "" {
				t.Errorf("%s: today's count lost: %+v %v", step.name, r, err)
			}
		}
	}
	// Junk on a day with the clock years off: its count goes once the
	// clock is right and another day has come.
	if _, _, err := station.Book().NoteRefused(ctx, day(ahead), 1, 10, quarantine.MaxFiles, quarantine.MaxBytes); err != nil {
		t.Fatal(err)
	}
	pass(ahead)
	pass(today)
	if got := pass(today.AddDate(0, 0, 1)); !slices.Equal(got, []string{d(0)}) {
		t.Errorf("a day later: days kept %v, want only yesterday's", got)
	}
}
