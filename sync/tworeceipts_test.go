package sync

import (
	"context"
	"fmt"
	gosync "sync"
	"testing"

	"cunjing/store"
)

// The window and `cunjing exchange` on one station's database both take
// in the receipt a post left on the stick, at the same moment. The second
// to store it found the same number held and logged it as an old or
// replayed receipt (回执编号 … 不比已有的 … 新（旧的或重放的回执），未采用),
// which 同步 showed among the refusals, and made a new receipt for
// nothing. The same receipt twice is a duplicate.
func TestTwoProgramsTakeOneReceipt(t *testing.T) {
	ctx := context.Background()
	post := newDevice(t, store.RolePost, "东关村警务室")
	station := newDevice(t, store.RoleStation, "城关派出所")
	pair(t, post, station)
	cli := secondProgram(t, station)
	for round := range 40 {
		if err := station.Store().Save(ctx, &store.Notice{Title: fmt.Sprintf("通知 %d", round)}); err != nil {
			t.Fatal(err)
		}
		stick := testDir(t)
		if err := station.WriteOut(ctx, stick, ""); err != nil {
			t.Fatal(err)
		}
		mustCut(t, station)
		if err := station.WriteOut(ctx, stick, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := post.ImportDir(ctx, "stick", stick, true); err != nil {
			t.Fatal(err)
		}
		if err := post.WriteOut(ctx, stick, ""); err != nil {
			t.Fatal(err)
		}
		var wg gosync.WaitGroup
		start := make(chan struct{})
		for _, e := range []*Engine{station, cli} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				if _, err := e.ImportDir(ctx, "stick", stick, true); err != nil {
					t.Error(err)
				}
			}()
		}
		close(start)
		wg.Wait()
	}
	rej, err := station.Store().SyncBook().Rejects(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rej {
		t.Errorf("refused: %s: %s", r.File, r.Reason)
	}
}
