package trace

// OrderCorners puts four corners clicked in any order as Options.Corners
// wants them: top-left, top-right, bottom-right, bottom-left.
func OrderCorners(c [4]Pt) [4]Pt { return orderCorners(c) }
