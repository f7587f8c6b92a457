package station

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"cunjing/store"
	cjsync "cunjing/sync"
)

func device(t *testing.T, role, name string) *cjsync.Engine {
	t.Helper()
	ctx := context.Background()
	st, _, err := cjsync.Init(ctx, filepath.Join(t.TempDir(), "db"), store.Identity{Role: role, Name: name}, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e, err := cjsync.New(ctx, st, cjsync.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestViewAndPublish(t *testing.T) {
	ctx := context.Background()
	st := device(t, store.RoleStation, "城关派出所")
	posts := []*cjsync.Engine{device(t, store.RolePost, "东关"), device(t, store.RolePost, "西关")}
	for i, p := range posts {
		for _, x := range [][2]*cjsync.Engine{{p, st}, {st, p}} {
			c, _ := x[1].Identity().Code("n", x[1].Store().Role(), nil)
			if _, err := x[0].Pair(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		v := &store.Village{Name: "村"}
		if err := p.Store().Save(ctx, v); err != nil {
			t.Fatal(err)
		}
		for j := 0; j <= i; j++ {
			h := &store.Household{VillageID: v.ID, OwnerName: "户", Warning: store.WarnRed, Categories: []string{store.CatElderly}}
			if err := p.Store().Save(ctx, h); err != nil {
				t.Fatal(err)
			}
		}
		ven := &store.Venue{Name: "小卖部"}
		if err := p.Store().Save(ctx, ven); err != nil {
			t.Fatal(err)
		}
		if err := p.Store().Save(ctx, &store.PrintRecord{Kind: "board", VenueID: ven.ID, Copies: 2},
			&store.Patrol{Date: "2026-11-20", People: []string{"x"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := p.Cut(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := st.ImportDir(ctx, "test", p.FolderDir(cjsync.PostFolder(p.Self())), true); err != nil {
			t.Fatal(err)
		}
	}
	v, err := View(ctx, st, "2026-11-01", "2026-11-30", 24*time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Posts) != 2 || v.Total.Households != 3 || v.Total.ByWarning[store.WarnRed] != 3 ||
		v.Total.ByCategory[store.CatElderly] != 3 || v.Total.Patrols != 2 || v.Total.BoardsVenues["小卖部"] != 4 || len(v.StalePosts) != 0 {
		t.Fatalf("view %+v", v)
	}
	res, err := Publish(ctx, st, &store.Notice{Title: "冬季防火"})
	if err != nil || len(res.Changesets) == 0 {
		t.Fatalf("publish %+v %v", res, err)
	}
	if _, err := Publish(ctx, st, &store.Village{Name: "x"}); err == nil {
		t.Fatal("published a village")
	}
	if _, err := View(ctx, posts[0], "", "", time.Hour, time.Now()); err == nil {
		t.Fatal("a post has no station view")
	}
}
