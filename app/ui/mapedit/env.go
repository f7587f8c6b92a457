package mapedit

import (
	"fyne.io/fyne/v2"

	"cunjing/app/ui/kit"
	"cunjing/print/fonts"
)

// Env is what the map editor needs from the window around it (kit.Env
// has all but the last).
type Env interface {
	kit.Base
	App() fyne.App
	// ConfirmDelete asks before removing what (the georeference).
	ConfirmDelete(what string, del func())
	Font() *kit.Font // draws the numbers and names; nil: the map says it needs one
	// PDFFont is Font for print, whose fallback fonts draw the characters
	// Font lacks (㙟 or 𠮷 in a lane's or a shop's name).
	PDFFont() (*fonts.Font, error)

	// OpenHousehold shows the household living in a house on 住户.
	OpenHousehold(houseID string)
}
