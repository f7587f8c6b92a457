package backup

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	mathrand "math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"filippo.io/age"

	"cunjing/store"
	"cunjing/store/cjbak"
	"cunjing/store/clock"
	"cunjing/store/clock/clocktest"
	"cunjing/store/syncbook"
	"cunjing/store/winlock"
)

// fastScrypt makes passphrases cheap to wrap in tests (restores accept up
// to the production work factor anyway).
func fastScrypt() store.Options { return store.Options{BackupWorkFactor: 10} }

// ticking is a clock that advances a second per call from the tests' today,
// so backups made in a row get distinct names.
func ticking(t testing.TB) clock.Func {
	now := clocktest.Today(t)
	return func() time.Time {
		now = now.Add(time.Second)
		return now
	}
}

const (
	secretName = "王秀英"
	secretID   = "11010519491231002X"
	secretTel  = "13912345678"
)

// backupStore makes a post database with a resident, key material like
// sync.Init's (a PEM private key and a signing seed) and, if pass is not
// empty, a backup passphrase.
func backupStore(t *testing.T, dir, pass string) (*store.Store, string) {
	t.Helper()
	return deviceStore(t, dir, "DEV-BACKUP", pass)
}

// stick is the folder dir/usb, made: a USB stick to back up to.
func stick(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "usb")
	if err := os.MkdirAll(p, 0o700); err != nil {
		t.Fatal(err)
	}
	return p
}

// deviceStore is backupStore for the device named, in dir/DEVICE.db.
func deviceStore(t *testing.T, dir, device, pass string) (*store.Store, string) {
	t.Helper()
	ctx := context.Background()
	p := filepath.Join(dir, "post.db")
	if device != "DEV-BACKUP" {
		p = filepath.Join(dir, device+".db")
	}
	s, err := store.Create(ctx, p, store.Identity{DeviceID: device, Role: store.RolePost, Name: "张庄警务室"}, fastScrypt())
	if err != nil {
		t.Fatal(err)
	}
	seed := make([]byte, ed25519.SeedSize)
	rand.Read(seed)
	pem := "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIIrYSSNQFaA2Hwf1duRSxKtLYX5CB04fSeQ6tF1aY/PuoAoGCCqGSM49\n-----END EC PRIVATE KEY-----\n"
	if err := s.SyncBook().PutSecrets(ctx, map[string][]byte{SecretSignSeed: seed, "tls_key_pem": []byte(pem)}); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, &store.Resident{Name: secretName, IDNumber: secretID, Phone: secretTel}); err != nil {
		t.Fatal(err)
	}
	if pass != "" {
		if err := SetPassphrase(ctx, s, pass); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { s.Close() })
	return s, p
}

func signPub(t *testing.T, s *store.Store) ed25519.PublicKey {
	t.Helper()
	k, err := signKey(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return k.Public().(ed25519.PublicKey)
}

func TestBackupRotateRestore(t *testing.T) {
	ctx := context.Background()
	dir := testDir(t)
	s, p := backupStore(t, dir, "correct horse")
	bdir := filepath.Join(dir, "usb")
	// An old plain backup in the folder is listed, and rotation (of .cjbak
	// files) leaves it alone.
	os.MkdirAll(bdir, 0o700)
	if _, err := Write(ctx, s, bdir, Options{Plaintext: true, Now: clock.Fixed(clocktest.Today(t).AddDate(-3, 0, 0))}); err != nil {
		t.Fatal(err)
	}
	now := ticking(t)
	var first string
	for i := 0; i < 4; i++ {
		b, err := Write(ctx, s, bdir, Options{Keep: 3, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(b, Ext) {
			t.Fatalf("backup %s is not a %s", b, Ext)
		}
		if i == 0 {
			first = b
		}
	}
	bs, _ := List(bdir)
	var enc []Info
	plain := 0
	for _, b := range bs {
		if b.Encrypted {
			enc = append(enc, b)
		} else {
			plain++
		}
	}
	if len(enc) != 3 || plain != 1 {
		t.Fatalf("rotation kept %d encrypted and %d plain backups, want 3 and 1", len(enc), plain)
	}
	if _, err := os.Stat(first); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("oldest backup not rotated out")
	}
	want := dumpOf(t, s)
	// Edits after the backup, then restore: the backup's state comes back
	// and the replaced database is kept beside it.
	s.Save(ctx, &store.Resident{Name: "备份后"})
	s.Close()
	info, err := Restore(ctx, p, enc[0].Path, RestoreOptions{Passphrase: "correct horse", Now: clocktest.Clock(t)})
	if err != nil {
		t.Fatal(err)
	}
	if info.Plain || info.Header.Device != "DEV-BACKUP" {
		t.Fatalf("restore info %+v", info)
	}
	if _, err := os.Stat(info.Kept); err != nil {
		t.Fatalf("replaced database not kept: %v", err)
	}
	s, err = store.Open(ctx, p, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := dumpOf(t, s); got != want {
		t.Fatal("restored database differs from the backup")
	}
	if s.DeviceID() != "DEV-BACKUP" {
		t.Fatal("identity lost in restore")
	}
	// The restored database still has its backup key: the next backup
	// needs no passphrase again.
	if _, err := Write(ctx, s, bdir, Options{Now: now}); err != nil {
		t.Fatal(err)
	}
}

// A backup contains nothing readable: no resident's name, ID number or
// phone, no private key, not even the SQLite header; the stick holds only
// the .cjbak, and no plain copy is left beside the database either.
func TestBackupHoldsNoPlainData(t *testing.T) {
	ctx := context.Background()
	dir := testDir(t)
	s, _ := backupStore(t, dir, "correct horse")
	bdir := filepath.Join(dir, "usb")
	b, err := Write(ctx, s, bdir, Options{Now: clocktest.Clock(t)})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{secretName, secretID, secretTel, "PRIVATE KEY", "SQLite format", "张庄"} {
		if bytes.Contains(data, []byte(secret)) {
			t.Errorf("backup contains %q in the clear", secret)
		}
	}
	ents, _ := os.ReadDir(bdir)
	if len(ents) != 1 || ents[0].Name() != filepath.Base(b) {
		t.Errorf("stick holds %v", ents)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".post.db.backup-*"))
	if len(left) != 0 {
		t.Errorf("local plain copy left behind: %v", left)
	}
	// Plain data the old version's interrupted backup left on the stick
	// is removed by the next backup.
	stale := filepath.Join(bdir, backupPrefix+"20200101-000000-000.db.partial")
	os.WriteFile(stale, []byte("SQLite format 3\x00 and residents"), 0o600)
	if _, err := Write(ctx, s, bdir, Options{Now: clock.Fixed(clocktest.Today(t).Add(time.Minute))}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Error("stale plain partial backup left on the stick")
	}
}

// Two backups into one folder from two processes (the window's daily one
// and `cunjing backup` from a scheduled task, or two posts' windows on a
// shared stick): the second waits for the first instead of removing the
// partial file the first is writing as if it were stale, then goes on.
// The folder's lock is the operating system's on an open file, so the
// test's own TakeFile stands for the other process.
func TestBackupWaitsForAnotherInTheFolder(t *testing.T) {
	ctx := context.Background()
	dir := testDir(t)
	s, _ := backupStore(t, dir, "correct horse")
	bdir := stick(t, dir)
	other, err := winlock.TakeFile(filepath.Join(bdir, folderLock))
	if err != nil {
		t.Fatal(err)
	}
	inProgress := filepath.Join(bdir, backupPrefix+"20200101-000000-000.cjbak.partial")
	if err := os.WriteFile(inProgress, []byte("being written"), 0o600); err != nil {
		t.Fatal(err)
	}
	waiting := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		_, err := Write(ctx, s, bdir, Options{Now: clocktest.Clock(t), waiting: func() { close(waiting) }})
		done <- err
	}()
	select {
	case <-waiting:
	case err := <-done:
		t.Fatalf("backup did not wait for the one in progress: %v", err)
	}
	if _, err := os.Stat(inProgress); err != nil {
		t.Fatalf("the other backup's partial file: %v", err)
	}
	// The other process dies mid-backup: its lock goes with it, and its
	// partial file is stale now.
	if err := other.Release(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	bs, err := List(bdir)
	if err != nil || len(bs) != 1 {
		t.Fatalf("backups after waiting: %v, %v", bs, err)
	}
	ents, _ := os.ReadDir(bdir)
	if len(ents) != 1 {
		t.Errorf("the stick holds %v, want the one backup (stale partial and lock file removed)", ents)
	}

	// Waiting ends with the context, with nothing written.
	other, err = winlock.TakeFile(filepath.Join(bdir, folderLock))
	if err != nil {
		t.Fatal(err)
	}
	defer other.ReleaseRemove()
	cctx, cancel := context.WithCancel(ctx)
	_, err = Write(cctx, s, bdir, Options{Now: clock.Fixed(clocktest.Today(t).Add(time.Hour)), waiting: cancel})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled while waiting: %v", err)
	}
	if bs, _ := List(bdir); len(bs) != 1 {
		t.Errorf("a cancelled backup wrote %v", bs)
	}
}

// A lock file planted on the stick as a symbolic link neither stops the
// backup nor touches what it points to.
func TestBackupFolderLockLinkPlanted(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	ctx := context.Background()
	dir := testDir(t)
	s, _ := backupStore(t, dir, "correct horse")
	bdir := stick(t, dir)
	target := filepath.Join(dir, "precious")
	if err := os.WriteFile(target, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(bdir, folderLock)); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(ctx, s, bdir, Options{Now: clocktest.Clock(t)}); err != nil {
		t.Fatal(err)
	}
	if bs, _ := List(bdir); len(bs) != 1 {
		t.Errorf("backups: %v", bs)
	}
	if b, err := os.ReadFile(target); err != nil || string(b) != "keep" {
		t.Errorf("the link's target: %q, %v", b, err)
	}
}

// backupNames lists the backups in dir by their time (the name's
// timestamp, "20261204-100000-000"), newest first, and each one's device.
func backupNames(t *testing.T, dir string) []string {
	t.Helper()
	bs, err := List(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, b := range bs {
		dev := "plain"
		if b.Encrypted {
			h, _, err := Inspect(b.Path)
			if err != nil {
				t.Fatal(err)
			}
			dev = h.Device
		}
		stamp := strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(filepath.Base(b.Path), backupPrefix), Ext), PlainExt)
		out = append(out, dev+" "+stamp)
	}
	return out
}

