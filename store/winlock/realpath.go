package winlock

import (
	"os"
	"path/filepath"
)

// RealPath is the name of the file a database path reaches, links
// followed (a shortcut to the database, or a data folder moved to another
// disk and linked back): the one name every lock, every hold and every
// file kept beside the database (its sync folder, journal, backups before
// a restore) is named after, whatever name it was opened by. Without it a
// `cunjing node` on the link and a restore of the file did not see each
// other, and each name had its own sync folder.
//
// A path not there yet (a database about to be made) is its folder's
// real name joined to its own; a dangling link, or a folder not there, is
// the path as given (opening it fails as before). A relative path with no
// link in it stays relative.
func RealPath(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	if _, err := os.Lstat(p); err == nil {
		return p // there but not followed (a dangling or looping link)
	}
	if d, err := filepath.EvalSymlinks(filepath.Dir(p)); err == nil {
		return filepath.Join(d, filepath.Base(p))
	}
	return p
}
