package typeset

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"cunjing/print/fonts"
)

// TestTitleBeyondBMP: a PDF's title names a household (the resident
// sheet's 东关村 12 欧阳𠮷 户情卡), and the PDF viewer's title bar and the
// printer's queue show it. gofpdf's UTF-16 encoder takes a character
// beyond U+FFFF (𠮷) for a three-byte one and its fourth byte for another:
// the title read 欧阳 and two wrong characters.
func TestTitleBeyondBMP(t *testing.T) {
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		t.Skip("pdfinfo (poppler-utils) not installed")
	}
	f, err := fonts.Find("")
	if err != nil {
		t.Skipf("no CJK font: %v", err)
	}
	const title = "东关村 12 欧阳𠮷㙟 户情卡"
	p, err := NewPDF(context.Background(), f, Info{Title: title})
	if err != nil {
		t.Fatal(err)
	}
	p.AddPage(50, 50)
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(t.TempDir(), "t.pdf")
	if err := os.WriteFile(in, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdfinfo", "-enc", "UTF-8", in).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v %s", err, out)
	}
	m := regexp.MustCompile(`(?m)^Title:\s+(.*)$`).FindSubmatch(out)
	if m == nil || string(m[1]) != title {
		t.Errorf("the PDF's title reads %q, want %q", m, title)
	}
}
