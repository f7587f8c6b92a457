package exchange

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"cunjing/store"
	cjsync "cunjing/sync"
)

func benchDevice(b *testing.B, role, name string, noReceipts bool) *cjsync.Engine {
	b.Helper()
	ctx := context.Background()
	st, _, err := cjsync.Init(ctx, filepath.Join(b.TempDir(), "db"), store.Identity{Role: role, Name: name}, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	e, err := cjsync.New(ctx, st, cjsync.Options{NoReceipts: noReceipts})
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// stickWeek plays a week of daily stick trips between a post with 2,000
// households and its station: each day the post makes 200 edits, the
// station publishes a notice, and a fresh stick goes post → station →
// post. It returns the bytes on each day's stick.
func stickWeek(b *testing.B, noReceipts bool) []int64 {
	ctx := context.Background()
	post := benchDevice(b, store.RolePost, "东关村警务室", noReceipts)
	station := benchDevice(b, store.RoleStation, "城关派出所", noReceipts)
	for _, x := range [][2]*cjsync.Engine{{post, station}, {station, post}} {
		c, err := x[1].Identity().Code("peer", x[1].Store().Role(), nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := x[0].Pair(ctx, c); err != nil {
			b.Fatal(err)
		}
	}
	v := &store.Village{Name: "大村"}
	if err := post.Store().Save(ctx, v); err != nil {
		b.Fatal(err)
	}
	var hs []store.Record
	for j := 0; j < 2000; j++ {
		hs = append(hs, &store.Household{VillageID: v.ID, OwnerName: fmt.Sprintf("户主%04d", j), Address: fmt.Sprintf("大村%d号", j),
			OwnerPhone: fmt.Sprintf("138%08d", j), Status: store.StatusOwn, Warning: store.WarnGreen})
	}
	if err := post.Store().Save(ctx, hs...); err != nil {
		b.Fatal(err)
	}
	var days []int64
	for day := 1; day <= 7; day++ {
		if day > 1 {
			for j := 0; j < 200; j++ {
				h := hs[(day*200+j)*7%2000].(*store.Household)
				h.Notes = fmt.Sprintf("第%d天 走访 第%d次", day, j)
				if err := post.Store().Save(ctx, h); err != nil {
					b.Fatal(err)
				}
			}
		}
		if err := station.Store().Save(ctx, &store.Notice{Title: fmt.Sprintf("第%d天通知", day)}); err != nil {
			b.Fatal(err)
		}
		stick := b.TempDir()
		for _, e := range []*cjsync.Engine{post, station, post} {
			if _, err := Once(ctx, e, stick); err != nil {
				b.Fatal(err)
			}
		}
		var n int64
		for _, size := range files(stick) {
			n += size
		}
		days = append(days, n)
	}
	if d1, d2 := dump(b, post, post.Self()), dump(b, station, post.Self()); d1 != d2 {
		b.Fatal("post and station differ after the week")
	}
	return days
}

// BenchmarkStickWeek: bytes on a fresh stick per day over a week of daily
// exchanges, receipts on and off in the same run (issue #14).
func BenchmarkStickWeek(b *testing.B) {
	for i := 0; i < b.N; i++ {
		on, off := stickWeek(b, false), stickWeek(b, true)
		var sumOn, sumOff int64
		for d := range on {
			sumOn += on[d]
			sumOff += off[d]
		}
		b.Logf("bytes per day's stick, receipts on:  %v", on)
		b.Logf("bytes per day's stick, receipts off: %v", off)
		b.ReportMetric(float64(sumOn), "week-bytes-receipts")
		b.ReportMetric(float64(sumOff), "week-bytes-no-receipts")
		b.ReportMetric(float64(on[len(on)-1]), "day7-bytes-receipts")
		b.ReportMetric(float64(off[len(off)-1]), "day7-bytes-no-receipts")
		b.ReportMetric(float64(sumOff)/float64(sumOn), "ratio")
	}
}
