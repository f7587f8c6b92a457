// Package posixlocale, imported first by the command, gives Fyne's locale
// lookup a language when the system locale is the POSIX one ("C",
// "C.UTF-8", "POSIX": usual on servers, in CI and for a headless station
// node).
//
// That locale names no language, and Fyne's lang package logged "Fyne
// error: Error parsing user locale C" on stderr at its own start and each
// time translations were added: nine lines before every CLI command's
// output. The language shown is chosen by app/lang.Use anyway.
//
// It has to act in an init function that runs before fyne.io/fyne/v2/lang's:
// Go initialises, among packages whose imports are ready, the first by
// import path, and this package imports only the standard library, so
// "cunjing/app/posixlocale" comes before every "fyne.io/..." package.
package posixlocale

import (
	"os"
	"runtime"
	"strings"
)

func init() {
	if name := languageFor(runtime.GOOS, os.Getenv); name != "" {
		_ = os.Setenv("LANGUAGE", name) // fails only for a malformed variable name
	}
}

// languageFor returns the LANGUAGE to set, or "" to leave the environment
// alone: Windows' lookup asks the system, not the environment; a set
// LANGUAGE (read first by the lookup) or a real locale already name a
// language.
func languageFor(goos string, getenv func(string) string) string {
	if goos == "windows" || getenv("LANGUAGE") != "" {
		return ""
	}
	loc := ""
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if loc = getenv(k); loc != "" {
			break
		}
	}
	base, _, _ := strings.Cut(loc, ".")
	if base == "" || base == "C" || base == "POSIX" {
		return "en"
	}
	return ""
}
