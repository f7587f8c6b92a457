package kit

import (
	"testing"
	"time"

	cjlang "cunjing/app/lang"
)

func TestDurationWords(t *testing.T) {
	if err := cjlang.Use("zh"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "刚刚"},
		{-2 * time.Minute, "刚刚"}, // two clocks a little apart
		{-6 * time.Minute, "时间在现在之后：有一台电脑的时钟不准"},
		{-5 * 365 * 24 * time.Hour, "时间在现在之后：有一台电脑的时钟不准"},
		{59 * time.Second, "刚刚"},
		{5 * time.Minute, "5 分钟前"},
		{47 * time.Hour, "47 小时前"},
		{72 * time.Hour, "3 天前"},
	} {
		if got := DurationWords(tc.d); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.d, got, tc.want)
		}
	}
}