// Rotation counts only this device's backups: two databases backing up to
// one folder (the real post and the demo one for training share the
// window's backup folder, or two posts' windows one stick) keep their own.
func TestBackupRotationKeepsOtherDevicesBackups(t *testing.T) {
	ctx := context.Background()
	dir := testDir(t)
	a, _ := deviceStore(t, dir, "DEV-A", "correct horse")
	b, _ := deviceStore(t, dir, "DEV-B", "battery staple")
	bdir := stick(t, dir)
	day := clocktest.Today(t)
	at := func(h int) Options { return Options{Keep: 2, Now: clock.Fixed(day.Add(time.Duration(h) * time.Hour))} }
	for h, s := range []*store.Store{a, a, b, a, b, b} {
		if _, err := Write(ctx, s, bdir, at(h+1)); err != nil {
			t.Fatal(err)
		}
	}
	stamp := func(h int) string {
		return strings.Replace(day.Add(time.Duration(h)*time.Hour).Format("20060102-150405.000"), ".", "-", 1)
	}
	want := []string{"DEV-B " + stamp(6), "DEV-B " + stamp(5), "DEV-A " + stamp(4), "DEV-A " + stamp(2)}
	if got := backupNames(t, bdir); !slices.Equal(got, want) {
		t.Errorf("backups kept:\n got %v\nwant %v", got, want)
	}
	// A restore offers each device its own newest.
	all, err := List(bdir)
	if err != nil {
		t.Fatal(err)
	}
	for s, want := range map[*store.Store]string{a: stamp(4), b: stamp(6)} {
		mine := OfDevice(ctx, all, s.DeviceID())
		if len(mine) != 2 || !strings.Contains(filepath.Base(mine[0].Path), want) {
			t.Errorf("backups of %s: %v, want 2, the newest %s", s.DeviceID(), mine, want)
		}
	}
	if mine := OfDevice(ctx, all, "DEV-C"); len(mine) != 0 {
		t.Errorf("backups of a device with none: %v", mine)
	}
	// A backup of the other device at the same millisecond (a stick
	// moved between PCs) does not replace it.
	if _, err := Write(ctx, a, bdir, at(6)); err != nil {
		t.Fatal(err)
	}
	want = []string{"DEV-B " + stamp(6), "DEV-A " + stamp(6) + "-2", "DEV-B " + stamp(5), "DEV-A " + stamp(4)}
	if got := backupNames(t, bdir); !slices.Equal(got, want) {
		t.Errorf("backups after one of the same millisecond:\n got %v\nwant %v", got, want)
	}
}

// A wrong clock never costs the backup just written, and backups dated
// after it (made while the clock ran ahead, or before it fell back to the
// BIOS's year when its battery died) go first: by the order they were
// made in, they are older than it.
func TestBackupRotationWithAWrongClock(t *testing.T) {
	ctx := context.Background()
	day := clocktest.Today(t)
	stamp := func(t time.Time) string { return strings.Replace(t.Format("20060102-150405.000"), ".", "-", 1) }
	for _, tc := range []struct {
		name          string
		before, after time.Time // the clock while the first three backups were made, and after
	}{
		{"ran five years ahead, then set right", day.AddDate(5, 0, 0), day},
		{"fell back to 2009 (a dead BIOS battery)", day, time.Date(2009, 1, 1, 8, 0, 0, 0, day.Location())},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := testDir(t)
			s, _ := backupStore(t, dir, "correct horse")
			bdir := filepath.Join(dir, "usb")
			write := func(at time.Time) {
				t.Helper()
				p, err := Write(ctx, s, bdir, Options{Keep: 3, Now: clock.Fixed(at)})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := os.Stat(p); err != nil {
					t.Fatalf("the backup just written is gone: %v", err)
				}
			}
			for i := range 3 {
				write(tc.before.Add(time.Duration(i) * time.Minute))
			}
			write(tc.after)
			// It is kept, and the oldest of the three before it goes.
			want := []string{"DEV-BACKUP " + stamp(tc.after),
				"DEV-BACKUP " + stamp(tc.before.Add(2*time.Minute)), "DEV-BACKUP " + stamp(tc.before.Add(time.Minute))}
			got := backupNames(t, bdir)
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("after one backup with the new clock:\n got %v\nwant %v", got, want)
			}
			for i := 1; i <= 2; i++ {
				write(tc.after.Add(time.Duration(i) * time.Minute))
			}
			want = []string{"DEV-BACKUP " + stamp(tc.after.Add(2*time.Minute)),
				"DEV-BACKUP " + stamp(tc.after.Add(time.Minute)), "DEV-BACKUP " + stamp(tc.after)}
			got = backupNames(t, bdir)
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("after three backups with the new clock:\n got %v\nwant %v", got, want)
			}
		})
	}
}

