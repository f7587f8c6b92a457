// Package why says why a session with a peer failed: the one mapping of
// a session's error to the key of its words ("sync.why.…", app/lang's
// sentences for 立即同步 and `sync --once`; app/synconce.Cause) and to a
// short Chinese clause (sync/status's 上次的问题), and the errors of sync/bep
// it finds (sync/bep names them too). A peer's last error is kept with
// its key (Stored), so the status, which has only the text, says it in
// words, not in Go's English (dial tcp …, hello: EOF).
package why

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"syscall"

	"cunjing/sync/bep/framing"
	"cunjing/sync/bep/linkturn"
	"cunjing/sync/bep/relayask"
	"cunjing/sync/bep/servers"
)

// Why a session did not start or ended (sync/bep names them).
var (
	ErrWrongDevice = errors.New("another device answered at the address")
	ErrNoAddress   = errors.New("no address known (pair again with --address HOST:PORT, sync on the station's LAN, or set a discovery server or relay with cunjing config)")
	// ErrForgotten ends a session whose peer does not know this device:
	// it refused it in words at its hello (sync/bep/hello.NotPairedReason)
	// — a station restored from a backup made before it paired this post.
	ErrForgotten = errors.New("the peer does not know this device (not paired there; restored from a backup made before the pairing?)")
)

// PairRefusedError is the other device refusing the short pairing typed
// here, with its reason.
type PairRefusedError struct{ Peer, Reason string }

func (e *PairRefusedError) Error() string { return e.Peer + " 拒绝配对：" + e.Reason }

// Other is the key of the words for a failure Key does not know: they
// say only that it failed, and the raw error goes beside them.
const Other = "sync.why.other"

// Forgotten is ErrForgotten's key.
const Forgotten = "sync.why.forgotten"

// causes are the failures a session is known to end with, most telling
// first (an error joins what every way to the peer gave: the first cause
// found anywhere in it wins), each with the key of its words in app/lang
// (what happened and what to do next, for a village officer) and a short
// clause for the status.
var causes = []struct {
	key, zh string
	is      func(error) bool
}{
	{Forgotten, "对方不认识本机（它那边没有和本机配对）", is(ErrForgotten)},
	{"sync.why.wrongDevice", "这个地址上是另一台设备", is(ErrWrongDevice)},
	{"sync.why.pairRefused", "对方拒绝了配对", func(err error) bool { var e *PairRefusedError; return errors.As(err, &e) }},
	{"sync.why.busy", "本机另一个程序正在和对方同步", is(linkturn.ErrBusy)},
	{"sync.why.relayNotPinned", "中继服务器的证书不对", is(relayask.ErrRelayNotPinned)},
	{"sync.why.notAtRelay", "对方不在中继服务器上", is(relayask.ErrNotAtRelay)},
	{"sync.why.relayDown", "连不上中继服务器", is(relayask.ErrRelayDown)},
	{"sync.why.badServer", "发现服务器的回答不对", func(err error) bool {
		return errors.Is(err, servers.ErrAnswerTooLarge) || errors.Is(err, servers.ErrWrongServer)
	}},
	{"sync.why.silent", "连接中途断了", is(framing.ErrSilent)},
	{"sync.why.refused", "对方的电脑拒绝了连接", errno(syscall.ECONNREFUSED, 10061)}, // 10061: WSAECONNREFUSED (Windows)
	{"sync.why.noHost", "找不到对方地址里的主机名", func(err error) bool { var e *net.DNSError; return errors.As(err, &e) }},
	{"sync.why.noRoute", "网络不通，到不了对方", errno(syscall.EHOSTUNREACH, syscall.ENETUNREACH, 10065, 10051)},
	{"sync.why.tls", "对方不认这次连接", func(err error) bool {
		var a tls.AlertError
		var r tls.RecordHeaderError
		var v *tls.CertificateVerificationError
		var u x509.UnknownAuthorityError
		var op *net.OpError // an alert the other side sent
		return errors.As(err, &a) || errors.As(err, &r) || errors.As(err, &v) || errors.As(err, &u) || (errors.As(err, &op) && op.Op == "remote error")
	}},
	{"sync.why.timeout", "等对方回应超时", func(err error) bool {
		var ne net.Error
		return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
	}},
	{"sync.why.closed", "对方断开了连接", func(err error) bool {
		return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errno(syscall.ECONNRESET, 10054)(err)
	}},
	{"sync.why.noAddress", "不知道对方的地址", is(ErrNoAddress)},
}

func is(target error) func(error) bool {
	return func(err error) bool { return errors.Is(err, target) }
}

// errno matches a system error by number (Windows' WSA numbers are not
// syscall's constants there, so they are listed as numbers).
func errno(codes ...syscall.Errno) func(error) bool {
	return func(err error) bool {
		var e syscall.Errno
		if !errors.As(err, &e) {
			return false
		}
		for _, c := range codes {
			if e == c {
				return true
			}
		}
		return false
	}
}

// Key says why a session failed as the key of its words in app/lang's
// translations ("sync.why.…"): Other when it is none of the known ones,
// "" for nil.
func Key(err error) string {
	if err == nil {
		return ""
	}
	for _, c := range causes {
		if c.is(err) {
			return c.key
		}
	}
	return Other
}

// Words is the short Chinese clause of a key ("" for Other and a key
// not known).
func Words(key string) string {
	for _, c := range causes {
		if c.key == key {
			return c.zh
		}
	}
	return ""
}

// Stored is err as a peer's last error is kept (syncbook's last_error):
// its key in brackets, then its text; "" for nil.
func Stored(err error) string {
	if err == nil {
		return ""
	}
	return "[" + Key(err) + "] " + err.Error()
}

// Parse splits a kept last error into its key and its text. One kept by
// a version before Stored has no key: Other when it is not empty.
func Parse(stored string) (key, text string) {
	if rest, ok := strings.CutPrefix(stored, "[sync.why."); ok {
		if k, t, ok := strings.Cut(rest, "] "); ok && !strings.ContainsAny(k, " ]") {
			return "sync.why." + k, t
		}
	}
	if stored == "" {
		return "", ""
	}
	return Other, stored
}
