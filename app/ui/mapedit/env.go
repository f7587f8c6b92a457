package mapedit

import (
	"fyne.io/fyne/v2"

	"cunjing/app/ui/kit"
)

// Env is what the map editor needs from the window around it (kit.Env
// has all but the last).
type Env interface {
	kit.Base
	App() fyne.App
	// ConfirmDelete asks before removing what (the georeference).
	ConfirmDelete(what string, del func())
	Font() *kit.Font // draws the numbers and names; nil: the map says it needs one

	// OpenHousehold shows the household living in a house on 住户.
	OpenHousehold(houseID string)
}
