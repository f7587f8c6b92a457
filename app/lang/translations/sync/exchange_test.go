package syncwords

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"cunjing/store/syncbook"
	cjsync "cunjing/sync"
	"cunjing/sync/exchange"
)

// TestExchangeSaysWhatTheStickHeld: what else a folder holds is named
// (the first names, then 等), and a day past the junk bound says how many
// files were left unread and why; `exchange --json` carries the same
// sentence (junk_words) as 同步 shows.
func TestExchangeSaysWhatTheStickHeld(t *testing.T) {
	for _, tc := range []struct {
		name     string
		rep      exchange.Report
		want     []string
		notWant  string
		junkJSON bool
	}{
		{"clean", exchange.Report{}, nil, "不是村警通", false},
		{"other files", exchange.Report{Imported: cjsync.DirResult{Other: 2, OtherNames: []string{"照片.jpg", "文档"}}},
			[]string{"U 盘里另有 2 个不是村警通的文件或文件夹，没有读，也没有动：照片.jpg、文档。"}, "太多", false},
		{"more than named", exchange.Report{Imported: cjsync.DirResult{Other: 30, OtherNames: []string{"a", "b"}}},
			[]string{"另有 30 个", "：a、b等。"}, "太多", false},
		{"past the day's bound", exchange.Report{JunkToday: syncbook.Refused{Files: 64, NotForUsFiles: 3}, Imported: cjsync.DirResult{Unexamined: 5}},
			[]string{"验证不过的 64 个，给别的设备的 3 个", "其余 5 个文件今天不再读", "明天再交换时会接着读"}, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			said := strings.Join(Exchange(Zh, tc.rep), "\n")
			for _, w := range tc.want {
				if !strings.Contains(said, w) {
					t.Errorf("said\n%s\nwant %q in it", said, w)
				}
			}
			if tc.notWant != "" && strings.Contains(said, tc.notWant) {
				t.Errorf("said\n%s\nwant no %q", said, tc.notWant)
			}
			rep := tc.rep
			FillExchange(&rep, time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))
			if (rep.JunkWords != "") != tc.junkJSON || (tc.junkJSON && !strings.Contains(said, rep.JunkWords)) {
				t.Errorf("junk_words %q; 同步 says\n%s", rep.JunkWords, said)
			}
		})
	}
}

// TestWriteFailedSaysWhatBecameOfTheStick: every reason a write to the
// stick fails has its own Chinese sentence, each saying what the stick
// brought was kept; any other error has none.
func TestWriteFailedSaysWhatBecameOfTheStick(t *testing.T) {
	for _, tc := range []struct{ why, want string }{
		{exchange.WhyGone, "U 盘被拔出了"},
		{exchange.WhyReadOnly, "U 盘是只读的"},
		{exchange.WhyFull, "U 盘满了"},
		{exchange.WhyPermission, "没有权限"},
		{exchange.WhyIO, "U 盘读写出错"},
		{exchange.WhyOther, "写 U 盘没有成功"},
	} {
		err := fmt.Errorf("exchange: %w", &exchange.WriteError{Dir: "/media/u", Why: tc.why, Err: errors.New("x")})
		got := WriteFailed(Zh, err)
		if !strings.HasPrefix(got, tc.want) || !strings.Contains(got, "已经读进本机并保存了，但") || strings.Contains(got, "sync.") {
			t.Errorf("%s: %q", tc.why, got)
		}
	}
	if got := WriteFailed(Zh, errors.New("disk on fire")); got != "" {
		t.Errorf("a plain error: %q", got)
	}
}
