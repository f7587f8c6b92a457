package cli_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"cunjing/app/cli/clitest"
)

// cunjing station speaks to station clerks, who read Chinese: its text
// says each figure in the window's words (stationwords: the same
// function words the window's line), with the figures --json gives, and
// --json keeps its keys.
func TestCLIStationSpeaksChinese(t *testing.T) {
	t.Parallel()
	_, st := stationWithDemoPost(t)
	args := []string{"station", "--db", st, "--from", "2026-11-01", "--to", "2026-11-24", "--today", "2026-11-24"}

	raw := clitest.MustRun(t, append(args, "--json")...)
	var keys map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &keys); err != nil {
		t.Fatal(err)
	}
	var top []string
	for k := range keys {
		top = append(top, k)
	}
	sort.Strings(top)
	if got, want := strings.Join(top, " "), "posts stale_posts total total_patrol_plan"; got != want {
		t.Errorf("--json keys %q, want %q", got, want)
	}
	var v struct {
		Posts []struct {
			Name  string `json:"name"`
			Stats struct {
				Houses, Households, Residents int
				ByWarning                     map[string]int `json:"households_by_warning"`
			} `json:"stats"`
			Plan struct {
				Planned, Done int
				AdHoc         int `json:"ad_hoc"`
				Rate          float64
			} `json:"patrol_plan"`
		} `json:"posts"`
	}
	if err := json.Unmarshal([]byte(raw), &v); err != nil || len(v.Posts) != 1 {
		t.Fatalf("--json: %v\n%s", err, raw)
	}
	p := v.Posts[0]
	adHoc := "" // patrols with no roster behind them, said only when there are some
	if p.Plan.AdHoc > 0 {
		adHoc = fmt.Sprintf("，另有临时巡逻 %d 次", p.Plan.AdHoc)
	}
	text := clitest.MustRun(t, args...)
	for _, want := range []string{
		fmt.Sprintf("%s：房屋 %d 处，住户 %d 户，居民 %d 人", p.Name, p.Stats.Houses, p.Stats.Households, p.Stats.Residents),
		fmt.Sprintf("按颜色：红色 %d，橙色 %d，绿色 %d", p.Stats.ByWarning["红"], p.Stats.ByWarning["橙"], p.Stats.ByWarning["绿"]),
		"巡逻按 2026-11-01 到 2026-11-24 统计",
		fmt.Sprintf("巡逻：完成 %d / 计划 %d（%d%%）%s\n", p.Plan.Done, p.Plan.Planned, int(p.Plan.Rate*100+0.5), adHoc),
		"全镇（1 个警务室）：",
		"已印警示牌 0",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	// Beyond names, dates and figures nothing is in Latin letters.
	if latin := regexp.MustCompile(`[A-Za-z]+`).FindAllString(text, -1); len(latin) > 0 {
		t.Errorf("text has Latin words %q:\n%s", latin, text)
	}
}

// TestCLIStationSaysNothingArrivedNotZeros: a paired post nothing has
// arrived from is said so by `cunjing station`, as the window says it
// (sync/station's PostView.NothingArrived), not as 房屋 0 处 and 没有排班
// (which it used to print: things the station does not know).
func TestCLIStationSaysNothingArrivedNotZeros(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	post, st := filepath.Join(dir, "post.db"), filepath.Join(dir, "station.db")
	clitest.MustRun(t, "init", "--db", post, "--role", "post", "--name", "刘寨村警务室")
	clitest.MustRun(t, "init", "--db", st, "--role", "station", "--name", "城关派出所")
	clitest.Pair(t, st, post)
	text := clitest.MustRun(t, "station", "--db", st, "--from", "2026-11-01", "--to", "2026-11-24", "--today", "2026-11-24")
	if !strings.Contains(text, "刘寨村警务室：还没有收到它的任何数据") {
		t.Errorf("station does not say nothing of the post arrived:\n%s", text)
	}
	if strings.Contains(text, "刘寨村警务室：房屋 0 处") || strings.Contains(text, "按颜色：红色 0") {
		t.Errorf("station says zeros of a post it knows nothing of:\n%s", text)
	}
}
