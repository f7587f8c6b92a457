// Package scantrace turns a scanned or photographed hand-drawn village map
// into the village's trace draft, and a draft into features for the map
// editor (issue #23): the one implementation `cunjing map trace` and the
// editor's 从扫描图识别 share. The scan is read as the base map is (turned
// upright by its EXIF orientation), so the draft's pixels are the base
// map's; the draft stays on this PC until the officer accepts it.
package scantrace

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	_ "image/png"
	"strings"

	"cunjing/maps"
	"cunjing/maps/trace"
	"cunjing/store"
)

// Traced is what a trace of a scan gives.
type Traced struct {
	// Draft is the proposal in the input image's pixels (what `map trace
	// --json` prints).
	Draft *trace.Draft
	// Kept is the draft as it is kept for the editor, in the pixels of
	// Scan: the same as Draft for a scan; for a photo taken at an angle,
	// the flattened sheet's.
	Kept *trace.Draft
	// Scan is the file kept with the draft (the input, or the flattened
	// sheet as a JPEG), Image its decoded copy.
	Scan  []byte
	Image *maps.BaseImage
	// Flattened: the sheet's corners were found on a photo and it was
	// flattened from them.
	Flattened bool
}

// Trace decodes a scan or photo (JPEG or PNG, at most
// maps.MaxBaseImageBytes and trace.MaxPixels) and proposes its village at
// pxPerM pixels a metre (0: unknown, the scale bar's when one is found).
// A photo of the sheet on a darker table is flattened from the sheet's
// corners first; corners, when not nil, are the sheet's corners as clicked.
func Trace(ctx context.Context, data []byte, pxPerM float64, corners *[4]trace.Pt) (Traced, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return Traced{}, fmt.Errorf("trace: not a JPEG or PNG image: %w", err)
	}
	if int64(cfg.Width)*int64(cfg.Height) > trace.MaxPixels {
		return Traced{}, fmt.Errorf("trace: image %d×%d px is %.0f megapixels, over the %d-megapixel limit: scan at 200 dpi or less (A0 at 200 dpi fits)",
			cfg.Width, cfg.Height, float64(cfg.Width)*float64(cfg.Height)/1e6, trace.MaxPixels/1_000_000)
	}
	img, err := maps.DecodeBaseImage(data, 0)
	if err != nil {
		return Traced{}, fmt.Errorf("trace: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return Traced{}, err
	}
	g, ok := img.Original.(*image.Gray)
	if !ok {
		b := img.Original.Bounds()
		g = image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
		draw.Draw(g, g.Rect, img.Original, b.Min, draw.Src)
	}
	p, err := trace.Detect(g, trace.Options{PxPerM: pxPerM, Corners: corners, FindCorners: corners == nil})
	if err != nil {
		return Traced{}, err
	}
	if err := ctx.Err(); err != nil {
		return Traced{}, err
	}
	d := trace.NewDraft(p)
	t := Traced{Draft: d, Kept: d, Scan: data, Image: img}
	if p.Corners == nil {
		return t, nil
	}
	// The editor lays the scan under the map with a similarity, which a
	// photo at an angle is not: keep the flattened sheet and the draft on
	// it.
	flat := p.Flat
	w, h := flat.Rect.Dx(), flat.Rect.Dy()
	fwd, err := trace.HomographyFrom(*p.Corners, [4]trace.Pt{{0, 0}, {float64(w), 0}, {float64(w), float64(h)}, {0, float64(h)}})
	if err != nil {
		return Traced{}, err
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, flat, &jpeg.Options{Quality: 90}); err != nil {
		return Traced{}, fmt.Errorf("trace: keep the flattened sheet: %w", err)
	}
	fimg, err := maps.DecodeBaseImage(buf.Bytes(), 0)
	if err != nil {
		return Traced{}, fmt.Errorf("trace: the flattened sheet: %w", err)
	}
	t.Kept, t.Scan, t.Image, t.Flattened = d.Mapped(fwd, w, h), buf.Bytes(), fimg, true
	return t, nil
}

