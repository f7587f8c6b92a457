package roster

import "cunjing/app/ui/kit"

// Env is what 巡逻排班 needs from the window around it (kit.Env has it
// all).
type Env interface {
	kit.Base
	kit.Editing
	Font() *kit.Font // the duty table's PDF is set in it
	FontErr() error
	Actor() string // who printed the duty table, who confirmed the date
	// Who may say the PC's date is right (confirmClock): not an
	// auxiliary logged in as one.
	HasAccounts() bool
	UserRole() string
}
