// Package demo creates the demo post: a new database with its own device
// identity (sync.Init) filled by store/demodata's generator with the
// embedded default cost items. It is what `cunjing demo` and the first run
// of the window create; store- and sync-level tests use store/demodata
// directly.
package demo

import (
	"context"
	"fmt"
	"os"

	"cunjing/store"
	"cunjing/store/demodata"
	cjsync "cunjing/sync"
)

// Options size the demo (see demodata.Options); Create fills in the
// embedded default cost items when CostItems is nil.
type Options = demodata.Options

// Create makes a new post database at path with its own device identity
// and fills it with the demo. On any error the half-made file is removed;
// an existing file is never touched.
func Create(ctx context.Context, path string, opt Options) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s already exists; choose a new file", path)
	}
	if opt.CostItems == nil {
		items, err := costItems()
		if err != nil {
			return err
		}
		opt.CostItems = items
	}
	s, _, err := cjsync.Init(ctx, path, demodata.Profile(), store.Options{})
	if err != nil {
		return err
	}
	err = demodata.Fill(ctx, s, opt)
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
