// Package hello is what cunjing says and reads in a BEP Hello: its
// version, and what a peer's version tells of what it reads (receipt
// format, folder aliases).
package hello

import (
	"strconv"
	"strings"

	"github.com/syncthing/syncthing/lib/protocol"

	"cunjing/sync/changeset"
)

// ClientVersion is what cunjing says it is in its BEP hello. Up to
// v1.0.0 a cunjing device read receipts of format 1 only; from v1.1.0 on
// it reads format 2 too (changeset.SealReceipt2, issue #22), and a peer
// that hears v1.1.0 or later sends it its receipts in format 2. From
// v1.2.0 on it names folders in its messages by the aliases the peer's
// cluster config declares (sync/bep session.go, folderAliases). Raise the
// version when the wire learns something new a peer may rely on.
const ClientVersion = "v1.2.0"

// ReceiptFormat is the receipt format a peer reads, from its hello:
// format 2 from a cunjing of v1.1.0 or later, else format 1 (an older
// cunjing, a stock Syncthing, anything not understood).
func ReceiptFormat(h protocol.Hello) int {
	if h.ClientName != "cunjing" {
		return changeset.ReceiptFormat1
	}
	major, minor, ok := Version(h.ClientVersion)
	if !ok || major < 1 || major == 1 && minor < 1 {
		return changeset.ReceiptFormat1
	}
	return changeset.ReceiptFormat2
}

// ShortFolders reports whether a peer's hello says a cunjing of v1.2.0 or
// later: its cluster config declares folder aliases and it reads them.
func ShortFolders(h protocol.Hello) bool {
	if h.ClientName != "cunjing" {
		return false
	}
	major, minor, ok := Version(h.ClientVersion)
	return ok && (major > 1 || major == 1 && minor >= 2)
}

// Version reads the major and minor numbers of "vMAJOR.MINOR[.…]".
func Version(v string) (major, minor int, ok bool) {
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

// Newer reports whether a peer's hello says v1.1.0 or later (it reads
// receipt format 2): such a peer's held session may linger (sync/bep
// session.linger); an older one gets its receipts as before.
func Newer(h protocol.Hello) bool {
	return ReceiptFormat(h) == changeset.ReceiptFormat2
}
