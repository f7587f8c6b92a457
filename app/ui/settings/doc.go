// Package settings is the 设置 area: the language, the CJK font override,
// the role of the person at this PC, and the accounts panel (screen lock,
// user accounts, backups to a folder or USB stick, and for station admins
// the audit log); Backups is the daily backup the shell starts.
//
// It takes what it needs from the window through Env; switching the
// language or font goes back to the window (Env.SetLanguage,
// Env.SetFontPath), which rebuilds the screens.
package settings
