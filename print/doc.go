// Package print owns the print-ready layouts of the public-facing papers a
// post hands out: cost-of-fighting boards (three templates, paper and board
// sizes, print-shop bleed or office tiling, batches per venue), safety
// leaflets and police contact cards.
//
// Every layout draws on one small drawing surface measured in millimetres,
// so the same code produces the PDF (gofpdf, one embedded subset font per
// file) and the on-screen preview (an image.Image, because poppler is not
// available on Windows). It works on plain values: it never touches the
// database or the network. Fonts come from cunjing/print/fonts; every text
// is set by cunjing/print/typeset, the one text layout all PDFs share (see
// docs/PRINTING.md for its rules, the legibility minimums and the golden
// images).
package print
