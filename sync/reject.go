package sync

import (
	"cunjing/sync/heal"
	"cunjing/sync/status"
)

// RejectKind names why the engine refused a file or some of its changes.
// The rejection log keeps it beside the engine's own words (often
// English, for whoever helps), so the window can say it in the user's
// language (app/ui/syncui).
type RejectKind string

// The kinds of refusal. A refused file changes nothing here, except where
// said.
const (
	// RejectDamaged: the content does not match the hash in the file's
	// name — cut short on a stick or corrupted.
	RejectDamaged RejectKind = "damaged"
	// RejectUnverified: the signature, the encryption or the format did
	// not check out — a device not paired (or no longer paired), a forger,
	// or a damaged file.
	RejectUnverified RejectKind = status.KindUnverified
	// RejectStream: a paired device wrote into a stream it may not write.
	RejectStream RejectKind = "stream"
	// RejectChain: a verified changeset that does not fit its place in its
	// sender's sequence (a PC restored from an older backup); its changes
	// are merged all the same and the sender is told where to go on from.
	RejectChain RejectKind = heal.KindChain
	// RejectRebased: the peer did not take one of this device's
	// changesets into its sequence; this device went on after the peer's.
	RejectRebased RejectKind = heal.KindRebased
	// RejectOwnership: some changes of a verified changeset touched
	// records their sender may not change; the rest were applied.
	RejectOwnership RejectKind = "ownership"
	// RejectNotFile: refused unread — a link, a device or a pipe under a
	// cunjing name, or larger than any cunjing file is.
	RejectNotFile RejectKind = "not-file"
	// RejectReceipt: a receipt that is old or replayed, or not addressed
	// to this device.
	RejectReceipt RejectKind = "receipt"
)

// RejectKinds lists every kind, for the window's words and their test.
func RejectKinds() []RejectKind {
	return []RejectKind{RejectDamaged, RejectUnverified, RejectStream, RejectChain, RejectRebased, RejectOwnership, RejectNotFile, RejectReceipt}
}
