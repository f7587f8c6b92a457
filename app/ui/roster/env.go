package roster

import (
	"cunjing/app/ui/kit"
	"cunjing/app/ui/roster/rosterclock"
	"cunjing/print/fonts"
)

// Env is what 巡逻排班 needs from the window around it (kit.Env has it
// all).
type Env interface {
	kit.Base
	kit.Editing
	Font() *kit.Font // the duty table's PDF is set in it
	// PDFFont is Font for print, one value while the font stays (it
	// opens the fallback fonts for a rare character once).
	PDFFont() (*fonts.Font, error)
	FontErr() error
	// Who printed the duty table; who confirmed the date, and who may
	// (rosterclock.Env).
	rosterclock.Env
}
