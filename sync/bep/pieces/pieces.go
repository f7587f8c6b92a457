// Package pieces owns the list of a partial BEP transfer's pieces already
// written to its temporary file, kept beside it so that a transfer cut by a
// village link resumes asking only for the rest.
package pieces

import (
	"bytes"
	"fmt"
	"os"
	"sync"
)

// New is the list kept at path (call Load to read what an earlier,
// cut transfer noted).
func New(path string) *List { return &List{path: path} }

// List is the pieces of a file's blocks already in its temporary
// file, by offset, kept in a file beside it (one offset a line, appended
// as each piece is written) so a resumed transfer asks only for the rest.
// A torn last line is ignored; a piece listed wrongly only costs a failed
// block check, after which its block's pieces come again.
type List struct {
	path string
	mu   sync.Mutex
	set  map[int64]bool
}

// Load reads the list kept beside the temporary file; a missing or
// unreadable list is an empty one.
func (l *List) Load() {
	l.set = map[int64]bool{}
	data, err := os.ReadFile(l.path)
	if err != nil {
		return
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		var off int64
		if _, err := fmt.Sscanf(string(line), "%d", &off); err == nil && off >= 0 {
			l.set[off] = true
		}
	}
}

// Has reports whether the piece at off is already in the temporary file.
func (l *List) Has(off int64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.set[off]
}

// Add notes a piece written; failing to note it only means asking again.
func (l *List) Add(off int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.set == nil {
		l.set = map[int64]bool{}
	}
	l.set[off] = true
	f, err := os.OpenFile(l.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return
	}
	fmt.Fprintf(f, "%d\n", off)
	f.Close()
}

// Drop forgets the pieces of the block at off (size bytes) and rewrites
// the list.
func (l *List) Drop(off int64, size int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b bytes.Buffer
	for o := range l.set {
		if o >= off && o < off+int64(size) {
			delete(l.set, o)
			continue
		}
		fmt.Fprintf(&b, "%d\n", o)
	}
	_ = os.WriteFile(l.path, b.Bytes(), 0o644) // at worst a piece is asked for again
}

// Remove deletes the list once its file is complete.
func (l *List) Remove() { _ = os.Remove(l.path) } // a leftover list is ignored: its pieces verify or come again
