package bep

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"cunjing/store"
	cjsync "cunjing/sync"
	"cunjing/sync/changeset"
)

// countConn counts the bytes a link carries both ways, TLS included.
type countConn struct {
	net.Conn
	n *atomic.Int64
}

func (c countConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func (c countConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.n.Add(int64(n))
	return n, err
}

// BenchmarkDayOfWorkOverBEP: a post that has synced its 2,000 households
// does a day of work — 200 record edits and one new 2 MB scanned map (random
// bytes: a JPEG does not compress) — and syncs with its station over BEP.
// The wire bytes of that session, both ways and TLS included, are compared
// with the payload: the changeset files cut for the day plus the scan's
// bytes (issue: ≤ 1.1×).
func BenchmarkDayOfWorkOverBEP(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		post, station, peer := listeningPair(b, ctx)
		v := &store.Village{Name: "大村"}
		if err := post.Store().Save(ctx, v); err != nil {
			b.Fatal(err)
		}
		hs := make([]store.Record, 0, 2000)
		for j := range 2000 {
			hs = append(hs, &store.Household{VillageID: v.ID, OwnerName: fmt.Sprintf("户主%04d", j),
				Address: fmt.Sprintf("大村%d号", j), Status: store.StatusOwn, Warning: store.WarnGreen})
		}
		if err := post.Store().Save(ctx, hs...); err != nil {
			b.Fatal(err)
		}
		if _, err := post.Cut(ctx); err != nil {
			b.Fatal(err)
		}
		if r, err := NewNode(post, Config{}).SyncOnce(ctx, peer); err != nil || !r.Complete {
			b.Fatalf("first sync: %+v %v", r, err)
		}

		// The day.
		for j := range 200 {
			h := hs[j*7%len(hs)].(*store.Household)
			h.Notes = fmt.Sprintf("走访 第%d次：家中老人身体好", j)
			if err := post.Store().Save(ctx, h); err != nil {
				b.Fatal(err)
			}
		}
		scan := make([]byte, 2<<20)
		rng := rand.New(rand.NewPCG(uint64(i), 7))
		for k := range scan {
			scan[k] = byte(rng.Uint32())
		}
		hash := changeset.HashBlob(scan)
		if err := post.Store().PutBlob(ctx, hash, scan); err != nil {
			b.Fatal(err)
		}
		if err := post.Store().Save(ctx, &store.VillageMap{VillageID: v.ID, Name: "新底图", ImageHash: hash}); err != nil {
			b.Fatal(err)
		}
		dir := post.FolderDir(cjsync.PostFolder(post.Self()))
		before := changesetFiles(b, dir)
		if _, err := post.Cut(ctx); err != nil {
			b.Fatal(err)
		}
		var csBytes int64
		for name, size := range changesetFiles(b, dir) {
			if _, old := before[name]; !old {
				csBytes += size
			}
		}
		var wire atomic.Int64
		node := NewNode(post, Config{WrapConn: func(c net.Conn) net.Conn { return countConn{Conn: c, n: &wire} }})
		b.StartTimer()
		r, err := node.SyncOnce(ctx, peer)
		b.StopTimer()
		if err != nil || !r.Complete {
			b.Fatalf("day's sync: %+v %v", r, err)
		}
		if got, err := station.Store().Blob(ctx, hash); err != nil || len(got) != len(scan) {
			b.Fatalf("scan not carried: %v", err)
		}
		payload := csBytes + int64(len(scan))
		b.ReportMetric(float64(wire.Load()), "wire-bytes")
		b.ReportMetric(float64(csBytes), "changeset-bytes")
		b.ReportMetric(float64(wire.Load())/float64(payload), "wire/payload")
		cancel()
		b.StartTimer()
	}
}

// changesetFiles lists the changeset files in dir with their sizes.
func changesetFiles(b *testing.B, dir string) map[string]int64 {
	b.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	out := map[string]int64{}
	for _, e := range es {
		if !changeset.IsName(e.Name()) {
			continue
		}
		st, err := os.Stat(filepath.Join(dir, e.Name()))
		if err != nil {
			b.Fatal(err)
		}
		out[e.Name()] = st.Size()
	}
	return out
}
