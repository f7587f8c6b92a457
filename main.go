// Command cunjing (村警通) is the village police post's desktop app: village
// house maps, households and residents, patrol rosters, warning boards, and
// sync with the township station. With a subcommand it runs from the
// command line (see `cunjing help`); without one it opens the window.
package main

import (
	"context"
	_ "embed"
	"os"
	"os/signal"

	"cunjing/app"
	_ "cunjing/app/posixlocale" // before Fyne's own init; see its doc
)

// fyneAppTOML holds the version the installer and packages carry.
//
//go:embed FyneApp.toml
var fyneAppTOML []byte

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := app.Main(ctx, os.Args[1:], os.Stdout, os.Stderr, app.BuildOf(fyneAppTOML))
	stop()
	os.Exit(code)
}
