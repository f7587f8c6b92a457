package maps

import (
	"math"
	"strings"
	"testing"
)

func TestBuildGraph(t *testing.T) {
	for _, tc := range []struct {
		name         string
		lanes        []Lane
		nodes, edges int
		connected    bool
	}{
		{"crossing splits both lanes", []Lane{
			{ID: "a", Width: 4, Points: []Point{{0, 0}, {100, 0}}},
			{ID: "b", Width: 4, Points: []Point{{50, -50}, {50, 50}}},
		}, 5, 4, true},
		{"T-junction on the centre line", []Lane{
			{ID: "a", Width: 6, Points: []Point{{0, 0}, {100, 0}}},
			{ID: "b", Width: 3, Points: []Point{{40, 0}, {40, 60}}},
		}, 4, 3, true},
		{"end stopping at the other lane's edge joins it", []Lane{
			{ID: "a", Width: 6, Points: []Point{{0, 0}, {100, 0}}},
			{ID: "b", Width: 3, Points: []Point{{40, 3.5}, {40, 60}}},
		}, 4, 3, true},
		{"end 10 m short stays apart", []Lane{
			{ID: "a", Width: 6, Points: []Point{{0, 0}, {100, 0}}},
			{ID: "b", Width: 3, Points: []Point{{40, 10}, {40, 60}}},
		}, 4, 2, false},
		{"shared ends within snap tolerance", []Lane{
			{ID: "a", Width: 4, Points: []Point{{0, 0}, {50, 0}}},
			{ID: "b", Width: 4, Points: []Point{{50.4, 0.3}, {50, 70}}},
		}, 3, 2, true},
		{"bent lane keeps its vertices as geometry", []Lane{
			{ID: "a", Width: 4, Points: []Point{{0, 0}, {30, 0}, {30, 30}, {60, 30}}},
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
				total += PolylineLength(g.EdgePoints(e))
				if math.Abs(PolylineLength(g.EdgePoints(e))-g.Edges[e].Length) > 1e-6 {
					t.Errorf("edge %d: geometry %.2f m, length %.2f m", e, PolylineLength(g.EdgePoints(e)), g.Edges[e].Length)
				}
			}
			var want float64
			for _, l := range tc.lanes {
				want += PolylineLength(l.Points)
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
		lane Lane
		want string
	}{
		{Lane{ID: "z", Width: 4, Points: []Point{{5, 5}, {5, 5}}}, "lane"},
		{Lane{ID: "one", Width: 4, Points: []Point{{5, 5}}}, "lane"},
		{Lane{ID: "w0", Width: 0, Points: []Point{{0, 0}, {9, 0}}}, "width"},
		{Lane{ID: "nan", Width: 4, Points: []Point{{0, 0}, {math.NaN(), 0}}}, "finite"},
		{Lane{ID: "wide", Width: 400, Points: []Point{{0, 0}, {9, 0}}}, "width"},
	} {
		_, err := BuildGraph([]Lane{{ID: "ok", Width: 4, Points: []Point{{0, 0}, {1, 1}}}, tc.lane})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.lane.ID) {
			t.Errorf("lane %s: error %v, want one naming the lane and %q", tc.lane.ID, err, tc.want)
		}
	}
}

func TestDistancesRespectWidth(t *testing.T) {
	g, err := BuildGraph([]Lane{
		{ID: "wide", Width: 6, Points: []Point{{0, 0}, {100, 0}}},
		{ID: "narrow", Width: 3, Points: []Point{{100, 0}, {200, 0}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	start, _ := g.Nearest(Point{0, 1}, 4)
	dist, _ := g.Distances(start, 4)
	far, _ := g.Nearest(Point{200, 0}, 0)
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
	g, err := BuildGraph([]Lane{
		{ID: "a", Width: 4, Points: []Point{{0, 0}, {50, 0}, {50, 50}}},
		{ID: "b", Width: 4, Points: []Point{{20, -30}, {50, 0}, {80, 30}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Nodes) != 5 || len(g.Edges) != 4 {
		t.Fatalf("%d nodes, %d edges; want 5, 4: %v", len(g.Nodes), len(g.Edges), g.Nodes)
	}
}

func TestRingLane(t *testing.T) {
	g, err := BuildGraph([]Lane{{ID: "ring", Width: 5, Points: []Point{{0, 0}, {100, 0}, {100, 100}, {0, 100}, {0, 0}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Edges) != 2 {
		t.Fatalf("ring road: %d edges, want 2", len(g.Edges))
	}
	if _, err := BuildGraph([]Lane{{ID: "stub", Width: 5, Points: []Point{{0, 0}, {0.5, 0}}}}); err == nil {
		t.Fatal("a 0.5 m lane was accepted")
	}
}
