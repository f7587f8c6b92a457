package sync

import (
	"context"

	"cunjing/sync/status"
)

// Status reports what is waiting to go out and to come in (status.Of,
// handed this engine's streams, folders and what each peer acknowledged).
func (e *Engine) Status(ctx context.Context) (status.Summary, error) {
	none := status.Summary{Device: e.Self(), Role: e.st.Role()}
	streams, err := e.streams(ctx)
	if err != nil {
		return none, err
	}
	folders, err := e.Folders(ctx)
	if err != nil {
		return none, err
	}
	acks, err := e.Acks(ctx)
	if err != nil {
		return none, err
	}
	var in status.Input
	for _, s := range streams {
		in.Streams = append(in.Streams, s.id)
	}
	for _, f := range folders {
		in.Folders = append(in.Folders, status.Folder(f))
	}
	for _, a := range acks {
		in.Acks = append(in.Acks, status.Ack{Waiting: status.Waiting{Peer: a.Peer, Changesets: a.Changesets, Since: a.Since},
			Name: a.Name, Role: a.Role, Through: a.Through, Receipt: a.Receipt})
	}
	if in.Lost, err = e.LostPairings(ctx); err != nil {
		return none, err
	}
	return status.Of(ctx, e.st, e.heal, in)
}
