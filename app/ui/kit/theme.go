package kit

import (
	"errors"
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"cunjing/store"
)

// Font is a CJK TrueType face the UI draws with (the same face print uses
// for PDFs, so what is on screen is what is on paper).
type Font struct {
	Name string // family name for 设置, e.g. "WenQuanYi Micro Hei"
	Path string // where it was found (a file, or file#face for a collection)
	TTF  []byte // a single-face TrueType font
}

// FontFinder finds the CJK font; override is the path chosen in 设置 (empty
// means search the system).
type FontFinder func(override string) (Font, error)

// cjTheme is a light, calm theme with larger text than Fyne's default (the
// users read from old monitors at arm's length) and a CJK font for every
// text style, so Chinese never falls back to boxes.
type cjTheme struct {
	font fyne.Resource // nil: Fyne's default font (and its system fallback)
}

// NewTheme returns the app theme drawing text with f; a nil f keeps Fyne's
// default font.
func NewTheme(f *Font) fyne.Theme {
	t := &cjTheme{}
	if f != nil && len(f.TTF) > 0 {
		t.font = fyne.NewStaticResource(f.Name+".ttf", f.TTF)
	}
	return t
}

var (
	ColPrimary    = color.NRGBA{R: 0x1f, G: 0x4e, B: 0x9a, A: 0xff} // police blue
	colBackground = color.NRGBA{R: 0xf6, G: 0xf7, B: 0xf9, A: 0xff}
	ColHeader     = color.NRGBA{R: 0xe8, G: 0xed, B: 0xf5, A: 0xff}
	ColSelection  = color.NRGBA{R: 0xcf, G: 0xdc, B: 0xf0, A: 0xff}
	ColForeground = color.NRGBA{R: 0x1d, G: 0x23, B: 0x2b, A: 0xff}
	colButton     = color.NRGBA{R: 0xdf, G: 0xe4, B: 0xec, A: 0xff}
	ColSecondary  = color.NRGBA{R: 0x5f, G: 0x67, B: 0x73, A: 0xff}
	ColRed        = color.NRGBA{R: 0xd3, G: 0x2f, B: 0x2f, A: 0xff}
	ColOrange     = color.NRGBA{R: 0xef, G: 0x8a, B: 0x00, A: 0xff}
	ColGreen      = color.NRGBA{R: 0x2e, G: 0x9d, B: 0x4f, A: 0xff}
	ColNone       = color.NRGBA{R: 0xb0, G: 0xb6, B: 0xbe, A: 0xff}
)

func (t *cjTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	// Always the light variant: the dark one is hard to read on the washed
	// out panels these PCs have, and printouts are light too.
	switch n {
	case theme.ColorNamePrimary, theme.ColorNameHyperlink, theme.ColorNameFocus:
		return ColPrimary
	case theme.ColorNameBackground:
		return colBackground
	case theme.ColorNameHeaderBackground:
		return ColHeader
	case theme.ColorNameSelection:
		return ColSelection
	case theme.ColorNameForeground:
		return ColForeground
	case theme.ColorNameButton:
		return colButton
	case theme.ColorNameInputBackground:
		return color.White
	case theme.ColorNameDisabled:
		// Secondary text (addresses, dates) uses this colour; Fyne's
		// default is too faint to read on an old panel.
		return ColSecondary
	case theme.ColorNameError:
		return ColRed
	case theme.ColorNameWarning:
		return ColOrange
	case theme.ColorNameSuccess:
		return ColGreen
	}
	return theme.DefaultTheme().Color(n, theme.VariantLight)
}

func (t *cjTheme) Font(s fyne.TextStyle) fyne.Resource {
	if t.font != nil {
		return t.font
	}
	return theme.DefaultTheme().Font(s)
}

func (t *cjTheme) Icon(n fyne.ThemeIconName) fyne.Resource {
	return theme.DefaultTheme().Icon(n)
}

func (t *cjTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 16
	case theme.SizeNameHeadingText:
		return 26
	case theme.SizeNameSubHeadingText:
		return 19
	case theme.SizeNameCaptionText:
		return 13
	case theme.SizeNameInlineIcon:
		return 22
	case theme.SizeNamePadding:
		return 5
	case theme.SizeNameInnerPadding:
		return 9
	}
	return theme.DefaultTheme().Size(n)
}

// WarningColor is the dot colour of a household's warning level.
func WarningColor(w string) color.Color {
	switch w {
	case store.WarnRed:
		return ColRed
	case store.WarnOrange:
		return ColOrange
	case store.WarnGreen:
		return ColGreen
	}
	return ColNone
}

// ChooseFont finds the CJK font to draw with: the override from 设置 when
// it works, else the system's. problem says what went wrong on the way
// (an override that failed, or no font at all); f is nil only when no
// font was found.
func ChooseFont(find FontFinder, override string) (f *Font, problem error) {
	if find == nil {
		return nil, errors.New("no font finder configured")
	}
	got, err := find(override)
	if err == nil {
		return &got, nil
	}
	if override == "" {
		return nil, err
	}
	// A font file that moved or broke should not cost the user the
	// Chinese: use the system's and say what went wrong.
	problem = fmt.Errorf("%s: %w", override, err)
	if got, err = find(""); err != nil {
		return nil, errors.Join(problem, err)
	}
	return &got, problem
}
