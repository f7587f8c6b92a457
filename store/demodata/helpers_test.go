package demodata

import (
	"context"
	"fmt"

	"cunjing/store"
)

// create makes a new demo post database at path as app/demo.Create does,
// but with a fixed device ID instead of a generated identity (that is
// sync's, above store) and without cost items (those are assets', which
// app/demo passes).
func create(ctx context.Context, path string, opt Options) error {
	prof := Profile()
	prof.DeviceID = "DEMO-TEST-DEVICE"
	s, err := store.Create(ctx, path, prof, store.Options{})
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	err = Fill(ctx, s, opt)
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	return err
}