// Save keeps t.Kept as the draft of the village named villageName (created
// when there is none of that name), with the scan it was traced from;
// source is the file's name, shown in the editor. It replaces an earlier
// draft of the village and touches none of its records.
func Save(ctx context.Context, st *store.Store, villageName, source string, t Traced) (store.Village, bool, error) {
	d, data, img := t.Kept, t.Scan, t.Image
	villageName = strings.TrimSpace(villageName)
	if villageName == "" {
		return store.Village{}, false, errors.New("trace draft: the village's name is required")
	}
	b, err := d.JSON()
	if err != nil {
		return store.Village{}, false, err
	}
	v, err := st.VillageByName(ctx, villageName)
	created := false
	if errors.Is(err, store.ErrNotFound) {
		v, created = store.Village{Name: villageName}, true
		if err = st.Save(ctx, &v); err != nil {
			return store.Village{}, false, fmt.Errorf("new village %s: %w", villageName, err)
		}
	} else if err != nil {
		return store.Village{}, false, err
	}
	err = st.SaveTraceDraft(ctx, store.TraceDraft{VillageID: v.ID, ImageHash: img.Hash, Source: source, Proposal: b}, data)
	return v, created, err
}

// Load reads a village's draft; nil with no error when it has none.
func Load(ctx context.Context, st *store.Store, villageID string) (*trace.Draft, store.TraceDraft, error) {
	rec, err := st.TraceDraft(ctx, villageID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, store.TraceDraft{}, nil
	}
	if err != nil {
		return nil, store.TraceDraft{}, err
	}
	d, err := trace.ParseDraft(rec.Proposal)
	if err != nil {
		return nil, rec, err
	}
	return d, rec, nil
}

// Gap is how far beside the houses already drawn an accepted draft goes.
const Gap = 20.0

// DefaultLaneWidth is the width given to a proposed lane whose width
// could not be measured (metres).
const DefaultLaneWidth = 3.0

// Placement is where an accepted draft goes on a village's map.
type Placement struct {
	Houses    []maps.House
	Lanes     []maps.Lane
	Landmarks []maps.Landmark
	// Base becomes the map's base layer with them (nil: the map keeps
	// its own).
	Base *maps.BaseLayer
	// Beside: the village had houses, so the draft went beside them
	// rather than over them (never merged silently).
	Beside bool
	// Layer is where the scan lies under the placed features (the base
	// layer when Base is set; for a preview otherwise).
	Layer maps.BaseLayer
}

// Place lays the draft out on v at pxPerM pixels a metre (> 0). On a map
// with no houses the scan becomes the base layer, its top-left corner where
// the current base's is (or at the origin), with the features on it; a map
// whose base is this very scan keeps that base's placement. A map with
// houses gets the draft Gap metres to the right of what is drawn, and
// keeps its base.
func Place(d *trace.Draft, v *maps.Village, imageHash string, pxPerM float64) (Placement, error) {
	if !(pxPerM > 0) || pxPerM > 1000 {
		return Placement{}, fmt.Errorf("trace: the scale %g px per metre must be above 0 and at most 1000", pxPerM)
	}
	layer := maps.BaseLayer{ImageHash: imageHash, Width: d.Width, Height: d.Height, MetresPerPx: 1 / pxPerM, Opacity: 0.6}
	if layer.Width <= 0 || layer.Height <= 0 {
		return Placement{}, errors.New("trace: the draft does not say its scan's size")
	}
	var pl Placement
	switch {
	case len(v.Houses) > 0:
		ext := maps.EmptyRect()
		for _, h := range v.Houses {
			for _, p := range h.Polygon {
				ext = ext.Extend(p)
			}
		}
		for _, l := range v.Lanes {
			for _, p := range l.Points {
				ext = ext.Extend(p)
			}
		}
		layer.Origin = maps.Point{X: ext.Max.X + Gap, Y: ext.Max.Y}
		pl.Beside = true
	case v.Base != nil && v.Base.ImageHash == imageHash:
		layer.Origin, layer.Opacity = v.Base.Origin, v.Base.Opacity
		if v.Base.MetresPerPx != layer.MetresPerPx {
			pl.Base = &layer
		}
	default:
		if v.Base != nil {
			layer.Origin = v.Base.Origin
		}
		pl.Base = &layer
	}
	pl.Layer = layer
	pl.Houses, pl.Lanes, pl.Landmarks = d.Features(layer.ImageToWorld, pxPerM, DefaultLaneWidth)
	return pl, nil
}
