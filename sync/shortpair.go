package sync

import (
	"context"

	"github.com/syncthing/syncthing/lib/protocol"

	"cunjing/store/syncbook"
	"cunjing/sync/shortpair"
)

// ShortCodes are this device's short pairing codes.
func (e *Engine) ShortCodes() *shortpair.Codes { return e.short }

// The names sync/bep's first connection uses (bep/shortpair.go); the rest
// of the program calls ShortCodes.
type (
	ShortPairing = shortpair.Message
	ShortPending = shortpair.Pending
)

// ErrShortSecret is shortpair.ErrSecret.
var ErrShortSecret = shortpair.ErrSecret

// ShortShown is ShortCodes().Shown.
func (e *Engine) ShortShown(ctx context.Context) (bool, error) { return e.short.Shown(ctx) }

// PendingShort is ShortCodes().Pending.
func (e *Engine) PendingShort(ctx context.Context) ([]ShortPending, error) {
	return e.short.Pending(ctx)
}

// ShortOffer is ShortCodes().Offer.
func (e *Engine) ShortOffer(ctx context.Context, secret string, remote protocol.DeviceID) (ShortPairing, error) {
	return e.short.Offer(ctx, secret, remote)
}

// AcceptShortIssued is ShortCodes().AcceptIssued.
func (e *Engine) AcceptShortIssued(ctx context.Context, m ShortPairing, remote protocol.DeviceID) (syncbook.Peer, string, error) {
	return e.short.AcceptIssued(ctx, m, remote)
}

// AcceptShortPending is ShortCodes().AcceptPending.
func (e *Engine) AcceptShortPending(ctx context.Context, m ShortPairing, p ShortPending, remote protocol.DeviceID) (syncbook.Peer, error) {
	return e.short.AcceptPending(ctx, m, p, remote)
}
