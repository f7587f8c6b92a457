package synconce

import (
	"errors"

	"cunjing/sync/bep/pairlimit"
	"cunjing/sync/bep/why"
)

// CauseOther is the key of the words for a failure Cause does not know:
// they say only that it failed, and the raw error goes beside them.
const CauseOther = why.Other

// Cause says why a session failed (Session.Err, or Result.Err of one that
// ended unfinished) as the key of its words in app/lang's translations
// ("sync.why.…"): CauseOther when it is none of the known ones, "" for
// nil. 立即同步 shows them; `sync --once --json` keeps the raw text in
// its "error" key. The mapping is sync/bep/why's (the status words a
// peer's last error by it too), and a short pairing not tried
// (sync/bep/pairlimit: never a peer's last error, it has none yet).
func Cause(err error) string {
	var lim *pairlimit.Error
	if errors.As(err, &lim) {
		if lim.Busy {
			return "sync.why.pairBusy"
		}
		return "sync.why.pairLimited"
	}
	return why.Key(err)
}
