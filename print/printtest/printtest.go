// Package printtest holds what the print packages' tests share: the CJK
// font of the machine, the default cost items, and poppler's view of a PDF
// (pages, page sizes, embedded fonts, text).
package printtest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"cunjing/assets"
	"cunjing/print/fonts"
)

// Poppler runs one of poppler's tools (pdfinfo, pdftotext, pdffonts …) and
// returns what it printed; the test is skipped where it is not installed.
func Poppler(t *testing.T, bin string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(bin); err != nil {
		t.Skipf("%s not installed", bin)
	}
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", bin, args, err, out)
	}
	return string(out)
}

// Squash removes whitespace so text wrapped across lines compares whole.
func Squash(s string) string { return strings.Join(strings.Fields(s), "") }

// PDFPages is the PDF's page count, as pdfinfo reads it.
func PDFPages(t *testing.T, path string) int {
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindStringSubmatch(Poppler(t, "pdfinfo", path))
	if m == nil {
		t.Fatal("pdfinfo: no page count")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// PageSizeMM is the size of one page of the PDF in millimetres.
func PageSizeMM(t *testing.T, path string, page int) (float64, float64) {
	p := strconv.Itoa(page)
	m := regexp.MustCompile(`Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts`).FindStringSubmatch(Poppler(t, "pdfinfo", "-f", p, "-l", p, path))
	if m == nil {
		t.Fatal("pdfinfo: no page size")
	}
	w, _ := strconv.ParseFloat(m[1], 64)
	h, _ := strconv.ParseFloat(m[2], 64)
	return w / 72 * 25.4, h / 72 * 25.4
}

// CheckOneEmbeddedFont asserts the PDF embeds exactly one font.
func CheckOneEmbeddedFont(t *testing.T, path string) {
	t.Helper()
	out := Poppler(t, "pdffonts", path)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("want exactly one font, pdffonts:\n%s", out)
	}
	f := strings.Fields(lines[2])
	if !strings.Contains(lines[2], "CID TrueType") || f[len(f)-5] != "yes" {
		t.Errorf("font not embedded as CID TrueType: %s", lines[2])
	}
}

// WriteTemp writes what write produces to a file name in the test's
// temporary folder and returns its path.
func WriteTemp(t *testing.T, name string, write func(*bytes.Buffer) error) string {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Font is the machine's CJK font; the test is skipped without one.
func Font(t testing.TB) *fonts.Font {
	t.Helper()
	f, err := fonts.Find("")
	if err != nil {
		t.Skipf("no CJK font on this machine: %v", err)
	}
	return f
}

// CostItems are the default cost items in force on 2026-11-24.
func CostItems(t testing.TB) []assets.CostItem {
	t.Helper()
	items, err := assets.DefaultCostItems()
	if err != nil {
		t.Fatal(err)
	}
	items, err = assets.InForce(items, "2026-11-24")
	if err != nil {
		t.Fatal(err)
	}
	return items
}
