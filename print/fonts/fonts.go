// Package fonts finds a CJK TrueType font on the machine (or takes the one
// the user names) and turns it into a standalone glyf-outline TTF that both
// gofpdf (AddUTF8FontFromBytes) and Fyne (fyne.NewStaticResource) can use.
//
// gofpdf cannot read font collections (.ttc) or CFF outlines, and silently
// produces a broken PDF for fonts lacking a Unicode format-4 cmap, so every
// candidate is split (face 0 of a collection) and checked here before any
// layout sees it.
package fonts

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
)

// Font is a loaded, checked CJK font.
type Font struct {
	Name string // face name from the file name, e.g. "wqy-microhei"
	Path string // where it was read from
	TTF  []byte // standalone TrueType (glyf) font

	// fallback draws the characters TTF lacks (Fallbacks); a Font
	// literal gets the machine's, opened at the first such character.
	fallback fallbackSet
}

// Load reads a .ttf or .ttc (face 0) file and checks that gofpdf can
// embed it and that it has Latin digits and Chinese glyphs. Its fallback
// fonts are the machine's unless an Option says otherwise.
func Load(path string, opts ...Option) (*Font, error) {
	data, err := readFontFile(path)
	if err != nil {
		return nil, fmt.Errorf("read font: %w", err)
	}
	f, err := FromBytes(filepath.Base(path), data, opts...)
	if err != nil {
		return nil, fmt.Errorf("font %s: %w", path, err)
	}
	f.Path = path
	return f, nil
}

// MaxFontFile is the largest font file Load reads: a collection of every
// weight of a CJK family is some 120 MB; anything larger, or a device or
// pipe chosen by mistake, is refused before it is read.
const MaxFontFile = 256 << 20

// readFontFile reads a regular file of at most MaxFontFile bytes.
func readFontFile(path string) ([]byte, error) {
	f, _, err := openFontFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFontFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFontFile {
		return nil, fmt.Errorf("%s grew past %d MB while read", path, MaxFontFile>>20)
	}
	return data, nil
}

// openFontFile opens a font file for reading, and says its size: a
// regular file (asked before opening: opening a named pipe waits for a
// writer for ever, and a folder or device is no font either) of
// MaxFontFile at most.
func openFontFile(path string) (*os.File, int64, error) {
	if st, err := os.Stat(path); err != nil {
		return nil, 0, err
	} else if !st.Mode().IsRegular() {
		return nil, 0, fmt.Errorf("%s is not a font file (%s)", path, st.Mode().Type())
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, 0, fmt.Errorf("%s is not a font file (%s)", path, st.Mode().Type())
	}
	if st.Size() > MaxFontFile {
		f.Close()
		return nil, 0, fmt.Errorf("%s is %d MB, larger than any font (%d MB at most)", path, st.Size()>>20, MaxFontFile>>20)
	}
	return f, st.Size(), nil
}

// FromBytes is Load for font data already in memory (e.g. embedded); a
// collection is reduced to its face 0.
func FromBytes(name string, data []byte, opts ...Option) (*Font, error) {
	ttf := data
	if len(data) >= 4 && bytes.Equal(data[:4], []byte("ttcf")) {
		var err error
		if ttf, err = ExtractTTCFace(data, 0); err != nil {
			return nil, fmt.Errorf("extract face 0: %w", err)
		}
	}
	if err := checkUsable(ttf); err != nil {
		return nil, err
	}
	f := &Font{Name: strings.TrimSuffix(name, filepath.Ext(name)), TTF: ttf}
	for _, o := range opts {
		o(f)
	}
	return f, nil
}

// Find returns the override font if one is named, otherwise the first
// usable CJK font from the operating system's font folders.
func Find(override string) (*Font, error) {
	if override != "" {
		return Load(override)
	}
	return search(candidates(runtime.GOOS, os.Getenv), scanDirs(runtime.GOOS, os.Getenv))
}

