package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"cunjing/app/cli/admincmd"
	"cunjing/app/cli/clitest"
	"cunjing/store"
	"cunjing/store/clock/clocktest"
)

// personal returns values of the demo's residents that must never be
// readable in a backup: names, ID numbers and phones (n of each).
func personal(t *testing.T, db string, n int) []string {
	t.Helper()
	want := map[string]int{"name": n, "id_number": n, "phone": n}
	var out []string
	for _, l := range strings.Split(clitest.MustRun(t, "dump", "--db", db), "\n") {
		f := strings.Split(l, "\t")
		if len(f) < 4 || f[0] != "residents" || want[f[2]] == 0 {
			continue
		}
		v, err := strconv.Unquote(f[3])
		if err != nil || len([]rune(v)) < 2 {
			continue
		}
		want[f[2]]--
		out = append(out, v)
	}
	if len(out) < 3*n {
		t.Fatalf("demo has only %d personal values: %v", len(out), out)
	}
	return out
}

// assertUnreadable fails if the file holds any of the secrets, a private
// key or a SQLite header in the clear.
func assertUnreadable(t *testing.T, file string, secrets []string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range append([]string{"PRIVATE KEY", "SQLite format", "CERTIFICATE"}, secrets...) {
		if bytes.Contains(data, []byte(s)) {
			t.Errorf("%s contains %q in the clear", filepath.Base(file), s)
		}
	}
}

// TestCLIBackupEncrypted: without a passphrase (and no station) backup
// refuses and says how to set one; with $CUNJING_BACKUP_PASSPHRASE it sets
// it and writes a .cjbak holding nothing readable; restore refuses a wrong
// passphrase untouched and restores with the right one; --plaintext writes
// an old-style .db that still restores, with a warning.
func TestCLIBackupEncrypted(t *testing.T) {
	db := clitest.DemoDB(t)
	usb := filepath.Join(t.TempDir(), "usb")
	t.Setenv(admincmd.BackupPassEnv, "")
	_, errs, code := clitest.Run(t, "backup", "--db", db, "--to", usb)
	if code != 1 || !strings.Contains(errs, "no backup passphrase is set") || !strings.Contains(errs, admincmd.BackupPassEnv+"=") || !strings.Contains(errs, "--plaintext") {
		t.Fatalf("backup without a key: exit %d: %s", code, errs)
	}
	if ents, _ := os.ReadDir(usb); len(ents) != 0 {
		t.Fatalf("refused backup wrote %v", ents)
	}
	if _, errs, code := clitest.Run(t, "backup", "--db", db, "--to", usb, "--passphrase-env", "NO_SUCH_VAR_SET"); code != 2 || !strings.Contains(errs, "$NO_SUCH_VAR_SET") {
		t.Fatalf("empty --passphrase-env: exit %d: %s", code, errs)
	}

	t.Setenv(admincmd.BackupPassEnv, "村警通 backup 2024")
	_, errs, code = clitest.Run(t, "backup", "--db", db, "--to", usb, "--json")
	if code != 0 || !strings.Contains(errs, "passphrase set") {
		t.Fatalf("backup: exit %d: %s", code, errs)
	}
	list, _ := filepath.Glob(filepath.Join(usb, "*.cjbak"))
	if len(list) != 1 {
		t.Fatalf("backups %v", list)
	}
	assertUnreadable(t, list[0], personal(t, db, 5))
	want := clitest.MustRun(t, "dump", "--db", db)
	clitest.MustRun(t, "user", "add", "--db", db, "--password-env", admincmd.BackupPassEnv, "after-backup")
	changed := clitest.MustRun(t, "dump", "--db", db)

	t.Setenv(admincmd.BackupPassEnv, "wrong passphrase")
	_, errs, code = clitest.Run(t, "restore", "--db", db, list[0])
	if code != 1 || !strings.Contains(errs, "wrong backup passphrase") {
		t.Fatalf("restore with a wrong passphrase: exit %d: %s", code, errs)
	}
	if clitest.MustRun(t, "dump", "--db", db) != changed {
		t.Fatal("a refused restore changed the database")
	}
	// A different passphrase is not silently swapped in by a backup.
	if _, errs, code := clitest.Run(t, "backup", "--db", db, "--to", usb); code != 1 || !strings.Contains(errs, "--change-passphrase") {
		t.Fatalf("backup with another passphrase: exit %d: %s", code, errs)
	}
	t.Setenv(admincmd.BackupPassEnv, "")
	if _, errs, code := clitest.Run(t, "restore", "--db", db, list[0]); code != 1 || !strings.Contains(errs, admincmd.BackupPassEnv) {
		t.Fatalf("restore without a passphrase: exit %d: %s", code, errs)
	}

	t.Setenv(admincmd.BackupPassEnv, "村警通 backup 2024")
	out := clitest.MustRun(t, "restore", "--db", db, list[0])
	if !strings.Contains(out, "kept as") || clitest.MustRun(t, "dump", "--db", db) != want {
		t.Fatalf("restore did not bring the backup back:\n%s", out)
	}

	t.Setenv(admincmd.BackupPassEnv, "")
	out = clitest.MustRun(t, "backup", "--db", db, "--to", usb, "--plaintext")
	plain, _ := filepath.Glob(filepath.Join(usb, "*.db"))
	if len(plain) != 1 || !strings.Contains(out, "UNENCRYPTED") {
		t.Fatalf("plaintext backup %v:\n%s", plain, out)
	}
	_, errs, code = clitest.Run(t, "restore", "--db", db, plain[0])
	if code != 0 || !strings.Contains(errs, "NOT encrypted") {
		t.Fatalf("old plain backup: exit %d: %s", code, errs)
	}
}

