package kit

import "cunjing/app/ui/kit/debounce"

// Later is the part of the environment a Debouncer runs on (Env.After).
type Later = debounce.Later

// Debouncer runs the latest of a burst of requests once the burst pauses
// (app/ui/kit/debounce).
type Debouncer = debounce.Debouncer

// NewDebouncer runs on bg.
func NewDebouncer(bg Later) *Debouncer { return debounce.New(bg) }
