// Package translations holds cunjing's message files (zh.json and en.json
// here, one more pair a screen area in a folder of its own, so the people
// working on different screens never edit the same file) and reads them
// without Fyne: app/lang serves them to the window through Fyne's lang,
// and the command line, which links no Fyne, says its lines through Zh in
// the same words the window shows.
package translations

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"sync"
)

//go:embed *.json */*.json
var files embed.FS

// Messages returns the flat key → text table of a language: the main
// file <code>.json merged with one file per screen area,
// <area>/<code>.json. A key defined twice is an error.
func Messages(code string) (map[string]string, error) {
	paths := []string{code + ".json"}
	areas, err := fs.Glob(files, "*/"+code+".json")
	if err != nil {
		return nil, fmt.Errorf("language %q: %w", code, err)
	}
	sort.Strings(areas)
	paths = append(paths, areas...)
	m := map[string]string{}
	for _, p := range paths {
		data, err := files.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("language %q: %w", code, err)
		}
		part := map[string]string{}
		if err := json.Unmarshal(data, &part); err != nil {
			return nil, fmt.Errorf("language %q: parse %s: %w", code, p, err)
		}
		for k, v := range part {
			if _, dup := m[k]; dup {
				return nil, fmt.Errorf("language %q: key %q defined twice (%s)", code, k, p)
			}
			m[k] = v
		}
	}
	return m, nil
}

// zh is the Chinese table, read once. app/lang's tests load every file
// and fail on one that does not parse, so an error here leaves the table
// empty only in a build those tests refuse.
var zh = sync.OnceValue(func() map[string]string {
	m, err := Messages("zh")
	if err != nil {
		return map[string]string{}
	}
	return m
})

// L looks a message key up: lang.L in the window, Zh on the command line.
// The packages that word a use case for both (stationwords, syncwords,
// clockwords) take one.
type L func(key string) string

// Zh is the Chinese words of key, or key itself when it has none (as
// Fyne's lang.L answers).
func Zh(key string) string {
	if s, ok := zh()[key]; ok {
		return s
	}
	return key
}
