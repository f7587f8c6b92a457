// Package boardcmd holds the commands of the boards area: print board
// (the "cost of fighting" boards), print leaflet, print cards, and the
// cost items themselves (costs). They share app/boardset with the window,
// so a board printed from either reads the same.
package boardcmd
