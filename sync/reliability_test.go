package sync

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/store/syncbook"
)

type carried struct {
	name string
	data []byte
}

// TestManySessions runs sync sessions over a hostile carrier: each session
// some devices edit, cut, and the carrier delivers a random subset of all
// files ever made, duplicated, reordered and sometimes cut short. Clocks
// are skewed by two years either way. At the end everything is delivered
// once more and every replica must agree, with no edit lost.
func TestManySessions(t *testing.T) {
	sessions := 500
	if testing.Short() {
		sessions = 100
	}
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 11))
	const year = 365 * 24 * time.Hour
	station := newDeviceAt(t, store.RoleStation, "S", clocktest.Ticking(t, 0))
	postA := newDeviceAt(t, store.RolePost, "A", clocktest.Ticking(t, 2*year))
	postB := newDeviceAt(t, store.RolePost, "B", clocktest.Ticking(t, -2*year))
	pair(t, postA, station)
	pair(t, postB, station)
	devices := []*Engine{station, postA, postB}

	type hhRef struct {
		id    string
		owner *Engine
	}
	var households []hhRef
	for _, p := range []*Engine{postA, postB} {
		v := &store.Village{Name: "村" + p.Self()[:3]}
		if err := p.Store().Save(ctx, v); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 4; i++ {
			h := &store.Household{VillageID: v.ID, OwnerName: fmt.Sprintf("户主%d", i)}
			if err := p.Store().Save(ctx, h); err != nil {
				t.Fatal(err)
			}
			households = append(households, hhRef{h.ID, p})
		}
	}
	var pool []carried
	collect := func() {
		for _, d := range devices {
			outs, err := d.Store().SyncBook().OutChangesets(ctx, "", 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range outs {
				if inPool(pool, o.Name) {
					continue
				}
				data, err := d.Store().SyncBook().OutData(ctx, o.Name)
				if err != nil {
					t.Fatal(err)
				}
				pool = append(pool, carried{o.Name, data})
			}
		}
	}
	edits := map[string]int{}
	warnings := []string{store.WarnRed, store.WarnOrange, store.WarnGreen, ""}
	for s := 0; s < sessions; s++ {
		// Edits: posts change their households, the station corrects one
		// or publishes a notice.
		for _, d := range devices {
			if rng.IntN(3) != 0 {
				continue
			}
			ref := households[rng.IntN(len(households))]
			if d != station && ref.owner != d {
				continue
			}
			if d == station && rng.IntN(2) == 0 {
				if err := d.Store().Save(ctx, &store.Notice{Title: fmt.Sprintf("通知 %d", s)}); err != nil {
					t.Fatal(err)
				}
				edits[d.Self()]++
				continue
			}
			var h store.Household
			if err := d.Store().Get(ctx, &h, ref.id); err != nil {
				continue // the station has not received it yet
			}
			h.Warning = warnings[rng.IntN(len(warnings))]
			h.Notes = fmt.Sprintf("%s 第%d次", d.Self()[:3], s)
			if err := d.Store().Save(ctx, &h); err != nil {
				t.Fatal(err)
			}
			edits[d.Self()]++
		}
		if rng.IntN(2) == 0 {
			for _, d := range devices {
				mustCut(t, d)
			}
			collect()
		}
		// Delivery: a random subset, with repeats and in any order.
		for k := rng.IntN(6); k > 0 && len(pool) > 0; k-- {
			f := pool[rng.IntN(len(pool))]
			to := devices[rng.IntN(len(devices))]
			data, final := f.data, true
			switch rng.IntN(8) {
			case 0:
				data, final = data[:rng.IntN(len(data))], false // still being copied
			case 1:
				data = data[:rng.IntN(len(data))] // cut short for good
			}
			if _, err := to.Import(ctx, "chaos", f.name, data, final); err != nil {
				t.Fatalf("session %d: %v", s, err)
			}
		}
	}
	for _, d := range devices {
		mustCut(t, d)
	}
	collect()
	// Final delivery of everything, twice, in reverse order.
	for round := 0; round < 2; round++ {
		for i := len(pool) - 1; i >= 0; i-- {
			for _, d := range devices {
				if _, err := d.Import(ctx, "final", pool[i].name, pool[i].data, true); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	for _, p := range []*Engine{postA, postB} {
		if a, b := dump(t, p, p.Self()), dump(t, station, p.Self()); a != b {
			t.Fatalf("post %s and station differ on its records", p.Self()[:7])
		}
		if a, b := dump(t, p, station.Self()), dump(t, station, station.Self()); a != b {
			t.Fatalf("post %s and station differ on the station's records", p.Self()[:7])
		}
	}
	// No edit lost: every change each device made is in the change log of
	// every device that should hold it.
	for _, origin := range devices {
		mine, _, err := origin.Store().ChangesSince(ctx, origin.Self(), 0, 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range devices {
			if d == origin || (origin != station && d != station) {
				continue
			}
			theirs, _, err := d.Store().ChangesSince(ctx, origin.Self(), 0, 1<<30)
			if err != nil {
				t.Fatal(err)
			}
			if origin != station && len(theirs) != len(mine) {
				t.Fatalf("%s holds %d of %d changes by %s", d.Self()[:7], len(theirs), len(mine), origin.Self()[:7])
			}
			if origin == station && len(theirs) == 0 && edits[station.Self()] > 0 {
				t.Fatalf("%s got none of the station's changes", d.Self()[:7])
			}
		}
	}
	waiting, _ := station.Store().SyncBook().InChangesets(ctx, syncbook.InWaiting)
	if len(waiting) != 0 {
		t.Fatalf("%d changesets still waiting", len(waiting))
	}
	t.Logf("%d sessions, %d files, edits %v", sessions, len(pool), len(edits))
}

func inPool(pool []carried, name string) bool {
	for _, c := range pool {
		if c.name == name {
			return true
		}
	}
	return false
}

func TestUnpairedDeviceRefused(t *testing.T) {
	ctx := context.Background()
	station := newDevice(t, store.RoleStation, "S")
	stranger := newDevice(t, store.RolePost, "X")
	// The stranger knows the station's public code and pairs one-sidedly.
	if _, err := stranger.Pair(ctx, codeOf(t, station)); err != nil {
		t.Fatal(err)
	}
	if err := stranger.Store().Save(ctx, &store.Village{Name: "外村"}); err != nil {
		t.Fatal(err)
	}
	mustCut(t, stranger)
	res := move(t, stranger, station, PostFolder(stranger.Self()))
	if res.Outcomes[Rejected] != 1 {
		t.Fatalf("unpaired device: %+v", res.Outcomes)
	}
	rej, _ := station.Store().SyncBook().Rejects(ctx, 5)
	if len(rej) != 1 || rej[0].Reason == "" || rej[0].Kind != string(RejectUnverified) {
		t.Fatalf("rejection log %+v", rej)
	}
	entries, _ := os.ReadDir(stranger.FolderDir(PostFolder(stranger.Self())))
	if len(entries) != 1 || filepath.Ext(entries[0].Name()) != ".cjcs" {
		t.Fatalf("folder %v", entries)
	}
}
