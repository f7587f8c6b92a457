// Package boards is the 警示牌与宣传 area: the board designer with its
// live preview and the batch of one board per venue, leaflets, contact
// cards, the cost items boards are made of (confirmed by the station or
// not), the venues and what was printed. The boards, leaflets and cards
// are laid out by package print, the same code the PDFs come from.
//
// It takes what it needs from the window through Env; the shell (app/ui)
// wires it.
package boards
