// Package maps owns the village map as plain values: houses, lanes,
// landmarks and labels in local metres, their geometry, the house-numbering
// scheme and its number history, the lane graph and fire-engine routing,
// the spatial index used for hit testing and viewport culling, search by
// number/name/phone, GeoJSON import and export (local metres with
// "units": "m", or RFC 7946 WGS 84 through a placement the caller gives;
// package maps/geo ties maps to the Earth), the editing model with
// undo/redo, base-image import, and rendering (raster for the UI, vector
// through a Painter for PDFs).
//
// Coordinates are local metres with x to the east and y to the north (the
// GeoJSON convention); screens have y pointing down, and Viewport converts.
// Nothing here touches a database, the network or the file system beyond
// decoding bytes the caller hands in.
package maps
