// Package syncwords hands the sync area's Chinese words (zh.json beside
// it) to the command line, which links no Fyne: app/lang serves the same
// files to the window through Fyne's lang, so `cunjing sync --once`
// prints what 立即同步 shows (synconce.Session.Lines).
package syncwords

import (
	_ "embed"
	"encoding/json"
	"sync"
)

//go:embed zh.json
var zhJSON []byte

var zh = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	_ = json.Unmarshal(zhJSON, &m) // app/lang's tests read it too
	return m
})

// L is key's Chinese words, or key itself when it has none (as Fyne's
// lang.L answers).
func L(key string) string {
	if s, ok := zh()[key]; ok {
		return s
	}
	return key
}
