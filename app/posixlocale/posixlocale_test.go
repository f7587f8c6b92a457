package posixlocale

import "testing"

func TestLanguageFor(t *testing.T) {
	cases := []struct {
		goos string
		env  map[string]string
		want string
	}{
		{"linux", map[string]string{"LANG": "C.UTF-8"}, "en"},
		{"linux", map[string]string{"LANG": "C"}, "en"},
		{"linux", map[string]string{"LC_ALL": "POSIX", "LANG": "zh_CN.UTF-8"}, "en"},
		{"linux", map[string]string{}, "en"},
		{"linux", map[string]string{"LANG": "zh_CN.UTF-8"}, ""},
		{"linux", map[string]string{"LC_ALL": "zh_CN.UTF-8", "LANG": "C"}, ""},
		{"linux", map[string]string{"LANGUAGE": "zh_CN", "LANG": "C"}, ""},
		{"windows", map[string]string{}, ""},
	}
	for _, c := range cases {
		got := languageFor(c.goos, func(k string) string { return c.env[k] })
		if got != c.want {
			t.Errorf("%s %v: %q, want %q", c.goos, c.env, got, c.want)
		}
	}
}