// TestCLIRestoreWithStationDB: a post paired with its station backs up
// without a passphrase (encrypted to the station), and the station
// restores it into a new database with --with-station-db.
func TestCLIRestoreWithStationDB(t *testing.T) {
	dir := t.TempDir()
	post := filepath.Join(dir, "post.db")
	st := filepath.Join(dir, "station.db")
	clitest.MustRun(t, "init", "--db", post, "--role", "post", "--name", "张庄警务室")
	clitest.MustRun(t, "init", "--db", st, "--role", "station", "--name", "城关派出所")
	clitest.Pair(t, st, post)
	t.Setenv(admincmd.BackupPassEnv, "")
	usb := filepath.Join(dir, "usb")
	out := clitest.MustRun(t, "backup", "--db", post, "--to", usb)
	if !strings.Contains(out, "城关派出所") {
		t.Fatalf("backup does not say the station can restore it:\n%s", out)
	}
	list, _ := filepath.Glob(filepath.Join(usb, "*.cjbak"))
	if len(list) != 1 {
		t.Fatalf("backups %v", list)
	}
	assertUnreadable(t, list[0], []string{"张庄警务室"})
	t.Setenv(admincmd.BackupPassEnv, "some passphrase")
	if _, errs, code := clitest.Run(t, "restore", "--db", filepath.Join(dir, "x.db"), list[0]); code != 1 || !strings.Contains(errs, "with-station-db") {
		t.Fatalf("passphrase for a station-only backup: exit %d: %s", code, errs)
	}
	t.Setenv(admincmd.BackupPassEnv, "")
	if _, errs, code := clitest.Run(t, "restore", "--db", filepath.Join(dir, "x.db"), "--with-station-db", post, list[0]); code != 1 || !strings.Contains(errs, "not a station's") {
		t.Fatalf("a post's database as the station's: exit %d: %s", code, errs)
	}
	fresh := filepath.Join(dir, "restored.db")
	clitest.MustRun(t, "restore", "--db", fresh, "--with-station-db", st, list[0])
	if a, b := clitest.MustRun(t, "dump", "--db", post), clitest.MustRun(t, "dump", "--db", fresh); a != b {
		t.Fatal("the station's restore differs from the post")
	}
	var info struct {
		DeviceID string `json:"device_id"`
	}
	json.Unmarshal([]byte(clitest.MustRun(t, "info", "--db", fresh, "--json")), &info)
	var want struct {
		DeviceID string `json:"device_id"`
	}
	json.Unmarshal([]byte(clitest.MustRun(t, "info", "--db", post, "--json")), &want)
	if info.DeviceID == "" || info.DeviceID != want.DeviceID {
		t.Fatalf("restored device %q, want %q", info.DeviceID, want.DeviceID)
	}
}

