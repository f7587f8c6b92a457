package lang

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"

	fynelang "fyne.io/fyne/v2/lang"
)

func TestLanguagesHaveTheSameKeys(t *testing.T) {
	zh, err := Keys("zh")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range Languages() {
		keys, err := Keys(l.Code)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(keys, zh) {
			t.Errorf("%s keys differ from zh: only in %s %v, only in zh %v", l.Code, l.Code, minus(keys, zh), minus(zh, keys))
		}
	}
}

// A translation must take the same printf arguments as the Chinese, or a
// screen prints %!d(MISSING) in one language.
func TestFormatVerbsMatch(t *testing.T) {
	verb := regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)
	zh, err := Messages("zh")
	if err != nil {
		t.Fatal(err)
	}
	en, err := Messages("en")
	if err != nil {
		t.Fatal(err)
	}
	for k, z := range zh {
		zv, ev := verb.FindAllString(z, -1), verb.FindAllString(en[k], -1)
		slices.Sort(zv)
		slices.Sort(ev)
		if !slices.Equal(zv, ev) {
			t.Errorf("%s: zh verbs %v, en verbs %v", k, zv, ev)
		}
	}
}

func TestUseOverridesTheSystemLocale(t *testing.T) {
	cases := []struct{ system, code, want string }{
		{"en_US.UTF-8", "zh", "住户"},
		{"zh_CN.UTF-8", "en", "Households"},
		{"zh_CN.UTF-8", "zh", "住户"},
		{"de_DE.UTF-8", "zh", "住户"},
		{"C", "en", "Households"},
		{"ja_JP.UTF-8", "zh", "住户"},
	}
	for _, c := range cases {
		t.Run(c.system+"→"+c.code, func(t *testing.T) {
			t.Setenv("LANG", c.system)
			t.Setenv("LC_ALL", "")
			t.Setenv("LC_MESSAGES", "")
			t.Setenv("LANGUAGE", "")
			if err := Use(c.code); err != nil {
				t.Fatal(err)
			}
			if got := fynelang.L("nav.households"); got != c.want {
				t.Errorf("nav.households = %q, want %q", got, c.want)
			}
			// Fyne's own dialog words follow the choice too.
			wantOK := map[string]string{"zh": "确定", "en": "OK"}[c.code]
			if got := fynelang.L("OK"); got != wantOK {
				t.Errorf("OK = %q, want %q", got, wantOK)
			}
		})
	}
}

func TestUnknownLanguage(t *testing.T) {
	if err := Use("xx"); err == nil {
		t.Fatal("Use(xx) succeeded")
	}
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// files are the message files as they lie in the tree, walked by the
// tests below.
//
//go:embed translations
var files embed.FS

// One term per concept (#19): the Chinese says each thing one way, the
// way officers and the station's papers say it.
func TestOneTermPerConcept(t *testing.T) {
	banned := map[string]string{
		"校门值守": "护学岗",
		"消防栓":  "消火栓",
		"退一点":  "撤销上一点",
		// The county's role is 县公安局 everywhere (role.county, the
		// first-run screen, 同步's lines of what it received).
		"县局": "县公安局",
	}
	err := fs.WalkDir(files, "translations", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		data, err := files.ReadFile(path)
		if err != nil {
			return err
		}
		var msgs map[string]string
		if err := json.Unmarshal(data, &msgs); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		for key, text := range msgs {
			for bad, good := range banned {
				if strings.Contains(text, bad) {
					t.Errorf("%s %s says %q: write %s", path, key, bad, good)
				}
			}
			// 重点户 is a household; a person is 重点人员.
			if strings.Contains(text, "重点户") && (strings.Contains(key, "res.") || strings.Contains(key, "Person")) {
				t.Errorf("%s %s calls a person 重点户: write 重点人员", path, key)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A key that begins with an area's name ("sync.", "households." …) is kept
// in that area's file, translations/<area>/, so whoever works on a screen
// finds all its words in one place (the sync screen's were once in the
// boards file as "boards.sync.…").
func TestAreaKeysLiveInTheirAreaFile(t *testing.T) {
	dirs, err := fs.Glob(files, "translations/*/zh.json")
	if err != nil {
		t.Fatal(err)
	}
	areas := map[string]bool{}
	for _, d := range dirs {
		areas[strings.Split(d, "/")[1]] = true
	}
	if len(areas) < 8 {
		t.Fatalf("found only %d areas: %v", len(areas), areas)
	}
	for _, l := range Languages() {
		all, err := fs.Glob(files, "translations/*"+l.Code+".json")
		if err != nil {
			t.Fatal(err)
		}
		more, err := fs.Glob(files, "translations/*/"+l.Code+".json")
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range append(all, more...) {
			data, err := files.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			part := map[string]string{}
			if err := json.Unmarshal(data, &part); err != nil {
				t.Fatal(err)
			}
			in := ""
			if parts := strings.Split(p, "/"); len(parts) == 3 {
				in = parts[1]
			}
			for k := range part {
				area, _, _ := strings.Cut(k, ".")
				if areas[area] && area != in {
					t.Errorf("%s: key %q belongs in translations/%s/%s.json", p, k, area, l.Code)
				}
			}
		}
	}
}
