package store

import (
	"context"
	"fmt"
)

// DeleteSecret removes one entry of the secrets table (a short pairing
// code's one-time secret once it is used, expired or guessed at too
// often). Removing a name that is not there is not an error.
func (s *Store) DeleteSecret(ctx context.Context, name string) error {
	if _, err := s.db.ExecContext(ctx, "DELETE FROM secrets WHERE name = ?", name); err != nil {
		return fmt.Errorf("delete secret %s: %w", name, err)
	}
	return nil
}
