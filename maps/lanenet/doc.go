// Package lanenet owns a village's lane network, what numbering and
// routing both walk on: the graph of lanes joined where they meet or cross
// (Graph, BuildGraph; shortest distances for a vehicle of a given width),
// a house's gate, the point of the lane it opens onto (HouseGate, Gate,
// HouseLanes), and the coarse grid that finds the lanes near a house
// (Grid).
package lanenet
