package app

import (
	"syscall"
	"unsafe"
)

// showMessageBox shows a native Windows message box (user32 MessageBoxW,
// through syscall: no cgo). cunjing.exe is a -H windowsgui program with
// no console: without it, a double-clicked file it cannot open would end
// in silence.
func showMessageBox(title, text string) {
	t, err := syscall.UTF16PtrFromString(title)
	if err != nil {
		return // a NUL in the text: stderr has it
	}
	m, err := syscall.UTF16PtrFromString(text)
	if err != nil {
		return
	}
	const mbOK, mbIconWarning, mbSetForeground = 0x0, 0x30, 0x10000
	proc := syscall.NewLazyDLL("user32.dll").NewProc("MessageBoxW")
	if proc.Find() != nil {
		return
	}
	proc.Call(0, uintptr(unsafe.Pointer(m)), uintptr(unsafe.Pointer(t)), mbOK|mbIconWarning|mbSetForeground)
}
