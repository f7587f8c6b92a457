// Package mapdata owns a village map as records, above store: Load
// assembles houses, lanes, landmarks and labels into the maps package's
// plain value, Save and SaveChanges write a whole map or the editor's
// changes back (one conversion for import, demo and editor), and the
// georeference and the township map of every georeferenced village.
package mapdata
