package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cunjing/app/cli/clitest"
)

// The user guide quotes two route sentences from the demo post; they must
// be what `cunjing route` really prints (the guide once promised a hose
// distance and water the program did not give).
func TestGuideRouteExamplesAreRealOutput(t *testing.T) {
	t.Parallel()
	guide, err := os.ReadFile(filepath.Join("..", "..", "docs", "guide.md"))
	if err != nil {
		t.Fatal(err)
	}
	var quoted []string
	for _, l := range strings.Split(string(guide), "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "> ") && strings.Contains(l, "水带距离") {
			quoted = append(quoted, strings.TrimPrefix(l, "> "))
		}
	}
	if len(quoted) != 2 {
		t.Fatalf("the guide quotes %d route sentences, want 2 (reachable and unreachable)", len(quoted))
	}
	db := filepath.Join(t.TempDir(), "demo.db")
	clitest.MustRun(t, "demo", "--db", db, "--today", "2026-11-24") // the default seed, as the guide's commands
	for i, args := range [][]string{{"--to", "203"}, {"--to", "15", "--width", "7.5"}} {
		got := strings.TrimSpace(clitest.MustRun(t, append([]string{"route", "--db", db, "--village", "张庄村"}, args...)...))
		if got != quoted[i] {
			t.Errorf("cunjing route %s prints\n  %s\nthe guide says\n  %s", strings.Join(args, " "), got, quoted[i])
		}
		if !strings.Contains(string(guide), "cunjing route --db 演示.db --village 张庄村 "+strings.Join(args, " ")) {
			t.Errorf("the guide does not show the command for %v", args)
		}
	}
}
