package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
)

// prefSoftwareTold is set once the officer has been told that this PC's
// window draws with the software renderer.
const prefSoftwareTold = "software_renderer_told"

// ShowSoftwareNotice tells the officer, once per user of this PC, that the
// window draws without the graphics card (the installer's Mesa copy, or a
// system whose only OpenGL is a software one) and so is slower, and what
// would make it fast again. It reports whether it showed the notice.
func ShowSoftwareNotice(w fyne.Window, p fyne.Preferences) bool {
	if p.Bool(prefSoftwareTold) {
		return false
	}
	dialog.NewInformation(lang.L("gl.softwareTitle"), lang.L("gl.software"), w).Show()
	p.SetBool(prefSoftwareTold, true)
	return true
}
