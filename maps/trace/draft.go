package trace

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"cunjing/maps"
)

// Draft is a proposal as it is printed (`cunjing map trace --json`) and
// kept for review (the village's trace draft): pixel positions in the
// input image, the scale when known. Its JSON keys are the command's.
type Draft struct {
	PxPerM    float64         `json:"px_per_m"`
	Width     int             `json:"width_px,omitempty"`
	Height    int             `json:"height_px,omitempty"`
	Houses    []DraftHouse    `json:"houses"`
	Lanes     []DraftLane     `json:"lanes"`
	Landmarks []DraftLandmark `json:"landmarks"`
	Unread    int             `json:"unread"`
}

// DraftHouse is a proposed house.
type DraftHouse struct {
	Number    string       `json:"number"` // "" while unread
	Px        [2]float64   `json:"px"`
	OutlinePx [][2]float64 `json:"outline_px"`
	// Confidence is the outline's, times the number's when one was read.
	Confidence float64 `json:"confidence"`
	// Doubtful: the number read breaks its neighbours' sequence.
	Doubtful bool `json:"doubtful,omitempty"`
}

// DraftLane is a proposed lane: its centreline and width in metres (0
// while the scale is unknown) and in pixels.
type DraftLane struct {
	Px      [][2]float64 `json:"px"`
	WidthM  float64      `json:"width_m"`
	WidthPx float64      `json:"width_px,omitempty"`
}

// DraftLandmark is a proposed map sign ("pond", "well").
type DraftLandmark struct {
	Kind string     `json:"kind"`
	Px   [2]float64 `json:"px"`
}

// Limits of a draft read back (ParseDraft): more than any sheet holds.
const (
	maxDraftFeatures = 50_000
	maxDraftVertices = 256
)

// NewDraft is the draft of a proposal, at the scale it was made at (given,
// or the scale bar's; 0 when unknown).
func NewDraft(p *Proposal) *Draft {
	d := &Draft{PxPerM: math.Round(p.PxPerM*1000) / 1000, Width: p.Width, Height: p.Height, Houses: []DraftHouse{}, Lanes: []DraftLane{}, Landmarks: []DraftLandmark{}}
	for _, h := range p.Houses {
		dh := DraftHouse{Number: h.Number, Px: draftRound(h.At), Confidence: h.Confidence, Doubtful: h.Doubtful}
		if h.Number != "" {
			dh.Confidence = math.Round(h.Confidence*h.NumberConfidence*100) / 100
		}
		for _, q := range h.Outline {
			dh.OutlinePx = append(dh.OutlinePx, draftRound(q))
		}
		d.Houses = append(d.Houses, dh)
		if h.Number == "" {
			d.Unread++
		}
	}
	for _, l := range p.Lanes {
		dl := DraftLane{WidthM: math.Round(l.WidthM*10) / 10, WidthPx: math.Round(l.WidthPx*10) / 10}
		for _, q := range l.Points {
			dl.Px = append(dl.Px, draftRound(q))
		}
		if len(dl.Px) >= 2 {
			d.Lanes = append(d.Lanes, dl)
		}
	}
	for _, l := range p.Landmarks {
		d.Landmarks = append(d.Landmarks, DraftLandmark{Kind: l.Kind, Px: draftRound(l.At)})
	}
	return d
}

// Mapped is the draft with every position taken through h (a photo's
// draft onto its flattened sheet), its image w×h.
func (d *Draft) Mapped(hg Homography, w, h int) *Draft {
	c := *d
	c.Width, c.Height = w, h
	pt := func(p [2]float64) [2]float64 { return draftRound(hg.Apply(Pt(p))) }
	pts := func(ps [][2]float64) [][2]float64 {
		out := make([][2]float64, len(ps))
		for i, p := range ps {
			out[i] = pt(p)
		}
		return out
	}
	c.Houses = make([]DraftHouse, len(d.Houses))
	for i, x := range d.Houses {
		x.Px, x.OutlinePx = pt(x.Px), pts(x.OutlinePx)
		c.Houses[i] = x
	}
	c.Lanes = make([]DraftLane, len(d.Lanes))
	for i, x := range d.Lanes {
		x.Px = pts(x.Px)
		c.Lanes[i] = x
	}
	c.Landmarks = make([]DraftLandmark, len(d.Landmarks))
	for i, x := range d.Landmarks {
		x.Px = pt(x.Px)
		c.Landmarks[i] = x
	}
	return &c
}

func draftRound(p Pt) [2]float64 {
	return [2]float64{math.Round(p[0]*10) / 10, math.Round(p[1]*10) / 10}
}

// JSON is the draft as the store keeps it and the command prints it.
func (d *Draft) JSON() ([]byte, error) {
	b, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("trace draft: %w", err)
	}
	return b, nil
}

