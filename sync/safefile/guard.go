package safefile

import (
	"path/filepath"
	gosync "sync"
)

// guards are the checks a folder must pass before each file is written
// into it (Guard), by its cleaned path.
var guards struct {
	gosync.Mutex
	of map[string][]*func() error
}

// Guard makes every WriteAtomic into dir run check first, before its
// temporary file is made and again before the rename that puts it under
// its name: an error from check stops that write, wrapped, and nothing
// more is put in the folder. sync/exchange checks there that a stick's
// folder is still the one it read (not swapped, nor its mount point left
// behind) before each file, not once before and once after the whole
// write. release ends it; checks of one folder run in the order given.
func Guard(dir string, check func() error) (release func()) {
	key := filepath.Clean(dir)
	g := &check
	guards.Lock()
	defer guards.Unlock()
	if guards.of == nil {
		guards.of = map[string][]*func() error{}
	}
	guards.of[key] = append(guards.of[key], g)
	return func() {
		guards.Lock()
		defer guards.Unlock()
		gs := guards.of[key]
		for i, x := range gs {
			if x == g {
				gs = append(gs[:i:i], gs[i+1:]...)
				break
			}
		}
		if len(gs) == 0 {
			delete(guards.of, key)
		} else {
			guards.of[key] = gs
		}
	}
}

// guarded runs dir's checks (Guard), the first error stopping them.
func guarded(dir string) error {
	guards.Lock()
	gs := append([]*func() error(nil), guards.of[filepath.Clean(dir)]...)
	guards.Unlock()
	for _, g := range gs {
		if err := (*g)(); err != nil {
			return err
		}
	}
	return nil
}
