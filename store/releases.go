package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
)

// Releases lists the live releases, newest published first.
func (s *Store) Releases(ctx context.Context) ([]Release, error) {
	rs, err := live[Release](ctx, s, "ORDER BY published_at DESC, id")
	if err != nil {
		return nil, fmt.Errorf("releases: %w", err)
	}
	return rs, nil
}

// ReleaseID is the ID of the release of the file with SHA-256 hash.
func ReleaseID(hash string) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("cunjing:releases:"+hash)).String()
}
