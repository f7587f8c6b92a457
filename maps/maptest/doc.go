// Package maptest holds what the map packages' tests share: a small
// hand-built village (FixtureVillage), a comparison that sees content only
// (Normalized), house outlines (Box) and a two-coloured test image
// (Halves).
package maptest
