package cli_test

import (
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"cunjing/app/cli/clitest"
)

func TestCLIEmergency(t *testing.T) {
	t.Parallel()
	db := clitest.DemoDB(t)
	pngPath := filepath.Join(t.TempDir(), "card.png")
	out := clitest.MustRun(t, "emergency", "--db", db, "--village", "张庄村", "203", "--png", pngPath, "--json")
	var card map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &card); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var keys []string
	for k := range card {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if !slices.Equal(keys, []string{"house", "on_duty", "people", "phones", "route", "text"}) {
		t.Errorf("keys %v", keys)
	}
	var house struct{ Number string }
	if err := json.Unmarshal(card["house"], &house); err != nil || house.Number != "203" {
		t.Errorf("house %s (%v)", card["house"], err)
	}
	f, err := os.Open(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil || img.Bounds().Dx() != 1080 {
		t.Errorf("PNG: %v, %v", img.Bounds(), err)
	}
	// The card was logged.
	if dump := clitest.MustRun(t, "dump", "--db", db); !strings.Contains(dump, "emergencies") || !strings.Contains(dump, `"203"`) {
		t.Error("the emergency is not in the log")
	}

	// A surname means many houses: the matches, exit 2, no card.
	out, errs, code := clitest.Run(t, "emergency", "--db", db, "--village", "张庄村", "王", "--json")
	var m struct {
		Matches []struct {
			Number string `json:"number"`
			Name   string `json:"name"`
		} `json:"matches"`
	}
	if code != 2 || json.Unmarshal([]byte(out), &m) != nil || len(m.Matches) < 2 || strings.Contains(out, `"route"`) {
		t.Errorf("several matches: exit %d, %s, stderr %s", code, out, errs)
	}
	for _, x := range m.Matches {
		if x.Number == "" || !strings.Contains(x.Name, "王") {
			t.Errorf("match %+v", x)
		}
	}
	if _, errs, code := clitest.Run(t, "emergency", "--db", db, "--village", "张庄村", "不存在的人"); code != 1 || !strings.Contains(errs, "no house") {
		t.Errorf("no match: exit %d %s", code, errs)
	}
	if _, _, code := clitest.Run(t, "emergency", "--db", db, "--village", "张庄村"); code != 2 {
		t.Errorf("no query: exit %d", code)
	}
}
