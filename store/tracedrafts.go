package store

import (
	"context"

	"cunjing/store/tracedrafts"
)

// TraceDraft is a village's draft of a traced map (tracedrafts.Draft):
// local to this PC, never synced.
type TraceDraft = tracedrafts.Draft

// MaxTraceDraftBytes bounds a draft's proposal (JSON).
const MaxTraceDraftBytes = tracedrafts.MaxTraceDraftBytes

// SaveTraceDraft stores the village's draft with its scan (tracedrafts.Drafts.Save).
func (s *Store) SaveTraceDraft(ctx context.Context, d TraceDraft, scan []byte) error {
	return s.drafts.Save(ctx, d, scan)
}

// TraceDraft returns the village's draft; ErrNotFound when it has none.
func (s *Store) TraceDraft(ctx context.Context, villageID string) (TraceDraft, error) {
	return s.drafts.Get(ctx, villageID)
}

// DeleteTraceDraft drops the village's draft (accepted or thrown away).
func (s *Store) DeleteTraceDraft(ctx context.Context, villageID string) error {
	return s.drafts.Delete(ctx, villageID)
}

// TraceDraftVillages lists the villages that have a draft, by ID.
func (s *Store) TraceDraftVillages(ctx context.Context) ([]string, error) {
	return s.drafts.Villages(ctx)
}
