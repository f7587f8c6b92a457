package infile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadBounded(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small")
	if err := os.WriteFile(small, []byte("0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path string
		limit      int64
		want       string // "" reads
	}{
		{"fits", small, 10, ""},
		{"one byte over", small, 9, "has 10 bytes; at most 9 bytes is read"},
		{"a folder", dir, 1 << 20, "not a regular file"},
		{"missing", filepath.Join(dir, "none"), 10, "no such file"},
	}
	for _, c := range cases {
		data, err := ReadBounded(c.path, c.limit)
		switch {
		case c.want == "" && (err != nil || string(data) != "0123456789"):
			t.Errorf("%s: %q %v", c.name, data, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	if got := size(64 << 10); got != "64 KB" {
		t.Errorf("size(64 KiB) = %q", got)
	}
	if got := size(16 << 20); got != "16 MB" {
		t.Errorf("size(16 MiB) = %q", got)
	}
}