// Backups are numbered in their folder, so the newest is known whatever
// the clock said: after the clock fell back to 2009 (a dead BIOS battery)
// and weeks of work, the restore is offered the backup of that work, not
// the older one whose name carries the right year.
func TestNewestBackupWithAClockThatFellBack(t *testing.T) {
	ctx := context.Background()
	dir := testDir(t)
	s, _ := backupStore(t, dir, "correct horse")
	bdir := filepath.Join(dir, "usb")
	day := clocktest.Today(t)
	fell := time.Date(2009, 1, 1, 8, 0, 0, 0, day.Location())
	var written []string
	for _, at := range []time.Time{day, day.Add(time.Hour), fell, fell.AddDate(0, 0, 1)} {
		p, err := Write(ctx, s, bdir, Options{Keep: 10, Now: clock.Fixed(at)})
		if err != nil {
			t.Fatal(err)
		}
		written = append(written, p)
	}
	all, err := List(bdir)
	if err != nil {
		t.Fatal(err)
	}
	mine := OfDevice(ctx, all, s.DeviceID())
	var got []string
	for _, b := range mine {
		got = append(got, filepath.Base(b.Path))
	}
	want := []string{filepath.Base(written[3]), filepath.Base(written[2]), filepath.Base(written[1]), filepath.Base(written[0])}
	if !slices.Equal(got, want) {
		t.Errorf("this device's backups, newest first:\n got %v\nwant %v", got, want)
	}
	for i, b := range mine {
		h, _, err := Inspect(b.Path)
		if err != nil || h.Seq != uint64(4-i) || b.Seq != h.Seq {
			t.Errorf("%s: numbered %d (listed %d), want %d (%v)", filepath.Base(b.Path), h.Seq, b.Seq, 4-i, err)
		}
	}
	// Rotation keeps by number too: with three kept, the 2009 ones stay.
	if _, err := Write(ctx, s, bdir, Options{Keep: 3, Now: clock.Fixed(fell.AddDate(0, 0, 2))}); err != nil {
		t.Fatal(err)
	}
	got = backupNames(t, bdir)
	stamp := func(at time.Time) string {
		return "DEV-BACKUP " + strings.Replace(at.Format("20060102-150405.000"), ".", "-", 1)
	}
	want = []string{stamp(fell.AddDate(0, 0, 2)), stamp(fell.AddDate(0, 0, 1)), stamp(fell)}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("kept after rotation:\n got %v\nwant %v", got, want)
	}
}

// An old backup that will not be removed (read-only on Windows, open in
// Explorer's preview) does not make the new one a failure: Write returns
// it with ErrRotate, and rotation still removes the other old ones it
// should.
func TestBackupRotationThatCannotRemove(t *testing.T) {
	ctx := context.Background()
	dir := testDir(t)
	s, _ := backupStore(t, dir, "correct horse")
	bdir := filepath.Join(dir, "usb")
	day := clocktest.Today(t)
	stamp := func(h int) string {
		return "DEV-BACKUP " + strings.Replace(day.Add(time.Duration(h)*time.Hour).Format("20060102-150405.000"), ".", "-", 1)
	}
	for h := 1; h <= 3; h++ {
		if _, err := Write(ctx, s, bdir, Options{Now: clock.Fixed(day.Add(time.Duration(h) * time.Hour))}); err != nil {
			t.Fatal(err)
		}
	}
	stuck := errors.New("access is denied")
	var tried []string
	opt := Options{Keep: 1, Now: clock.Fixed(day.Add(4 * time.Hour)), remove: func(p string) error {
		tried = append(tried, p)
		if len(tried) == 1 {
			return stuck // the newest old one will not go
		}
		return os.Remove(p)
	}}
	p, err := Write(ctx, s, bdir, opt)
	if !errors.Is(err, ErrRotate) || !errors.Is(err, stuck) {
		t.Fatalf("rotation that cannot remove a file: %v, want ErrRotate wrapping its cause", err)
	}
	if p == "" {
		t.Fatal("the backup written was not returned")
	}
	if _, _, err := Inspect(p); err != nil {
		t.Fatalf("the backup returned with ErrRotate: %v", err)
	}
	if len(tried) != 3 {
		t.Errorf("rotation tried to remove %d old backups, want all 3", len(tried))
	}
	want := []string{stamp(4), stamp(3)}
	if got := backupNames(t, bdir); !slices.Equal(got, want) {
		t.Errorf("backups kept:\n got %v\nwant %v", got, want)
	}
}

// Without a passphrase and a station the backup refuses (nothing is
// written); --plaintext writes a plain .db that restores with a warning.
func TestBackupWithoutKey(t *testing.T) {
	ctx := context.Background()
	dir := testDir(t)
	s, p := backupStore(t, dir, "")
	bdir := filepath.Join(dir, "usb")
	if _, err := Write(ctx, s, bdir, Options{}); !errors.Is(err, ErrNoKey) {
		t.Fatalf("backup without a key: %v", err)
	}
	if ents, _ := os.ReadDir(bdir); len(ents) != 0 {
		t.Fatalf("refused backup wrote %v", ents)
	}
	b, err := Write(ctx, s, bdir, Options{Plaintext: true, Now: clocktest.Clock(t)})
	if err != nil || !strings.HasSuffix(b, PlainExt) {
		t.Fatalf("plaintext backup: %q %v", b, err)
	}
	s.Close()
	info, err := Restore(ctx, p, b, RestoreOptions{Now: clocktest.Clock(t)})
	if err != nil || !info.Plain {
		t.Fatalf("old plain backup: %+v %v", info, err)
	}
	if _, err := store.Open(ctx, p, store.Options{}); err != nil {
		t.Fatal(err)
	}
}

