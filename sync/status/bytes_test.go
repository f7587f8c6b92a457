package status

import (
	"strings"
	"testing"
	"time"
)

// A byte count is said as people read it, the same in the command line's
// status and on 同步's card of the peer (which calls BytesWords): whole B
// under a KB, whole KB under a MB, then MB to one decimal. Red before: the
// status said 5120 B and 12 MB where the card said 5 KB and 12.3 MB.
func TestBytesWords(t *testing.T) {
	now := time.Date(2026, 12, 6, 15, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		n    int64
		want string
	}{
		{0, "0 B"}, {1023, "1023 B"}, {5 << 10, "5 KB"}, {1023 << 10, "1023 KB"},
		{1 << 20, "1.0 MB"}, {12_900_000, "12.3 MB"}, {3 << 30, "3072.0 MB"},
	} {
		if got := BytesWords(c.n); got != c.want {
			t.Errorf("BytesWords(%d) = %q, want %q", c.n, got, c.want)
		}
		s := Summary{Peers: []Peer{{Name: "城关派出所", Role: "station", BytesIn: c.n, BytesOut: c.n}}}
		if w := "已收到 " + c.want + "，已发出 " + c.want; !strings.Contains(s.words(now), w) {
			t.Errorf("%d bytes: the status lacks %q:\n%s", c.n, w, s.words(now))
		}
	}
}
