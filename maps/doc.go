// Package maps owns the village map as plain values: houses, lanes,
// landmarks and labels in local metres, their geometry and validation, the
// spatial index used for hit testing and viewport culling, and base-image
// import. What is done with a map lives in sub-packages, each over these
// types: lanenet (the lane network: graph, gates, lane grid), numbering
// (house numbers and the numbering scheme), route (fire-engine routing),
// render (drawing: raster and through a Painter for PDFs), edit (the
// editing model with undo/redo), synth (synthetic villages), geojson
// (GeoJSON in local metres or RFC 7946 degrees), geo (georeferencing) and
// trace (house outlines from a scanned sheet).
//
// Coordinates are local metres with x to the east and y to the north (the
// GeoJSON convention); screens have y pointing down, and render.Viewport
// converts.
// Nothing here touches a database, the network or the file system beyond
// decoding bytes the caller hands in.
package maps
