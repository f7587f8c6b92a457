// Package syncwords says the sync state in the words of the sync area's
// translations (zh.json, en.json beside it), for the window (through
// Fyne's lang.L) and for `cunjing sync --once` and `exchange` (through
// Zh, the Chinese table read without Fyne): a sentence both show is
// worded by one function from one entry of the files, so 同步 and the
// command line never say it two ways (as package stationwords does for a
// station's figures). sync/status gives the numbers.
package syncwords

import (
	"fmt"
	"strings"

	"cunjing/app/lang/translations"
	"cunjing/store/syncbook"
	"cunjing/sync/status"
)

// L looks a message key up: lang.L in the window, Zh on the command line.
type L func(key string) string

// Zh is the Chinese words of key (translations.Zh), for the command line.
func Zh(key string) string { return translations.Zh(key) }

// Withheld says what a post did not keep of other devices' records ("" when
// nothing): an older station's software sent every post its own records
// (households, visits, emergency cards … of other villages or of the
// station itself); this post removed them from this PC alone when it was
// upgraded, or did not take those that came since — the station and other
// posts keep theirs, and nothing of this post's own records was touched.
func Withheld(l L, w syncbook.Withheld) string {
	if !w.Any() {
		return ""
	}
	var b strings.Builder
	if w.Removed > 0 {
		fmt.Fprintf(&b, l("sync.withheld.removed"), w.Removed, w.RemovedChanges)
	}
	if w.Refused > 0 {
		fmt.Fprintf(&b, l("sync.withheld.refused"), w.Refused, w.RefusedChanges)
	}
	b.WriteString(l("sync.withheld.kept"))
	return b.String()
}

// Fill puts in s, in Chinese, the words of its numbers that the app says
// (sync/status leaves them out, having no translations): the command
// line's JSON (withheld_words) and text (the status's last line) say them
// as 同步 does. Filled once: a second Fill changes nothing.
func Fill(s *status.Summary) {
	if s.WithheldWords != "" {
		return
	}
	s.WithheldWords = Withheld(Zh, s.Withheld)
	if s.WithheldWords != "" {
		s.Text += "\n" + s.WithheldWords
	}
}
