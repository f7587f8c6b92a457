package ui

import (
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"

	"cunjing/app/ui/settings"
	"cunjing/app/ui/syncui"
	"cunjing/store/cjbak"
	"cunjing/sync/identity"
)

// FileKind is what a file given to cunjing to open holds, told by its
// extension (what the installer's and the .deb's file types register).
type FileKind int

// The files cunjing opens.
const (
	FileUnknown     FileKind = iota
	FileBackup               // an encrypted backup (.cjbak)
	FilePairingCode          // a saved pairing code (.cjpair)
)

// KindOf tells a file's kind by its extension, in any letter case.
func KindOf(path string) FileKind {
	switch strings.ToLower(filepath.Ext(path)) {
	case cjbak.Ext:
		return FileBackup
	case identity.CodeFileExt:
		return FilePairingCode
	}
	return FileUnknown
}

// UnsupportedFile is the message for a file cunjing does not open.
func UnsupportedFile(path string) string {
	return fmt.Sprintf(lang.L("open.unsupported"), path, cjbak.Ext, identity.CodeFileExt)
}

// OpenFile offers what a file opened with cunjing holds (a double-clicked
// backup or pairing-code file; `cunjing FILE`): a backup goes to 设置's
// 从备份恢复 with the file chosen, where 恢复… asks before replacing
// anything; a pairing code to 同步's pairing, which asks whether to pair
// with the device it names. With the login screen up it waits for the
// password. Any other file gets a message saying which files cunjing opens.
func (u *UI) OpenFile(path string) {
	if u.acct != nil && u.acct.login != nil {
		u.acct.openNext = path
		return
	}
	switch KindOf(path) {
	case FileBackup:
		u.Show(AreaSettings)
		if sc, ok := u.screens[AreaSettings].(*settings.Screen); !ok || !sc.OfferRestore(path) {
			dialog.ShowInformation(lang.L("settings.restore.title"), lang.L("open.restoreNotAllowed"), u.Window())
		}
	case FilePairingCode:
		u.Show(AreaSync)
		if sc, ok := u.screens[AreaSync].(*syncui.Screen); ok {
			sc.PairFromFile(path)
		}
	default:
		dialog.ShowInformation(lang.L("open.title"), UnsupportedFile(path), u.Window())
	}
}
