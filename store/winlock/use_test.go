package winlock

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// cunjing node (a station's service) and cunjing sync --once share the
// database with each other and with a window; a restore takes it whole
// and is refused, naming each, while any of them holds it.
func TestRestoreRefusedWhileInUse(t *testing.T) {
	db := filepath.Join(t.TempDir(), "station.db")
	window, err := Take(db)
	if err != nil {
		t.Fatal(err)
	}
	node, err := Use(db, UserNode)
	if err != nil {
		t.Fatal(err)
	}
	node2, err := Use(db, UserNode) // a second node beside it is no restore
	if err != nil {
		t.Fatalf("a second shared hold: %v", err)
	}
	once, err := Use(db, UserSync)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Restoring(db)
	var used *UsedError
	if !errors.As(err, &used) || !errors.Is(err, ErrInUse) || !slices.Equal(used.By, []string{UserWindow, UserNode, UserSync}) {
		t.Fatalf("restore under a window, two nodes and a sync: %v", err)
	}
	for _, want := range []string{"open in another cunjing window", "cunjing node", "同步服务", "请先关闭或停止它"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("refusal %q lacks %q", err, want)
		}
	}
	// The window restoring (it holds its own lock) is refused for the
	// others only.
	if _, err := ExcludeUsers(db); !errors.As(err, &used) || !slices.Equal(used.By, []string{UserNode, UserSync}) {
		t.Fatalf("the window's restore: %v", err)
	}
	for _, l := range []*Lock{window, node, once} {
		if err := l.Release(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Restoring(db); !errors.As(err, &used) || !slices.Equal(used.By, []string{UserNode}) {
		t.Fatalf("one node left: %v", err)
	}
	node2.Release()
	r, err := Restoring(db)
	if err != nil {
		t.Fatalf("nothing holds it: %v", err)
	}
	// While the restore runs, nothing opens the database.
	if _, err := Use(db, UserNode); !errors.Is(err, ErrRestoring) {
		t.Fatalf("node during a restore: %v", err)
	}
	if _, err := Take(db); !errors.Is(err, ErrInUse) || !errors.Is(err, ErrRestoring) {
		t.Fatalf("window during a restore: %v", err)
	}
	if _, err := Restoring(db); !errors.Is(err, ErrRestoring) || errors.As(err, &used) {
		t.Fatalf("a second restore: %v, want told a restore is under way", err)
	}
	if err := r.Release(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(UsePath(db, userRestore)); !os.IsNotExist(err) {
		t.Errorf("the restore's own file stayed: %v", err)
	}
	n, err := Use(db, UserNode)
	if err != nil {
		t.Fatalf("node after the restore: %v", err)
	}
	n.Release()
}

// A node killed (a power cut, kill -9) leaves its file but not its hold:
// the restore goes ahead at once.
func TestKilledHolderDoesNotBlock(t *testing.T) {
	if os.Getenv("WINLOCK_HOLD") != "" {
		l, err := Use(os.Getenv("WINLOCK_HOLD"), UserNode)
		if err != nil {
			os.Stdout.WriteString("error " + err.Error() + "\n")
			os.Exit(1)
		}
		os.Stdout.WriteString("held\n")
		// Until killed, the hold kept referenced: a collected file is
		// closed, and lets go (the restore beside it then went ahead,
		// now and then, under load).
		for range time.Tick(time.Hour) {
			runtime.KeepAlive(l)
		}
	}
	db := filepath.Join(t.TempDir(), "station.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledHolderDoesNotBlock$")
	cmd.Env = append(os.Environ(), "WINLOCK_HOLD="+db)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	if line != "held\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("holder: %q", line)
	}
	var used *UsedError
	if _, err := Restoring(db); !errors.As(err, &used) {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("restore beside a running node: %v", err)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if _, err := os.Stat(UsePath(db, UserNode)); err != nil {
		t.Fatalf("the killed node's file: %v", err)
	}
	r, err := Restoring(db)
	if err != nil {
		t.Fatalf("restore after the node was killed: %v", err)
	}
	r.Release()
}

// TestLockFilesOfAnotherUser: a station runs `cunjing node` as a service
// user beside the staff's window on the same database. Its lock files
// were created 0600, so another user could not open them: a window's
// restore failed with a generic error and `sync --once` refused to run.
// They are readable by all now (the umask permitting), and a read-only
// handle, what another user gets, holds and is refused a lock as a
// writable one does.
func TestLockFilesOfAnotherUser(t *testing.T) {
	db := filepath.Join(t.TempDir(), "station.db")
	node, err := Use(db, UserNode)
	if err != nil || node == nil {
		t.Fatalf("node's hold: %v", err)
	}
	defer node.Release()
	// The file's mode: TestLockFileReadableByAll (unix).
	// Another user's shared hold, through a read-only handle.
	ro, err := os.Open(UsePath(db, UserNode))
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if err := lockFile(ro, true); err != nil {
		t.Fatalf("a shared lock through a read-only handle: %v", err)
	}
	node.Release()
	if _, err := Restoring(db); !errors.Is(err, ErrInUse) {
		t.Fatalf("restore beside a read-only holder: %v, want refused", err)
	}
}

// Every other command that opens the database (import, print, backup, …:
// clikit.OpenDB) holds it too: a restore, the command line's or the
// window's, is refused naming it, where it moved the file from under the
// command and its writes went into the copy kept aside; during a restore
// the command is refused.
func TestRestoreRefusedWhileACommandRuns(t *testing.T) {
	db := filepath.Join(t.TempDir(), "post.db")
	cmd, err := Use(db, UserCommand)
	if err != nil || cmd == nil {
		t.Fatalf("a command's hold: %v", err)
	}
	cmd2, err := Use(db, UserCommand) // two commands at once
	if err != nil {
		t.Fatalf("a second command's hold: %v", err)
	}
	var used *UsedError
	_, err = Restoring(db)
	if !errors.As(err, &used) || !slices.Equal(used.By, []string{UserCommand}) {
		t.Fatalf("restore under a command: %v", err)
	}
	for _, want := range []string{"a `cunjing` command is running on it", "正在运行的村警通命令", "请先关闭或停止它"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("refusal %q lacks %q", err, want)
		}
	}
	if _, err := ExcludeUsers(db); !errors.As(err, &used) || !slices.Equal(used.By, []string{UserCommand}) {
		t.Fatalf("the window's restore under a command: %v", err)
	}
	cmd.Release()
	cmd2.Release()
	r, err := Restoring(db)
	if err != nil {
		t.Fatalf("restore once the commands ended: %v", err)
	}
	defer r.Release()
	if _, err := Use(db, UserCommand); !errors.Is(err, ErrRestoring) {
		t.Fatalf("a command during a restore: %v", err)
	}
}

// A lock file removed by hand (Linux lets anyone remove a file another
// program holds open) let a restore move the database from under the
// window, node or command holding it: the restore took a new file of
// that name and found it free. Every holder also holds the database file
// itself, so the restore still sees it, in another process too.
func TestRemovedLockFileStillRefusesRestore(t *testing.T) {
	if os.Getenv("WINLOCK_HOLD_DB") != "" {
		db := os.Getenv("WINLOCK_HOLD_DB")
		l, err := Use(db, UserNode)
		if err != nil {
			os.Stdout.WriteString("error " + err.Error() + "\n")
			os.Exit(1)
		}
		os.Stdout.WriteString("held\n")
		os.Stdin.Read(make([]byte, 1)) // until killed
		l.Release()                    // kept referenced: a collected file closes, and lets go
		os.Exit(0)
	}
	if runtime.GOOS == "windows" {
		t.Skip("a file held open cannot be removed on Windows")
	}
	use := func(user string) func(string) (*Lock, error) {
		return func(db string) (*Lock, error) { return Use(db, user) }
	}
	for _, tc := range []struct {
		name string
		take func(db string) (*Lock, error) // nil: another process, a node
		file func(db string) string
	}{
		{"Window", Take, Path},
		{"Node", use(UserNode), func(db string) string { return UsePath(db, UserNode) }},
		{"Command", use(UserCommand), func(db string) string { return UsePath(db, UserCommand) }},
		{"NodeInAnotherProcess", nil, func(db string) string { return UsePath(db, UserNode) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "post.db")
			if err := os.WriteFile(db, []byte("SQLite format 3\x00"), 0o600); err != nil {
				t.Fatal(err)
			}
			var release func()
			if tc.take != nil {
				l, err := tc.take(db)
				if err != nil {
					t.Fatal(err)
				}
				release = func() { l.Release() }
			} else {
				cmd := exec.Command(os.Args[0], "-test.run=^TestRemovedLockFileStillRefusesRestore$")
				cmd.Env = append(os.Environ(), "WINLOCK_HOLD_DB="+db)
				out, err := cmd.StdoutPipe()
				if err != nil {
					t.Fatal(err)
				}
				in, err := cmd.StdinPipe() // held open until it is killed
				if err != nil {
					t.Fatal(err)
				}
				defer in.Close()
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				release = func() { cmd.Process.Kill(); cmd.Wait() }
				defer release()
				if line, _ := bufio.NewReader(out).ReadString('\n'); line != "held\n" {
					t.Fatalf("holder: %q", line)
				}
			}
			if err := os.Remove(tc.file(db)); err != nil {
				t.Fatal(err)
			}
			_, err := Restoring(db)
			var used *UsedError
			if !errors.As(err, &used) || !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), "请先关闭或停止它") {
				t.Fatalf("restore under a holder whose lock file was removed: %v", err)
			}
			if tc.name != "Window" {
				if _, err := ExcludeUsers(db); !errors.As(err, &used) {
					t.Fatalf("the window's restore under it: %v", err)
				}
			}
			release()
			r, err := Restoring(db)
			if err != nil {
				t.Fatalf("restore once it let go: %v", err)
			}
			r.Release()
		})
	}
}

// The window restoring the database it holds is not refused for its own
// hold of the file, and holds it again afterwards, the file restored
// included: a restore by another program is refused with the window's
// lock file removed.
func TestWindowRestoreKeepsItsHoldOfTheFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("a file held open cannot be removed on Windows")
	}
	db := filepath.Join(t.TempDir(), "post.db")
	if err := os.WriteFile(db, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	w, err := Take(db)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Release()
	ls, err := ExcludeUsers(db)
	if err != nil {
		t.Fatalf("the window's own restore: %v", err)
	}
	// The restore moves the new file in.
	if err := os.WriteFile(db+".new", []byte("new"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(db+".new", db); err != nil {
		t.Fatal(err)
	}
	if err := ls.Release(); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(Path(db)); err != nil {
		t.Fatal(err)
	}
	var used *UsedError
	if _, err := Restoring(db); !errors.As(err, &used) {
		t.Fatalf("a restore beside the window after its own: %v", err)
	}
	w.Release()
	r, err := Restoring(db)
	if err != nil {
		t.Fatalf("after the window closed: %v", err)
	}
	r.Release()
}
