//go:build linux

package bep

// Interop with a stock Syncthing (Debian package `syncthing`, 1.19.x) used
// as an untrusted carrier: post -> Syncthing -> station, on loopback only.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"cunjing/store"
	cjsync "cunjing/sync"
	"cunjing/sync/changeset"
)

// stockSyncthing is a running `syncthing serve` of our own.
type stockSyncthing struct {
	home    string
	gui     string // http://127.0.0.1:port
	apiKey  string
	listen  string // 127.0.0.1:port, BEP
	id      string
	logPath string
	client  *http.Client
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// confineConfig rewrites the generated config.xml so that the instance only
// listens on loopback and talks to nobody on its own: no discovery, relays,
// NAT, usage or crash reports, upgrades or browser. Every element must be
// found, so a changed config layout fails loudly instead of leaking.
func confineConfig(cfg []byte, listen string) ([]byte, error) {
	set := []struct{ tag, value string }{
		{"listenAddress", "tcp://" + listen},
		{"globalAnnounceEnabled", "false"},
		{"localAnnounceEnabled", "false"},
		{"relaysEnabled", "false"},
		{"natEnabled", "false"},
		{"urAccepted", "-1"},
		{"crashReportingEnabled", "false"},
		{"autoUpgradeIntervalH", "0"},
		{"startBrowser", "false"},
		{"announceLANAddresses", "false"},
	}
	for _, s := range set {
		re := regexp.MustCompile(`<` + s.tag + `>[^<]*</` + s.tag + `>`)
		if len(re.FindAll(cfg, -1)) != 1 {
			return nil, fmt.Errorf("config.xml: want exactly one <%s>", s.tag)
		}
		cfg = re.ReplaceAll(cfg, []byte("<"+s.tag+">"+s.value+"</"+s.tag+">"))
	}
	return cfg, nil
}

// startSyncthing runs the Debian package's binary with its own home in a
// temporary directory; the test is skipped when it is not installed.
func startSyncthing(t *testing.T, ctx context.Context) *stockSyncthing {
	t.Helper()
	bin, err := exec.LookPath("syncthing")
	if err != nil {
		t.Skip("stock syncthing not installed (apt-get install syncthing)")
	}
	home := t.TempDir()
	env := append(os.Environ(), "STNODEFAULTFOLDER=1", "STNOUPGRADE=1", "STNORESTART=1", "HOME="+home)
	gen := exec.CommandContext(ctx, bin, "generate", "--home="+home, "--no-default-folder", "--skip-port-probing")
	gen.Env = env
	if out, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("syncthing generate: %v\n%s", err, out)
	}
	st := &stockSyncthing{home: home, apiKey: randomKey(t), logPath: filepath.Join(home, "syncthing.log"),
		listen: fmt.Sprintf("127.0.0.1:%d", freePort(t)), client: &http.Client{Timeout: 10 * time.Second}}
	guiAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	st.gui = "http://" + guiAddr
	cfgPath := filepath.Join(home, "config.xml")
	cfg, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	if cfg, err = confineConfig(cfg, st.listen); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfgPath, cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	logf, err := os.Create(st.logPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { logf.Close() })
	cmd := exec.Command(bin, "serve", "--home="+home, "--no-browser", "--no-restart", "--no-upgrade",
		"--gui-address="+guiAddr, "--gui-apikey="+st.apiKey)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = logf, logf
	// Its own process group: the Debian build runs a monitor that starts
	// the real instance as a child, which a kill of the monitor orphans.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start syncthing: %v", err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		// Ask it to stop, then make sure of the whole group (ours alone).
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := st.call(sctx, http.MethodPost, "/rest/system/shutdown", nil, nil); err == nil {
			select {
			case <-exited:
			case <-sctx.Done():
			}
		}
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-exited
		if t.Failed() {
			if b, err := os.ReadFile(st.logPath); err == nil {
				t.Logf("syncthing log:\n%s", tail(string(b), 60))
			}
		}
	})
	var status struct {
		MyID string `json:"myID"`
	}
	if err := waitFor(ctx, func() error { return st.call(ctx, http.MethodGet, "/rest/system/status", nil, &status) }); err != nil {
		t.Fatalf("syncthing REST API never came up: %v", err)
	}
	st.id = status.MyID
	return st
}

