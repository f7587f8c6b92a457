package app

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLIStation: a station made with init, paired with the demo post both
// ways, receives it through an exchange folder and shows the post's month:
// households, patrols done against the roster's plan.
func TestCLIStation(t *testing.T) {
	post := demoDB(t)
	st := filepath.Join(t.TempDir(), "station.db")
	mustRun(t, "init", "--db", st, "--role", "station", "--name", "城关派出所")
	code := func(db string) string {
		var id struct{ Code string }
		if err := json.Unmarshal([]byte(mustRun(t, "id", "--db", db, "--json")), &id); err != nil {
			t.Fatal(err)
		}
		return id.Code
	}
	mustRun(t, "pair", "--db", st, code(post))
	mustRun(t, "pair", "--db", post, code(st))
	stick := t.TempDir()
	mustRun(t, "exchange", "--db", post, "--dir", stick)
	mustRun(t, "exchange", "--db", st, "--dir", stick)

	var v struct {
		Posts []struct {
			Name  string
			Stats struct{ Households int }
			Plan  struct {
				From, To              string
				Planned, Done, Missed int
				Rate                  float64
			} `json:"patrol_plan"`
		}
	}
	out := mustRun(t, "station", "--db", st, "--from", "2026-11-01", "--to", "2026-11-24", "--today", "2026-11-24", "--json")
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Posts) != 1 {
		t.Fatalf("posts: %s", out)
	}
	p := v.Posts[0]
	// The demo logs nearly every planned patrol of its last month.
	if p.Stats.Households == 0 || p.Plan.Planned == 0 || p.Plan.Done == 0 || p.Plan.Done > p.Plan.Planned ||
		p.Plan.Missed != p.Plan.Planned-p.Plan.Done || p.Plan.Rate < 0.5 || p.Plan.To != "2026-11-24" {
		t.Fatalf("station view of the demo post: %+v", p)
	}
	text := mustRun(t, "station", "--db", st, "--from", "2026-11-01", "--to", "2026-11-24", "--today", "2026-11-24")
	if !strings.Contains(text, "planned done") || !strings.Contains(text, "township: 1 post(s)") {
		t.Fatalf("text:\n%s", text)
	}
	if _, _, code := run(t, "station", "--db", post); code == 0 {
		t.Fatal("a post showed a station view")
	}
	if _, _, code := run(t, "station", "--db", st, "--today", "24.11.2026"); code != 2 {
		t.Fatal("a bad --today was not a usage error")
	}
}
