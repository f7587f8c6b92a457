package mapedit

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/maps"
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
