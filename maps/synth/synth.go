package synth

import (
	"fmt"
	"math"
	"math/rand/v2"

	"cunjing/maps"
	"cunjing/maps/lanenet"
	"cunjing/maps/numbering"

	"github.com/google/uuid"
)

// Layout constants of the synthetic village (metres).
const (
	synBandHeight  = 100.0 // street to street
	synColSpacing  = 43.0  // lane to lane in the newer part
	synOldSpacing  = 40.0  // lane to lane in the old quarter
	synMainWidth   = 7.0
	synMaxHouses   = 20000
	synHousesLane  = 13 // houses per lane the layout aims for
	synStreetEdgeG = 2.0
)

// synth carries the generator state.
type synth struct {
	rng     *rand.Rand
	seed    int64
	v       *maps.Village
	want    int
	clans   []string // the village's dominant surnames
	counter map[string]int
}

func (s *synth) id(kind string) string {
	s.counter[kind]++
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte(fmt.Sprintf("cunjing:synth:%d:%s:%d", s.seed, kind, s.counter[kind]))).String()
}

func (s *synth) between(a, b float64) float64 { return a + s.rng.Float64()*(b-a) }

// Village builds a deterministic, realistic village of the given number
// of houses in local metres: a main road (主街) through the village from
// the east entrance, numbered lanes (1号巷 …) of 2–6 m branching north
// and south, back streets for larger villages, an old quarter in the west
// reached only by lanes narrower than 4 m (so a fire engine must stop and
// lay hose there), ponds, wells, hydrants, the village committee, a school,
// shops and a clinic. Houses carry householder names, phones, warning
// colours and categories, and are numbered by the package scheme. The same
// seed and count always give the same village.
func Village(seed int64, houses int) (*maps.Village, error) {
	if houses < 1 || houses > synMaxHouses {
		return nil, fmt.Errorf("synthesize: %d houses: want 1 to %d", houses, synMaxHouses)
	}
	s := &synth{
		rng:     rand.New(rand.NewPCG(uint64(seed), 0x636a756e6a696e67)),
		seed:    seed,
		want:    houses,
		counter: map[string]int{},
	}
	s.v = &maps.Village{Name: villageNames[s.rng.IntN(len(villageNames))]}
	s.clans = []string{commonSurnames[s.rng.IntN(10)], commonSurnames[10+s.rng.IntN(30)]}
	if err := s.layout(); err != nil {
		return nil, fmt.Errorf("synthesize: %w", err)
	}
	if _, err := numbering.Auto(s.v, numbering.Options{Mode: numbering.Renumber}); err != nil {
		return nil, fmt.Errorf("synthesize: number houses: %w", err)
	}
	return s.v, nil
}

var villageNames = []string{"东王庄", "李家洼", "张楼村", "前刘庄", "后陈村", "杨集村", "赵屯", "小吴庄"}

