package synconce

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"syscall"
	"testing"
	"time"

	"cunjing/sync/bep"
	"cunjing/sync/bep/framing"
	"cunjing/sync/bep/linkturn"
	"cunjing/sync/bep/pairlimit"
	"cunjing/sync/bep/servers"
)

// TestCause: the failures a session ends with are each said in words of
// their own (what happened, what to do next), wrapped as bep and the
// network wrap them; an error joining several ways to the peer is said by
// its most telling one; anything else is CauseOther (the window adds the
// raw text). Every key has its words in Chinese and English.
func TestCause(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"relay down", fmt.Errorf("relay 192.0.2.1:22067: %w: %w", bep.ErrRelayDown, refused), "sync.why.relayDown"},
		{"not at the relay", fmt.Errorf("sync with S: %w", errors.Join(refused, fmt.Errorf("relay x: %w: incorrect response code 1: not found", bep.ErrNotAtRelay))), "sync.why.notAtRelay"},
		{"relay not the pinned one", fmt.Errorf("relay x: %w: relay id does not match", bep.ErrRelayNotPinned), "sync.why.relayNotPinned"},
		{"refused", fmt.Errorf("sync with S: %w", refused), "sync.why.refused"},
		{"refused, Windows", fmt.Errorf("dial: %w", syscall.Errno(10061)), "sync.why.refused"},
		{"no route", &net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.EHOSTUNREACH)}, "sync.why.noRoute"},
		{"network unreachable", &net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ENETUNREACH)}, "sync.why.noRoute"},
		{"no such host", &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "zhan.example", IsNotFound: true}}, "sync.why.noHost"},
		{"timeout", fmt.Errorf("sync with S: %w", context.DeadlineExceeded), "sync.why.timeout"},
		{"i/o timeout", &net.OpError{Op: "read", Err: os.ErrDeadlineExceeded}, "sync.why.timeout"},
		{"TLS alert", fmt.Errorf("TLS handshake: %w", &net.OpError{Op: "remote error", Err: errors.New("tls: bad certificate")}), "sync.why.tls"},
		{"not TLS", fmt.Errorf("TLS handshake: %w", tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}), "sync.why.tls"},
		{"closed", fmt.Errorf("TLS handshake: %w", io.EOF), "sync.why.closed"},
		{"reset", &net.OpError{Op: "read", Err: os.NewSyscallError("read", syscall.ECONNRESET)}, "sync.why.closed"},
		{"dead link", fmt.Errorf("reading: %w", framing.ErrSilent), "sync.why.silent"},
		{"the peer does not know this device", fmt.Errorf("%w: closed by remote: cunjing: device not paired here", bep.ErrForgotten), "sync.why.forgotten"},
		{"wrong device", fmt.Errorf("x answered as Y, not Z: %w", bep.ErrWrongDevice), "sync.why.wrongDevice"},
		{"short code refused", &bep.PairRefusedError{Peer: "ABCDEFG", Reason: "对方没有可用的短配对码"}, "sync.why.pairRefused"},
		{"short code tried too often", fmt.Errorf("sync with S: %w", errors.Join(refused, &pairlimit.Error{Device: "X", Wait: time.Minute})), "sync.why.pairLimited"},
		{"short pairing under way", &pairlimit.Error{Device: "X", Busy: true}, "sync.why.pairBusy"},
		{"link busy", fmt.Errorf("take the link: %w", linkturn.ErrBusy), "sync.why.busy"},
		{"hostile discovery", fmt.Errorf("global discovery of X: %w", servers.ErrAnswerTooLarge), "sync.why.badServer"},
		{"discovery not pinned", servers.ErrWrongServer, "sync.why.badServer"},
		{"no address", fmt.Errorf("sync with S: %w", bep.ErrNoAddress), "sync.why.noAddress"},
		{"unknown", errors.New("something nobody foresaw"), CauseOther},
	}
	zh, en := words(t, "zh"), words(t, "en")
	latin := regexp.MustCompile(`[A-Za-z]`)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Cause(c.err)
			if got != c.want {
				t.Fatalf("Cause(%v) = %q, want %q", c.err, got, c.want)
			}
			if got == "" {
				return
			}
			if w := zh[got]; w == "" || latin.MatchString(w) {
				t.Errorf("zh words for %s: %q", got, w)
			}
			if en[got] == "" {
				t.Errorf("no en words for %s", got)
			}
		})
	}
}

func words(t *testing.T, l string) map[string]string {
	t.Helper()
	b, err := os.ReadFile("../lang/translations/sync/" + l + ".json")
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}