// Doubtful counts the houses whose number is unread or doubtful: the ones
// the officer walks through.
func (d *Draft) Doubtful() int {
	n := 0
	for _, h := range d.Houses {
		if h.Number == "" || h.Doubtful {
			n++
		}
	}
	return n
}

// ErrBadDraft is a stored draft that cannot be read back.
var ErrBadDraft = errors.New("trace draft is damaged")

// ParseDraft reads a draft back (from the store, where another program may
// have written anything): bounded counts, finite coordinates, known signs.
func ParseDraft(b []byte) (*Draft, error) {
	var d Draft
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadDraft, err)
	}
	if len(d.Houses)+len(d.Lanes)+len(d.Landmarks) > maxDraftFeatures {
		return nil, fmt.Errorf("%w: %d features", ErrBadDraft, len(d.Houses)+len(d.Lanes)+len(d.Landmarks))
	}
	if draftBad(d.PxPerM) || d.PxPerM < 0 || d.PxPerM > 1000 {
		return nil, fmt.Errorf("%w: scale %v", ErrBadDraft, d.PxPerM)
	}
	for i, h := range d.Houses {
		if len(h.OutlinePx) < 3 || len(h.OutlinePx) > maxDraftVertices || !draftFinite(h.Px) || !draftAllFinite(h.OutlinePx) || len(h.Number) > 16 {
			return nil, fmt.Errorf("%w: house %d", ErrBadDraft, i+1)
		}
	}
	for i, l := range d.Lanes {
		if len(l.Px) < 2 || len(l.Px) > maxDraftVertices*16 || !draftAllFinite(l.Px) || draftBad(l.WidthM) || l.WidthM < 0 || l.WidthM > 100 ||
			draftBad(l.WidthPx) || l.WidthPx < 0 || l.WidthPx > 1e5 {
			return nil, fmt.Errorf("%w: lane %d", ErrBadDraft, i+1)
		}
	}
	for i, l := range d.Landmarks {
		if (l.Kind != string(maps.KindPond) && l.Kind != string(maps.KindWell)) || !draftFinite(l.Px) {
			return nil, fmt.Errorf("%w: sign %d", ErrBadDraft, i+1)
		}
	}
	if d.Houses == nil {
		d.Houses = []DraftHouse{}
	}
	if d.Lanes == nil {
		d.Lanes = []DraftLane{}
	}
	if d.Landmarks == nil {
		d.Landmarks = []DraftLandmark{}
	}
	return &d, nil
}

func draftBad(f float64) bool { return math.IsNaN(f) || math.IsInf(f, 0) }

func draftFinite(p [2]float64) bool {
	return !draftBad(p[0]) && !draftBad(p[1]) && math.Abs(p[0]) < 1e6 && math.Abs(p[1]) < 1e6
}

func draftAllFinite(ps [][2]float64) bool {
	for _, p := range ps {
		if !draftFinite(p) {
			return false
		}
	}
	return true
}

// Features places the draft on the map: each pixel through toWorld (the
// scan's base layer, ImageToWorld, possibly shifted beside houses already
// drawn). Lane widths are the draft's metres, or its pixels at pxPerM when
// the scale came later (the review's); a lane of neither gets
// fallbackWidth. The features have no IDs yet (the editor gives them
// when it adds them, as one step).
func (d *Draft) Features(toWorld func(maps.Point) maps.Point, pxPerM, fallbackWidth float64) ([]maps.House, []maps.Lane, []maps.Landmark) {
	pt := func(p [2]float64) maps.Point { return toWorld(maps.Point{X: p[0], Y: p[1]}) }
	hs := make([]maps.House, 0, len(d.Houses))
	for _, h := range d.Houses {
		pg := make(maps.Polygon, len(h.OutlinePx))
		for i, q := range h.OutlinePx {
			pg[i] = pt(q)
		}
		hs = append(hs, maps.House{Number: h.Number, Polygon: pg})
	}
	ls := make([]maps.Lane, 0, len(d.Lanes))
	for _, l := range d.Lanes {
		pts := make([]maps.Point, len(l.Px))
		for i, q := range l.Px {
			pts[i] = pt(q)
		}
		w := l.WidthM
		if w <= 0 && l.WidthPx > 0 && pxPerM > 0 {
			w = math.Round(l.WidthPx/pxPerM*10) / 10
		}
		if w <= 0 || w > 100 {
			w = fallbackWidth
		}
		ls = append(ls, maps.Lane{Width: w, Points: pts})
	}
	lms := make([]maps.Landmark, 0, len(d.Landmarks))
	for _, l := range d.Landmarks {
		lms = append(lms, maps.Landmark{Kind: maps.LandmarkKind(l.Kind), Point: pt(l.Px)})
	}
	return hs, ls, lms
}
