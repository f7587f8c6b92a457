package kit

import "cunjing/store"
import "fyne.io/fyne/v2/lang"
import "fyne.io/fyne/v2"

// Preference keys (fyne.Preferences, kept per user by Fyne).
const (
	prefLanguage = "language"     // "zh" or "en"
	prefFontPath = "font_path"    // CJK font override; empty: search the system
	prefRole     = "role"         // RoleOfficer or RoleAuxiliary
	prefLock     = "lock_minutes" // idle minutes before the screen locks (0: never)
)

// Roles of the person at the keyboard. They decide what personal data the
// screens show in full.
const (
	RoleOfficer   = "officer"   // 民警: sees full ID numbers
	RoleAuxiliary = "auxiliary" // 辅警: sees masked ID numbers
)

// Settings are the user's choices kept in Fyne preferences.
type Settings struct {
	p fyne.Preferences
}

// NewSettings reads and writes settings in p.
func NewSettings(p fyne.Preferences) Settings { return Settings{p: p} }

// Prefs are the preferences the settings live in; areas keep their own
// choices there too (a backup folder, a leaflet's edited text).
func (s Settings) Prefs() fyne.Preferences { return s.p }

// Language is the chosen UI language code ("" when never chosen).
func (s Settings) Language() string { return s.p.String(prefLanguage) }

// SetLanguage keeps the UI language.
func (s Settings) SetLanguage(code string) { s.p.SetString(prefLanguage, code) }

// FontPath is the CJK font override ("" to search the system).
func (s Settings) FontPath() string { return s.p.String(prefFontPath) }

// SetFontPath keeps the CJK font override.
func (s Settings) SetFontPath(path string) { s.p.SetString(prefFontPath, path) }

// Role is the role of the person using this PC; unknown values count as
// auxiliary, the role that sees less.
func (s Settings) Role() string {
	if s.p.StringWithFallback(prefRole, RoleOfficer) == RoleOfficer {
		return RoleOfficer
	}
	return RoleAuxiliary
}

// SetRole keeps the role.
func (s Settings) SetRole(role string) { s.p.SetString(prefRole, role) }

// DefaultLockMinutes is how long a shared PC may sit idle before the
// screen locks.
const DefaultLockMinutes = 10

// LockMinutes is the idle time in minutes before the screen locks (0:
// never).
func (s Settings) LockMinutes() int { return s.p.IntWithFallback(prefLock, DefaultLockMinutes) }

// SetLockMinutes keeps the idle time before the screen locks.
func (s Settings) SetLockMinutes(m int) { s.p.SetInt(prefLock, m) }

// SeesFullIDs reports whether the current role may see ID numbers in full.
func (s Settings) SeesFullIDs() bool { return s.Role() == RoleOfficer }

// userRoleWord names an account role in the UI language.
func UserRoleWord(role string) string {
	switch role {
	case store.UserOfficer:
		return lang.L("role.officer")
	case store.UserAuxiliary:
		return lang.L("role.auxiliary")
	case store.UserStationAdmin:
		return lang.L("settings.acct.roleAdmin")
	}
	return role
}

// The window's size is kept between runs, within what the smallest
// screen the app is used on shows: 1366×768, less the window's title bar
// and the taskbar. A size kept on a bigger monitor is cut to that, so a
// laptop on the post's desk never opens a window it cannot show whole.
const (
	prefWinW = "window_width"
	prefWinH = "window_height"
)

var (
	// MaxWindow is the largest window a 1366×768 screen shows whole.
	MaxWindow = fyne.NewSize(1366, 768-32-48)
	// DefaultWindow is the size of a window never resized.
	DefaultWindow = fyne.NewSize(1240, 660)
	// minWindow is the smallest size kept (a window dragged tiny is not).
	minWindow = fyne.NewSize(800, 500)
)

// WindowSize is the size to open the window at: the one kept when it
// last closed, within MaxWindow, else DefaultWindow.
func (s Settings) WindowSize() fyne.Size {
	w, h := float32(s.p.Float(prefWinW)), float32(s.p.Float(prefWinH))
	if w < minWindow.Width || h < minWindow.Height {
		return DefaultWindow
	}
	return fyne.NewSize(min(w, MaxWindow.Width), min(h, MaxWindow.Height))
}

// SetWindowSize keeps the window's size as it closes.
func (s Settings) SetWindowSize(sz fyne.Size) {
	s.p.SetFloat(prefWinW, float64(sz.Width))
	s.p.SetFloat(prefWinH, float64(sz.Height))
}
