package exchange

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"cunjing/store"
	cjsync "cunjing/sync"
	"cunjing/sync/changeset"
	"cunjing/sync/safefile"
	"cunjing/sync/synctest"
)

func device(t testing.TB, role, name string) *cjsync.Engine {
	t.Helper()
	return synctest.Device(t, role, name)
}

// pairedPost is a post paired with a station (of opt), with a village
// saved.
func pairedPost(t testing.TB, opt ...store.Options) (post, station *cjsync.Engine) {
	t.Helper()
	post = device(t, store.RolePost, "P")
	station = synctest.Device(t, store.RoleStation, "S", opt...)
	pair(t, post, station)
	if err := post.Store().Save(context.Background(), &store.Village{Name: "西河村"}); err != nil {
		t.Fatal(err)
	}
	return post, station
}

// pair pairs a and b both ways, each knowing the other as "peer".
func pair(t testing.TB, a, b *cjsync.Engine) {
	t.Helper()
	for _, x := range [][2]*cjsync.Engine{{a, b}, {b, a}} {
		c, err := x[1].Identity().Code("peer", x[1].Store().Role(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := x[0].Pair(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
}

func dump(t testing.TB, e *cjsync.Engine, owner string) string {
	var b bytes.Buffer
	if err := e.Store().Dump(context.Background(), &b, owner); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestStickRoundTrip(t *testing.T) {
	ctx := context.Background()
	post := device(t, store.RolePost, "P")
	station := device(t, store.RoleStation, "S")
	pair(t, post, station)
	stick := t.TempDir()
	v := &store.Village{Name: "西河村"}
	if err := post.Store().Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	scan := bytes.Repeat([]byte{1, 2, 3, 4}, 50_000)
	hash := "" // the map scan travels as a blob beside its changeset
	{
		h := sha(scan)
		if err := post.Store().PutBlob(ctx, h, scan); err != nil {
			t.Fatal(err)
		}
		if err := post.Store().Save(ctx, &store.VillageMap{VillageID: v.ID, Name: "底图", ImageHash: h}); err != nil {
			t.Fatal(err)
		}
		hash = h
	}
	rep, err := Once(ctx, post, stick)
	if err != nil || rep.Cut != 1 || rep.Written != 3 { // changeset, blob, receipt
		t.Fatalf("post export %+v %v", rep, err)
	}
	// A half-copied file from a stick pulled out earlier, and a file still
	// being copied right now, must neither break nor be rejected.
	os.WriteFile(filepath.Join(stick, safefile.TempPrefix+"cs-x.cjcs"), []byte("half"), 0o644)
	rep, err = Once(ctx, station, stick)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported.Outcomes[cjsync.Applied] != 2 { // changeset + blob
		t.Fatalf("station import %+v", rep.Imported.Outcomes)
	}
	if got, err := station.Store().Blob(ctx, hash); err != nil || !bytes.Equal(got, scan) {
		t.Fatalf("blob not carried: %v", err)
	}
	if a, b := dump(t, post, post.Self()), dump(t, station, post.Self()); a != b {
		t.Fatal("dumps differ after the stick")
	}
	// News by stick is contact: the station's 上次联系 for the post is set.
	if p, err := station.Store().SyncBook().Peer(ctx, post.Self()); err != nil || p.LastContact == "" {
		t.Fatalf("post's last contact after the stick: %q %v", p.LastContact, err)
	}
	// The station writes back (catch-up of its profile): post imports.
	if _, err := Once(ctx, post, stick); err != nil {
		t.Fatal(err)
	}
	if a, b := dump(t, post, station.Self()), dump(t, station, station.Self()); a != b {
		t.Fatal("station's records did not reach the post")
	}
	// A truncated copy that is still growing is pending, not rejected.
	entries, _ := os.ReadDir(stick)
	var some string
	for _, en := range entries {
		if filepath.Ext(en.Name()) == ".cjcs" {
			some = en.Name()
		}
	}
	other := device(t, store.RoleStation, "S2")
	pair(t, post, other)
	full, _ := os.ReadFile(filepath.Join(stick, some))
	dir2 := t.TempDir()
	os.WriteFile(filepath.Join(dir2, some), full[:len(full)/2], 0o644)
	rep, err = Once(ctx, other, dir2)
	if err != nil || len(rep.Pending) != 1 || rep.Imported.Outcomes[cjsync.Rejected] != 0 {
		t.Fatalf("growing file: %+v %v", rep, err)
	}
	// Once it has settled and is still short, it is rejected.
	settle(t, filepath.Join(dir2, some))
	rep, err = Once(ctx, other, dir2)
	if err != nil || rep.Imported.Outcomes[cjsync.Rejected]+rep.Imported.Outcomes[cjsync.NotForUs] != 1 {
		t.Fatalf("settled short file: %+v %v", rep.Imported.Outcomes, err)
	}
}

func TestWatch(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	post := device(t, store.RolePost, "P")
	station := device(t, store.RoleStation, "S")
	pair(t, post, station)
	dir := t.TempDir()
	done := make(chan error, 1)
	reports := make(chan Report, 100)
	go func() {
		done <- Watch(ctx, station, dir, nil, func(r Report, err error) {
			select {
			case reports <- r:
			default:
			}
		})
	}()
	if err := post.Store().Save(ctx, &store.Village{Name: "北坡村"}); err != nil {
		t.Fatal(err)
	}
	if _, err := Once(ctx, post, dir); err != nil {
		t.Fatal(err)
	}
	for {
		select {
		case r := <-reports:
			if r.Imported.Outcomes[cjsync.Applied] > 0 {
				if a, b := dump(t, post, post.Self()), dump(t, station, post.Self()); a != b {
					t.Fatal("watch imported something else")
				}
				cancel()
				if err := <-done; err != nil {
					t.Fatal(err)
				}
				return
			}
		case <-ctx.Done():
			t.Fatal("watcher never imported the new file")
		}
	}
}

func sha(b []byte) string {
	return changeset.HashBlob(b)
}

// A stick pulled out while cunjing wrote to it kept the temporary file
// (.cj-tmp-<name>.<hex>) for ever: the next pass removes it once an hour
// old, and leaves one being written and names not cunjing's alone.
func TestStickLeftoversRemoved(t *testing.T) {
	post := device(t, store.RolePost, "东关村警务室")
	stick := t.TempDir()
	cs := "cs-0123456-000001-00112233445566778899aabb" + changeset.Ext
	put := func(name string) string {
		t.Helper()
		p := filepath.Join(stick, name)
		if err := os.WriteFile(p, []byte("half"), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	old := []string{put(safefile.TempPrefix + cs + ".0a1b2c3d4e5f"), put("notes.txt"), put(safefile.TempPrefix + "notes.txt.0a1b2c3d4e5f")}
	fresh := put(safefile.TempPrefix + cs + ".aabbccddeeff") // being written: dated now by the file system
	long := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, p := range old {
		if err := os.Chtimes(p, long, long); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Once(context.Background(), post, stick); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(old[0]); !os.IsNotExist(err) {
		t.Errorf("the leftover stayed on the stick: %v", err)
	}
	for _, p := range append(old[1:], fresh) {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("%s removed: %v", filepath.Base(p), err)
		}
	}
}
