package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"cunjing/app/cli/clitest"
)

// TestCLICounty: a county made with `init --role county` pairs with a
// station (not with a post); on a USB stick the post's holiday reaches
// the county under its station, and the county's reaches the post.
func TestCLICounty(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	county := filepath.Join(dir, "county.db")
	stn := filepath.Join(dir, "station.db")
	post := filepath.Join(dir, "post.db")
	clitest.MustRun(t, "init", "--db", county, "--role", "county", "--name", "城关县公安局")
	clitest.MustRun(t, "init", "--db", stn, "--role", "station", "--name", "城关派出所")
	clitest.MustRun(t, "init", "--db", post, "--role", "post", "--name", "东关村警务室")
	if _, errs, c := clitest.Run(t, "pair", "--db", county, clitest.Code(t, post)); c == 0 || !strings.Contains(errs, "county pairs with station") {
		t.Fatalf("county paired a post: exit %d: %s", c, errs)
	}
	clitest.Pair(t, county, stn)
	clitest.Pair(t, stn, post)

	clitest.MustRun(t, "holidays", "add", "--db", post, "--name", "庙会", "--kind", "public", "--from", "2027-03-01", "--today", "2026-11-24")
	clitest.MustRun(t, "holidays", "add", "--db", county, "--name", "寒假", "--kind", "school", "--from", "2027-01-23", "--to", "2027-02-21",
		"--source", "县教育局校历", "--confirmed", "--today", "2026-11-24")
	stick := filepath.Join(dir, "usb")
	if err := os.Mkdir(stick, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, db := range []string{post, stn, county, stn, post} {
		clitest.MustRun(t, "exchange", "--db", db, "--dir", stick)
	}
	var c struct {
		Stations []struct {
			Name     string `json:"name"`
			Township struct {
				Posts []struct {
					Name string `json:"name"`
				} `json:"posts"`
			} `json:"township"`
		} `json:"stations"`
	}
	if err := json.Unmarshal([]byte(clitest.MustRun(t, "county", "--db", county, "--json")), &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Stations) != 1 || c.Stations[0].Name == "" || len(c.Stations[0].Township.Posts) != 1 || c.Stations[0].Township.Posts[0].Name != "东关村警务室" {
		t.Fatalf("county overview: %+v", c)
	}
	// The text is Chinese, in the window's words (stationwords).
	text := clitest.MustRun(t, "county", "--db", county)
	for _, want := range []string{"城关派出所：房屋 0 处，住户 0 户，居民 0 人；巡逻：没有排班的巡逻", "  东关村警务室：住户 0 户，居民 0 人；", "全县（1 个派出所，1 个警务室）："} {
		if !strings.Contains(text, want) {
			t.Errorf("county text lacks %q:\n%s", want, text)
		}
	}
	if latin := regexp.MustCompile(`[A-Za-z]+`).FindAllString(text, -1); len(latin) > 0 {
		t.Errorf("county text has Latin words %q:\n%s", latin, text)
	}
	if out := clitest.MustRun(t, "holidays", "list", "--db", post, "--year", "2027"); !strings.Contains(out, "寒假") {
		t.Fatalf("the county's holiday did not reach the post:\n%s", out)
	}
	if out := clitest.MustRun(t, "dump", "--db", county); !strings.Contains(out, "庙会") {
		t.Fatal("the post's holiday did not reach the county")
	}
}
