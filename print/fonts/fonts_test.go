package fonts

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/jung-kurt/gofpdf"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

const wqy = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

func readOrSkip(t testing.TB, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Skipf("font fixture %s not installed: %v", p, err)
	}
	return b
}

func TestExtractTTCFaceValid(t *testing.T) {
	ttc := readOrSkip(t, wqy)
	offs, err := ttcFaceOffsets(ttc)
	if err != nil {
		t.Fatal(err)
	}
	for i := range offs {
		ttf, err := ExtractTTCFace(ttc, i)
		if err != nil {
			t.Fatalf("face %d: %v", i, err)
		}
		if err := checkUsable(ttf); err != nil {
			t.Errorf("face %d not usable: %v", i, err)
		}
		// Whole-file checksum must come out at the magic value once
		// checkSumAdjustment is in place.
		if got := checksum(ttf); got != checksumMag {
			t.Errorf("face %d: file checksum %#x, want %#x", i, got, checksumMag)
		}
		_, recs, err := readTableDir(ttf, 0)
		if err != nil {
			t.Fatal(err)
		}
		for j, r := range recs {
			if r.offset%4 != 0 {
				t.Errorf("table %s offset %d not 4-aligned", r.tag, r.offset)
			}
			if j > 0 && recs[j-1].tag >= r.tag {
				t.Errorf("tables not sorted: %s before %s", recs[j-1].tag, r.tag)
			}
			want := binary.BigEndian.Uint32(ttf[12+j*16+4:])
			tbl := append([]byte(nil), ttf[r.offset:pad4(uint64(r.offset)+uint64(r.length))]...)
			if r.tag == "head" {
				binary.BigEndian.PutUint32(tbl[8:], 0)
			}
			if got := checksum(tbl); got != want {
				t.Errorf("table %s checksum %#x, directory says %#x", r.tag, got, want)
			}
		}
		// An independent parser (the one Fyne's stack resembles) accepts it.
		f, err := sfnt.Parse(ttf)
		if err != nil {
			t.Fatalf("face %d: x/image/font/sfnt rejects extracted face: %v", i, err)
		}
		var buf sfnt.Buffer
		if g, err := f.GlyphIndex(&buf, '警'); err != nil || g == 0 {
			t.Errorf("face %d: no glyph for 警 (%d, %v)", i, g, err)
		}
	}
}

func TestExtractTTCFaceErrors(t *testing.T) {
	ttc := readOrSkip(t, wqy)
	trunc := ttc[:2000]
	badCount := append([]byte(nil), ttc[:64]...)
	binary.BigEndian.PutUint32(badCount[8:], 1<<30)
	cases := []struct {
		name  string
		data  []byte
		index int
		want  string
	}{
		{"empty", nil, 0, "not a TrueType collection"},
		{"plain ttf", readOrSkip(t, "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"), 0, "not a TrueType collection"},
		{"negative index", ttc, -1, "no face -1"},
		{"index past end", ttc, 99, "no face 99"},
		{"truncated", trunc, 0, "past end of file"},
		{"face count", badCount, 0, "implausible face count"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ExtractTTCFace(c.data, c.index)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want containing %q", err, c.want)
			}
		})
	}
}

// huge is a sparse file one byte past MaxFontFile (no disk space used).
func huge(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "huge.ttf")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(MaxFontFile + 1); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadRejects(t *testing.T) {
	dir := t.TempDir()
	face, err := ExtractTTCFace(readOrSkip(t, wqy), 0)
	if err != nil {
		t.Fatal(err)
	}
	otto := append([]byte(nil), face...)
	binary.BigEndian.PutUint32(otto, sfntOTTO)
	noGlyf := bytes.Replace(append([]byte(nil), face...), []byte("glyf"), []byte("CFF "), 1)
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name, path, want string
	}{
		{"missing file", filepath.Join(dir, "nope.ttf"), "no such file"},
		{"cff otf", write("x.otf", otto), "CFF"},
		{"no glyf table", write("y.ttf", noGlyf), "no 'glyf' table"},
		{"latin only", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "no glyphs for"},
		{"no digits", "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", "Latin digits"},
		{"not a font", write("z.ttf", []byte("hello, this is text not a font")), "unknown sfnt version"},
		{"a folder", dir, "not a font file"},
		{"a device", "/dev/zero", "not a font file"},
		{"too large", huge(t, dir), "larger than any font"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if strings.HasPrefix(c.path, "/dev/") && runtime.GOOS == "windows" {
				t.Skip("no /dev on Windows")
			}
			if !strings.HasPrefix(c.path, dir) && !strings.HasPrefix(c.path, "/dev/") {
				readOrSkip(t, c.path)
			}
			_, err := Load(c.path)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want containing %q", err, c.want)
			}
			if c.name == "cff otf" && !errors.Is(err, ErrNotTrueType) {
				t.Errorf("CFF error does not wrap ErrNotTrueType: %v", err)
			}
		})
	}
}

