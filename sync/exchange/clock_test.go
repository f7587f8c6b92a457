package exchange

import (
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	"filippo.io/age"

	"cunjing/store"
	cjsync "cunjing/sync"
	"cunjing/sync/changeset"
)

// A stick written on a PC whose clock runs years ahead of this one's (or
// this PC's BIOS battery died and it says 2009): its files are dated in
// this PC's future. Whether they have settled cannot be told by their
// time; they used to count as still being copied for ever, so a blob for
// another post, or a damaged file, stayed "pending" on every pass and the
// watcher ran a whole exchange every two seconds for as long as the stick
// was in. They are taken as settled.
func TestStickDatedInTheFuture(t *testing.T) {
	ctx := context.Background()
	post := device(t, store.RolePost, "P")
	station := device(t, store.RoleStation, "S")
	pair(t, post, station)
	other, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	media := []byte("another post's village map")
	forOther, err := changeset.SealBlob(media, []age.Recipient{other.Recipient()})
	if err != nil {
		t.Fatal(err)
	}
	junk := make([]byte, 5000)
	rand.Read(junk)
	for _, tc := range []struct {
		name string
		data []byte
		want cjsync.Outcome
	}{
		{changeset.BlobName(changeset.HashBlob(media)), forOther, cjsync.NotForUs},
		{changeset.BlobName(changeset.HashBlob(junk)), junk, cjsync.Rejected},
	} {
		t.Run(string(tc.want), func(t *testing.T) {
			stick := t.TempDir()
			p := filepath.Join(stick, tc.name)
			if err := os.WriteFile(p, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			fi, err := os.Lstat(p)
			if err != nil {
				t.Fatal(err)
			}
			ahead := fi.ModTime().Add(3 * 365 * 24 * time.Hour)
			if err := os.Chtimes(p, ahead, ahead); err != nil {
				t.Fatal(err)
			}
			var rep Report
			for range 2 {
				if rep, err = Once(ctx, post, stick); err != nil {
					t.Fatal(err)
				}
			}
			if len(rep.Pending) != 0 {
				t.Fatalf("still pending on the second pass: %v (%+v)", rep.Pending, rep.Imported.Outcomes)
			}
			if got := outcomeOf(rep, tc.name); got != tc.want && !(tc.want == cjsync.NotForUs && got == "") {
				t.Fatalf("outcome %q, want %q", got, tc.want)
			}
		})
	}
}

func outcomeOf(rep Report, name string) cjsync.Outcome {
	for _, r := range rep.Imported.Results {
		if r.File == name {
			return r.Outcome
		}
	}
	return ""
}
