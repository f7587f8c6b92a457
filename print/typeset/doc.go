// Package typeset is the one text layout every cunjing PDF uses: boards,
// leaflets and contact cards (package print), duty tables (print/duty), map
// sheets (print/mapsheet) and per-house resident sheets (print/sheet).
//
// It owns
//   - the gofpdf set-up (NewPDF: one embedded subset CJK font, no automatic
//     page breaks, fixed dates for reproducible files, the font checked
//     before gofpdf sees it);
//   - measuring text from the font's own advance widths (Metrics), so the
//     PDF and the on-screen preview wrap at the same places;
//   - the line breaker (Break): Chinese line breaking by the usual rules
//     (禁则: no line starts with closing punctuation such as 。，、；：？！）》」』”
//     or ends with opening punctuation such as （《「『“), Latin words and
//     numbers with their units (500元, 5–10日, 24小时, 0371-12345678) kept
//     whole, the words of the printed texts (施行, 诉讼, 有期徒刑; words.go)
//     and Chinese numbers with their 第 and unit (第二百三十四条) not split
//     at a line end unless one alone is wider than the line, U+2060 WORD
//     JOINER to forbid a break (names in a list);
//   - fitting text into a box (Fit, FitLine): wrap at the largest size from
//     a maximum down to a stated minimum, or report an *OverflowError naming
//     the field when even the minimum does not fit — text is never cut,
//     dropped or drawn outside its box;
//   - legible bold (Bolder): CJK system fonts come in one weight, so bold is
//     the glyph filled and stroked with an outline whose width is chosen per
//     glyph from the gaps between its strokes, so dense characters such as
//     警 keep their counters open.
//
// Units are millimetres from the top left of the page; font sizes are
// points. Nothing here reads the database or the clock.
package typeset
