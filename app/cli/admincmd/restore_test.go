package admincmd_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cunjing/app/cli/clitest"
	"cunjing/store"
	"cunjing/store/clock/clocktest"
)

// `cunjing restore` over a post that saved work since its last cut: what
// it had cut comes back after the restore (its changesets are in its sync
// folder and at the station), so what it had not cut yet must too — the
// restore cuts it first. Before, a village saved a minute before the
// restore, between two of the node's cuts, was in neither database, only
// in the kept copy, while both said complete.
func TestRestoreKeepsWorkNotYetCut(t *testing.T) {
	ctx := context.Background()
	t.Setenv("CUNJING_BACKUP_PASSPHRASE", "备份口令2026")
	opt := store.Options{BackupWorkFactor: 10, Now: clocktest.Ticking(t, 0)}
	run := func(args ...string) string {
		t.Helper()
		out, errs, code := clitest.RunWith(t, opt, args...)
		if code != 0 {
			t.Fatalf("cunjing %s: exit %d: %s", strings.Join(args, " "), code, errs)
		}
		return out
	}
	dir := t.TempDir()
	post, station, stick, bk := filepath.Join(dir, "post.db"), filepath.Join(dir, "station.db"), filepath.Join(dir, "stick"), filepath.Join(dir, "bk")
	for _, d := range []string{stick, bk} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	run("init", "--db", station, "--role", "station", "--name", "城关派出所")
	run("init", "--db", post, "--role", "post", "--name", "东关村警务室")
	clitest.Pair(t, post, station)
	save := func(name string) {
		t.Helper()
		s, err := store.Open(ctx, post, opt)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.Save(ctx, &store.Village{Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	save("东关村")
	for _, db := range []string{post, station, post} {
		run("exchange", "--db", db, "--dir", stick)
	}
	run("backup", "--db", post, "--to", bk)
	save("备份以后的村") // cut and carried
	run("exchange", "--db", post, "--dir", stick)
	save("恢复前一分钟的村") // saved, not cut yet
	backups, err := filepath.Glob(filepath.Join(bk, "*.cjbak"))
	if err != nil || len(backups) != 1 {
		t.Fatalf("backups %v %v", backups, err)
	}
	// --json: stdout is the JSON alone, with what was packed (the line
	// saying so went to stdout ahead of the JSON: not JSON any more).
	var res struct {
		Packed *int `json:"packed"`
	}
	if out := run("restore", "--db", post, backups[0], "--json"); json.Unmarshal([]byte(out), &res) != nil || res.Packed == nil || *res.Packed < 1 {
		t.Fatalf("restore --json: %q, want JSON saying packed ≥ 1", out)
	}
	for _, db := range []string{post, station, post} {
		run("exchange", "--db", db, "--dir", stick)
	}
	for _, db := range []string{post, station} {
		dump := run("dump", "--db", db)
		for _, v := range []string{"备份以后的村", "恢复前一分钟的村"} {
			if !strings.Contains(dump, v) {
				t.Errorf("%s lacks %s after the restore", filepath.Base(db), v)
			}
		}
	}
}

// A backup of another device restored over a database: two posts keep
// their backups on one stick, and an officer picks the other's file. It
// restores (a new PC starts from init, then restores), and says so.
func TestRestoreAnotherDevicesBackupSaysSo(t *testing.T) {
	t.Setenv("CUNJING_BACKUP_PASSPHRASE", "备份口令2026")
	opt := store.Options{BackupWorkFactor: 10, Now: clocktest.Ticking(t, 0)}
	dir := t.TempDir()
	a, b, bk := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db"), filepath.Join(dir, "bk")
	for _, c := range []struct {
		from, onto string
		another    bool
	}{{b, a, true}, {a, a, false}} {
		for _, db := range []string{a, b} {
			os.Remove(db)
			if _, errs, code := clitest.RunWith(t, opt, "init", "--db", db, "--name", filepath.Base(db)); code != 0 {
				t.Fatal(errs)
			}
		}
		os.RemoveAll(bk)
		if _, errs, code := clitest.RunWith(t, opt, "backup", "--db", c.from, "--to", bk); code != 0 {
			t.Fatal(errs)
		}
		backups, _ := filepath.Glob(filepath.Join(bk, "*.cjbak"))
		_, errs, code := clitest.RunWith(t, opt, "restore", "--db", c.onto, backups[0])
		if code != 0 || strings.Contains(errs, "another device") != c.another || strings.Contains(errs, "另一台设备") != c.another {
			t.Errorf("restore %s onto %s: exit %d, said another device %v, want %v: %s", filepath.Base(c.from), filepath.Base(c.onto), code, strings.Contains(errs, "another device"), c.another, errs)
		}
	}
}
