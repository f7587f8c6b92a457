package demo

import (
	"context"
	"fmt"
	"os"

	"cunjing/store"
	cjsync "cunjing/sync"
)

// Create makes a new post database at path with its own device identity
// and fills it with the demo. On any error the half-made file is removed;
// an existing file is never touched.
func Create(ctx context.Context, path string, opt Options) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s already exists; choose a new file", path)
	}
	s, _, err := cjsync.Init(ctx, path, Profile, store.Options{})
	if err != nil {
		return err
	}
	err = Fill(ctx, s, opt)
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		for _, suf := range []string{"", "-wal", "-shm"} {
			_ = os.Remove(path + suf) // our own half-made database
		}
		return err
	}
	return nil
}
