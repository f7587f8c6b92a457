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

// sourceFiles are the Go files of the shell and every package below it
// (the kit and the areas), tests left out.
func sourceFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// Every message key the screens use must exist in every language, or the
// user sees a raw key such as "households.count".
func TestEveryKeyIsTranslated(t *testing.T) {
	used := map[string]string{} // key → where
	files := sourceFiles(t)
	// lang.L("key") calls, and keys kept in tables or variables first
	// (detail field labels, open-error advice, landmark kinds).
	lit := regexp.MustCompile(`lang\.L\("([^"]+)"\)|"((?:hh|open|mapedit\.kind)\.[A-Za-z]+)"`)
	for _, f := range files {
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

// Every roster and households key (in lang.L calls and in tables) exists
// in every language, and no zh text holds a Latin word that would leak
// English.
func TestRosterAndHouseholdKeysTranslated(t *testing.T) {
	key := regexp.MustCompile(`"((?:roster|households)\.[A-Za-z.]+[A-Za-z])"`)
	used := map[string]string{}
	for _, f := range sourceFiles(t) {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = f
		}
	}
	if len(used) < 150 {
		t.Fatalf("found only %d roster keys: the scan is broken", len(used))
	}
	latin := regexp.MustCompile(`[A-Za-z]{2,}`)
	for _, l := range cjlang.Languages() {
		msgs, err := cjlang.Messages(l.Code)
		if err != nil {
			t.Fatal(err)
		}
		for k, where := range used {
			if strings.TrimSpace(msgs[k]) == "" {
				t.Errorf("%s: key %q (used in %s) has no text", l.Code, k, where)
			}
			// File kinds and programs keep their names in Chinese text.
			plain := strings.NewReplacer("Excel", "", "WPS", "", "CSV UTF-8", "", "xlsx", "", "xls", "", "csv", "", "MB", "").Replace(msgs[k])
			if l.Code == "zh" && latin.MatchString(plain) {
				t.Errorf("zh %q has Latin letters: %q", k, msgs[k])
			}
		}
	}
}
