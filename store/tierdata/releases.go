package tierdata

import (
	"context"
	"cunjing/store"
	"fmt"

	"github.com/google/uuid"
)

// Releases lists the live releases, newest published first.
func Releases(ctx context.Context, s *store.Store) ([]store.Release, error) {
	rs, err := store.Live[store.Release](ctx, s, "ORDER BY published_at DESC, id")
	if err != nil {
		return nil, fmt.Errorf("releases: %w", err)
	}
	return rs, nil
}

// ReleaseID is the ID of the release of the file with SHA-256 hash.
func ReleaseID(hash string) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("cunjing:releases:"+hash)).String()
}
