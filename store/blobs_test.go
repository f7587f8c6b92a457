package store

import (
	"context"
	"errors"
	"testing"
)

// A blob comes back as stored; an unknown hash is ErrNotFound.
func TestBlobs(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, RolePost, nil)
	if err := s.PutBlob(ctx, "h", []byte("img")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		hash string
		want string
		has  bool
	}{
		{"h", "img", true},
		{"other", "", false},
	} {
		b, err := s.Blob(ctx, tc.hash)
		if tc.has && (err != nil || string(b) != tc.want) {
			t.Errorf("blob %s: %q %v", tc.hash, b, err)
		}
		if !tc.has && !errors.Is(err, ErrNotFound) {
			t.Errorf("blob %s: %v, want ErrNotFound", tc.hash, err)
		}
		if has, err := s.HasBlob(ctx, tc.hash); err != nil || has != tc.has {
			t.Errorf("has blob %s: %v %v", tc.hash, has, err)
		}
	}
}
