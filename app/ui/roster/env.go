package roster

import (
	"cunjing/app/ui/kit"
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
	Actor() string // who printed the duty table, who confirmed the date
	// Who may say the PC's date is right (confirmClock): not an
	// auxiliary logged in as one.
	HasAccounts() bool
	UserRole() string
}
