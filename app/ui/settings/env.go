package settings

import (
	"context"

	"fyne.io/fyne/v2"

	"cunjing/app/ui/kit"
	"cunjing/store/backup"
)

// Env is what 设置 needs from the window around it (kit.Env has all but
// the last three).
type Env interface {
	kit.Base
	Ctx() context.Context
	Settings() kit.Settings
	Prefs() fyne.Preferences // the backup folder and times
	Font() *kit.Font
	FontErr() error
	HasAccounts() bool
	IsStationAdmin() bool // sees the audit log
	UserRole() string

	// SetLanguage switches the window to another language (kept, and the
	// screens rebuilt in it).
	SetLanguage(code string) error
	// SetFontPath keeps a font override ("" for the system's) and redraws.
	SetFontPath(path string)
	// RestoreBackup replaces the window's database with the backup from
	// and builds the screens again on it; done runs on the UI goroutine.
	RestoreBackup(from string, opt backup.RestoreOptions, done func(backup.RestoreInfo, error))
}
