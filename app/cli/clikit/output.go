package clikit

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteOutput writes a file through a temporary name and renames it into
// place only when everything was written, so a failed print never leaves a
// half PDF where the old one was. after runs once the file is in place
// (to record what was printed).
func WriteOutput(path string, write func(w io.Writer) error, after func() error) error {
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