func (s *synth) layout() error {
	lanes := int(math.Ceil(float64(s.want) / synHousesLane))
	bands := int(math.Round(math.Sqrt(0.22 * float64(lanes))))
	if bands < 2 {
		bands = 2
	}
	north, south := (bands+1)/2, bands/2
	cols := int(math.Ceil(float64(lanes) / float64(bands)))
	old := cols / 6
	if old < 1 {
		old = 1
	}
	if s.want < 30 {
		old = 0
	}

	var laneList []maps.Lane
	var colX []float64
	var colIdx [][]int // indices into laneList per column
	x := 0.0
	made := 0
	laneNo := 0
	nextLaneName := func() string { laneNo++; return fmt.Sprintf("%d号巷", laneNo) }
	// Columns run west to east; the old quarter is the western part.
	for c := 0; made < s.want; c++ {
		if c > 0 {
			if c <= old {
				x += synOldSpacing
			} else {
				x += synColSpacing
			}
		}
		colX = append(colX, x)
		colIdx = append(colIdx, nil)
		isOld := c < old
		for _, dir := range []float64{1, -1} {
			nb := north
			if dir < 0 {
				nb = south
			}
			if isOld {
				// One long narrow lane from the main road to the fields.
				w := math.Round(s.between(2.0, 3.4)*10) / 10
				end := float64(nb)*synBandHeight - 12
				l := maps.Lane{ID: s.id("lane"), Width: w, Points: []maps.Point{{X: x, Y: 0}, {X: x + s.between(-1.5, 1.5), Y: dir * end / 2}, {X: x, Y: dir * end}}}
				colIdx[c] = append(colIdx[c], len(laneList))
				laneList = append(laneList, l)
				s.housesAlong(l, synMainWidth/2, end, dir, &made)
				continue
			}
			for b := 0; b < nb && made < s.want; b++ {
				y0 := float64(b) * synBandHeight
				y1 := y0 + synBandHeight
				w := s.laneWidth()
				far := y1
				if s.rng.Float64() < 0.2 {
					far = y1 - 25 // dead end before the next street
				}
				l := maps.Lane{ID: s.id("lane"), Width: w, Points: []maps.Point{{X: x, Y: dir*y0 + 0}, {X: x, Y: dir * far}}}
				colIdx[c] = append(colIdx[c], len(laneList))
				laneList = append(laneList, l)
				startEdge := synMainWidth / 2
				if b > 0 {
					startEdge = 3.5
				}
				s.housesAlong(l, y0+startEdge, far-4, dir, &made)
			}
		}
	}
	xmax := colX[len(colX)-1]
	xOldEdge := -25.0
	if old > 0 && old < len(colX) {
		xOldEdge = colX[old] - 16
	}
	// Name lanes from the east (the entrance) westwards, north before
	// south within a column, the order in which they are walked.
	for c := len(colIdx) - 1; c >= 0; c-- {
		for _, i := range colIdx[c] {
			laneList[i].Name = nextLaneName()
		}
	}
	main := maps.Lane{ID: s.id("lane"), Name: "主街", Width: synMainWidth,
		Points: []maps.Point{{X: -60, Y: 0}, {X: xmax + 45, Y: 0}, {X: xmax + 85, Y: -12}}}
	lanesOut := []maps.Lane{main}
	// Back streets between bands, and the field roads at the edge.
	for _, dir := range []float64{1, -1} {
		nb, side := north, "北"
		if dir < 0 {
			nb, side = south, "南"
		}
		for k := 1; k <= nb; k++ {
			y := dir * float64(k) * synBandHeight
			name := fmt.Sprintf("%s%s街", side, chineseOrdinal(k))
			w := math.Round(s.between(4.5, 5.5)*10) / 10
			if k == nb {
				name = side + "后街"
				w = math.Round(s.between(3.6, 4.6)*10) / 10
			}
			lanesOut = append(lanesOut, maps.Lane{ID: s.id("lane"), Name: name, Width: w, Points: []maps.Point{{X: xOldEdge, Y: y}, {X: xmax + 25, Y: y}}})
		}
		if nb > 1 {
			// A wide link along the east edge joins the back streets to the
			// main road, as the village grew along it.
			lanesOut = append(lanesOut, maps.Lane{ID: s.id("lane"), Name: side + "环路", Width: 5.5,
				Points: []maps.Point{{X: xmax + 25, Y: 0}, {X: xmax + 25, Y: dir * float64(nb) * synBandHeight}}})
		}
	}
	if old > 1 {
		// The old quarter's back lane joins the far ends of its lanes.
		end := float64(north)*synBandHeight - 12
		lanesOut = append(lanesOut, maps.Lane{ID: s.id("lane"), Name: "西后巷", Width: 2.4,
			Points: []maps.Point{{X: colX[0], Y: end}, {X: colX[old-1], Y: end}}})
	}
	s.v.Lanes = append(lanesOut, laneList...)
	if err := s.dropUnreachable(); err != nil {
		return err
	}
	s.landmarks(colX, old, xmax, north)
	return nil
}

// dropUnreachable removes streets no lane leads to (a tiny village has no
// use for a back street nobody can walk to).
func (s *synth) dropUnreachable() error {
	g, err := lanenet.BuildGraph(s.v.Lanes)
	if err != nil {
		return fmt.Errorf("lane network: %w", err)
	}
	spot, ok := g.Nearest(s.v.Lanes[0].Points[0], 0)
	if !ok {
		return fmt.Errorf("lane network has no lane")
	}
	dist, _ := g.Distances(spot, 0)
	keep := s.v.Lanes[:0]
	for i, l := range s.v.Lanes {
		reach := false
		for _, e := range g.LaneEdges[i] {
			if !math.IsInf(dist[g.Edges[e].A], 1) {
				reach = true
			}
		}
		if reach {
			keep = append(keep, l)
		}
	}
	s.v.Lanes = keep
	return nil
}

