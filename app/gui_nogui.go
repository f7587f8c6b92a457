//go:build nogui

package app

import (
	"context"
	"fmt"
)

// runGUI in a headless build (-tags nogui, for station servers without GL
// libraries) explains how to run the node instead.
func runGUI(_ context.Context, env *Env, _ []string) int {
	fmt.Fprintln(env.Stderr, "cunjing: this build has no window (built with -tags nogui); run `cunjing node --db PATH --listen ADDR` or see `cunjing help`")
	return 2
}

// guiCommands: a headless build has no window to drive.
func guiCommands() []command { return nil }