// TestCLIExchangeRefusesHugeFile: `cunjing exchange` meets a 4 GiB file
// (sparse) on the stick: it is refused by its size with a reason, and the
// command finishes instead of running out of memory.
func TestCLIExchangeRefusesHugeFile(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "station.db")
	clitest.MustRun(t, "init", "--db", db, "--role", "station", "--name", "城关派出所")
	stick := t.TempDir()
	huge := filepath.Join(stick, "cs-aaaaaaa-pbbbbbbb-000000000001-0123456789abcdef.cjcs")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(4 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()
	fi, _ := os.Stat(huge)
	old := fi.ModTime().Add(-time.Hour)
	os.Chtimes(huge, old, old)
	var rep struct {
		Imported struct{ Outcomes map[string]int }
		Pending  []string
		Status   struct {
			LastRejected []string `json:"last_rejected"`
		}
	}
	out := clitest.MustRun(t, "exchange", "--db", db, "--dir", stick, "--json")
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Imported.Outcomes["rejected"] != 1 || len(rep.Pending) != 0 {
		t.Fatalf("exchange report:\n%s", out)
	}
	if !strings.Contains(out, "refused unread") {
		t.Fatalf("no reason given:\n%s", out)
	}
}

// `user add` never replaces an account (it upserted: the name of the
// station administrator's account set its password and role); `user
// reset` sets a forgotten password again and needs the account to exist.
func TestCLIUserAddAndReset(t *testing.T) {
	db := clitest.DemoDB(t)
	login := func(name, pw string) (store.User, error) {
		t.Helper()
		s, err := store.Open(context.Background(), db, store.Options{SkipIntegrityCheck: true, Now: clocktest.Ticking(t, 0)})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		return s.Login(context.Background(), name, pw, clocktest.Today(t))
	}
	t.Setenv("CUNJING_PASSWORD", "所长的密码1")
	clitest.MustRun(t, "user", "add", "--db", db, "--role", store.UserStationAdmin, "--name", "刘所长", "admin")
	t.Setenv("CUNJING_PASSWORD", "taken-over")
	if _, errs, code := clitest.Run(t, "user", "add", "--db", db, "--name", "冒名", "admin"); code != 1 ||
		!strings.Contains(errs, "already an account") || !strings.Contains(errs, "cunjing user reset") {
		t.Fatalf("user add of an existing name: exit %d: %s", code, errs)
	}
	if u, err := login("admin", "所长的密码1"); err != nil || u.Role != store.UserStationAdmin || u.DisplayName != "刘所长" {
		t.Fatalf("admin after a refused add: %+v %v", u, err)
	}
	t.Setenv("CUNJING_PASSWORD", "新密码2026")
	if _, errs, code := clitest.Run(t, "user", "reset", "--db", db, "nobody"); code != 1 || !strings.Contains(errs, "no account") {
		t.Fatalf("user reset of nobody: exit %d: %s", code, errs)
	}
	if out := clitest.MustRun(t, "user", "reset", "--db", db, "--role", store.UserStationAdmin, "admin"); !strings.Contains(out, "new password set") {
		t.Errorf("user reset says %q", out)
	}
	if u, err := login("admin", "新密码2026"); err != nil || u.DisplayName != "刘所长" || u.Role != store.UserStationAdmin {
		t.Fatalf("admin after a reset: %+v %v", u, err)
	}
	if _, errs, code := clitest.Run(t, "user", "rename", "--db", db, "admin"); code != 2 || !strings.Contains(errs, "user add|reset") {
		t.Fatalf("user rename: exit %d: %s", code, errs)
	}
}