// candidates lists well-known glyf CJK fonts in order of preference.
func candidates(goos string, getenv func(string) string) []string {
	switch goos {
	case "windows":
		return windowsFonts(getenv, "simhei.ttf", "msyh.ttc", "msyh.ttf", "simsun.ttc", "simkai.ttf", "simfang.ttf", "Deng.ttf")
	case "darwin":
		return []string{
			"/Library/Fonts/Arial Unicode.ttf",
			"/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
			"/System/Library/Fonts/STHeiti Medium.ttc",
			"/System/Library/Fonts/STHeiti Light.ttc",
			"/System/Library/Fonts/Supplemental/Songti.ttc",
			"/System/Library/Fonts/PingFang.ttc",
			"/System/Library/Fonts/Hiragino Sans GB.ttc",
		}
	default:
		return []string{
			"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
			"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
			"/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
			"/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
			"/usr/share/fonts/truetype/arphic/uming.ttc",
			"/usr/share/fonts/truetype/arphic/ukai.ttc",
			"/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf",
			"/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf",
		}
	}
}

// scanDirs are searched recursively after the well-known names, for fonts
// installed under other names.
func scanDirs(goos string, getenv func(string) string) []string {
	home := getenv("HOME")
	switch goos {
	case "windows":
		return windowsFontDirs(getenv)
	case "darwin":
		return []string{"/Library/Fonts", "/System/Library/Fonts", filepath.Join(home, "Library", "Fonts")}
	default:
		dirs := []string{"/usr/share/fonts", "/usr/local/share/fonts"}
		if home != "" {
			dirs = append(dirs, filepath.Join(home, ".local", "share", "fonts"), filepath.Join(home, ".fonts"))
		}
		return dirs
	}
}

// minCJKSize skips small files in the directory scan: a font with a few
// thousand CJK glyphs is megabytes, Latin-only fonts are far smaller.
const minCJKSize = 2 << 20

func search(known, dirs []string) (*Font, error) {
	var rejected []string
	tried := map[string]bool{}
	try := func(p string) *Font {
		tried[p] = true
		f, err := Load(p)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				rejected = append(rejected, err.Error())
			}
			return nil
		}
		return f
	}
	for _, p := range known {
		if f := try(p); f != nil {
			return f, nil
		}
	}
	for _, d := range dirs {
		var found []string
		// Unreadable subfolders are skipped, not fatal: we only need one font.
		_ = filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return nil
			}
			ext := strings.ToLower(filepath.Ext(p))
			if ext != ".ttf" && ext != ".ttc" {
				return nil
			}
			if info, err := e.Info(); err != nil || info.Size() < minCJKSize {
				return nil
			}
			if !tried[p] {
				found = append(found, p)
			}
			return nil
		})
		sort.Strings(found)
		for _, p := range found {
			if f := try(p); f != nil {
				return f, nil
			}
		}
	}
	msg := fmt.Sprintf("no usable CJK TrueType font found; searched %s and folders %s",
		strings.Join(known, ", "), strings.Join(dirs, ", "))
	if len(rejected) > 0 {
		msg += "; rejected: " + strings.Join(rejected, "; ")
	}
	return nil, errors.New(msg + " — install fonts-wqy-microhei or name a .ttf/.ttc font")
}

// windowsFontDirs are Windows' fonts folder (%WINDIR%\Fonts; C:\Windows
// without WINDIR), then the user's own (%LOCALAPPDATA%\Microsoft\Windows\
// Fonts, where Windows 10 1809 and later put a font the user installs
// without administrator rights).
func windowsFontDirs(getenv func(string) string) []string {
	win := getenv("WINDIR")
	if win == "" {
		win = `C:\Windows`
	}
	dirs := []string{filepath.Join(win, "Fonts")}
	if la := getenv("LOCALAPPDATA"); la != "" {
		dirs = append(dirs, filepath.Join(la, "Microsoft", "Windows", "Fonts"))
	}
	return dirs
}

// windowsFonts are the files names in windowsFontDirs, folder by folder.
func windowsFonts(getenv func(string) string, names ...string) []string {
	var out []string
	for _, d := range windowsFontDirs(getenv) {
		for _, n := range names {
			out = append(out, filepath.Join(d, n))
		}
	}
	return out
}
