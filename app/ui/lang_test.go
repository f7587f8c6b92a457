package ui

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	cjlang "cunjing/app/lang"
	"cunjing/app/ui/kit"
)

// Every message key the screens use must exist in every language, or the
// user sees a raw key such as "households.count".
func TestEveryKeyIsTranslated(t *testing.T) {
	used := map[string]string{} // key → where
	// The shell and every package below it (the kit and the areas).
	var files []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".go") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// lang.L("key") calls, and keys kept in tables or variables first
	// (detail field labels, open-error advice).
	lit := regexp.MustCompile(`lang\.L\("([^"]+)"\)|"((?:hh|open)\.[A-Za-z]+)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range lit.FindAllStringSubmatch(string(src), -1) {
			used[m[1]+m[2]] = f
		}
	}
	for _, a := range Areas() {
		used["nav."+string(a)] = "Areas"
	}
	for group, cs := range kit.Codes {
		for _, c := range cs {
			used[group+"."+c] = "codes"
		}
	}
	for _, list := range [][]kit.Value{kit.FilterCategories, kit.OtherCategories, kit.Warnings, kit.Words} {
		for _, v := range list {
			used[v.Key] = "values " + v.V
		}
	}
	if len(used) < 100 {
		t.Fatalf("found only %d keys: the scan is broken", len(used))
	}
	for _, l := range cjlang.Languages() {
		msgs, err := cjlang.Messages(l.Code)
		if err != nil {
			t.Fatal(err)
		}
		for k, where := range used {
			if strings.TrimSpace(msgs[k]) == "" {
				t.Errorf("%s: key %q (used in %s) has no text", l.Code, k, where)
			}
		}
	}
}
