// Package mapprint is what the map editor prints: the map sheet (打印地图,
// print/mapsheet: A4 or A3, tiled with a page index when the village is too
// big for one sheet, the house index, the route, the scanned base map) and
// door plates (门牌, through app/plates, the use case `cunjing print plates`
// runs), each from a dialog, written in the background through a temporary
// file and recorded for the station's counts.
//
// It reads the open map through Editor, which the editor implements; it
// knows nothing else of the editor.
package mapprint

import (
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/maps"
	"cunjing/maps/route"
	"cunjing/print/fonts"
)

// Env is what printing needs from the window.
type Env interface {
	kit.Base
	Font() *kit.Font // the font the PDFs are set in; nil: printing says it needs one
	// PDFFont is Font for print, one value while the font stays (it
	// opens the fallback fonts for a rare character once).
	PDFFont() (*fonts.Font, error)
}

// Editor is what the dialogs read of the open map, when they read it.
type Editor interface {
	Village() *maps.Village // the map as it is on screen; nil: none open
	VillageID() string
	VillageName() string
	Route() *route.Result       // the fire engine's route shown, or nil
	BaseImage() *maps.BaseImage // the decoded scanned base map, or nil
	VehicleWidth() float64      // the route's vehicle width
	SelectedHouse() string      // the ID of the house selected, or ""
	Say(msg string, imp widget.Importance)
	// SavePath asks where to save a PDF named name (the window's chooser;
	// tests answer it).
	SavePath(name string, then func(path string))
}

// Printer prints the editor's open map.
type Printer struct {
	u  Env
	ed Editor
}

// New is a printer of ed's map in window u.
func New(u Env, ed Editor) *Printer { return &Printer{u: u, ed: ed} }