func chineseOrdinal(k int) string {
	d := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
	if k <= 10 {
		return d[k]
	}
	if k < 20 {
		return "十" + d[k-10]
	}
	return fmt.Sprint(k)
}

// laneWidth draws a lane width: most village lanes are 3–5 m.
func (s *synth) laneWidth() float64 {
	r := s.rng.Float64()
	var w float64
	switch {
	case r < 0.25:
		w = s.between(2.0, 3.8)
	case r < 0.85:
		w = s.between(4.0, 5.0)
	default:
		w = s.between(5.0, 6.0)
	}
	return math.Round(w*10) / 10
}

// housesAlong places homesteads on both sides of a straight-ish lane
// running from the main road outward (dir is +1 north, -1 south), from
// distance a to b from the road centre, counting them in *made.
func (s *synth) housesAlong(l maps.Lane, a, b, dir float64, made *int) {
	half := l.Width / 2
	for _, side := range []float64{-1, 1} { // west, then east
		y := a + s.between(1.5, 4)
		for *made < s.want {
			f := s.between(9, 13.5)
			if y+f > b {
				break
			}
			if s.rng.Float64() < 0.07 { // an empty plot
				y += f + s.between(0.5, 2)
				continue
			}
			d := s.between(11, 16.5)
			set := s.between(0.4, 1.5)
			lx := pointAtY(l.Points, dir*(y+f/2))
			x0 := lx + side*(half+set)
			x1 := x0 + side*d
			y0, y1 := dir*y, dir*(y+f)
			poly := maps.Polygon{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
			if s.rng.Float64() < 0.25 {
				// L-shaped homestead: the front corner is open ground.
				nx := x0 + side*d*0.35
				ny := y0 + dir*f*0.4
				poly = maps.Polygon{{X: nx, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}, {X: x0, Y: ny}, {X: nx, Y: ny}}
			}
			if poly.Area() < 0 {
				for i, j := 0, len(poly)-1; i < j; i, j = i+1, j-1 {
					poly[i], poly[j] = poly[j], poly[i]
				}
			}
			s.v.Houses = append(s.v.Houses, s.house(poly))
			*made++
			y += f + s.between(0, 1.5)
		}
	}
}

// pointAtY returns the x of a polyline at height y (the polyline must be
// monotone in y); used to follow slightly bent synthetic lanes.
func pointAtY(pts []maps.Point, y float64) float64 {
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		if (y-a.Y)*(y-b.Y) <= 0 && a.Y != b.Y {
			return a.X + (b.X-a.X)*(y-a.Y)/(b.Y-a.Y)
		}
	}
	return pts[len(pts)-1].X
}

func (s *synth) house(poly maps.Polygon) maps.House {
	h := maps.House{ID: s.id("house"), Polygon: poly}
	sur := commonSurnames[s.rng.IntN(len(commonSurnames))]
	if r := s.rng.Float64(); r < 0.45 {
		sur = s.clans[0]
	} else if r < 0.65 {
		sur = s.clans[1]
	}
	given := givenChars[s.rng.IntN(len(givenChars))]
	if s.rng.Float64() < 0.7 {
		given += givenChars[s.rng.IntN(len(givenChars))]
	}
	h.Name = sur + given
	if s.rng.Float64() < 0.9 {
		h.Phone = fmt.Sprintf("1%d%d%08d", []int{3, 5, 7, 8, 9}[s.rng.IntN(5)], s.rng.IntN(10), s.rng.IntN(100000000))
	}
	switch r := s.rng.Float64(); {
	case r < 0.06:
		h.Warning = maps.WarningRed
	case r < 0.20:
		h.Warning = maps.WarningOrange
	default:
		h.Warning = maps.WarningGreen
	}
	for _, c := range []struct {
		cat maps.Category
		p   float64
	}{{maps.CatParty, 0.06}, {maps.CatGrid, 0.02}, {maps.CatWubao, 0.02}, {maps.CatKey, 0.03}, {maps.CatElderly, 0.12}, {maps.CatChildren, 0.08}, {maps.CatRental, 0.05}, {maps.CatEmpty, 0.04}} {
		if s.rng.Float64() < c.p {
			h.Categories = append(h.Categories, c.cat)
		}
	}
	return h
}

func (s *synth) landmark(kind maps.LandmarkKind, name string, p maps.Point) {
	s.v.Landmarks = append(s.v.Landmarks, maps.Landmark{ID: s.id("landmark"), Kind: kind, Name: name, Point: p})
}

