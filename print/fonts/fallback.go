package fonts

import (
	"os"
	"runtime"
	"sync"

	"golang.org/x/image/font/sfnt"
)

// fallbackFiles are fonts known to hold the rare characters of names that
// the usual CJK fonts lack: CJK Extension A (㙟, 䶮) and, beyond U+FFFF,
// Extension B (𠮷). The layouts draw such a character's outline from the
// first of them that has it (typeset.Metrics.Fallbacks).
func fallbackFiles(goos string, getenv func(string) string) []string {
	switch goos {
	case "windows":
		return windowsFonts(getenv, "simsun.ttc", "simsunb.ttf", "msyh.ttc", "mingliub.ttc", "simhei.ttf", "HanaMinA.ttf", "HanaMinB.ttf")
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
			"/usr/share/fonts/truetype/unifont/unifont.ttf",
		}
	}
}

var (
	fallbackOnce  sync.Once
	fallbackFonts []*os.File
)

// Fallbacks parses the machine's fallback fonts (those of fallbackFiles
// that exist and parse; every face of a collection). The files are
// opened once per process and read where a font is needed (sfnt reads
// tables through ReadAt), not held in memory: on Windows they are some
// 100 MB (SimSun, SimSun-ExtB, YaHei, MingLiU-ExtB, SimHei), and a single
// rare character in a name kept all of it for the rest of the session.
// Each call returns fonts of its own: an sfnt.Font is not safe for
// concurrent use (the open files are: ReadAt).
func Fallbacks() []*sfnt.Font {
	fallbackOnce.Do(func() {
		for _, p := range fallbackFiles(runtime.GOOS, os.Getenv) {
			if f, _, err := openFontFile(p); err == nil {
				fallbackFonts = append(fallbackFonts, f)
			}
		}
	})
	var out []*sfnt.Font
	for _, f := range fallbackFonts {
		var magic [4]byte
		if _, err := f.ReadAt(magic[:], 0); err != nil {
			continue
		}
		if magic == [4]byte{'t', 't', 'c', 'f'} {
			c, err := sfnt.ParseCollectionReaderAt(f)
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
		if f, err := sfnt.ParseReaderAt(f); err == nil {
			out = append(out, f)
		}
	}
	return out
}
