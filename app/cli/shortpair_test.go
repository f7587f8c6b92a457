package cli_test

import (
	"context"
	"encoding/json"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cunjing/app/cli/clitest"
	"cunjing/store"
	cjsync "cunjing/sync"
	"cunjing/sync/bep"
)

// TestCLIShortPairing: a post types the station's short code (read over
// the phone); its first sync pairs both sides over the BEP connection and
// exchanges. A mistyped secret is refused in Chinese and pairs nothing;
// the old long code and a bare device ID (a carrier) still pair.
func TestCLIShortPairing(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dir := t.TempDir()
	post, wrong, stationDB := filepath.Join(dir, "post.db"), filepath.Join(dir, "wrong.db"), filepath.Join(dir, "station.db")
	clitest.MustRun(t, "init", "--db", post, "--role", "post", "--name", "东关村警务室")
	clitest.MustRun(t, "init", "--db", wrong, "--role", "post", "--name", "西关村警务室")
	clitest.MustRun(t, "init", "--db", stationDB, "--role", "station", "--name", "城关派出所")
	var id struct {
		DeviceID  string `json:"device_id"`
		ShortCode string `json:"short_code"`
	}
	if err := json.Unmarshal([]byte(clitest.MustRun(t, "id", "--db", stationDB, "--json")), &id); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(id.ShortCode, "CJP-") || len(id.ShortCode) > 80 {
		t.Fatalf("short_code %q", id.ShortCode)
	}
	var again struct {
		ShortCode string `json:"short_code"`
	}
	if err := json.Unmarshal([]byte(clitest.MustRun(t, "id", "--db", stationDB, "--json")), &again); err != nil || again.ShortCode != id.ShortCode {
		t.Fatalf("a second id showed another short code: %q, %v", again.ShortCode, err)
	}

	st, err := store.Open(ctx, stationDB, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	station, err := cjsync.New(ctx, st, cjsync.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- bep.NewNode(station, bep.Config{}).Serve(sctx, ln) }()
	defer func() { stop(); <-served }()

	// A wrong secret (last character changed): refused, nothing paired.
	bad := id.ShortCode[:len(id.ShortCode)-1] + map[bool]string{true: "B", false: "A"}[strings.HasSuffix(id.ShortCode, "A")]
	clitest.MustRun(t, "pair", "--db", wrong, "--address", ln.Addr().String(), bad)
	out, errOut, rc := clitest.Run(t, "sync", "--db", wrong, "--once", "--json")
	if rc == 0 || !strings.Contains(out+errOut, "暗码不对") {
		t.Fatalf("sync with a wrong secret: exit %d\n%s\n%s", rc, out, errOut)
	}
	if peers, err := st.SyncBook().Peers(ctx, true); err != nil || len(peers) != 0 {
		t.Fatalf("a wrong secret paired: %v %v", peers, err)
	}

	if got := clitest.MustRun(t, "pair", "--db", post, "--address", ln.Addr().String(), strings.ToLower(id.ShortCode)); !strings.Contains(got, "first connection") {
		t.Fatalf("pair with a short code: %s", got)
	}
	out, errOut, rc = clitest.Run(t, "sync", "--db", post, "--once", "--json")
	if rc != 0 {
		t.Fatalf("first sync after a short code: exit %d\n%s\n%s", rc, out, errOut)
	}
	var res struct {
		Sessions []struct {
			Name     string
			Complete bool
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Sessions) != 1 || res.Sessions[0].Name != "城关派出所" || !res.Sessions[0].Complete {
		t.Fatalf("first sync: %v\n%s", err, out)
	}
	peers, err := st.SyncBook().Peers(ctx, false)
	if err != nil || len(peers) != 1 || peers[0].Name != "东关村警务室" || peers[0].Role != store.RolePost {
		t.Fatalf("station's peers after short pairing: %+v %v", peers, err)
	}
	// The secret is used up: the station shows a new one.
	if err := json.Unmarshal([]byte(clitest.MustRun(t, "id", "--db", stationDB, "--json")), &again); err != nil || again.ShortCode == id.ShortCode {
		t.Fatalf("the used short code is still shown: %q, %v", again.ShortCode, err)
	}
	// A second sync goes as with any paired peer.
	if out, errOut, rc = clitest.Run(t, "sync", "--db", post, "--once", "--json"); rc != 0 {
		t.Fatalf("second sync: exit %d\n%s\n%s", rc, out, errOut)
	}
}

// TestCLIPairDispatch: pair tells the three kinds of argument apart.
func TestCLIPairDispatch(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	post, stationDB := filepath.Join(dir, "post.db"), filepath.Join(dir, "station.db")
	clitest.MustRun(t, "init", "--db", post, "--role", "post", "--name", "东关村警务室")
	clitest.MustRun(t, "init", "--db", stationDB, "--role", "station", "--name", "城关派出所")
	var id struct {
		DeviceID  string `json:"device_id"`
		Code      string `json:"code"`
		ShortCode string `json:"short_code"`
	}
	if err := json.Unmarshal([]byte(clitest.MustRun(t, "id", "--db", stationDB, "--json")), &id); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, arg, want string
		ok              bool
	}{
		{"long code", id.Code, "paired with 城关派出所", true},
		{"short code", id.ShortCode, "first connection", true},
		{"device ID is a carrier", id.DeviceID, "(carrier)", true},
		{"short code typo", id.ShortCode[:4] + map[bool]string{true: "B", false: "A"}[id.ShortCode[4] == 'A'] + id.ShortCode[5:], "group 2", false},
	}
	for _, tt := range tests {
		out, errOut, rc := clitest.Run(t, "pair", "--db", post, tt.arg)
		if (rc == 0) != tt.ok || !strings.Contains(out+errOut, tt.want) {
			t.Errorf("%s: pair exit %d, want ok=%v and %q\n%s%s", tt.name, rc, tt.ok, tt.want, out, errOut)
		}
	}
}
