// Package geo ties hand-drawn village maps to the Earth: the fit from map
// metres to WGS 84 (similarity with two control points, affine with three
// or more, an optional smooth correction), the local tangent-plane frame it
// works in, the Chinese map datums (GCJ-02 of 高德/腾讯, BD-09 of 百度), the
// text a phone's "share location" produces, and the outside formats a
// georeferenced village travels in: RFC 7946 GeoJSON (with package maps),
// KML/KMZ for phone map apps and GPX tracks walked with a phone.
//
// Like package maps it is pure: no database, no network, no files beyond
// the bytes the caller hands in. Everything decoded here is outside data
// and is bounded (sizes, counts, ranges) before it is trusted.
package geo
