package synconce

import (
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"syscall"
	"testing"

	"cunjing/app/lang/translations"
	"cunjing/store/syncbook"
	"cunjing/sync/bep"
)

// TestLines: a session in the words 立即同步 shows and `cunjing sync
// --once` prints (it printed Go's English: "东关: pulled 0 file(s) … (dial
// tcp …: connect: connection refused)"), from the sync area's Chinese the
// command line reads without Fyne: what it did, why it failed in Cause's
// words, the way it went, and the raw text only for a cause not known.
func TestLines(t *testing.T) {
	peer := syncbook.Peer{Name: "城关派出所"}
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	odd := errors.New("something odd")
	cases := []struct {
		name           string
		se             Session
		lines, details []string
	}{
		{"done over the relay", Session{Peer: peer, Result: bep.Result{Complete: true, Pulled: 3, Imported: 2, Path: bep.PathRelay, Address: "relay://192.0.2.1:22067"}},
			[]string{"城关派出所：已同步，收到 3 个文件，合并 2 个数据包。", "连接方式：经中继（relay://192.0.2.1:22067）"}, nil},
		{"found on the LAN, direct", Session{Peer: peer, LAN: true, Result: bep.Result{Complete: true, Path: bep.PathDirect, Address: "192.168.1.10:22000"}},
			[]string{"在局域网里找到 城关派出所", "城关派出所：已同步，收到 0 个文件，合并 0 个数据包。", "连接方式：直连（192.168.1.10:22000）"}, nil},
		{"refused", Session{Peer: peer, Err: fmt.Errorf("sync with 城关派出所: %w", refused)},
			[]string{"城关派出所：没有同步成功。" + translations.Zh("sync.why.refused")}, nil},
		{"unfinished, its error as text only", Session{Peer: peer, Result: bep.Result{Pulled: 1, Error: "something odd"}},
			[]string{"城关派出所：没有同步完（收到 1 个文件，合并 0 个数据包）。" + translations.Zh("sync.why.other")},
			[]string{"城关派出所的原始出错信息：something odd"}},
		{"failed, cause not known", Session{Peer: peer, Err: odd},
			[]string{"城关派出所：没有同步成功。" + translations.Zh("sync.why.other")}, []string{"城关派出所的原始出错信息：something odd"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lines, details := c.se.Lines(translations.Zh)
			if !slices.Equal(lines, c.lines) || !slices.Equal(details, c.details) {
				t.Errorf("lines %q\ndetails %q\nwant %q\n%q", lines, details, c.lines, c.details)
			}
		})
	}
	if w := translations.Zh("sync.why.refused"); w == "sync.why.refused" || w == "" {
		t.Errorf("no Chinese for sync.why.refused: %q", w)
	}
	if w := translations.Zh("no.such.key"); w != "no.such.key" {
		t.Errorf("a key without words gave %q, want the key", w)
	}
}
