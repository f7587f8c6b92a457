// Package mapedit is the 地图 area: the village map editor over
// package maps (find a house, draw and reshape houses, lanes, landmarks
// and labels over a scanned map, number houses along the lanes, the fire
// engine's route, the printed map sheet).
//
// It takes what it needs from the window through Env and reaches the
// households only through Env.OpenHousehold; the shell (app/ui) wires it.
package mapedit
