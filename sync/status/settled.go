package status

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"cunjing/store/syncbook"
	"cunjing/sync/changeset"
	"cunjing/sync/heal"
)

// rejections counts the rejection log: the refusals still open
// (Rejected, the newest three in LastRejected) and those accounted for
// (Settled, SettledWords). A warning that never clears teaches officers
// to ignore warnings, so a refusal that sync itself has healed stops
// counting once both sides are through with it:
//
//   - a changeset of a peer refused its place here (a fork: its number
//     was used again after a restore; its changes were merged here
//     anyway) once the peer has taken up its stream after the head it
//     was told (nothing keeps the two apart) and has had the fork back
//     (heal.Healer.ForkDelivered: it may have lacked its changes);
//
//   - a stream of this device taken up again after the peer's head
//     (rebased) once the peer has acknowledged every changeset cut here
//     for it, those cut again included, and nothing keeps the two apart.
//
//   - a changeset refused as from a device not paired here (a pairing a
//     restore lost) once the very file, by its name, which carries its
//     content's hash, was taken since (paired again); a receipt refused
//     so once the device, paired now, had a newer one of its taken in.
//
// Every other refusal (damaged, forged, another's stream …) stays open:
// a person has to look at it. Settled ones stay in the log.
func (s *Summary) rejections(ctx context.Context, book *syncbook.Book, h *heal.Healer, acks map[string]Ack, apart map[string]bool) error {
	rej, err := book.Rejects(ctx, 1_000_000)
	if err != nil {
		return err
	}
	for _, r := range rej {
		settled, err := settledRefusal(ctx, book, h, r, acks, apart)
		if err != nil {
			return err
		}
		if settled {
			s.Settled++
			continue
		}
		s.Rejected++
		if len(s.LastRejected) < 3 {
			s.LastRejected = append(s.LastRejected, fmt.Sprintf("%s: %s", r.File, r.Reason))
		}
	}
	if s.Settled > 0 {
		s.SettledWords = fmt.Sprintf("先前拒收的 %d 个数据包已处理完：里面的修改两边都已合并，对方也已收到，不再提醒（记录仍在拒收记录里）。", s.Settled)
	}
	return nil
}

func settledRefusal(ctx context.Context, book *syncbook.Book, h *heal.Healer, r syncbook.Reject, acks map[string]Ack, apart map[string]bool) (bool, error) {
	if r.Kind == KindUnverified {
		return takenSince(ctx, book, r, apart)
	}
	a, paired := apart[r.Origin]
	if r.Origin == "" || !paired || a {
		return false, nil
	}
	switch r.Kind {
	case heal.KindChain:
		return h.ForkDelivered(ctx, r.File, r.Origin)
	case heal.KindRebased:
		ack, ok := acks[r.Origin]
		return ok && ack.Receipt && ack.Changesets == 0, nil
	}
	return false, nil
}

// KindUnverified is the kind, in the rejection log, of a file whose
// signature, encryption or format did not check out (sync.RejectUnverified).
const KindUnverified = "unverified"

// takenSince reports whether a file refused as from a device not paired
// here was taken since: the changeset of that name (its content's hash)
// received, or a receipt of that device numbered at least as high taken
// in from the paired device.
func takenSince(ctx context.Context, book *syncbook.Book, r syncbook.Reject, paired map[string]bool) (bool, error) {
	switch {
	case changeset.IsName(r.File):
		return book.HasReceivedName(ctx, r.File)
	case changeset.IsReceiptName(r.File) && strings.Contains(r.Reason, changeset.ErrUnknownSender.Error()):
		parts := strings.Split(strings.TrimSuffix(r.File, changeset.ReceiptExt), "-")
		if len(parts) != 5 || parts[1] == "" {
			return false, nil
		}
		n, err := strconv.ParseUint(parts[3], 10, 64)
		if err != nil {
			return false, nil
		}
		for peer := range paired {
			if !strings.HasPrefix(peer, parts[1]) {
				continue
			}
			in, ok, err := book.ReceiptIn(ctx, peer)
			if err != nil {
				return false, err
			}
			if ok && in.Number >= n {
				return true, nil
			}
		}
	}
	return false, nil
}
