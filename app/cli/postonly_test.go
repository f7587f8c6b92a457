package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cunjing/app/cli/clitest"
	"cunjing/store"
	"cunjing/store/clock/clocktest"
)

// The commands that enter a post's own records — a household ledger, a
// village map, its georeference, a traced scan — refuse a station's
// database with a Chinese error naming the command, and change nothing:
// what they wrote there was the station's own record, sent in its
// broadcast to every post of the township (the window offers no 导入台账
// at a station and its map is read-only there).
func TestCLIPostCommandsRefuseAStation(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "station.db")
	clitest.MustRun(t, "init", "--db", db, "--role", "station", "--name", "城关派出所")
	s, err := store.Open(context.Background(), db, store.Options{SkipIntegrityCheck: true, Now: clocktest.Clock(t)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Save(context.Background(), &store.Village{Name: "张庄村"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	ledgerCSV := filepath.Join(dir, "台账.csv")
	gj := filepath.Join(dir, "地图.geojson")
	for f, body := range map[string]string{
		ledgerCSV: "户主姓名,门牌号,姓名,与户主关系\n王建国,203,王建国,户主\n",
		gj:        `{"type":"FeatureCollection","features":[]}`,
	} {
		if err := os.WriteFile(f, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sheet := filepath.Join("..", "..", "maps", "trace", "testdata", "sheet-1.jpg")
	before := clitest.MustRun(t, "dump", "--db", db)
	for _, c := range []struct {
		name string
		args []string
	}{
		{"import households", []string{"import", "households", "--db", db, "--village", "张庄村", ledgerCSV}},
		{"map import", []string{"map", "import", "--db", db, "--village", "张庄村", gj}},
		{"map georef", []string{"map", "georef", "--db", db, "--village", "张庄村", "--clear"}},
		{"map trace", []string{"map", "trace", "--db", db, "--village", "张庄村", sheet}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, errs, code := clitest.Run(t, c.args...)
			if code != 1 || !strings.Contains(errs, "cunjing "+c.name) || !strings.Contains(errs, "只用于警务室的数据库，这是派出所的数据库") {
				t.Errorf("exit %d, said %q; want it refused: for a post's database", code, errs)
			}
		})
	}
	if after := clitest.MustRun(t, "dump", "--db", db); after != before {
		t.Errorf("a refused command changed the station's database:\n%s\n---\n%s", before, after)
	}
}

// stationWithAHouse is a station and two posts paired with it, the first
// post's 东关村 with house 203 taken in by the station through a stick:
// the folder, the three databases, the first post's device ID, the stick.
func stationWithAHouse(t *testing.T) (dir, stn, east, west, eastID, stick string) {
	t.Helper()
	ctx := context.Background()
	dir = t.TempDir()
	stn, east, west = filepath.Join(dir, "station.db"), filepath.Join(dir, "east.db"), filepath.Join(dir, "west.db")
	clitest.MustRun(t, "init", "--db", stn, "--role", "station", "--name", "城关派出所")
	clitest.MustRun(t, "init", "--db", east, "--role", "post", "--name", "东关村警务室")
	clitest.MustRun(t, "init", "--db", west, "--role", "post", "--name", "西岭警务室")
	clitest.Pair(t, east, stn)
	clitest.Pair(t, west, stn)
	s, err := store.Open(ctx, east, store.Options{SkipIntegrityCheck: true, Now: clocktest.Clock(t)})
	if err != nil {
		t.Fatal(err)
	}
	v := &store.Village{Name: "东关村"}
	if err := s.Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, &store.House{VillageID: v.ID, Number: "203", Kind: "house",
		Geometry: `[{"X":0,"Y":0},{"X":10,"Y":0},{"X":10,"Y":8},{"X":0,"Y":8}]`}); err != nil {
		t.Fatal(err)
	}
	eastID = s.DeviceID()
	s.Close()
	stick = filepath.Join(dir, "stick")
	if err := os.Mkdir(stick, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, db := range []string{east, stn} {
		clitest.MustRun(t, "exchange", "--db", db, "--dir", stick)
	}
	return dir, stn, east, west, eastID, stick
}

// `cunjing print map` and `print plates --db station.db` of a post's
// village record the prints as that post's: through a USB stick they reach
// that post and not another of the township (before, they were the
// station's own records, a print record naming no village or post).
func TestCLIStationPrintsOfAPostsVillageAreThePosts(t *testing.T) {
	t.Parallel()
	dir, stn, east, west, eastID, stick := stationWithAHouse(t)
	clitest.MustRun(t, "print", "map", "--db", stn, "--village", "东关村", "--out", filepath.Join(dir, "map.pdf"))
	clitest.MustRun(t, "print", "plates", "--db", stn, "--village", "东关村", "--out", filepath.Join(dir, "plates.pdf"))
	for _, db := range []string{stn, east, west} {
		clitest.MustRun(t, "exchange", "--db", db, "--dir", stick)
	}
	for _, c := range []struct {
		db   string
		want int
	}{{stn, 2}, {east, 2}, {west, 0}} {
		got := 0
		for _, l := range strings.Split(clitest.MustRun(t, "dump", "--db", c.db, "--owner", eastID), "\n") {
			if strings.HasPrefix(l, "print_records\t") && strings.Contains(l, "\tkind\t") {
				got++
			}
		}
		if got != c.want {
			t.Errorf("%s holds %d of the station's prints of 东关村 as 东关村警务室's, want %d", filepath.Base(c.db), got, c.want)
		}
	}
	if d := clitest.MustRun(t, "dump", "--db", west); strings.Contains(d, "print_records\t") {
		t.Errorf("西岭警务室 holds a print record of 东关村:\n%s", d)
	}
}

// `cunjing emergency --db station.db` for a house of one post logs the
// card as that post's record: through a USB stick it reaches that post
// and not another of the township (before, it was the station's own, in
// its broadcast to every post: the house and what was typed, a name).
func TestCLIEmergencyAtTheStationIsThePosts(t *testing.T) {
	t.Parallel()
	_, stn, east, west, _, stick := stationWithAHouse(t)
	clitest.MustRun(t, "emergency", "--db", stn, "--village", "东关村", "203")
	for _, db := range []string{stn, east, west} {
		clitest.MustRun(t, "exchange", "--db", db, "--dir", stick)
	}
	for _, c := range []struct {
		db   string
		want bool
	}{{stn, true}, {east, true}, {west, false}} {
		if got := strings.Contains(clitest.MustRun(t, "dump", "--db", c.db), "emergencies\t"); got != c.want {
			t.Errorf("%s holds the station's card for 东关村 203: %v, want %v", filepath.Base(c.db), got, c.want)
		}
	}
}
