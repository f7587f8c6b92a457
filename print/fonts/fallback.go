package fonts

import (
	"bytes"
	"io"
	"os"
	"runtime"
	"sync"

	"golang.org/x/image/font/sfnt"
)

// fallbackFiles are fonts known to hold the rare characters of names that
// the usual CJK fonts lack: CJK Extension A (㙟, 䶮) and, beyond U+FFFF,
// Extension B (𠮷); and, last, a Latin font with the combining marks (a
// Pinyin or Zhuang name's tone marks typed as U+0304, U+030C: ǚ, ê̄) that
// none of the CJK fonts draw. The layouts draw such a character's outline
// from the first of them that has it (typeset.Metrics.Fallbacks).
func fallbackFiles(goos string, getenv func(string) string) []string {
	switch goos {
	case "windows":
		return windowsFonts(getenv, "simsun.ttc", "simsunb.ttf", "msyh.ttc", "mingliub.ttc", "simhei.ttf", "HanaMinA.ttf", "HanaMinB.ttf", "segoeui.ttf", "arial.ttf")
	case "darwin":
		return []string{
			"/System/Library/Fonts/Supplemental/Songti.ttc",
			"/Library/Fonts/Arial Unicode.ttf",
			"/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
			"/System/Library/Fonts/PingFang.ttc",
		}
	default:
		return []string{
			"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
			"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
			"/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
			"/usr/share/fonts/truetype/arphic/uming.ttc",
			"/usr/share/fonts/truetype/hanazono/HanaMinA.ttf",
			"/usr/share/fonts/truetype/hanazono/HanaMinB.ttf",
			"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
			"/usr/share/fonts/truetype/unifont/unifont.ttf",
		}
	}
}

// fallbackSet is a Font's fallback fonts: nothing is opened until the
// first character the main font lacks asks for them (most documents have
// none), then the files stay open as long as the Font, which the window
// or the command keeps for its lifetime: once per Font, not per page.
type fallbackSet struct {
	once sync.Once
	// files lists the files to open; nil: the machine's (fallbackFiles).
	files func() []string
	// open opens one of files; nil: openFontFile.
	open func(path string) (io.ReaderAt, error)
	// data are fonts in memory, used instead of files (WithFallbackFonts).
	data [][]byte
	srcs []io.ReaderAt // what once opened: the files that exist and are fonts' size
}

// Option sets up a Font as Load or FromBytes makes it.
type Option func(*Font)

// WithFallbackFiles makes paths a Font's fallback fonts instead of the
// machine's (fallbackFiles); none at all when paths is empty. They are
// opened when the first character the font lacks is met.
func WithFallbackFiles(paths ...string) Option {
	paths = append([]string{}, paths...)
	return func(f *Font) { f.fallback.files = func() []string { return paths } }
}

// WithFallbackFonts makes fonts in memory (a .ttf or a .ttc each) a
// Font's fallback fonts instead of the machine's: a test's damaged font,
// or one embedded in the program.
func WithFallbackFonts(data ...[]byte) Option {
	data = append([][]byte{}, data...)
	return func(f *Font) {
		f.fallback.files = func() []string { return nil }
		f.fallback.data = data
	}
}

// Fallbacks parses f's fallback fonts: the machine's (those of
// fallbackFiles that exist and parse; every face of a collection), or
// those an Option gave. The files are opened once per Font, when the
// first call comes (a layout meets a character the main font lacks), and
// read where a glyph is needed (sfnt reads tables through ReadAt), not
// held in memory: on Windows they are some 100 MB (SimSun, SimSun-ExtB,
// YaHei, MingLiU-ExtB, SimHei), and a single rare character in a name
// kept all of it for the rest of the session. Each call returns fonts of
// its own: an sfnt.Font is not safe for concurrent use (the open files
// are: ReadAt). A nil Font has none.
func (f *Font) Fallbacks() []*sfnt.Font {
	if f == nil {
		return nil
	}
	fb := &f.fallback
	fb.once.Do(func() {
		for _, d := range fb.data {
			fb.srcs = append(fb.srcs, bytes.NewReader(d))
		}
		files, open := fb.files, fb.open
		if files == nil {
			files = func() []string { return fallbackFiles(runtime.GOOS, os.Getenv) }
		}
		if open == nil {
			open = func(p string) (io.ReaderAt, error) {
				r, _, err := openFontFile(p)
				if err != nil {
					return nil, err // a nil *os.File is no nil io.ReaderAt
				}
				return r, nil
			}
		}
		for _, p := range files() {
			if r, err := open(p); err == nil {
				fb.srcs = append(fb.srcs, r)
			}
		}
	})
	var out []*sfnt.Font
	for _, r := range fb.srcs {
		var magic [4]byte
		if _, err := r.ReadAt(magic[:], 0); err != nil {
			continue
		}
		if magic == [4]byte{'t', 't', 'c', 'f'} {
			c, err := sfnt.ParseCollectionReaderAt(r)
			if err != nil {
				continue
			}
			for i := 0; i < c.NumFonts(); i++ {
				if f, err := c.Font(i); err == nil {
					out = append(out, f)
				}
			}
			continue
		}
		if f, err := sfnt.ParseReaderAt(r); err == nil {
			out = append(out, f)
		}
	}
	return out
}
