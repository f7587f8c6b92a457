package bep

import (
	"strconv"
	"strings"

	"github.com/syncthing/syncthing/lib/protocol"

	"cunjing/sync/changeset"
)

// clientVersion is what cunjing says it is in its BEP hello. Up to
// v1.0.0 a cunjing device read receipts of format 1 only; from v1.1.0 on
// it reads format 2 too (changeset.SealReceipt2, issue #22), and a peer
// that hears v1.1.0 or later sends it its receipts in format 2. From
// v1.2.0 on it names folders in its messages by the aliases the peer's
// cluster config declares (session.go, folderAliases). Raise the version
// when the wire learns something new a peer may rely on.
const clientVersion = "v1.2.0"

// receiptFormatOf is the receipt format a peer reads, from its hello:
// format 2 from a cunjing of v1.1.0 or later, else format 1 (an older
// cunjing, a stock Syncthing, anything not understood).
func receiptFormatOf(h protocol.Hello) int {
	if h.ClientName != "cunjing" {
		return changeset.ReceiptFormat1
	}
	major, minor, ok := versionOf(h.ClientVersion)
	if !ok || major < 1 || major == 1 && minor < 1 {
		return changeset.ReceiptFormat1
	}
	return changeset.ReceiptFormat2
}

// shortFolders reports whether a peer's hello says a cunjing of v1.2.0 or
// later: its cluster config declares folder aliases and it reads them.
func shortFolders(h protocol.Hello) bool {
	if h.ClientName != "cunjing" {
		return false
	}
	major, minor, ok := versionOf(h.ClientVersion)
	return ok && (major > 1 || major == 1 && minor >= 2)
}

// versionOf reads the major and minor numbers of "vMAJOR.MINOR[.…]".
func versionOf(v string) (major, minor int, ok bool) {
	rest, ok := strings.CutPrefix(v, "v")
	if !ok {
		return 0, 0, false
	}
	parts := strings.SplitN(rest, ".", 3)
	if len(parts) < 2 {
		return 0, 0, false
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || major < 0 || minor < 0 {
		return 0, 0, false
	}
	return major, minor, true
}

// newerCunjing reports whether a peer's hello says v1.1.0 or later (it
// reads receipt format 2): such a peer's held session may linger
// (session.linger); an older one gets its receipts as before.
func newerCunjing(h protocol.Hello) bool {
	return receiptFormatOf(h) == changeset.ReceiptFormat2
}
