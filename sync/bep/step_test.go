package bep

import (
	"context"
	gosync "sync"
	"testing"
	"time"

	"cunjing/store"
	cjsync "cunjing/sync"
)

// The peer's index of a folder lands while a step works on it: after the
// step listed the peer's files, before it decided whether the two are
// complete (the station cut a changeset since the last session, and its
// index update comes in just then). The session must pull that changeset
// before it calls the two complete, not end with the peer's index held up
// to the announced sequence and its file missing.
func TestIndexLandingMidStepIsPulled(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	post, station, peer := listeningPair(t, ctx)
	if err := station.Store().Save(ctx, &store.Notice{Title: "冬防通知"}); err != nil {
		t.Fatal(err)
	}
	if err := post.Store().Save(ctx, &store.Village{Name: "南岗村"}); err != nil {
		t.Fatal(err)
	}
	for _, e := range []*cjsync.Engine{post, station} {
		if _, err := e.Cut(ctx); err != nil {
			t.Fatal(err)
		}
	}
	node := NewNode(post, Config{})
	if r, err := node.SyncOnce(ctx, peer); err != nil || !r.Complete {
		t.Fatalf("first sync: %+v %v", r, err)
	}
	// Between sessions the station cuts a changeset for the post.
	if err := station.Store().Save(ctx, &store.Notice{Title: "第二个通知"}); err != nil {
		t.Fatal(err)
	}
	if _, err := station.Cut(ctx); err != nil {
		t.Fatal(err)
	}

	broadcast := cjsync.StationFolder(station.Self())
	listed := make(chan struct{})
	var once gosync.Once
	held := func(s *session, folder string) bool {
		s.mu.Lock()
		seen, announced := s.idxSeen[folder], s.remoteMax[folder]
		s.mu.Unlock()
		_, max, err := post.Store().SyncBook().BEPRemote(ctx, folder, station.Self())
		return err == nil && (seen || announced == 0) && max >= announced
	}
	stepHook = func(s *session, point, folder string) {
		switch {
		case point == "announce" && s.n.e == station && folder == broadcast:
			// The station's index of its folder waits until the post has
			// listed the station's files there.
			select {
			case <-listed:
			case <-time.After(20 * time.Second):
			}
		case point == "listed" && s.n.e == post:
			if folder == broadcast {
				once.Do(func() { close(listed) })
			}
			// Now the index lands: the step goes on only once the post
			// holds the station's index of the folder up to the sequence
			// its cluster config announced.
			for i := 0; i < 4000 && !held(s, folder); i++ {
				time.Sleep(5 * time.Millisecond)
			}
		}
	}
	t.Cleanup(func() { stepHook = nil })
	r, err := node.SyncOnce(ctx, peer)
	stepHook = nil
	if err != nil || !r.Complete {
		t.Fatalf("second sync: %+v %v", r, err)
	}
	if a, b := dump(t, post, station.Self()), dump(t, station, station.Self()); a != b {
		t.Fatalf("the session called the two complete without the station's new changeset (pulled %d):\n%s\n---\n%s", r.Pulled, a, b)
	}
}
