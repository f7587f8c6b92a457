// Package costboard owns the cost-of-fighting boards (打架成本警示牌): what a
// board says (Board, the default items, the checks before printing), its
// three templates (table, calculator, poster), how it goes on paper (a
// print-shop page with bleed and crop marks, or A4 tiles with glue strips
// and an assembly index), batches per venue and the on-screen preview. It
// draws on package print's surface, so the same layout makes the PDF and
// the preview.
package costboard
