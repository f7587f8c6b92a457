// Package render draws a village map: one drawing (Draw, DrawReport)
// through a Painter, rasterised for the screen and the phone card
// (Renderer) or sent to a PDF by the caller's painter (print/mapsheet);
// label placement that keeps names clear of each other, the legend of what
// a page shows, and the Viewport between local metres and device units.
package render