// A wrong passphrase, no passphrase, and a passphrase that is too short
// are clear errors, and a refused restore touches nothing.
func TestRestoreWrongPassphrase(t *testing.T) {
	ctx := context.Background()
	dir := testDir(t)
	s, p := backupStore(t, dir, "correct horse")
	if err := SetPassphrase(ctx, s, "short"); !errors.Is(err, ErrShortPassphrase) {
		t.Fatalf("short passphrase: %v", err)
	}
	if err := CheckPassphrase(ctx, s, "correct horse"); err != nil {
		t.Fatal(err)
	}
	if err := CheckPassphrase(ctx, s, "wrong horse"); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("check wrong passphrase: %v", err)
	}
	b, err := Write(ctx, s, filepath.Join(dir, "usb"), Options{Now: clocktest.Clock(t)})
	if err != nil {
		t.Fatal(err)
	}
	s.Save(ctx, &store.Village{Name: "备份后的村"})
	s.Close()
	before, _ := os.ReadFile(p)
	for _, c := range []struct {
		opt  RestoreOptions
		want error
	}{
		{RestoreOptions{Passphrase: "wrong horse"}, ErrWrongPassphrase},
		{RestoreOptions{}, ErrNeedPassphrase},
	} {
		_, err := Restore(ctx, p, b, c.opt)
		if !errors.Is(err, c.want) {
			t.Errorf("restore with %+v: %v, want %v", c.opt, err, c.want)
		}
	}
	after, _ := os.ReadFile(p)
	if !bytes.Equal(before, after) {
		t.Fatal("a refused restore changed the database")
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), "restor") {
			t.Errorf("refused restore left %s", e.Name())
		}
	}
	if _, err := Restore(ctx, p, b, RestoreOptions{Passphrase: "correct horse", Now: clocktest.Clock(t)}); err != nil {
		t.Fatalf("right passphrase: %v", err)
	}
}

// A backup planted on the stick does not restore, even when the attacker
// copies the real header (with the real wrapped key) from a backup found
// there and encrypts a database of their own to its public key; neither
// does a real backup with one byte changed.
func TestRestoreRefusesPlantedBackups(t *testing.T) {
	ctx := context.Background()
	dir := testDir(t)
	s, p := backupStore(t, dir, "correct horse")
	b, err := Write(ctx, s, filepath.Join(dir, "usb"), Options{Now: clocktest.Clock(t)})
	if err != nil {
		t.Fatal(err)
	}
	real, _ := os.ReadFile(b)
	f, _ := os.Open(b)
	hdr, off, _, _, err := cjbak.OpenBody(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	// The attacker's database: another device's, encrypted to the real
	// backup key's public half and signed with the attacker's key.
	os.Mkdir(filepath.Join(dir, "evil"), 0o700)
	evil, _ := backupStore(t, filepath.Join(dir, "evil"), "")
	if err := evil.Save(ctx, &store.Village{Name: "假的村"}); err != nil {
		t.Fatal(err)
	}
	plain, err := localCopy(ctx, evil)
	if err != nil {
		t.Fatal(err)
	}
	rcpt, _ := age.ParseX25519Recipient(hdr.Recipient)
	evilSign, _ := signKey(ctx, evil)
	forged := filepath.Join(dir, "usb", "forged"+Ext)
	if err := cjbak.Encrypt(plain, forged, hdr, []age.Recipient{rcpt}, evilSign); err != nil {
		t.Fatal(err)
	}
	tampered := filepath.Join(dir, "usb", "tampered"+Ext)
	bad := append([]byte(nil), real...)
	bad[off+200] ^= 1
	os.WriteFile(tampered, bad, 0o600)
	// A real backup's header with the station list emptied: the header
	// is signed too.
	hdr2 := hdr
	hdr2.Created = "2001-01-01T00:00:00Z"
	head2, _, _ := cjbak.EncodeHeader(hdr2)
	rehead := filepath.Join(dir, "usb", "rehead"+Ext)
	os.WriteFile(rehead, append(head2, real[off:]...), 0o600)
	cut := filepath.Join(dir, "usb", "cut"+Ext)
	os.WriteFile(cut, real[:len(real)/2], 0o600)
	s.Close()
	before, _ := os.ReadFile(p)
	for _, file := range []string{forged, tampered, rehead, cut} {
		_, err := Restore(ctx, p, file, RestoreOptions{Passphrase: "correct horse"})
		t.Logf("%s: %v", filepath.Base(file), err)
		if err == nil {
			t.Errorf("%s restored", filepath.Base(file))
		} else if file != cut && file != tampered && !errors.Is(err, ErrForged) {
			t.Errorf("%s: %v, want ErrForged", filepath.Base(file), err)
		}
	}
	after, _ := os.ReadFile(p)
	if !bytes.Equal(before, after) {
		t.Fatal("a refused restore changed the database")
	}
}

// A post paired with a station encrypts its backups to the station too;
// the station restores them with its own key, checking the signature with
// the post's signing key from its pairing.
func TestRestoreWithStationKey(t *testing.T) {
	ctx := context.Background()
	dir := testDir(t)
	s, _ := backupStore(t, dir, "")
	stationKey, _ := age.GenerateX25519Identity()
	if err := s.SyncBook().PutPeer(ctx, syncbook.Peer{DeviceID: "STATION-1", Name: "镇派出所", Role: store.RoleStation, Recipient: stationKey.Recipient().String()}); err != nil {
		t.Fatal(err)
	}
	enc, err := EncryptionOf(ctx, s)
	if err != nil || enc.Passphrase || len(enc.Stations) != 1 {
		t.Fatalf("encryption %+v %v", enc, err)
	}
	b, err := Write(ctx, s, filepath.Join(dir, "usb"), Options{Now: clocktest.Clock(t)})
	if err != nil {
		t.Fatal(err)
	}
	pub := signPub(t, s)
	want := dumpOf(t, s)
	s.Close()
	fresh := filepath.Join(dir, "restored.db")
	if _, err := Restore(ctx, fresh, b, RestoreOptions{Passphrase: "anything at all"}); !errors.Is(err, ErrNoPassphraseWrap) {
		t.Fatalf("passphrase for a station-only backup: %v", err)
	}
	other, _ := age.GenerateX25519Identity()
	trust := func(dev string) (ed25519.PublicKey, error) {
		if dev != "DEV-BACKUP" {
			return nil, errors.New("not paired")
		}
		return pub, nil
	}
	if _, err := Restore(ctx, fresh, b, RestoreOptions{Identities: []age.Identity{other}, Signer: trust}); err == nil {
		t.Fatal("another station's key restored the backup")
	}
	stranger, _, _ := ed25519.GenerateKey(rand.Reader)
	wrongSigner := func(string) (ed25519.PublicKey, error) { return stranger, nil }
	if _, err := Restore(ctx, fresh, b, RestoreOptions{Identities: []age.Identity{stationKey}, Signer: wrongSigner}); !errors.Is(err, ErrForged) {
		t.Fatalf("backup signed by another key than the post's: %v", err)
	}
	if _, err := os.Stat(fresh); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("a refused restore created the database")
	}
	info, err := Restore(ctx, fresh, b, RestoreOptions{Identities: []age.Identity{stationKey}, Signer: trust})
	if err != nil {
		t.Fatal(err)
	}
	if info.Kept != "" || info.Header.Stations[0] != "STATION-1" {
		t.Fatalf("info %+v", info)
	}
	r, err := store.Open(ctx, fresh, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if dumpOf(t, r) != want {
		t.Fatal("station's restore differs from the post's database")
	}
}

func TestRestoreRefusesBadBackups(t *testing.T) {
	ctx := context.Background()
	dir := testDir(t)
	p := filepath.Join(dir, "post.db")
	s, err := store.Create(ctx, p, store.Identity{DeviceID: "DEV-R", Role: store.RolePost, Name: "x"}, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Save(ctx, &store.Village{Name: "张庄"})
	s.Close()
	before, _ := os.ReadFile(p)
	notDB := filepath.Join(dir, "photo.jpg")
	os.WriteFile(notDB, []byte("\xff\xd8\xff\xe0 not a database at all, just a photo of the village map"), 0o600)
	truncated := filepath.Join(dir, "cut.db")
	os.WriteFile(truncated, before[:len(before)/3], 0o600)
	for _, bad := range []string{notDB, truncated, filepath.Join(dir, "missing.db")} {
		if _, err := Restore(ctx, p, bad, RestoreOptions{Passphrase: "whatever it is"}); err == nil {
			t.Errorf("restore from %s accepted", filepath.Base(bad))
		}
	}
	after, _ := os.ReadFile(p)
	if string(before) != string(after) {
		t.Fatal("a refused restore changed the database")
	}
}

// ReplaceFrom restores over an open store: a wrong passphrase leaves it
// open and untouched; the right one closes it, swaps the files (keeping
// the replaced one, twice in the same second too) and returns the
// restored database open.
func TestReplaceFromOpenStore(t *testing.T) {
	ctx := context.Background()
	dir := testDir(t)
	s, p := backupStore(t, dir, "correct horse")
	b, err := Write(ctx, s, filepath.Join(dir, "usb"), Options{Now: clocktest.Clock(t)})
	if err != nil {
		t.Fatal(err)
	}
	want := dumpOf(t, s)
	s.Save(ctx, &store.Village{Name: "备份后的村"})
	quiet := 0
	same, _, err := ReplaceFrom(ctx, s, b, RestoreOptions{Passphrase: "wrong horse"}, store.Options{}, func() { quiet++ })
	if !errors.Is(err, ErrWrongPassphrase) || same != s || quiet != 0 {
		t.Fatalf("wrong passphrase: %v (users stopped %d times)", err, quiet)
	}
	if err := s.Save(ctx, &store.Village{Name: "还开着"}); err != nil {
		t.Fatalf("store closed by a refused restore: %v", err)
	}
	var kept []string
	for range 2 {
		ns, info, err := ReplaceFrom(ctx, s, b, RestoreOptions{Passphrase: "correct horse", Now: clocktest.Clock(t)}, store.Options{}, func() { quiet++ })
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ns.Close() })
		if got := dumpOf(t, ns); got != want {
			t.Fatal("restored database differs from the backup")
		}
		kept = append(kept, info.Kept)
		s = ns
	}
	if quiet != 2 {
		t.Errorf("users of the store stopped %d times for 2 restores", quiet)
	}
	if kept[0] == kept[1] || kept[0] == "" {
		t.Fatalf("kept copies %v", kept)
	}
	for _, k := range kept {
		if _, err := os.Stat(k); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatal(err)
	}
}

