// Package lang owns cunjing's UI translations (Simplified Chinese first,
// English second) and chooses which one Fyne's lang package serves.
//
// Screens call fyne.io/fyne/v2/lang (lang.L with a message key); this
// package only loads the embedded JSON files. Fyne itself picks a language
// from the operating system and offers no way to override it, but a
// village PC may well run an English Windows while its user reads only
// Chinese (or the reverse). Use therefore registers the chosen language's
// messages under every language tag Fyne could match, so whatever the
// system locale is, lang.L answers in the chosen language.
package lang

import (
	"cunjing/app/lang/translations"
	"encoding/json"
	"fmt"
	"sort"

	"fyne.io/fyne/v2"
	fynelang "fyne.io/fyne/v2/lang"
)

// Default is the language used when nothing else was chosen.
const Default = "zh"

// Language is one UI language the app ships.
type Language struct {
	Code string // file name under translations/, e.g. "zh"
	Name string // the language's own name, shown in 设置
}

// Languages lists the shipped languages, the default first.
func Languages() []Language {
	return []Language{{Code: "zh", Name: "中文"}, {Code: "en", Name: "English"}}
}

// fyneTags are the languages Fyne ships its own strings in (v2.7,
// fyne/v2/lang/translations) plus the bare "zh": the tags Fyne's matcher may
// pick for a system locale. A tag missing here is still covered by
// registering the system locale itself in Use.
var fyneTags = []string{"en", "cs", "de", "el", "es", "fr", "pl", "pt", "pt-BR", "ru", "sv", "ta", "uk", "zh-Hans", "zh"}

// Messages returns the flat key → text table of a language (the files
// of package translations, merged; a key defined twice is an error).
func Messages(code string) (map[string]string, error) {
	return translations.Messages(code)
}

// Keys returns every message key of a language, sorted.
func Keys(code string) ([]string, error) {
	m, err := Messages(code)
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys, nil
}

// Use makes lang.L answer in the language code ("zh" or "en"), whatever the
// system locale. It may be called again to switch; screens built before the
// switch keep their old text until they are rebuilt.
func Use(code string) error {
	m, err := Messages(code)
	if err != nil {
		return err
	}
	data, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("language %q: %w", code, err)
	}
	tags := append([]string(nil), fyneTags...)
	if sys := fynelang.SystemLocale().String(); sys != "" {
		tags = append(tags, sys)
	}
	for _, tag := range tags {
		if err := fynelang.AddTranslationsForLocale(data, fyne.Locale(tag)); err != nil {
			return fmt.Errorf("language %q as %s: %w", code, tag, err)
		}
	}
	return nil
}
