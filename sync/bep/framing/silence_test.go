package framing

import (
	"errors"
	"net"
	"os"
	"testing"
	"time"

	"github.com/syncthing/syncthing/lib/protocol"
)

// A live peer is heard at least every protocol.PingSendInterval; the
// limit leaves room above it for a slow link, and is shorter than
// lib/protocol's own 5 minutes.
func TestSilenceLimitAbovePings(t *testing.T) {
	if SilenceLimit < protocol.PingSendInterval+20*time.Second || SilenceLimit > 2*time.Minute || SilenceLimit >= protocol.ReceiveTimeout {
		t.Fatalf("SilenceLimit %s: want 20 s or more above lib/protocol's pings (%s) and at most 2 minutes", SilenceLimit, protocol.PingSendInterval)
	}
}

// TestSilence: reads go on while bytes come; a silent link fails a read
// with ErrSilent after the limit; a deadline the caller sets still holds
// (sooner than the limit: its own error, not ErrSilent; cleared: the
// limit again).
func TestSilence(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	c := Silence(a, 50*time.Millisecond)
	go func() { _, _ = b.Write([]byte("hi")) }()
	buf := make([]byte, 8)
	if n, err := c.Read(buf); err != nil || string(buf[:n]) != "hi" {
		t.Fatalf("read %q, %v", buf[:n], err)
	}
	if _, err := c.Read(buf); !errors.Is(err, ErrSilent) {
		t.Fatalf("a silent link: %v, want ErrSilent", err)
	}
	// A deadline already passed is the caller's, not silence.
	if err := c.SetReadDeadline(time.Unix(1, 0)); err != nil {
		t.Fatal(err)
	}
	// (and every read after it: a session that retires stops its reads
	// so, sync/bep's retire)
	for range 2 {
		if _, err := c.Read(buf); errors.Is(err, ErrSilent) || !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("past deadline: %v, want os.ErrDeadlineExceeded only", err)
		}
	}
	if err := c.SetDeadline(time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Read(buf); !errors.Is(err, ErrSilent) {
		t.Fatalf("deadline cleared: %v, want ErrSilent", err)
	}
	b.Close()
	if _, err := c.Read(buf); err == nil || errors.Is(err, ErrSilent) {
		t.Fatalf("closed: %v, want the pipe's own error", err)
	}
}
