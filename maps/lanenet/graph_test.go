package lanenet

import (
	"math"
	"strings"
	"testing"

	"cunjing/maps"
)

func TestBuildGraph(t *testing.T) {
	for _, tc := range []struct {
		name         string
		lanes        []maps.Lane
		nodes, edges int
		connected    bool
	}{
		{"crossing splits both lanes", []maps.Lane{
			{ID: "a", Width: 4, Points: []maps.Point{{X: 0, Y: 0}, {X: 100, Y: 0}}},
			{ID: "b", Width: 4, Points: []maps.Point{{X: 50, Y: -50}, {X: 50, Y: 50}}},
		}, 5, 4, true},
		{"T-junction on the centre line", []maps.Lane{
			{ID: "a", Width: 6, Points: []maps.Point{{X: 0, Y: 0}, {X: 100, Y: 0}}},
			{ID: "b", Width: 3, Points: []maps.Point{{X: 40, Y: 0}, {X: 40, Y: 60}}},
		}, 4, 3, true},
		{"end stopping at the other lane's edge joins it", []maps.Lane{
			{ID: "a", Width: 6, Points: []maps.Point{{X: 0, Y: 0}, {X: 100, Y: 0}}},
			{ID: "b", Width: 3, Points: []maps.Point{{X: 40, Y: 3.5}, {X: 40, Y: 60}}},
		}, 4, 3, true},
		{"end 10 m short stays apart", []maps.Lane{
			{ID: "a", Width: 6, Points: []maps.Point{{X: 0, Y: 0}, {X: 100, Y: 0}}},
			{ID: "b", Width: 3, Points: []maps.Point{{X: 40, Y: 10}, {X: 40, Y: 60}}},
		}, 4, 2, false},
		{"shared ends within snap tolerance", []maps.Lane{
			{ID: "a", Width: 4, Points: []maps.Point{{X: 0, Y: 0}, {X: 50, Y: 0}}},
			{ID: "b", Width: 4, Points: []maps.Point{{X: 50.4, Y: 0.3}, {X: 50, Y: 70}}},
		}, 3, 2, true},
		{"bent lane keeps its vertices as geometry", []maps.Lane{
			{ID: "a", Width: 4, Points: []maps.Point{{X: 0, Y: 0}, {X: 30, Y: 0}, {X: 30, Y: 30}, {X: 60, Y: 30}}},
		}, 2, 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := BuildGraph(tc.lanes)
			if err != nil {
				t.Fatal(err)
			}
			if len(g.Nodes) != tc.nodes || len(g.Edges) != tc.edges {
				t.Fatalf("%d nodes, %d edges; want %d, %d (%v)", len(g.Nodes), len(g.Edges), tc.nodes, tc.edges, g.Nodes)
			}
			var total float64
			for e := range g.Edges {
				total += maps.PolylineLength(g.EdgePoints(e))
				if math.Abs(maps.PolylineLength(g.EdgePoints(e))-g.Edges[e].Length) > 1e-6 {
					t.Errorf("edge %d: geometry %.2f m, length %.2f m", e, maps.PolylineLength(g.EdgePoints(e)), g.Edges[e].Length)
				}
			}
			var want float64
			for _, l := range tc.lanes {
				want += maps.PolylineLength(l.Points)
			}
			if math.Abs(total-want) > 1e-6 {
				t.Errorf("edges add up to %.2f m, lanes to %.2f m", total, want)
			}
			dist, _ := g.Distances(Spot{Edge: 0, S: g.Edges[0].S0, At: g.Nodes[g.Edges[0].A]}, 0)
			conn := true
			for _, d := range dist {
				conn = conn && !math.IsInf(d, 1)
			}
			if conn != tc.connected {
				t.Errorf("connected %v, want %v", conn, tc.connected)
			}
		})
	}
}

func TestBuildGraphRejects(t *testing.T) {
	for _, tc := range []struct {
		lane maps.Lane
		want string
	}{
		{maps.Lane{ID: "z", Width: 4, Points: []maps.Point{{X: 5, Y: 5}, {X: 5, Y: 5}}}, "lane"},
		{maps.Lane{ID: "one", Width: 4, Points: []maps.Point{{X: 5, Y: 5}}}, "lane"},
		{maps.Lane{ID: "w0", Width: 0, Points: []maps.Point{{X: 0, Y: 0}, {X: 9, Y: 0}}}, "width"},
		{maps.Lane{ID: "nan", Width: 4, Points: []maps.Point{{X: 0, Y: 0}, {X: math.NaN(), Y: 0}}}, "finite"},
		{maps.Lane{ID: "wide", Width: 400, Points: []maps.Point{{X: 0, Y: 0}, {X: 9, Y: 0}}}, "width"},
	} {
		_, err := BuildGraph([]maps.Lane{{ID: "ok", Width: 4, Points: []maps.Point{{X: 0, Y: 0}, {X: 1, Y: 1}}}, tc.lane})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.lane.ID) {
			t.Errorf("lane %s: error %v, want one naming the lane and %q", tc.lane.ID, err, tc.want)
		}
	}
}

func TestDistancesRespectWidth(t *testing.T) {
	g, err := BuildGraph([]maps.Lane{
		{ID: "wide", Width: 6, Points: []maps.Point{{X: 0, Y: 0}, {X: 100, Y: 0}}},
		{ID: "narrow", Width: 3, Points: []maps.Point{{X: 100, Y: 0}, {X: 200, Y: 0}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	start, _ := g.Nearest(maps.Point{X: 0, Y: 1}, 4)
	dist, _ := g.Distances(start, 4)
	far, _ := g.Nearest(maps.Point{X: 200, Y: 0}, 0)
	if !math.IsInf(dist[g.Edges[far.Edge].B], 1) {
		t.Errorf("a 4 m vehicle reached the end of a 3 m lane")
	}
	dist, _ = g.Distances(start, 0)
	if d := dist[g.Edges[far.Edge].B]; math.Abs(d-200) > 1e-6 {
		t.Errorf("on foot: %.1f m, want 200", d)
	}
}

func TestCrossingAtBend(t *testing.T) {
	// b crosses a exactly at a's bend: both must be split there.
	g, err := BuildGraph([]maps.Lane{
		{ID: "a", Width: 4, Points: []maps.Point{{X: 0, Y: 0}, {X: 50, Y: 0}, {X: 50, Y: 50}}},
		{ID: "b", Width: 4, Points: []maps.Point{{X: 20, Y: -30}, {X: 50, Y: 0}, {X: 80, Y: 30}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Nodes) != 5 || len(g.Edges) != 4 {
		t.Fatalf("%d nodes, %d edges; want 5, 4: %v", len(g.Nodes), len(g.Edges), g.Nodes)
	}
}

func TestRingLane(t *testing.T) {
	g, err := BuildGraph([]maps.Lane{{ID: "ring", Width: 5, Points: []maps.Point{{X: 0, Y: 0}, {X: 100, Y: 0}, {X: 100, Y: 100}, {X: 0, Y: 100}, {X: 0, Y: 0}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Edges) != 2 {
		t.Fatalf("ring road: %d edges, want 2", len(g.Edges))
	}
	if _, err := BuildGraph([]maps.Lane{{ID: "stub", Width: 5, Points: []maps.Point{{X: 0, Y: 0}, {X: 0.5, Y: 0}}}}); err == nil {
		t.Fatal("a 0.5 m lane was accepted")
	}
}
