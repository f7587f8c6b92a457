// Package syncui is the 同步 area: this device's pairing code (QR and
// text), pairing and unpairing, the sync state in plain words with a
// button to sync now, the exchange folder for USB sticks, refused files
// with their reasons and the edits that lost to a concurrent edit, over
// package sync.
//
// It takes what it needs from the window through Env, the sync engine
// included; tabs of other areas (the station's) come in as Tabs from the
// shell (app/ui).
package syncui
