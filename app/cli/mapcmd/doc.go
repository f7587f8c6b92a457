// Package mapcmd holds the commands of the map area: a village map tied
// to the Earth, exported, imported or traced from a scan (map), printed
// as a sheet (print map) or as door plates (print plates), a house found
// by number, name or phone (locate), the route a fire engine takes to it
// (route), and the emergency card (emergency).
package mapcmd
