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

// Whether each post is paused is read for all posts at once
// (Book.RefusedAll): of two posts, the one paused says so, the other not,
// and a post refused a file but not paused has its count and no pause.
func TestOverviewPausedOfManyPosts(t *testing.T) {
	ctx := context.Background()
	st := device(t, store.RoleStation, "城关派出所")
	names := []string{"东关村警务室", "西关村警务室", "南关村警务室"}
	var ids []string
	for _, n := range names {
		post := device(t, store.RolePost, n)
		code, err := post.Identity().Code(n, store.RolePost, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Pair(ctx, code); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, post.Self())
	}
	if _, paused, err := st.Book().NoteRefused(ctx, ids[1], quarantine.MaxFiles, 1<<20, quarantine.MaxFiles, quarantine.MaxBytes); err != nil || !paused {
		t.Fatalf("NoteRefused: paused %v, %v", paused, err)
	}
	if _, paused, err := st.Book().NoteRefused(ctx, ids[2], 1, 10, quarantine.MaxFiles, quarantine.MaxBytes); err != nil || paused {
		t.Fatalf("NoteRefused once: paused %v, %v", paused, err)
	}
	all, err := st.Book().RefusedAll(ctx)
	if err != nil || len(all) != 2 || all[ids[1]].PausedAt == "" || all[ids[2]].Files != 1 || all[ids[2]].PausedAt != "" {
		t.Fatalf("RefusedAll: %+v, %v", all, err)
	}
	v, err := Overview(ctx, st, "", "", 24*time.Hour, clocktest.Today(t))
	if err != nil || len(v.Posts) != 3 {
		t.Fatalf("view: %+v, %v", v, err)
	}
	for _, p := range v.Posts {
		if paused := p.Paused != ""; paused != (p.DeviceID == ids[1]) {
			t.Errorf("%s: paused %q", p.Name, p.Paused)
		}
	}
}
