package clikit

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// CheckOutput refuses, as a usage mistake, an output path that is a
// folder (or a link to one), before anything is made: the rename into
// place would fail only once the whole file was written, saying "file
// exists" about a temporary name.
func CheckOutput(path string) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("%w: %s is a folder: give the file to write, e.g. %s", ErrUsage, path, filepath.Join(path, "cunjing"+filepath.Ext(path)))
	}
	return nil
}

// WriteOutput writes a file through a temporary name and renames it into
// place only when everything was written, so a failed print never leaves a
// half PDF where the old one was. after runs once the file is in place
// (to record what was printed).
func WriteOutput(path string, write func(w io.Writer) error, after func() error) error {
	if err := CheckOutput(path); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".cunjing-*.part")
	if err != nil {
		return fmt.Errorf("cannot write to %s: %w", dir, err)
	}
	bw := bufio.NewWriter(tmp)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644) // a print file is for the print shop and viewers too
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	if after != nil {
		return after()
	}
	return nil
}