func randomKey(t *testing.T) string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func tail(s string, lines int) string {
	l := strings.Split(s, "\n")
	return strings.Join(l[max(0, len(l)-lines):], "\n")
}

// call does one REST request with the API key; out (if set) receives the
// JSON answer.
func (s *stockSyncthing) call(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.gui+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("X-API-Key", s.apiKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, strings.TrimSpace(string(b)))
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return nil
}

// addDevice makes a cunjing device known to the instance. The instance
// never dials it (no address, no discovery): the cunjing side that has or
// wants data dials the instance, because stock Syncthing redials slowly.
func (s *stockSyncthing) addDevice(t *testing.T, ctx context.Context, id, name string) {
	t.Helper()
	if err := s.call(ctx, http.MethodPost, "/rest/config/devices", map[string]any{
		"deviceID": id, "name": name, "addresses": []string{"dynamic"}, "compression": "metadata",
	}, nil); err != nil {
		t.Fatal(err)
	}
}

// carry shares folder between the instance and the given (added) devices
// and returns the directory it keeps the folder in.
func (s *stockSyncthing) carry(t *testing.T, ctx context.Context, folder string, devices ...string) string {
	t.Helper()
	devs := []map[string]string{{"deviceID": s.id}}
	for _, id := range devices {
		devs = append(devs, map[string]string{"deviceID": id})
	}
	path := filepath.Join(s.home, "carried", folder)
	if err := os.MkdirAll(filepath.Join(path, ".stfolder"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := s.call(ctx, http.MethodPost, "/rest/config/folders", map[string]any{
		"id": folder, "label": folder, "path": path, "type": "sendreceive", "devices": devs,
		"rescanIntervalS": 3600, "fsWatcherEnabled": false,
	}, nil); err != nil {
		t.Fatal(err)
	}
	// The folder must be running (scanned once) before a peer connects,
	// or the instance answers its cluster config without it.
	if err := waitFor(ctx, func() error {
		var st struct {
			State string `json:"state"`
		}
		if err := s.call(ctx, http.MethodGet, "/rest/db/status?folder="+folder, nil, &st); err != nil {
			return err
		}
		if st.State != "idle" {
			return fmt.Errorf("folder %s is %q", folder, st.State)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestStockSyncthingCarrier: a post's changesets (and the scanned map they
// refer to) travel post -> stock Syncthing -> station, and the station ends
// with exactly the post's records; the station's broadcast travels back the
// same way. The post and the station never meet.
func TestStockSyncthingCarrier(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	stock := startSyncthing(t, ctx)
	post := device(t, store.RolePost, "东关警务室")
	station := device(t, store.RoleStation, "城关派出所")
	pairAt(t, post, station, "127.0.0.1:1") // they never dial each other here

	v := &store.Village{Name: "东关村"}
	if err := post.Store().Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	var recs []store.Record
	for i := range 300 {
		recs = append(recs, &store.Household{VillageID: v.ID, OwnerName: fmt.Sprintf("户主%03d", i),
			Address: fmt.Sprintf("东关村%d号", i+1), Warning: store.WarnGreen, Categories: []string{store.CatElderly}})
	}
	scan := bytes.Repeat([]byte("底图扫描 "), 40_000) // > 2 blocks
	h := changeset.HashBlob(scan)
	if err := post.Store().PutBlob(ctx, h, scan); err != nil {
		t.Fatal(err)
	}
	recs = append(recs, &store.VillageMap{VillageID: v.ID, Name: "底图", ImageHash: h})
	if err := post.Store().Save(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	if _, err := post.Cut(ctx); err != nil {
		t.Fatal(err)
	}
	// A second changeset, so the chain is carried in order too.
	recs[1].(*store.Household).Notes = "独居老人，每周走访"
	if err := post.Store().Save(ctx, recs[1]); err != nil {
		t.Fatal(err)
	}
	if _, err := post.Cut(ctx); err != nil {
		t.Fatal(err)
	}

	// Down the other way at the same time: a notice the station publishes.
	if err := station.Store().Save(ctx, &store.Notice{Title: "冬季防火通知", Body: "各村清理柴草堆"}); err != nil {
		t.Fatal(err)
	}
	if _, err := station.Cut(ctx); err != nil {
		t.Fatal(err)
	}

	folder := cjsync.PostFolder(post.Self())
	stock.addDevice(t, ctx, post.Self(), "post")
	stock.addDevice(t, ctx, station.Self(), "station")
	carried := stock.carry(t, ctx, folder, post.Self(), station.Self())
	stock.carry(t, ctx, cjsync.StationFolder(station.Self()), post.Self(), station.Self())
	phone := []string{stock.listen}
	postSide, err := post.PairCarrier(ctx, stock.id, "民警手机", phone)
	if err != nil {
		t.Fatal(err)
	}
	stationSide, err := station.PairCarrier(ctx, stock.id, "民警手机", phone)
	if err != nil {
		t.Fatal(err)
	}

	// Leg 1: the post dials and serves; the session ends once Syncthing
	// announces it holds every file of the post's folder.
	r, err := NewNode(post, Config{}).SyncOnce(ctx, postSide)
	if err != nil || !r.Complete {
		t.Fatalf("post -> syncthing: %+v %v", r, err)
	}
	files, err := os.ReadDir(post.FolderDir(folder))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		if !f.Type().IsRegular() {
			continue
		}
		n++
		want, err := os.ReadFile(filepath.Join(post.FolderDir(folder), f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(carried, f.Name()))
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("syncthing's copy of %s differs (%v)", f.Name(), err)
		}
	}
	if n != 4 { // two changesets, one blob and the post's receipt for the station
		t.Fatalf("post's folder holds %d files, want 4", n)
	}

	// A person drops a note and a subfolder into the phone's copy: the
	// newest entries of its index are now ones cunjing does not carry.
	if err := os.WriteFile(filepath.Join(carried, "说明.txt"), []byte("别删这个文件夹"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(carried, "照片"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := stock.call(ctx, http.MethodPost, "/rest/db/scan?folder="+folder, nil, nil); err != nil {
		t.Fatal(err)
	}

	// Leg 2: the station dials the carrier, pulls the post's folder and
	// serves its own.
	r, err = NewNode(station, Config{}).SyncOnce(ctx, stationSide)
	if err != nil || !r.Complete || r.Pulled != n || r.Imported < 2 {
		t.Fatalf("syncthing -> station: %+v %v", r, err)
	}
	if a, b := dump(t, post, post.Self()), dump(t, station, post.Self()); a != b || !strings.Contains(b, "独居老人") {
		t.Fatalf("station's copy of the post differs:\n%s\n---\n%s", a, b)
	}
	if _, err := os.Stat(filepath.Join(station.FolderDir(folder), "说明.txt")); !os.IsNotExist(err) {
		t.Fatalf("the station pulled a file that is not a changeset (%v)", err)
	}
	if got, err := station.Store().Blob(ctx, h); err != nil || !bytes.Equal(got, scan) {
		t.Fatalf("scan not carried: %v", err)
	}
	// Leg 3: the post dials again and pulls the station's broadcast.
	r, err = NewNode(post, Config{}).SyncOnce(ctx, postSide)
	if err != nil || !r.Complete || r.Pulled == 0 {
		t.Fatalf("syncthing -> post: %+v %v", r, err)
	}
	if a, b := dump(t, station, station.Self()), dump(t, post, station.Self()); a != b || !strings.Contains(b, "冬季防火通知") {
		t.Fatalf("post's copy of the station's records differs:\n%s\n---\n%s", a, b)
	}
	for _, e := range []*cjsync.Engine{post, station} {
		rej, err := e.Book().Rejects(ctx, 10)
		if err != nil || len(rej) != 0 {
			t.Fatalf("%s rejected: %+v %v", e.Self(), rej, err)
		}
	}
}
