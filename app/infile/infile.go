// Package infile reads a file someone named (on the command line or in a
// file chooser) with a bound: a regular file of at most a given size,
// checked before it is read and again while reading, so a link to a
// device, a huge file or one that grows meanwhile is refused rather than
// read whole into memory. The CLI and the window share it.
package infile

import (
	"fmt"
	"io"
	"os"
)

// ReadBounded reads path, at most limit bytes.
func ReadBounded(path string, limit int64) ([]byte, error) {
	f, fi, err := open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi.Size() > limit {
		return nil, fmt.Errorf("%s has %s; at most %s is read", path, size(fi.Size()), size(limit))
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s grew past %s while being read", path, size(limit))
	}
	return data, nil
}

// Open opens path for reading if it is a regular file (or a link to
// one), for a reader that streams it (a hash) rather than holding it: a
// named pipe, a device or a folder is refused before it is opened
// (opening a pipe waits for a writer for ever; /dev/zero never ends).
func Open(path string) (*os.File, error) {
	f, _, err := open(path)
	return f, err
}

func open(path string) (*os.File, os.FileInfo, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("%s is not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	return f, fi, nil
}

// size says a byte count in the largest whole unit.
func size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0 || n >= 10<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
