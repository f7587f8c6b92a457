package station

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"cunjing/app/ui/uitest"
	"cunjing/store/tierdata"
	"cunjing/sync/release"
)

// TestPublishRelease: 发布 → 新版本 takes a signed file with its package
// beside it and carries it to the posts; one signed by another key, a
// package that does not match, and a missing package are said and publish
// nothing.
func TestPublishRelease(t *testing.T) {
	ctx := context.Background()
	_, stn, _, _ := uitest.PairedPost(t)
	u, w := uitest.NewSyncEnv(t, stn)
	pub := NewPublish(u)
	w.SetContent(pub.Object())
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, 32))
	rogue := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{4}, 32))
	pub.releaseKeys = func() ([]ed25519.PublicKey, error) { return []ed25519.PublicKey{key.Public().(ed25519.PublicKey)}, nil }
	dir := t.TempDir()
	write := func(name string, k ed25519.PrivateKey, file, onDisk []byte) string {
		m, err := release.Describe("1.3.0", "linux", "amd64", release.KindDeb, name, bytes.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		man, err := release.Sign(m, k)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if onDisk != nil {
			if err := os.WriteFile(p, onDisk, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(p+".cjrel", man, 0o644); err != nil {
			t.Fatal(err)
		}
		return p + ".cjrel"
	}
	deb := []byte(strings.Repeat("deb!", 4000))
	cases := []struct {
		name, path, want string
		published        int
	}{
		{"another key", write("a.deb", rogue, deb, deb), "签名不对", 0},
		{"a damaged copy", write("b.deb", key, deb, deb[1:]), "对不上", 0},
		{"no package beside it", write("c.deb", key, deb, nil), "旁边没有对应的安装包", 0},
		{"good", write("d.deb", key, deb, deb), "已发布 1.3.0（linux/amd64）", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pub.chooseRel = func(then func(string)) { then(c.path) }
			test.Tap(uitest.FindButton(t, pub.box, "选择签名文件（.cjrel）并发布"))
			u.Wait()
			if got := pub.relMsg.Text() + " " + pub.relMsg.Detail(); !strings.Contains(got, c.want) {
				t.Errorf("message %q, want %q", got, c.want)
			}
			rs, err := tierdata.Releases(ctx, stn)
			if err != nil || len(rs) != c.published {
				t.Errorf("%d releases published (%v), want %d", len(rs), err, c.published)
			}
		})
	}
}
