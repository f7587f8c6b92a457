package station

import (
	"context"
	"strings"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/sync/quarantine"
)

// A post whose files kept failing verification is paused
// (sync/quarantine): the station's view of its posts says so in Chinese,
// and no more once it is paired again.
func TestViewSaysPaused(t *testing.T) {
	ctx := context.Background()
	st := device(t, store.RoleStation, "城关派出所")
	post := device(t, store.RolePost, "东关村警务室")
	code, err := post.Identity().Code("东关村警务室", store.RolePost, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Pair(ctx, code); err != nil {
		t.Fatal(err)
	}
	view := func() PostView {
		v, err := Overview(ctx, st, "", "", 24*time.Hour, clocktest.Today(t))
		if err != nil || len(v.Posts) != 1 {
			t.Fatalf("view: %+v, %v", v, err)
		}
		return v.Posts[0]
	}
	if p := view(); p.Paused != "" {
		t.Fatalf("a post never refused shows %q", p.Paused)
	}
	if _, paused, err := st.Book().NoteRefused(ctx, post.Self(), quarantine.MaxFiles, 1<<20, quarantine.MaxFiles, quarantine.MaxBytes); err != nil || !paused {
		t.Fatalf("NoteRefused: paused %v, %v", paused, err)
	}
	if p := view(); !strings.Contains(p.Paused, "已暂停和「东关村警务室」同步") {
		t.Fatalf("the paused post shows %q", p.Paused)
	}
	if _, err := st.Pair(ctx, code); err != nil {
		t.Fatal(err)
	}
	if p := view(); p.Paused != "" {
		t.Fatalf("paired again, the post still shows %q", p.Paused)
	}
}