// landmarkApart is how far apart the main street's buildings stand: a
// shop drawn on the village committee's spot hid its symbol on every map.
const landmarkApart = 4.0

// free is p, or the nearest spot along the main street's side strip
// (the other side first, then on in steps of landmarkApart) that no
// landmark already stands within landmarkApart of. It draws nothing from
// the random source, so a village with no clash is laid out as before.
func (s *synth) free(p maps.Point) maps.Point {
	taken := func(q maps.Point) bool {
		for _, l := range s.v.Landmarks {
			if math.Hypot(l.Point.X-q.X, l.Point.Y-q.Y) < landmarkApart-1e-9 {
				return true
			}
		}
		return false
	}
	for k := 0; ; k++ {
		for _, y := range []float64{p.Y, -p.Y} {
			q := maps.Point{X: p.X + float64(k)*landmarkApart, Y: y}
			if !taken(q) {
				return q
			}
		}
	}
}

// landmarks places the entrances, water sources and public buildings.
func (s *synth) landmarks(colX []float64, old int, xmax float64, north int) {
	edge := synMainWidth/2 + 1.2
	between := func(c int) float64 { // x between column c and c+1
		if c+1 < len(colX) {
			return (colX[c] + colX[c+1]) / 2
		}
		return colX[c] + 21
	}
	s.landmark(maps.KindEntrance, "村东口", maps.Point{X: xmax + 85, Y: -12})
	if s.want > 150 || s.rng.Float64() < 0.5 {
		s.landmark(maps.KindEntrance, "村西口", maps.Point{X: -60, Y: 0})
	}
	s.landmark(maps.KindPond, "东坑塘", maps.Point{X: xmax + 48, Y: -30})
	if old > 0 {
		s.landmark(maps.KindPond, "西坑塘", maps.Point{X: colX[0] - 30, Y: float64(north) * synBandHeight * 0.5})
	}
	mid := len(colX) / 2
	s.landmark(maps.KindCommittee, "村委会", maps.Point{X: between(mid), Y: edge})
	s.landmark(maps.KindHydrant, "1号消火栓", maps.Point{X: between(mid) + 6, Y: -edge})
	for k := 2; k <= 1+s.want/600; k++ {
		c := (k * len(colX)) / (2 + s.want/600)
		s.landmark(maps.KindHydrant, fmt.Sprintf("%d号消火栓", k), maps.Point{X: between(c), Y: -edge})
	}
	s.landmark(maps.KindSchool, "村小学", maps.Point{X: between(len(colX) - 1), Y: -edge - 8})
	wells := 3 + s.want/150
	for k := 1; k <= wells; k++ {
		// Wells stand at lane sides, spread over the village.
		var l maps.Lane
		for tries := 0; tries < 10; tries++ {
			l = s.v.Lanes[s.rng.IntN(len(s.v.Lanes))]
			if l.Name != "主街" {
				break
			}
		}
		p := lanenet.PointAt(l.Points, s.between(0.2, 0.8)*maps.PolylineLength(l.Points))
		p.X += l.Width/2 + 0.6
		name := fmt.Sprintf("%s水井", l.Name)
		if k == 1 && old > 0 {
			// The old quarter always has its own well.
			p = maps.Point{X: colX[0] + 2, Y: float64(north)*synBandHeight*0.4 + 0.5}
			name = "老井"
		}
		s.landmark(maps.KindWell, name, p)
	}
	shops := 2 + s.want/150
	for k := 0; k < shops; k++ {
		c := s.rng.IntN(len(colX))
		side := 1.0
		if s.rng.Float64() < 0.5 {
			side = -1
		}
		s.landmark(maps.KindShop, shopNames[k%len(shopNames)], s.free(maps.Point{X: between(c), Y: side * edge}))
	}
	for k := 0; k < 1+s.want/1000; k++ {
		s.landmark(maps.KindClinic, "卫生室", s.free(maps.Point{X: between(s.rng.IntN(len(colX))) + 4, Y: edge}))
	}
	s.landmark(maps.KindParcel, "快递点", s.free(maps.Point{X: between(mid) - 8, Y: -edge}))
	s.v.Labels = append(s.v.Labels, maps.Label{ID: s.id("label"), Text: "往镇上", Point: maps.Point{X: xmax + 95, Y: -20}, Size: 6})
}

var shopNames = []string{"便民超市", "小卖部", "农资店", "理发店", "饭店", "五金店", "修车铺"}
