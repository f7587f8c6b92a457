package exchange

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cunjing/store"
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
	pass := func() Report {
		t.Helper()
		rep, err := Once(ctx, station, stick)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
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
