package store

import (
	"bufio"
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The crash harness: a child process writes in a loop and prints "ack ID N"
// after each commit returns; the parent SIGKILLs it at a random moment,
// reopens the database (runs integrity_check) and checks that every
// write acknowledged in that run is there, plus 300 random older ones (all
// of them every run would make the harness quadratic). `make crashtest` runs it 500 times:
//
//	CUNJING_CRASHTEST=500 go test -tags sqlite_fts5 -run TestCrashHarness -v -timeout 60m ./store/
func TestCrashHarness(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("CUNJING_CRASHTEST"))
	if n <= 0 {
		t.Skip("set CUNJING_CRASHTEST=N to run the kill -9 harness (make crashtest)")
	}
	ctx := context.Background()
	dir := t.TempDir() // a real disk, not tmpfs: fsync must mean something
	path := filepath.Join(dir, "crash.db")
	s, err := Create(ctx, path, Identity{DeviceID: "CRASH-DEVICE", Role: RolePost, Name: "crash"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	acked := map[string]string{} // id -> notes value acknowledged last
	var integrityFailures, lost, kills, totalAcks int
	start := time.Now()
	for i := 0; i < n; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$")
		cmd.Env = append(os.Environ(), "CUNJING_CRASH_CHILD="+path, fmt.Sprintf("CUNJING_CRASH_SEED=%d", rng.Int63()), fmt.Sprintf("CUNJING_CRASH_RUN=%d", i))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 1024)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// Let it open the database and write for a while, then kill.
		time.Sleep(time.Duration(30+rng.Intn(250)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		kills++
		check := map[string]string{} // this run's acks, plus a sample of older ones
		for l := range lines {
			f := strings.Fields(l)
			if len(f) == 3 && f[0] == "ack" {
				acked[f[1]] = f[2]
				check[f[1]] = f[2]
				totalAcks++
			}
		}
		sampled := 0
		for id, v := range acked { // map order is random: a fresh sample each run
			if sampled == 300 {
				break
			}
			check[id] = v
			sampled++
		}
		cmd.Wait()
		s, err := Open(ctx, path, Options{})
		if err != nil {
			integrityFailures++
			t.Errorf("run %d: reopen after kill: %v", i, err)
			continue
		}
		// Open runs quick_check; a kill must not break even what only the
		// full check sees (an index out of step with its table).
		var res string
		if err := s.db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
			integrityFailures++
			t.Errorf("run %d: integrity_check after kill: %q %v", i, res, err)
		}
		for id, want := range check {
			var r Resident
			// The kill can land between a commit and its "ack" line, so a
			// newer (unacknowledged) value is fine; an older one is a loss.
			// Values sort by run and step.
			if err := s.Get(ctx, &r, id); err != nil || r.Notes < want {
				lost++
				t.Errorf("run %d: acknowledged write %s (notes %s) lost: %v %q", i, id, want, err, r.Notes)
			}
		}
		s.Close()
	}
	t.Logf("crash harness: %d kills, %d acknowledged writes, %d integrity failures, %d lost acknowledged writes, %s",
		kills, totalAcks, integrityFailures, lost, time.Since(start).Round(time.Second))
	if res := os.Getenv("CUNJING_CRASH_RESULT"); res != "" {
		os.WriteFile(res, []byte(fmt.Sprintf("kills=%d acked=%d integrity_failures=%d lost=%d duration=%s\n",
			kills, totalAcks, integrityFailures, lost, time.Since(start).Round(time.Second))), 0o644)
	}
}

// TestCrashChild is the writer the harness kills; it does nothing in a
// normal test run.
func TestCrashChild(t *testing.T) {
	path := os.Getenv("CUNJING_CRASH_CHILD")
	if path == "" {
		t.Skip("child of TestCrashHarness")
	}
	seed, _ := strconv.ParseInt(os.Getenv("CUNJING_CRASH_SEED"), 10, 64)
	run, _ := strconv.Atoi(os.Getenv("CUNJING_CRASH_RUN"))
	rng := rand.New(rand.NewSource(seed))
	ctx := context.Background()
	s, err := Open(ctx, path, Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	w := bufio.NewWriter(os.Stdout)
	var mine []*Resident
	for k := 0; ; k++ {
		var batch []*Resident
		switch {
		case len(mine) > 0 && rng.Intn(3) == 0: // edit earlier ones
			for j := 0; j < 1+rng.Intn(5); j++ {
				r := mine[rng.Intn(len(mine))]
				r.Notes = fmt.Sprintf("%06d-%09d", run, k)
				batch = append(batch, r)
			}
		default: // new ones, sometimes a big batch
			for j := 0; j < 1+rng.Intn(40); j++ {
				batch = append(batch, &Resident{Name: "崩溃测试", Notes: fmt.Sprintf("%06d-%09d", run, k)})
			}
		}
		recs := make([]Record, len(batch))
		for i, r := range batch {
			recs[i] = r
		}
		if err := s.Save(ctx, recs...); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(4)
		}
		// Acknowledge only after the commit returned.
		for _, r := range batch {
			fmt.Fprintf(w, "ack %s %s\n", r.ID, r.Notes)
		}
		w.Flush()
		for _, r := range batch {
			if len(mine) < 200 {
				mine = append(mine, r)
			}
		}
	}
}
