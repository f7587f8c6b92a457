package cli_test

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"

	"cunjing/app/cli/clitest"
)

func TestCLIConfigServers(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "post.db")
	clitest.MustRun(t, "init", "--db", db, "--role", "post", "--name", "东关村警务室")
	show := func() map[string][]string {
		var got map[string][]string
		if err := json.Unmarshal([]byte(clitest.MustRun(t, "config", "--db", db, "--json")), &got); err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := show(); len(got["discovery"]) != 0 || len(got["relays"]) != 0 {
		t.Fatalf("servers before any were set: %v", got)
	}
	id := "P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ2"
	clitest.MustRun(t, "config", "--db", db, "--discovery", "https://disco.example.cn:8443/?id="+id,
		"--relay", "relay://10.0.0.5:22067/?id="+id, "--relay", "relay://10.0.0.6:22067")
	want := map[string][]string{"discovery": {"https://disco.example.cn:8443/?id=" + id},
		"relays": {"relay://10.0.0.5:22067/?id=" + id, "relay://10.0.0.6:22067"}, "published_discovery": {}, "published_relays": {}}
	if got := show(); !reflect.DeepEqual(got, want) {
		t.Fatalf("servers: %v, want %v", got, want)
	}
	tests := [][]string{
		{"--relay", "https://10.0.0.5:22067/"},
		{"--discovery", "https://disco.example.cn/?id=WRONG"},
		{"--relay", "relay://10.0.0.5"},
	}
	for _, args := range tests {
		if _, _, rc := clitest.Run(t, append([]string{"config", "--db", db}, args...)...); rc != 2 {
			t.Errorf("config %v: exit %d, want 2 (usage)", args, rc)
		}
	}
	if got := show(); !reflect.DeepEqual(got, want) {
		t.Fatalf("a refused URL changed the servers: %v", got)
	}
	clitest.MustRun(t, "config", "--db", db, "--clear")
	if got := show(); len(got["discovery"]) != 0 || len(got["relays"]) != 0 {
		t.Fatalf("servers after --clear: %v", got)
	}
	if _, _, rc := clitest.Run(t, "config", "--db", db, "--publish"); rc != 2 {
		t.Errorf("a post's config --publish: exit %d, want 2 (usage)", rc)
	}

	// A station publishes its servers to its posts.
	stn := filepath.Join(t.TempDir(), "station.db")
	clitest.MustRun(t, "init", "--db", stn, "--role", "station", "--name", "城关派出所")
	clitest.MustRun(t, "config", "--db", stn, "--discovery", "https://10.1.0.2:8443/?id="+id, "--publish")
	var got map[string][]string
	if err := json.Unmarshal([]byte(clitest.MustRun(t, "config", "--db", stn, "--json")), &got); err != nil {
		t.Fatal(err)
	}
	if want := []string{"https://10.1.0.2:8443/?id=" + id}; !reflect.DeepEqual(got["published_discovery"], want) || !reflect.DeepEqual(got["discovery"], want) {
		t.Fatalf("station's config after --publish: %v", got)
	}
	if _, _, rc := clitest.Run(t, "config", "--db", stn, "--relay", "relay://nohost", "--publish"); rc != 2 {
		t.Errorf("config --publish with a bad relay: exit %d, want 2", rc)
	}
}
