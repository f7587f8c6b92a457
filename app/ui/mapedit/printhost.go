package mapedit

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/mapedit/mapcanvas"
	"cunjing/maps"
	"cunjing/maps/edit"
	"cunjing/maps/route"
)

// printHost is the open map as the print dialogs (mapprint) read it.
type printHost struct{ m *Screen }

func (h printHost) Village() *maps.Village { return h.m.v() }
func (h printHost) VillageID() string      { return h.m.villageID }
func (h printHost) VillageName() string    { return h.m.village.Selected }
func (h printHost) Route() *route.Result   { return h.m.route }
func (h printHost) VehicleWidth() float64  { return h.m.vehicleWidth }
func (h printHost) SelectedHouse() string  { return h.m.selectedHouse() }

func (h printHost) Say(msg string, imp widget.Importance) { h.m.say(msg, imp) }

func (h printHost) SavePath(name string, then func(path string)) { h.m.savePath(name, then) }

// BaseImage is the decoded base layer of the open map, or nil.
func (h printHost) BaseImage() *maps.BaseImage {
	v := h.m.v()
	if v == nil || v.Base == nil {
		return nil
	}
	return h.m.bases[v.Base.ImageHash]
}

// selectedHouse is the ID of the house selected on the map, or "".
func (m *Screen) selectedHouse() string {
	if m.selKind == maps.FeatHouse && m.selected != "" {
		return m.selected
	}
	return ""
}

// saveDialog is the real save seam: the window's chooser, for a PDF.
func (m *Screen) saveDialog(name string, then func(path string)) {
	kit.SavePath(m.u.Window(), name, []string{".pdf"}, fyne.NewSize(900, 600), then)
}

// scanHost is the open map as 从扫描图识别 (mapscan) works on it.
type scanHost struct{ m *Screen }

func (h scanHost) Village() *maps.Village                   { return h.m.v() }
func (h scanHost) VillageID() string                        { return h.m.villageID }
func (h scanHost) VillageName() string                      { return h.m.village.Selected }
func (h scanHost) Gen() int                                 { return h.m.loadGen }
func (h scanHost) BaseImage(hash string) *maps.BaseImage    { return h.m.bases[hash] }
func (h scanHost) Edit(op func(ed *edit.Editor) error) bool { return h.m.edit(op) }
func (h scanHost) Canvas() *mapcanvas.Canvas                { return h.m.canvas }
func (h scanHost) SetSide(objs ...fyne.CanvasObject)        { h.m.setSide(objs...) }
func (h scanHost) Say(msg string, imp widget.Importance)    { h.m.say(msg, imp) }
func (h scanHost) ReadOnly() bool                           { return h.m.readOnly }
func (h scanHost) SelectTool()                              { h.m.setTool(toolSelect) }
func (h scanHost) ShowBasePanel()                           { h.m.showBasePanel() }
func (h scanHost) RefreshOverlay()                          { h.m.showOverlay() }

// Measure runs the scale tool for the review: two clicks on the map and
// the real distance between them go to then; 取消 goes to back.
func (h scanHost) Measure(help string, then func(p1, p2 maps.Point, metres float64), back func()) {
	m := h.m
	m.setTool(toolScale)
	m.scaleTo, m.scaleBack = then, back
	m.setSide(kit.Heading(lang.L("mapedit.scale.title")), kit.Wrapped(help),
		widget.NewButton(lang.L("Cancel"), func() { m.setTool(toolSelect); back() }))
}

// KeepBaseImage keeps a decoded scan that becomes the base map.
func (h scanHost) KeepBaseImage(img *maps.BaseImage) {
	h.m.bases[img.Hash] = img
	h.m.baseMissing = false
}

// geoHost is the open map as 地理配准 (georefpanel) works on it.
type geoHost struct{ m *Screen }

func (h geoHost) Village() *maps.Village            { return h.m.v() }
func (h geoHost) VillageID() string                 { return h.m.villageID }
func (h geoHost) SetSide(objs ...fyne.CanvasObject) { h.m.setSide(objs...) }
func (h geoHost) RefreshOverlay()                   { h.m.showOverlay() }
func (h geoHost) PlacePoint()                       { h.m.setTool(toolGeoPoint) }
func (h geoHost) Placing() bool                     { return h.m.tool == toolGeoPoint }
func (h geoHost) SelectTool()                       { h.m.setTool(toolSelect) }
func (h geoHost) ShowBasePanel()                    { h.m.showBasePanel() }

func (h geoHost) Selected() (string, maps.FeatureKind) { return h.m.selected, h.m.selKind }
