//go:build unix

package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"cunjing/app/cli/clitest"
)

// Every path a command reads is refused at once when it is a named pipe
// or a link to /dev/zero, with the command's error and exit code 1, and
// the database is left as it was: opening a pipe waits for a writer for
// ever, and /dev/zero never ends. --mapping read /dev/zero until memory
// ran out and waited on a pipe; release sign read its key and hashed its
// file, release verify and publish hashed theirs, from either for ever.
func TestCLIRefusesPipesAndDevices(t *testing.T) {
	t.Parallel()
	db := clitest.DemoDB(t)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "管道 fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	zero := filepath.Join(dir, "零 zero")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(zero); err != nil {
		t.Skip("no /dev/zero here")
	}
	ledgerFile := filepath.Join(dir, "台账.csv")
	if err := os.WriteFile(ledgerFile, []byte("户主姓名,门牌号,姓名,与户主关系\n新来户,900,新来户,户主\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	keys := filepath.Join(dir, "keys")
	clitest.MustRun(t, "release", "keygen", "--out", keys)
	key := filepath.Join(keys, "release.key")
	deb := filepath.Join(dir, "cunjing_1.3.0_arm64.deb")
	if err := os.WriteFile(deb, []byte("deb"), 0o644); err != nil {
		t.Fatal(err)
	}
	clitest.MustRun(t, "release", "sign", "--key", key, "--version", "1.3.0", "--os", "linux", "--arch", "arm64", deb)
	man := deb + ".cjrel"
	station := filepath.Join(dir, "station.db")
	clitest.MustRun(t, "init", "--db", station, "--role", "station", "--name", "城关派出所")
	before := clitest.MustRun(t, "dump", "--db", db)

	for _, bad := range []string{fifo, zero} {
		for _, c := range []struct {
			name string
			args []string
		}{
			{"import --mapping", []string{"import", "households", "--db", db, "--village", "张庄村", "--mapping", bad, ledgerFile}},
			{"release sign FILE", []string{"release", "sign", "--key", key, "--version", "1.3.0", "--os", "linux", "--arch", "arm64", bad}},
			{"release sign --key", []string{"release", "sign", "--key", bad, "--version", "1.3.0", "--os", "linux", "--arch", "arm64", deb}},
			{"release verify FILE", []string{"release", "verify", "--keys", filepath.Join(keys, "release.pub"), man, bad}},
			{"release publish FILE", []string{"release", "publish", "--db", station, man, bad}},
		} {
			type result struct {
				stderr string
				rc     int
			}
			done := make(chan result, 1)
			go func() {
				_, stderr, rc := clitest.Run(t, c.args...)
				done <- result{stderr, rc}
			}()
			select {
			case r := <-done:
				if r.rc != 1 || !strings.Contains(r.stderr, "not a regular file") {
					t.Errorf("%s %s: exit %d, %q; want exit 1, not a regular file", c.name, filepath.Base(bad), r.rc, r.stderr)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("%s %s: still reading after 10 s", c.name, filepath.Base(bad))
			}
		}
	}
	if clitest.MustRun(t, "dump", "--db", db) != before {
		t.Fatal("a refused command changed the database")
	}
}
