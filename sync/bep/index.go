// Package bep owns cunjing's network transport: Syncthing's Block Exchange
// Protocol (lib/protocol) over TLS/TCP. Each device serves its folders of
// changeset files (one per post, plus the station's broadcast folder) to the
// peers it is paired with, keeps a persisted index (IndexID, sequences,
// version vectors), and pulls what peers announce with a puller that checks
// every block's SHA-256, resumes from its temporary file after a cut, and
// caps concurrent requests. Pulled files go to the sync engine for import.
package bep

import (
	"context"
	"os"

	"github.com/syncthing/syncthing/lib/protocol"

	cjsync "cunjing/sync"
	"cunjing/sync/bep/entries"
)

// Scan adds files that appeared in a folder's directory (a fresh cut, or a
// stock Syncthing writing into it) to our index. It reports whether any
// were added.
func Scan(ctx context.Context, e *cjsync.Engine, folder string) (bool, error) {
	dir := e.FolderDir(folder)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return false, err
	}
	have, err := e.Book().BEPFiles(ctx, folder, 0)
	if err != nil {
		return false, err
	}
	known := map[string]bool{}
	for _, f := range have {
		known[f.Name] = true
	}
	des, err := os.ReadDir(dir)
	if err != nil {
		return false, err
	}
	self := shortSelf(e)
	added := false
	for _, en := range des {
		if !en.Type().IsRegular() || known[en.Name()] || !entries.Wanted(en.Name()) {
			continue
		}
		f, err := entries.Of(dir, en.Name(), protocol.Vector{}.Update(self))
		if err != nil {
			return added, err
		}
		if _, ok, err := e.Book().AddBEPFile(ctx, folder, f); err != nil {
			return added, err
		} else if ok {
			added = true
		}
	}
	return added, nil
}

func shortSelf(e *cjsync.Engine) protocol.ShortID { return e.Identity().DeviceID.Short() }
