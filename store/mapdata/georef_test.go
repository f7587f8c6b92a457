package mapdata

import (
	"context"
	"strings"
	"testing"

	"cunjing/maps"
	"cunjing/maps/geo"
	"cunjing/maps/synth"
	"cunjing/store"
	"cunjing/store/record"
)

func testGeoref(t *testing.T) geo.Georef {
	t.Helper()
	var pts []geo.ControlPoint
	for i, p := range []maps.Point{{X: 0, Y: 0}, {X: 400, Y: 20}, {X: 380, Y: 300}, {X: -10, Y: 280}} {
		f, _ := geo.NewFrame(114.3521, 34.8123)
		lon, lat := f.Inverse(p)
		cp, err := geo.NewControlPoint(string(rune('A'+i)), p, geo.WGS84, lon, lat)
		if err != nil {
			t.Fatal(err)
		}
		pts = append(pts, cp)
	}
	res, err := geo.Fit(pts, geo.FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return res.Georef
}

func TestGeorefSaveLoadAndTownship(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, store.RolePost, nil)
	a, b := &store.Village{Name: "张庄村"}, &store.Village{Name: "李庄村"}
	s.Save(ctx, a)
	s.Save(ctx, b)
	if g, err := Georef(ctx, s, a.ID); err != nil || g != nil {
		t.Fatalf("a new village has a georeference: %v %v", g, err)
	}
	g := testGeoref(t)
	if err := SaveGeoref(ctx, s, a.ID, g); err != nil {
		t.Fatal(err)
	}
	got, err := Georef(ctx, s, a.ID)
	if err != nil || got == nil || got.Method != geo.MethodAffine || len(got.Points) != 4 || got.Points[2].Name != "C" || got.Lon != g.Lon {
		t.Fatalf("loaded %+v %v", got, err)
	}
	tr, err := got.Transform()
	if err != nil {
		t.Fatal(err)
	}
	if lon, lat := tr.ToLonLat(maps.Point{}); geo.Distance(lon, lat, 114.3521, 34.8123) > 0.01 {
		t.Fatalf("the stored fit puts (0,0) at %.6f,%.6f", lon, lat)
	}
	// Saving it again changes nothing; a frame replaces it in the same record.
	before, _ := s.Counts(ctx, "")
	if err := SaveGeoref(ctx, s, a.ID, *got); err != nil {
		t.Fatal(err)
	}
	if after, _ := s.Counts(ctx, ""); after.Changes != before.Changes {
		t.Fatalf("unchanged georeference logged %d changes", after.Changes-before.Changes)
	}
	if err := SaveGeoref(ctx, s, b.ID, geo.FrameGeoref(114.36, 34.80)); err != nil {
		t.Fatal(err)
	}
	placed, err := GeoreferencedVillages(ctx, s)
	if err != nil || len(placed) != 2 || placed[0].Village.Name != "张庄村" || placed[1].Georef.Method != geo.MethodFrame {
		t.Fatalf("township: %+v %v", placed, err)
	}
	mv, _ := synth.Village(3, 12)
	if err := Save(ctx, s, a.ID, mv); err != nil {
		t.Fatal(err)
	}
	c := &store.Village{Name: "王庄村"}
	s.Save(ctx, c)
	tm, left, err := TownshipMap(ctx, s)
	if err != nil || len(tm) != 2 || len(tm[0].Village.Houses) != 12 || len(left) != 1 || !strings.Contains(left[0], "王庄村: not georeferenced") {
		t.Fatalf("township map: %d placed, left %v, %v", len(tm), left, err)
	}
	// Bad georeferences are refused and change nothing.
	for name, bad := range map[string]geo.Georef{
		"one point": {Lon: 114, Lat: 34, Method: geo.MethodSimilarity, Points: g.Points[:1]},
		"method":    {Lon: 114, Lat: 34, Method: "magic"},
		"origin":    {Lon: 414, Lat: 34, Method: geo.MethodFrame},
	} {
		if err := SaveGeoref(ctx, s, a.ID, bad); err == nil {
			t.Errorf("%s: saved", name)
		}
	}
	if again, _ := Georef(ctx, s, a.ID); again == nil || again.Method != geo.MethodAffine {
		t.Fatalf("a refused save changed the georeference: %+v", again)
	}
	if err := SaveGeoref(ctx, s, "no-such-village", g); err == nil || !strings.Contains(err.Error(), "village") {
		t.Errorf("georeference of a missing village: %v", err)
	}
	// Clearing leaves a tombstone; the village drops off the township map.
	if err := ClearGeoref(ctx, s, a.ID); err != nil {
		t.Fatal(err)
	}
	if g, _ := Georef(ctx, s, a.ID); g != nil {
		t.Fatal("cleared georeference still there")
	}
	if placed, _ := GeoreferencedVillages(ctx, s); len(placed) != 1 {
		t.Fatalf("after clearing: %d placed", len(placed))
	}
}

func TestGeorefSyncsToTheStation(t *testing.T) {
	ctx := context.Background()
	post := newTestStore(t, store.RolePost, nil)
	station := newTestStore(t, store.RoleStation, nil)
	v := &store.Village{Name: "张庄村"}
	post.Save(ctx, v)
	if err := SaveGeoref(ctx, post, v.ID, testGeoref(t)); err != nil {
		t.Fatal(err)
	}
	ch, _, err := post.ChangesAfter(ctx, 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := station.Apply(ctx, ch); err != nil {
		t.Fatal(err)
	}
	placed, err := GeoreferencedVillages(ctx, station)
	if err != nil || len(placed) != 1 || placed[0].Problem != "" || len(placed[0].Georef.Points) != 4 {
		t.Fatalf("station's township map: %+v %v", placed, err)
	}
	// The station corrects the post's georeference: the record stays the post's.
	if err := SaveGeoref(ctx, station, v.ID, geo.FrameGeoref(114.35, 34.81)); err != nil {
		t.Fatal(err)
	}
	var rec record.VillageGeoref
	if err := station.Get(ctx, &rec, georefID(v.ID)); err != nil || rec.Owner != post.DeviceID() {
		t.Fatalf("owner %q, want the post's %q (%v)", rec.Owner, post.DeviceID(), err)
	}
}
