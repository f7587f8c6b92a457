package syncbook_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"cunjing/store"
	"cunjing/store/syncbook"
)

// The waiting changesets are looked for on every import of a folder and
// every settled BEP step: found through their own index (migration
// 0020), not by a scan of every changeset ever received (~150 ms on a
// station that held 50 posts for three years).
func TestWaitingChangesetsIndexed(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, store.RoleStation)
	b := s.SyncBook()
	for i, st := range []string{syncbook.InApplied, syncbook.InWaiting, syncbook.InApplied} {
		c := syncbook.InChangeset{Origin: "P1", Stream: "cj-post-P1", Seq: uint64(i + 1), Digest: "d", Prev: "p", Name: "n" + st, State: st}
		if err := s.Update(ctx, func(tx *store.Tx) error { return tx.SyncBook().RecordIn(ctx, c, []byte("x")) }); err != nil {
			t.Fatal(err)
		}
	}
	w, err := b.InChangesets(ctx, syncbook.InWaiting)
	if err != nil || len(w) != 1 || w[0].Seq != 2 {
		t.Fatalf("waiting: %+v %v", w, err)
	}
	db, err := sql.Open("sqlite3", "file:"+s.Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "EXPLAIN QUERY PLAN SELECT origin, stream, seq, digest, prev, name, state, changes, bytes, at FROM sync_in WHERE state = 'waiting' ORDER BY origin, stream, seq")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if p := strings.Join(plan, "; "); !strings.Contains(p, "sync_in_waiting") {
		t.Fatalf("the waiting changesets are found by %q", p)
	}
}
