// Package print owns the drawing surface every printed paper is laid out
// on (Surface, Page; WritePDF and Rasterize), paper sizes and print-shop
// geometry, and the small public-facing papers a post hands out: safety
// leaflets, police contact cards, door plates and their replacement list,
// and one-page summary tables. The cost-of-fighting boards (three
// templates, board sizes, print-shop bleed or office tiling, batches per
// venue) are print/costboard, on the same surface.
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