// TestBackupKilledLeavesNoPlainData kills a process in the middle of
// backups (kill -9, at random moments) and looks at every file on the
// stick: whatever was cut short, nothing on it is readable.
func TestBackupKilledLeavesNoPlainData(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("kills child processes")
	}
	ctx := context.Background()
	dir := t.TempDir()
	s, p := backupStore(t, dir, "correct horse")
	for i := range 20 {
		rs := make([]store.Record, 0, 100)
		for j := range 100 {
			rs = append(rs, &store.Resident{Name: secretName, Phone: secretTel, Notes: strings.Repeat("走访记录", 20+i+j)})
		}
		if err := s.Save(ctx, rs...); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	stick := filepath.Join(dir, "usb")
	os.MkdirAll(stick, 0o700)
	rng := mathrand.New(mathrand.NewPCG(1, 2))
	cut, done := 0, 0 // runs killed while writing to the stick, backups finished
	for run := range 12 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestBackupChild$")
		cmd.Env = append(os.Environ(), "CUNJING_BACKUP_CHILD="+p, "CUNJING_BACKUP_STICK="+stick, fmt.Sprintf("CUNJING_BACKUP_RUN=%d", run))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait for the child's first backup, then kill it a little later.
		buf := make([]byte, 1)
		if _, err := out.Read(buf); err != nil {
			t.Fatalf("child: %v", err)
		}
		time.Sleep(time.Duration(rng.IntN(400)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		rest, _ := io.ReadAll(out)
		cmd.Wait()
		done += 1 + len(rest)
		ents, _ := os.ReadDir(stick)
		for _, e := range ents {
			if strings.HasSuffix(e.Name(), ".partial") {
				cut++
			}
			b, err := os.ReadFile(filepath.Join(stick, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			for _, secret := range []string{"SQLite format", secretName, secretTel} {
				if bytes.Contains(b, []byte(secret)) {
					t.Fatalf("run %d: %s holds %q in the clear", run, e.Name(), secret)
				}
			}
		}
	}
	t.Logf("%d backups finished, %d runs were killed while writing to the stick", done, cut)
	// The backups kept, the partial file of the last run killed while
	// writing, and the folder's lock file a killed run cannot remove (the
	// next backup does).
	ents, _ := os.ReadDir(stick)
	var files []string
	for _, e := range ents {
		if e.Name() != folderLock {
			files = append(files, e.Name())
		}
	}
	if len(files) > 4 {
		t.Errorf("stale files pile up on the stick: %v", files)
	}
	if bs, _ := List(stick); len(bs) == 0 {
		t.Fatal("no backup was ever finished")
	}
}

// TestBackupChild backs up in a loop until it is killed (a child of
// TestBackupKilledLeavesNoPlainData).
func TestBackupChild(t *testing.T) {
	path := os.Getenv("CUNJING_BACKUP_CHILD")
	if path == "" {
		t.Skip("child of TestBackupKilledLeavesNoPlainData")
	}
	ctx := context.Background()
	s, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	run, _ := strconv.Atoi(os.Getenv("CUNJING_BACKUP_RUN"))
	now := clocktest.Today(t).Add(time.Duration(run) * time.Hour)
	for {
		now = now.Add(time.Second)
		if _, err := Write(ctx, s, os.Getenv("CUNJING_BACKUP_STICK"), Options{Keep: 3, Now: clock.Fixed(now)}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(4)
		}
		os.Stdout.Write([]byte{'.'})
	}
}

// testDir is a temporary folder, in memory where the system has one.
func testDir(t testing.TB) string {
	t.Helper()
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		d, err := os.MkdirTemp("/dev/shm", "cunjing-test-")
		if err == nil {
			t.Cleanup(func() { os.RemoveAll(d) })
			return d
		}
	}
	return t.TempDir()
}

// dumpOf is the canonical dump of s.
func dumpOf(t testing.TB, s *store.Store) string {
	t.Helper()
	var b bytes.Buffer
	if err := s.Dump(context.Background(), &b, ""); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// A '#', '?' or '%' in a folder's name (C:\Users\C#\…, a stick's folder
// 备份#2) is part of the path, not of a URI: the database there backs up,
// plain backups on such a stick are told as this device's (rotation keeps
// Keep of them) and restore.
func TestBackupPathWithURICharacters(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(testDir(t), "C#dev 100%")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	s, p := backupStore(t, dir, "correct horse")
	bdir := filepath.Join(dir, "备份#2?")
	if _, err := Write(ctx, s, bdir, Options{Keep: 1, Now: clocktest.Clock(t)}); err != nil {
		t.Fatalf("encrypted backup: %v", err)
	}
	var last string
	for i := range 3 {
		b, err := Write(ctx, s, bdir, Options{Plaintext: true, Keep: 1, Now: clock.Fixed(clocktest.Today(t).Add(time.Duration(i) * time.Hour))})
		if err != nil {
			t.Fatalf("plain backup %d: %v", i, err)
		}
		last = b
	}
	all, err := List(bdir)
	if err != nil {
		t.Fatal(err)
	}
	if mine := OfDevice(ctx, all, s.DeviceID()); len(all) != 2 || len(mine) != 2 {
		t.Fatalf("backups %v, this device's %v: want one of each kind, both its", all, mine)
	}
	s.Close()
	if info, err := Restore(ctx, p, last, RestoreOptions{Now: clocktest.Clock(t)}); err != nil || !info.Plain {
		t.Fatalf("restore: %+v %v", info, err)
	}
}

// A plain backup planted on the stick whose meta is a view that never
// ends (application_id set, so it passes for a cunjing database) must not
// hang the daily backup's rotation, holding the folder's lock, nor the
// list in 设置: telling whose a file is gives up after a while (probeTimeout).
func TestPlantedBackupDoesNotHangRotation(t *testing.T) {
	ctx := context.Background()
	dir := testDir(t)
	s, _ := backupStore(t, dir, "correct horse")
	bdir := stick(t, dir)
	planted := filepath.Join(bdir, backupPrefix+"20000101-000000-000"+PlainExt)
	db, err := sql.Open("sqlite3", planted)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"PRAGMA application_id = 1128943175", // "CJNG"
		"CREATE VIEW meta AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT 'device_id' AS key, 'DEV-BACKUP' AS value FROM c WHERE x < 0",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	done := make(chan error, 1)
	go func() {
		_, err := Write(ctx, s, bdir, Options{Plaintext: true, Keep: 1, Now: clocktest.Clock(t), probe: 200 * time.Millisecond})
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the backup's rotation hangs on a planted file")
	}
	all, err := List(bdir)
	if err != nil {
		t.Fatal(err)
	}
	if mine := ofDevice(ctx, all, s.DeviceID(), 200*time.Millisecond); len(all) != 2 || len(mine) != 1 {
		t.Fatalf("backups %v, this device's %v", all, mine)
	}
}

// A file planted on the stick with this device's ID in its (unsigned)
// header and the highest number there is cannot make rotation remove the
// backup just written: the new one wrapped round to number 0, sorted
// last, and went with the oldest, while Write said it was made.
func TestRotationKeepsTheBackupJustWritten(t *testing.T) {
	ctx := context.Background()
	dir := testDir(t)
	s, _ := backupStore(t, dir, "correct horse")
	bdir := filepath.Join(dir, "usb")
	day := clocktest.Today(t)
	var first string
	for i := range 2 {
		p, err := Write(ctx, s, bdir, Options{Keep: 2, Now: clock.Fixed(day.Add(time.Duration(i) * time.Hour))})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = p
		}
	}
	// The planted file: the first backup, its header numbered the most.
	data, err := os.ReadFile(first)
	if err != nil {
		t.Fatal(err)
	}
	const magicLen = len("CJBAK1\n")
	n := binary.BigEndian.Uint32(data[magicLen:])
	var hdr map[string]any
	if err := json.Unmarshal(data[magicLen+4:magicLen+4+int(n)], &hdr); err != nil {
		t.Fatal(err)
	}
	hdr["seq"] = uint64(math.MaxUint64)
	raw, err := json.Marshal(hdr)
	if err != nil {
		t.Fatal(err)
	}
	planted := append([]byte("CJBAK1\n"), binary.BigEndian.AppendUint32(nil, uint32(len(raw)))...)
	planted = append(append(planted, raw...), data[magicLen+4+int(n):]...)
	pp := filepath.Join(bdir, strings.Replace(filepath.Base(first), ".cjbak", "-9.cjbak", 1))
	if err := os.WriteFile(pp, planted, 0o600); err != nil {
		t.Fatal(err)
	}
	if h, _, err := Inspect(pp); err != nil || h.Seq != math.MaxUint64 || h.Device != s.DeviceID() {
		t.Fatalf("planted header %+v, %v", h, err)
	}
	p, err := Write(ctx, s, bdir, Options{Keep: 2, Now: clock.Fixed(day.Add(2 * time.Hour))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("the backup just written is gone after rotation: %v (left: %v)", err, backupNames(t, bdir))
	}
}

// plantSeq copies the backup from to a file beside it whose (unsigned)
// header is renumbered seq, as someone with the stick could, and returns
// its path.
func plantSeq(t *testing.T, from string, seq uint64) string {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	const magicLen = len("CJBAK1\n")
	n := binary.BigEndian.Uint32(data[magicLen:])
	var hdr map[string]any
	if err := json.Unmarshal(data[magicLen+4:magicLen+4+int(n)], &hdr); err != nil {
		t.Fatal(err)
	}
	hdr["seq"] = seq
	raw, err := json.Marshal(hdr)
	if err != nil {
		t.Fatal(err)
	}
	planted := append([]byte("CJBAK1\n"), binary.BigEndian.AppendUint32(nil, uint32(len(raw)))...)
	planted = append(append(planted, raw...), data[magicLen+4+int(n):]...)
	pp := strings.Replace(from, Ext, "-9"+Ext, 1)
	if err := os.WriteFile(pp, planted, 0o600); err != nil {
		t.Fatal(err)
	}
	return pp
}

// The restore is offered this device's newest backup whatever its kind,
// and one that will restore: a --plaintext backup made after the numbered
// encrypted ones comes before them (it was listed after them all), and a
// file planted with this device's ID and a huge number in its unsigned
// header, listed first by its number, is not offered (it was, and the
// restore refused it only by its signature).
func TestRestoreOffer(t *testing.T) {
	ctx := context.Background()
	day := clocktest.Today(t)
	type backupAt struct {
		at    time.Duration // after day
		plain bool
	}
	cases := []struct {
		name    string
		backups []backupAt
		plant   int   // index of a backup to copy with a huge number, -1: none
		want    []int // this device's backups, newest first (indexes in backups; -2 the planted one)
		offer   int
	}{
		{"encrypted only", []backupAt{{0, false}, {time.Hour, false}}, -1, []int{1, 0}, 1},
		{"plaintext newest", []backupAt{{0, false}, {time.Hour, false}, {2 * time.Hour, true}}, -1, []int{2, 1, 0}, 2},
		{"plaintext between", []backupAt{{0, false}, {time.Hour, true}, {2 * time.Hour, false}}, -1, []int{2, 1, 0}, 2},
		{"plaintext oldest", []backupAt{{0, true}, {time.Hour, false}, {2 * time.Hour, false}}, -1, []int{2, 1, 0}, 2},
		{"two plaintext around one", []backupAt{{0, true}, {time.Hour, false}, {2 * time.Hour, true}}, -1, []int{2, 1, 0}, 2},
		{"planted with a huge number", []backupAt{{0, false}, {time.Hour, false}}, 0, []int{-2, 1, 0}, 1},
		{"planted, plaintext newest", []backupAt{{0, false}, {time.Hour, false}, {2 * time.Hour, true}}, 0, []int{2, -2, 1, 0}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := testDir(t)
			s, _ := backupStore(t, dir, "correct horse")
			bdir := filepath.Join(dir, "usb")
			var paths []string
			for _, b := range c.backups {
				p, err := Write(ctx, s, bdir, Options{Plaintext: b.plain, Now: clock.Fixed(day.Add(b.at))})
				if err != nil {
					t.Fatal(err)
				}
				paths = append(paths, p)
			}
			planted := ""
			if c.plant >= 0 {
				planted = plantSeq(t, paths[c.plant], math.MaxUint64)
			}
			name := func(i int) string {
				if i == -2 {
					return filepath.Base(planted)
				}
				return filepath.Base(paths[i])
			}
			all, err := List(bdir)
			if err != nil {
				t.Fatal(err)
			}
			mine := OfDevice(ctx, all, s.DeviceID())
			var got, want []string
			for _, b := range mine {
				got = append(got, filepath.Base(b.Path))
			}
			for _, i := range c.want {
				want = append(want, name(i))
			}
			if !slices.Equal(got, want) {
				t.Errorf("this device's backups, newest first:\n got %v\nwant %v", got, want)
			}
			offer, ok := Offer(ctx, s, mine)
			if !ok || filepath.Base(offer.Path) != name(c.offer) {
				t.Errorf("offered %s (%v), want %s", filepath.Base(offer.Path), ok, name(c.offer))
			}
		})
	}
}

// A backup made after a file was planted with this device's ID and the
// highest number there is gets the number after this device's own
// highest, not 0 (listed last, and never offered).
func TestNumberAfterAPlantedBackup(t *testing.T) {
	ctx := context.Background()
	dir := testDir(t)
	s, _ := backupStore(t, dir, "correct horse")
	bdir := filepath.Join(dir, "usb")
	day := clocktest.Today(t)
	var paths []string
	for i := range 3 {
		if i == 2 {
			plantSeq(t, paths[0], math.MaxUint64)
		}
		p, err := Write(ctx, s, bdir, Options{Keep: 5, Now: clock.Fixed(day.Add(time.Duration(i) * time.Hour))})
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	if h, _, err := Inspect(paths[2]); err != nil || h.Seq != 3 {
		t.Errorf("the backup after the planted one is numbered %d (%v), want 3", h.Seq, err)
	}
	all, err := List(bdir)
	if err != nil {
		t.Fatal(err)
	}
	if b, ok := Offer(ctx, s, OfDevice(ctx, all, s.DeviceID())); !ok || b.Path != paths[2] {
		t.Errorf("offered %s (%v), want %s", b.Path, ok, paths[2])
	}
}

// A database without a signing key (not made by `cunjing init`) writes
// only plain backups; the restore still offers its newest.
func TestRestoreOfferWithoutSigningKey(t *testing.T) {
	ctx := context.Background()
	dir := testDir(t)
	s, err := store.Create(ctx, filepath.Join(dir, "demo.db"), store.Identity{DeviceID: "DEV-DEMO", Role: store.RolePost, Name: "演示警务室"}, fastScrypt())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	bdir := filepath.Join(dir, "usb")
	day := clocktest.Today(t)
	var last string
	for i := range 2 {
		if last, err = Write(ctx, s, bdir, Options{Plaintext: true, Now: clock.Fixed(day.Add(time.Duration(i) * time.Hour))}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := List(bdir)
	if err != nil {
		t.Fatal(err)
	}
	if b, ok := Offer(ctx, s, OfDevice(ctx, all, s.DeviceID())); !ok || b.Path != last {
		t.Errorf("offered %q (%v), want %q", b.Path, ok, last)
	}
}

// TestPlainBackupOrderWhateverTheMachineZone: backups are named by the
// Beijing time they were made (clock.System), whatever zone the machine is
// set to (a Windows PC left at its installer's Pacific time, a server at
// UTC). A plain backup made two hours before an encrypted one must come
// after it, also on such a machine: the restore offers the newest.
func TestPlainBackupOrderWhateverTheMachineZone(t *testing.T) {
	ctx := context.Background()
	dir := testDir(t)
	s, _ := backupStore(t, dir, "correct horse")
	bdir := filepath.Join(dir, "usb")
	at := clocktest.Today(t).In(clock.Zone).Add(10 * time.Hour)
	for _, zone := range []string{"UTC", "America/Los_Angeles", "Asia/Shanghai"} {
		t.Run(zone, func(t *testing.T) {
			loc, err := time.LoadLocation(zone)
			if err != nil {
				t.Skip(err)
			}
			was := time.Local
			time.Local = loc
			defer func() { time.Local = was }()
			at = at.AddDate(0, 0, 1)
			plain, err := Write(ctx, s, bdir, Options{Plaintext: true, Now: clock.Fixed(at.Add(-2 * time.Hour))})
			if err != nil {
				t.Fatal(err)
			}
			enc, err := Write(ctx, s, bdir, Options{Now: clock.Fixed(at)})
			if err != nil {
				t.Fatal(err)
			}
			all, err := List(bdir)
			if err != nil {
				t.Fatal(err)
			}
			mine := OfDevice(ctx, all, s.DeviceID())
			if len(mine) < 2 || mine[0].Path != enc || mine[1].Path != plain {
				var got []string
				for _, b := range mine {
					got = append(got, filepath.Base(b.Path))
				}
				t.Fatalf("newest first with the machine at %s: %v, want %s then %s", zone, got, filepath.Base(enc), filepath.Base(plain))
			}
		})
	}
}

// TestNumberAfterABackupPlantedJustBelowTheTop: a file planted with this
// device's ID and the number one below the highest there is made the next
// backup 2^64-1 (believed: not the highest) and every one after it 0,
// listed last: the restore went on offering the backup made right after
// the planting, whatever was written later, and rotation removed the
// newer ones first. A number no honest numbering reaches is believed
// only from a backup this device signed.
func TestNumberAfterABackupPlantedJustBelowTheTop(t *testing.T) {
	ctx := context.Background()
	dir := testDir(t)
	s, _ := backupStore(t, dir, "correct horse")
	bdir := filepath.Join(dir, "usb")
	day := clocktest.Today(t)
	var paths []string
	for i := range 4 {
		if i == 2 {
			plantSeq(t, paths[0], math.MaxUint64-1)
		}
		p, err := Write(ctx, s, bdir, Options{Keep: 5, Now: clock.Fixed(day.Add(time.Duration(i) * time.Hour))})
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	for i, want := range map[int]uint64{2: 3, 3: 4} {
		if h, _, err := Inspect(paths[i]); err != nil || h.Seq != want {
			t.Errorf("backup %d (after the planted one) is numbered %d (%v), want %d", i+1, h.Seq, err, want)
		}
	}
	all, err := List(bdir)
	if err != nil {
		t.Fatal(err)
	}
	if b, ok := Offer(ctx, s, OfDevice(ctx, all, s.DeviceID())); !ok || b.Path != paths[3] {
		t.Errorf("offered %s (%v), want the newest %s", filepath.Base(b.Path), ok, filepath.Base(paths[3]))
	}
}

// Verify says which backups are this database's: the one it wrote and
// signed, not a copy planted with its device ID in the unsigned header,
// nor another database's.
func TestVerifyTellsThisDatabasesBackups(t *testing.T) {
	ctx := context.Background()
	dir := testDir(t)
	s, _ := backupStore(t, dir, "correct horse")
	bdir := filepath.Join(dir, "usb")
	p, err := Write(ctx, s, bdir, Options{Now: clock.Fixed(clocktest.Today(t))})
	if err != nil {
		t.Fatal(err)
	}
	planted := plantSeq(t, p, 7)
	other, _ := deviceStore(t, testDir(t), "DEV-OTHER", "battery staple")
	op, err := Write(ctx, other, bdir, Options{Now: clock.Fixed(clocktest.Today(t).Add(time.Hour))})
	if err != nil {
		t.Fatal(err)
	}
	list, err := List(bdir)
	if err != nil || len(list) != 3 {
		t.Fatalf("list %v %v", list, err)
	}
	for _, b := range list {
		err := Verify(ctx, s, b)
		if (err == nil) != (b.Path == p) {
			t.Errorf("%s (planted %v, the other's %v): Verify %v", filepath.Base(b.Path), b.Path == planted, b.Path == op, err)
		}
	}
}

// A restore while `cunjing node` (a station's service, beside the window
// on the same database) or `cunjing sync --once` has the database open is
// refused and changes nothing, from the command line (Restore) and from
// the window (ReplaceFrom): it moved the file from under the node, whose
// later imports went into the kept copy and were gone from the restored
// database without a word. Once the node has stopped it restores.
func TestRestoreRefusedWhileNodeRuns(t *testing.T) {
	ctx := context.Background()
	s, p, b, node := backupUnderNode(t)
	once, err := winlock.Use(p, winlock.UserSync)
	if err != nil {
		t.Fatal(err)
	}
	quiet := 0
	same, _, err := ReplaceFrom(ctx, s, b, RestoreOptions{Passphrase: "correct horse"}, store.Options{}, func() { quiet++ })
	var used *winlock.UsedError
	if !errors.As(err, &used) || same != s || quiet != 0 || !strings.Contains(err.Error(), "cunjing node（同步服务）") {
		t.Fatalf("window's restore under a running node: %v (users stopped %d times)", err, quiet)
	}
	if err := s.Save(ctx, &store.Village{Name: "还开着"}); err != nil {
		t.Fatalf("store closed by a refused restore: %v", err)
	}
	before := dumpOf(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = Restore(ctx, p, b, RestoreOptions{Passphrase: "correct horse"})
	if !errors.As(err, &used) || len(used.By) != 2 || used.By[0] != winlock.UserNode || used.By[1] != winlock.UserSync {
		t.Fatalf("restore under a running node: %v", err)
	}
	if kept, _ := filepath.Glob(p + ".before-restore-*"); len(kept) != 0 {
		t.Fatalf("a refused restore moved the database to %v", kept)
	}
	node.Release()
	once.Release()
	if _, err := Restore(ctx, p, b, RestoreOptions{Passphrase: "correct horse", Now: clocktest.Clock(t)}); err != nil {
		t.Fatalf("restore once the node stopped: %v", err)
	}
	ns, err := store.Open(ctx, p, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Close()
	if dumpOf(t, ns) == before {
		t.Fatal("the restore did not bring the backup back")
	}
}

// A backup killed midway left a whole plain copy of the database beside
// it (.DB.backup-N.tmp: 1.8 GB on a station) and an unpairing killed
// while it wrote its journal's copy left cunjing-unpaired-….partial on
// the stick, for ever. The next backup removes them once old enough to
// be nobody's work in progress; names not ours stay.
func TestBackupRemovesWhatKilledOnesLeft(t *testing.T) {
	ctx := context.Background()
	dir := testDir(t)
	s, p := backupStore(t, dir, "correct horse")
	usb := filepath.Join(dir, "usb")
	if err := os.MkdirAll(usb, 0o700); err != nil {
		t.Fatal(err)
	}
	at := clocktest.Today(t) // the PC's clock as it dates the files
	plant := func(dir, name string, age time.Duration) string {
		t.Helper()
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, []byte("left"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(f, at.Add(-age), at.Add(-age)); err != nil {
			t.Fatal(err)
		}
		return f
	}
	base, here := filepath.Base(p), filepath.Dir(p)
	gone := []string{
		plant(here, "."+base+".backup-123456789.tmp", 2*24*time.Hour),
		plant(usb, "cunjing-unpaired-DEV-BACKUP.cjun.0a1b2c3d4e5f.partial", 2*time.Hour),
	}
	kept := []string{
		plant(here, "."+base+".backup-987654321.tmp", time.Hour), // another backup of it, to another folder
		plant(here, "."+base+".backup-notes.tmp", 100*24*time.Hour),
		plant(here, ".other.db.backup-123.tmp", 100*24*time.Hour),
		plant(usb, "cunjing-unpaired-DEV-BACKUP.cjun.aabbccddeeff.partial", time.Minute), // an unpairing writing
		plant(usb, "cunjing-unpaired-DEV-BACKUP.cjun.notes.partial", 100*24*time.Hour),
	}
	if _, err := Write(ctx, s, usb, Options{Now: clocktest.Clock(t), fileNow: func() time.Time { return at }}); err != nil {
		t.Fatal(err)
	}
	for _, f := range gone {
		if _, err := os.Lstat(f); !os.IsNotExist(err) {
			t.Errorf("%s left: %v", filepath.Base(f), err)
		}
	}
	for _, f := range kept {
		if _, err := os.Lstat(f); err != nil {
			t.Errorf("%s removed: %v", filepath.Base(f), err)
		}
	}
}

// backupUnderNode is a post's database (at p, open as s), a backup of it
// (b, passphrase "correct horse") and `cunjing node`'s hold of the
// database (node: the caller releases it).
func backupUnderNode(t *testing.T) (s *store.Store, p, b string, node *winlock.Lock) {
	t.Helper()
	dir := testDir(t)
	s, p = backupStore(t, dir, "correct horse")
	b, err := Write(context.Background(), s, filepath.Join(dir, "usb"), Options{Now: clocktest.Clock(t)})
	if err != nil {
		t.Fatal(err)
	}
	if node, err = winlock.Use(p, winlock.UserNode); err != nil {
		t.Fatal(err)
	}
	return s, p, b, node
}
