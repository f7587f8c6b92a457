// Package ui is the shell of cunjing's window: the navigation frame, the
// login and idle lock, the first-run choice and the open-error screens.
// It builds the seven areas (app/ui/mapedit, households, roster, boards,
// syncui, station, settings), hands each the window's kit.Env through the
// area's own Env interface, and implements the hooks by which an area
// reaches another (ShowHouseOnMap, OpenHousehold, Published).
//
// Nothing here or below imports fyne.io/fyne/v2/app: the window comes from
// the caller, so the screens run headless under fyne.io/fyne/v2/test. Data
// comes only through the store API (no SQL here); text goes through
// fyne.io/fyne/v2/lang message keys whose Chinese and English live in
// cunjing/app/lang.
package ui
