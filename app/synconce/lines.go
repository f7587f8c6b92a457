package synconce

import (
	"errors"
	"fmt"

	"cunjing/sync/bep"
)

// Lines are the session in words, as 立即同步 shows them and `cunjing
// sync --once` prints them: whether it was found on the LAN, what it did
// or why it failed (Cause's words), and the way it went. details are the
// raw error of a failure Cause does not know (its words say to look
// below). L gives the words of a key of app/lang's translations (lang.L
// in the window; the command line, which links no Fyne, reads the sync
// area's Chinese itself).
func (se Session) Lines(L func(key string) string) (lines, details []string) {
	if se.LAN {
		lines = append(lines, fmt.Sprintf(L("sync.foundOnLAN"), se.Peer.Name))
	}
	r := se.Result
	why := func(err error, text string) string {
		if err == nil && text != "" {
			err = errors.New(text)
		}
		key := Cause(err)
		if key == CauseOther {
			details = append(details, fmt.Sprintf(L("sync.errDetail"), se.Peer.Name, err))
		}
		if key == "" {
			return ""
		}
		return L(key)
	}
	switch {
	case se.Err != nil:
		lines = append(lines, fmt.Sprintf(L("sync.peerFailed"), se.Peer.Name, why(se.Err, "")))
	case !r.Complete:
		lines = append(lines, fmt.Sprintf(L("sync.peerPartial"), se.Peer.Name, r.Pulled, r.Imported, why(r.Err, r.Error)))
	default:
		lines = append(lines, fmt.Sprintf(L("sync.peerDone"), se.Peer.Name, r.Pulled, r.Imported))
	}
	if path := PathKey(r.Path); path != "" {
		lines = append(lines, fmt.Sprintf(L("sync.path"), L(path), r.Address))
	}
	return lines, details
}

// PathKey is the key of the words naming how a session reached its peer
// (直连, 经中继), or "" for a path not known.
func PathKey(path string) string {
	switch path {
	case bep.PathDirect:
		return "sync.pathDirect"
	case bep.PathRelay:
		return "sync.pathRelay"
	}
	return ""
}
