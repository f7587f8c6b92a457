package print

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// CreateFile runs write into a temporary file beside path and renames it
// into place only when write succeeded, so a failed or cancelled batch
// never leaves a half-written PDF where the user expects a good one.
func CreateFile(path string, write func(io.Writer) error) (err error) {
	if path == "" {
		return errors.New("output: no file name")
	}
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil {
		return fmt.Errorf("output folder %s: %w", dir, err)
	} else if !st.IsDir() {
		return fmt.Errorf("output folder %s: not a folder", dir)
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("output %s: is a folder", path)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("output %s: cannot write there: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("output %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("output %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("output %s: %w", path, err)
	}
	return nil
}
