package sync

import "cunjing/sync/safefile"

// Files in folders others can write to are read and written through
// sync/safefile. These names stay for receipts.go and sync/bep.

// TempPrefix starts the names of files being written; importers skip them.
const TempPrefix = safefile.TempPrefix

// WriteFileAtomic is safefile.WriteAtomic.
func WriteFileAtomic(dir, name string, data []byte) error {
	return safefile.WriteAtomic(dir, name, data)
}
