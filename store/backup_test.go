package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestBackupRotateRestore(t *testing.T) {
	ctx := context.Background()
	dir := testDir(t)
	p := filepath.Join(dir, "post.db")
	s, err := Create(ctx, p, Identity{DeviceID: "DEV-BACKUP", Role: RolePost, Name: "张庄警务室"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := &Resident{Name: "备份前"}
	s.Save(ctx, r)
	bdir := filepath.Join(dir, "usb")
	var first string
	for i := 0; i < 4; i++ {
		b, err := s.Backup(ctx, bdir, 3)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = b
		}
	}
	bs, _ := Backups(bdir)
	if len(bs) != 3 {
		t.Fatalf("rotation kept %d backups, want 3", len(bs))
	}
	if _, err := os.Stat(first); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("oldest backup not rotated out")
	}
	want := dumpOf(t, s)
	// Edits after the backup, then restore: the backup's state comes back
	// and the replaced database is kept beside it.
	s.Save(ctx, &Resident{Name: "备份后"})
	s.Close()
	kept, err := Restore(ctx, p, bs[0].Path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(kept); err != nil {
		t.Fatalf("replaced database not kept: %v", err)
	}
	s, err = Open(ctx, p, Options{})
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
}

func TestRestoreRefusesBadBackups(t *testing.T) {
	ctx := context.Background()
	dir := testDir(t)
	p := filepath.Join(dir, "post.db")
	s, err := Create(ctx, p, Identity{DeviceID: "DEV-R", Role: RolePost, Name: "x"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Save(ctx, &Village{Name: "张庄"})
	s.Close()
	before, _ := os.ReadFile(p)
	notDB := filepath.Join(dir, "photo.jpg")
	os.WriteFile(notDB, []byte("\xff\xd8\xff\xe0 not a database at all, just a photo of the village map"), 0o600)
	truncated := filepath.Join(dir, "cut.db")
	os.WriteFile(truncated, before[:len(before)/3], 0o600)
	for _, bad := range []string{notDB, truncated, filepath.Join(dir, "missing.db")} {
		if _, err := Restore(ctx, p, bad); err == nil {
			t.Errorf("restore from %s accepted", filepath.Base(bad))
		}
	}
	after, _ := os.ReadFile(p)
	if string(before) != string(after) {
		t.Fatal("a refused restore changed the database")
	}
}