func TestFindOverrideAndSearch(t *testing.T) {
	readOrSkip(t, wqy)
	f, err := Find(wqy)
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "wqy-microhei" || f.Path != wqy || len(f.TTF) < 1<<20 {
		t.Errorf("got %q %q %d bytes", f.Name, f.Path, len(f.TTF))
	}
	// Search skips missing and unusable candidates and names them all when
	// nothing fits.
	dir := t.TempDir()
	_, err = search([]string{filepath.Join(dir, "a.ttf"), "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"}, []string{dir})
	if err == nil {
		t.Fatal("search over no CJK font succeeded")
	}
	for _, want := range []string{"a.ttf", "DejaVuSans.ttf", dir, "no glyphs for"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	// The directory scan finds a collection under an unknown name.
	if err := os.Link(wqy, filepath.Join(dir, "other-name.ttc")); err != nil {
		b := readOrSkip(t, wqy)
		if err := os.WriteFile(filepath.Join(dir, "other-name.ttc"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err = search(nil, []string{dir})
	if err != nil || f.Name != "other-name" {
		t.Fatalf("scan: %v, %+v", err, f)
	}
}

func TestCandidatesPerOS(t *testing.T) {
	env := func(k string) string {
		return map[string]string{"WINDIR": `D:\Win`, "HOME": "/home/u"}[k]
	}
	cases := []struct{ goos, want string }{
		{"windows", "simhei.ttf"},
		{"windows", "msyh.ttc"},
		{"windows", "simsun.ttc"},
		{"linux", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"},
		{"linux", "wqy-zenhei.ttc"},
		{"darwin", "Arial Unicode.ttf"},
	}
	for _, c := range cases {
		all := strings.Join(candidates(c.goos, env), "|")
		if !strings.Contains(all, c.want) {
			t.Errorf("%s candidates lack %s: %s", c.goos, c.want, all)
		}
	}
	if w := strings.Join(candidates("windows", env), "|"); !strings.Contains(w, "D:") {
		t.Errorf("windows candidates ignore WINDIR: %s", w)
	}
	// A font installed by the user alone (no administrator rights: Windows
	// 10 1809 and later put it in the user's own folder) is found, and a
	// rare character's fallback there too: before, only SimHei was looked
	// for there, and no fallback nor the scan.
	user := func(k string) string {
		return map[string]string{"WINDIR": `D:\Win`, "LOCALAPPDATA": `C:\Users\zhao\AppData\Local`}[k]
	}
	own := filepath.Join(`C:\Users\zhao\AppData\Local`, "Microsoft", "Windows", "Fonts")
	for what, list := range map[string][]string{
		"candidates": candidates("windows", user), "fallbacks": fallbackFiles("windows", user), "scan": scanDirs("windows", user),
	} {
		if w := strings.Join(list, "|"); !strings.Contains(w, own) || !strings.Contains(w, filepath.Join("D:\\Win", "Fonts")) {
			t.Errorf("windows %s lack the user's or the system's fonts folder: %s", what, w)
		}
	}
	if w := strings.Join(candidates("windows", user), "|"); !strings.Contains(w, filepath.Join(own, "msyh.ttc")) {
		t.Errorf("a YaHei the user installed is not a candidate: %s", w)
	}
}

// TestGofpdfRoundTrip is the reason this package exists: the extracted face
// must embed in gofpdf and give the exact Chinese back through pdftotext.
func TestGofpdfRoundTrip(t *testing.T) {
	readOrSkip(t, wqy)
	f, err := Find(wqy)
	if err != nil {
		t.Fatal(err)
	}
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes("cjk", "", f.TTF)
	pdf.AddPage()
	pdf.SetFont("cjk", "", 16)
	const text = "打架成本警示：拘留10日，罚款1000元"
	pdf.Text(20, 30, text)
	path := filepath.Join(t.TempDir(), "t.pdf")
	if err := pdf.OutputFileAndClose(path); err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	out, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), text) {
		t.Errorf("pdftotext gave %q, want %q", out, text)
	}
	fl, err := exec.Command("pdffonts", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(fl), "CID TrueType") || !strings.Contains(string(fl), "yes") {
		t.Errorf("pdffonts: %s", fl)
	}
}

func FuzzExtractTTCFace(f *testing.F) {
	if ttc, err := os.ReadFile(wqy); err == nil {
		// The directory region is what matters; tables past it are data.
		f.Add(ttc[:4096], 0)
		f.Add(ttc[:300], 1)
	}
	f.Add([]byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x01\x00\x00\x00\x10\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00head\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x40"), 0)
	f.Add([]byte("ttcf"), 0)
	f.Fuzz(func(t *testing.T, data []byte, index int) {
		ttf, err := ExtractTTCFace(data, index)
		if err != nil {
			return
		}
		// Whatever we produce must be a well-formed directory we can read
		// back, and the usability check must not crash on it.
		if _, _, err := readTableDir(ttf, 0); err != nil {
			t.Fatalf("extracted face unreadable: %v", err)
		}
		_ = checkUsable(ttf)
	})
}

// FuzzFromBytes covers the path a user-named font file takes.
func FuzzFromBytes(f *testing.F) {
	if ttc, err := os.ReadFile(wqy); err == nil {
		f.Add(ttc[:4096])
		if face, err := ExtractTTCFace(ttc, 0); err == nil {
			f.Add(face[:4096])
		}
	}
	f.Add([]byte("OTTO\x00\x01"))
	f.Add([]byte("\x00\x01\x00\x00\x00\x01\x00\x10\x00\x00\x00\x00cmap\x00\x00\x00\x00\x00\x00\x00\x1c\x00\x00\x00\x04\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = FromBytes("fuzz.ttf", data)
	})
}

// TestFallbacksPerFont: each Font owns its fallback fonts (no package
// state): nothing is opened when a Font is made, its files are opened on
// its first Fallbacks (the first character the main font lacks) and not
// again, another Font opens its own, and each call returns sfnt.Fonts of
// its own (an sfnt.Font is not safe for concurrent use).
func TestFallbacksPerFont(t *testing.T) {
	opened := map[string]int{}
	opener := func(p string) (io.ReaderAt, error) {
		opened[p]++
		if strings.HasSuffix(p, "missing.ttf") {
			return nil, os.ErrNotExist
		}
		return bytes.NewReader(goregular.TTF), nil
	}
	a := &Font{Name: "a"}
	WithFallbackFiles("/a/one.ttf", "/a/missing.ttf")(a)
	a.fallback.open = opener
	b := &Font{Name: "b"} // a literal: the machine's fallback files
	b.fallback.open = opener
	if len(opened) != 0 {
		t.Fatalf("opened before any character asked: %v", opened)
	}

	fa := a.Fallbacks()
	if len(fa) != 1 || opened["/a/one.ttf"] != 1 || opened["/a/missing.ttf"] != 1 || len(opened) != 2 {
		t.Fatalf("a's first Fallbacks: %d fonts, opened %v; want 1 font from a's two files", len(fa), opened)
	}
	again := a.Fallbacks()
	if len(again) != 1 || again[0] == fa[0] {
		t.Errorf("a's second Fallbacks: %d fonts, the same sfnt.Font as the first: %v", len(again), len(again) == 1 && again[0] == fa[0])
	}
	if opened["/a/one.ttf"] != 1 || len(opened) != 2 {
		t.Errorf("a's files opened again, or b's with them: %v", opened)
	}

	fb := b.Fallbacks()
	want := fallbackFiles(runtime.GOOS, os.Getenv)
	for _, p := range want {
		if opened[p] != 1 {
			t.Errorf("b (the machine's fallbacks) opened %s %d times, want once", p, opened[p])
		}
	}
	if len(fb) != len(want) {
		t.Errorf("b: %d fallback fonts, want one from each of its %d files", len(fb), len(want))
	}
	b.Fallbacks()
	if opened["/a/one.ttf"] != 1 || len(opened) != 2+len(want) {
		t.Errorf("after b's Fallbacks, twice: opened %v", opened)
	}

	var none *Font
	if fs := none.Fallbacks(); fs != nil {
		t.Errorf("a nil Font has %d fallback fonts", len(fs))
	}
}

// TestWithFallbackFonts: fonts in memory, or no files at all, replace the
// machine's fallbacks.
func TestWithFallbackFonts(t *testing.T) {
	f := &Font{}
	WithFallbackFonts(goregular.TTF, []byte("not a font"))(f)
	if fs := f.Fallbacks(); len(fs) != 1 {
		t.Errorf("%d fallback fonts from goregular and a damaged one, want 1", len(fs))
	}
	g := &Font{}
	WithFallbackFiles()(g)
	g.fallback.open = func(p string) (io.ReaderAt, error) {
		t.Errorf("opened %s: no fallback files were given", p)
		return nil, os.ErrNotExist
	}
	if fs := g.Fallbacks(); len(fs) != 0 {
		t.Errorf("%d fallback fonts, none given", len(fs))
	}
}

// TestFallbacksHaveCombiningMarks: a name's tone marks typed as combining
// characters (U+0304 macron, U+030C caron: ǚ, ê̄) found no font on a
// Debian machine — Droid Sans Fallback, Noto CJK and WenQuanYi draw none —
// and printed as a bare letter; DejaVu Sans (fonts-dejavu-core, which make
// deps installs) has them.
func TestFallbacksHaveCombiningMarks(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the machine's fallback fonts of Linux")
	}
	if _, err := os.Stat("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"); err != nil {
		t.Skip("DejaVu Sans is not installed (apt install fonts-dejavu-core)")
	}
	f := &Font{Name: "main"}
	var b sfnt.Buffer
	for _, r := range []rune{0x0304, 0x030C, 0x0308} {
		found := false
		for _, fb := range f.Fallbacks() {
			if i, err := fb.GlyphIndex(&b, r); err == nil && i != 0 {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("no fallback font draws U+%04X", r)
		}
	}
}
