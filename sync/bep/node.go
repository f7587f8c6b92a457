package bep

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	gosync "sync"
	"sync/atomic"
	"time"

	"github.com/syncthing/syncthing/lib/dialer"
	"github.com/syncthing/syncthing/lib/discover"
	"github.com/syncthing/syncthing/lib/events"
	"github.com/syncthing/syncthing/lib/protocol"
	"github.com/syncthing/syncthing/lib/tlsutil"

	"cunjing/store"
	"cunjing/store/syncbook"
	cjsync "cunjing/sync"
	"cunjing/sync/bep/framing"
	"cunjing/sync/bep/gate"
	"cunjing/sync/bep/hello"
	"cunjing/sync/bep/linkturn"
	"cunjing/sync/bep/pairlimit"
	"cunjing/sync/bep/relayaccept"
	"cunjing/sync/bep/relayask"
	"cunjing/sync/bep/retry"
	"cunjing/sync/bep/servers"
	"cunjing/sync/bep/tickets"
	"cunjing/sync/bep/why"
	"cunjing/sync/quarantine"
)

// Config tunes a Node.
type Config struct {
	// MaxIncoming caps concurrent requests served to one peer (lib/protocol
	// starts a goroutine per request with no limit of its own).
	MaxIncoming int
	// MaxOutgoing caps concurrent block requests of the puller per peer.
	MaxOutgoing int
	// Dialer opens TCP connections (tests put a throttled or cut link here).
	Dialer func(ctx context.Context, addr string) (net.Conn, error)
	// LAN, when set, finds peers without a configured address on the
	// local network (typed addresses come first and keep working).
	LAN *LAN
	// Servers: Syncthing discovery servers and relays that find and
	// reach peers beyond the LAN (Reach makes this node reachable there).
	Servers servers.List
	// WrapConn, when set, wraps every accepted or dialled connection before
	// TLS (tests count bytes or simulate cuts with it).
	WrapConn func(net.Conn) net.Conn

	// onMessage, for tests, sees each whole BEP message as it is handed to
	// lib/protocol: its type, its size, and the connection (after WrapConn)
	// it came on.
	onMessage func(c net.Conn, typ, size int)
	// onHandshake, for tests, sees every TLS handshake's state (whether it
	// resumed a session).
	onHandshake func(server bool, cs tls.ConnectionState)
	// stepHook, for tests, is called at points of a step: "listed" once
	// the peer's files of a folder are listed, "announce" before our
	// index of a folder goes out (to make an index message land at an
	// awkward moment).
	stepHook func(s *session, point, folder string)
	// maxPull, for tests: the session's pull budget (0: maxPullDefault).
	maxPull int64
	// keepRefused, for tests: leave files that fail verification in the
	// folder (a hostile peer, or one of an older version).
	keepRefused bool
	// notForUsBound, for tests: the bound of files addressed to other
	// devices that pauses a peer (zero: quarantine.NotForUsBound).
	notForUsBound quarantine.Bound
	// exemptBound, for tests: how many blobs addressed to others, and how
	// many bytes of them, a changeset's reference excuses a device, a day
	// and in all (zero DayFiles: quarantine.ExcuseBound).
	exemptBound syncbook.ExcuseBound
	// maxEntries, for tests: the files a peer's index of a folder may
	// hold (0: maxEntriesDefault).
	maxEntries int
	// indexBatch, for tests: the entries of one index message we send
	// (0: indexBatchFiles).
	indexBatch int
	// silence, for tests, replaces framing.SilenceLimit when not zero.
	silence time.Duration
	// lingerHeld, for tests, replaces lingerHeldDefault when not zero.
	lingerHeld time.Duration
	// relayFirstByte, for tests, replaces relayask.FirstByte when not zero.
	relayFirstByte time.Duration
	// announcer, for tests, replaces lib/discover's global client.
	announcer func(server string, addrs discover.AddressLister, evl events.Logger) (announcing, error)
	// strangerWait, for tests, replaces strangerWaitDefault when not zero.
	strangerWait time.Duration
	// maxStrangers, for tests, replaces maxStrangersDefault when not zero.
	maxStrangers int
	// maxHandshakes, for tests, replaces maxHandshakesDefault when not zero.
	maxHandshakes int
	// maxHandshakesFrom, for tests, replaces maxHandshakesFromDefault when
	// not zero.
	maxHandshakesFrom int
	// handshakeWait, for tests, replaces handshakeWaitDefault when not zero.
	handshakeWait time.Duration
	// gateNow, for tests, is the clock of the gate's grace (gate.Options).
	gateNow func() time.Time
	// pairLimit, for tests, replaces pairlimit.Default.
	pairLimit *pairlimit.Limiter
	// clientVersion, for tests, is said in the hello instead of the
	// current one ("v1.0.0": a peer that reads receipts of format 1 only).
	clientVersion string
}

// Node runs BEP sessions for one device.
type Node struct {
	e   *cjsync.Engine
	cfg Config
	tls *tls.Config

	reach reach // built from cfg.Servers on first use

	// news wakes Run to dial every peer now: a session cut something
	// new (a station relaying between its posts and its county).
	news chan struct{}

	// retired counts the sessions a peer's new connection retired.
	retired atomic.Int64

	// strangers are the slots of devices not paired here being told so
	// (refuseUnknown); turnedAway counts those closed for want of one.
	strangers  chan struct{}
	turnedAway atomic.Int64

	// handshaking are the accepted connections not through their TLS
	// handshake yet (Serve; at most maxHandshakes).
	handshaking *gate.Gate
	// tickets are the sessions this node may resume (sync/bep/tickets).
	tickets *tickets.Store

	mu        gosync.Mutex
	relays    *relayaccept.Acceptor // sessions offered through relays (Reach)
	announced *servers.Announced    // what Reach announces to discovery servers
	sessions  map[protocol.DeviceID]*session
	reachErr  map[string]func() error // Reach's servers and how each is doing
}

// dialTCP dials addr within 10 s, through the proxy ALL_PROXY names, as
// Syncthing's lib/dialer does for relays and discovery (directly when it
// names none).
func dialTCP(ctx context.Context, addr string) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	c, err := dialer.DialContext(ctx, "tcp", addr)
	if tc, ok := c.(*net.TCPConn); ok { // a probe each 30 s idle, as before (15 s: Go's)
		_ = tc.SetKeepAlivePeriod(30 * time.Second)
	}
	return c, err
}

// NewNode prepares a node; it does not listen or dial yet.
func NewNode(e *cjsync.Engine, cfg Config) *Node {
	if cfg.lingerHeld <= 0 {
		cfg.lingerHeld = lingerHeldDefault
	}
	if cfg.MaxIncoming <= 0 {
		cfg.MaxIncoming = 8
	}
	if cfg.MaxOutgoing <= 0 {
		cfg.MaxOutgoing = 4
	}
	if cfg.Dialer == nil {
		cfg.Dialer = dialTCP
	}
	if cfg.maxStrangers <= 0 {
		cfg.maxStrangers = maxStrangersDefault
	}
	if cfg.maxHandshakes <= 0 {
		cfg.maxHandshakes = maxHandshakesDefault
	}
	if cfg.maxHandshakesFrom <= 0 {
		cfg.maxHandshakesFrom = maxHandshakesFromDefault
	}
	if cfg.handshakeWait <= 0 {
		cfg.handshakeWait = handshakeWaitDefault
	}
	tc := tlsutil.SecureDefaultTLS13()
	tc.Certificates = []tls.Certificate{e.Identity().Cert}
	tc.NextProtos = []string{"bep/1.0"}
	tc.ClientAuth = tls.RequestClientCert
	// Sessions resume after a cut with a small ticket kept here (sync/bep/tickets).
	ts := tickets.NewStore()
	ts.Enable(tc)
	// Key exchange by X25519 alone. Go's default also offers the hybrid
	// X25519MLKEM768, whose key share (1,216 B) and ciphertext (1,120 B)
	// made a handshake 4,230 B instead of 1,910 B: on a post's link that
	// carries ~50 KB of changesets a day, 5 % of the wire for nothing the
	// files gain, since what matters in them is age-encrypted to X25519
	// keys anyway (DESIGN.md §4), so post-quantum key exchange would guard
	// only file names and sizes. Peers offering both still agree on X25519.
	tc.CurvePreferences = []tls.CurveID{tls.X25519, tls.CurveP256}
	// Records as large as TLS allows from the first: Go starts a
	// connection with ~1.2 KB records, growing, each with 22 B of header,
	// tag and type, for a faster first byte nothing here waits for
	// (framing.Reader hands on whole messages only).
	tc.DynamicRecordSizingDisabled = true
	// Trust is the paired device list, checked right after the handshake.
	tc.InsecureSkipVerify = true
	return &Node{e: e, cfg: cfg, tls: tc, sessions: map[protocol.DeviceID]*session{}, news: make(chan struct{}, 1),
		strangers: make(chan struct{}, cfg.maxStrangers), tickets: ts,
		handshaking: gate.NewWith(cfg.maxHandshakes, cfg.maxHandshakesFrom, gate.Options{Now: cfg.gateNow})}
}

// maxPullDefault is how many bytes of files one session takes from its
// peer: far above what a post sends (a day's changesets are tens of KB, a
// scanned map tens of MB; a county's first session with a station of many
// posts' scans is a few GB and goes on in the next session), and a bound
// on what a paired device announcing file after file of the largest kind
// writes to this PC's disk before the session ends saying so.
const maxPullDefault = 4 << 30

func (n *Node) pullBudget() int64 {
	if n.cfg.maxPull > 0 {
		return n.cfg.maxPull
	}
	return maxPullDefault
}

// maxEntriesDefault is how many files a peer's index of one folder may
// hold here (bep_remote_files): a post cutting a changeset every ten
// minutes of every working day for thirty years makes some 360,000, with a
// receipt or two a session besides. Entries past it are logged and left
// out (never pulled).
const maxEntriesDefault = 1_000_000

func (n *Node) indexBatch() int {
	if n.cfg.indexBatch > 0 {
		return n.cfg.indexBatch
	}
	return indexBatchFiles
}

func (n *Node) entryBudget() int {
	if n.cfg.maxEntries > 0 {
		return n.cfg.maxEntries
	}
	return maxEntriesDefault
}

// maxHandshakesDefault bounds the accepted connections still in their TLS
// handshake (sync/bep/gate), direct or relayed: before it names a device,
// a connection is held by neither the paired list nor maxStrangers, and
// 300 silent ones held 300 goroutines and descriptors for 20 s each. Past
// it one of the source holding the most is closed for the newcomer (the
// longest held among equals), so a paired post dialling during such a
// flood still gets through. A township's posts dialling a station that
// just came back are some dozens at once.
const maxHandshakesDefault = 64

// maxHandshakesFromDefault bounds those of one source (gate.Source: an
// IPv4 address, an IPv6 /64, a relay and the device that asked there): a
// newcomer from a source holding as many closes the source's oldest. One
// flooding address held all 64 and, faster than a handshake, closed a
// paired post's under it each time it dialled. Posts behind one carrier
// NAT share an address, and their handshakes are milliseconds each.
const maxHandshakesFromDefault = 8

// handshakeWaitDefault bounds an accepted connection's TLS handshake (a
// connection that trickles a byte now and then is never silent, so
// framing.Silence never ends it): the handshake is ~2 KB each way in one
// round trip, some seconds on the slowest village line. A dialled one
// keeps its 20 s.
const handshakeWaitDefault = 10 * time.Second

// maxUnreadDefault bounds the connections Serve accepted that their
// goroutine has not read yet (gate.Pacer).
const maxUnreadDefault = 8

// Serve accepts connections on ln until ctx ends.
func (n *Node) Serve(ctx context.Context, ln net.Listener) error {
	go func() {
		<-ctx.Done()
		ln.Close()
	}()
	var pause time.Duration
	var failed int64
	pace := gate.NewPacer(maxUnreadDefault)
	for {
		if !pace.Wait(ctx) {
			return nil
		}
		c, err := ln.Accept()
		if err != nil {
			pace.Free()
			if ctx.Err() != nil {
				return nil
			}
			if errors.Is(err, net.ErrClosed) {
				return fmt.Errorf("accept: %w", err)
			}
			// Out of file descriptors ("too many open files", a flood or
			// a busy station at its limit) and the like pass: Serve
			// returned, and the station listened no more until restarted.
			// A moment's wait, as net/http's server does.
			if failed++; failed&(failed-1) == 0 {
				n.e.Log().Warn("accept failed, trying again", "err", err, "count", failed)
			}
			pause = min(max(2*pause, 5*time.Millisecond), time.Second)
			t := time.NewTimer(pause)
			select {
			case <-ctx.Done():
				t.Stop()
				return nil
			case <-t.C:
			}
			continue
		}
		pause = 0
		c = pace.Conn(c)
		t := n.admit(gate.Direct(c.RemoteAddr()), c)
		go func() {
			defer t.Done()
			s, err := n.handshakeAs(ctx, c, false, true, PathDirect, t, t.Done)
			if err != nil {
				n.e.Log().Warn("refused connection", "remote", c.RemoteAddr().String(), "err", err)
				return
			}
			s.run(ctx, false)
		}()
	}
}

// admit takes a slot of the gate for c (sync/bep/gate), logging the
// connections closed for one (the first, second, fourth, …).
func (n *Node) admit(src gate.Source, c io.Closer) *gate.Ticket {
	t, evicted := n.handshaking.Admit(src, c)
	if k := n.handshaking.Evicted(); evicted && k&(k-1) == 0 {
		n.e.Log().Warn("connections closed before their TLS handshake ended: too many at once",
			"from", src.Name, "at once", n.cfg.maxHandshakes, "from one", n.cfg.maxHandshakesFrom, "count", k)
	}
	return t
}

// Result sums up one session.
type Result struct {
	Peer     string `json:"peer"`
	Name     string `json:"name"`
	Address  string `json:"address"`
	Pulled   int    `json:"pulled_files"`
	Imported int    `json:"applied_changesets"`
	BytesIn  int64  `json:"bytes_in"`
	BytesOut int64  `json:"bytes_out"`
	// Path: "direct" (a TCP connection to the peer's own address) or
	// "relay" (through a Syncthing relay server); see PathDirect.
	Path     string        `json:"path,omitempty"`
	Duration time.Duration `json:"duration_ns"`
	Complete bool          `json:"complete"` // both sides have everything
	Error    string        `json:"error,omitempty"`
	// Err is what Error says, for errors.Is and errors.As (synconce.Cause).
	Err error `json:"-"`
	// Divergences says (in Chinese) what keeps the two apart when the
	// session ended without healing it (see sync.Engine.Divergences).
	Divergences []string `json:"divergences,omitempty"`
	// yielded: a held session ended because another program on this
	// database asked for the link (sync/bep/linkturn).
	yielded bool
}

// Why a session did not start, besides the relay's (ErrRelayDown,
// ErrNotAtRelay): for errors.Is (sync/bep/why says them in words).
var (
	ErrWrongDevice = why.ErrWrongDevice
	ErrNoAddress   = why.ErrNoAddress
)

// SyncOnce dials a peer, exchanges until both sides hold every file of
// their shared folders or ctx ends, and closes. It returns the session's
// result. The ways to the peer are tried in order until one connects: its
// typed addresses; where the LAN heard it (when it has none); then what the
// discovery servers say (its direct addresses first, then the relays it
// joined) and this node's own relays. Result.Path says which was used.
func (n *Node) SyncOnce(ctx context.Context, p syncbook.Peer) (Result, error) {
	return n.dial(ctx, p, true)
}

// Hold dials a peer as SyncOnce does but keeps the session open once both
// sides are complete, exchanging what either side cuts later, until the
// link fails or ctx ends: Run holds the link to the device above (a post's
// station, a station's county) instead of dialling it anew each minute,
// which cost a handshake, cluster config and indexes every time. Complete
// in the result says the two were complete at some point.
func (n *Node) Hold(ctx context.Context, p syncbook.Peer) (Result, error) {
	return n.dial(ctx, p, false)
}

func (n *Node) dial(ctx context.Context, p syncbook.Peer, once bool) (Result, error) {
	res := Result{Peer: p.DeviceID, Name: p.Name}
	dev, err := protocol.DeviceIDFromString(p.DeviceID)
	if err != nil {
		return res, fmt.Errorf("sync with %s: device ID: %w", p.Name, err)
	}
	link, err := linkturn.Take(ctx, linkturn.Peer{Dir: n.e.Dir(), DeviceID: p.DeviceID, Name: p.Name}, once, n.e.Log())
	if err != nil {
		res.Error, res.Err = err.Error(), err
		return res, err
	}
	defer link.Release()
	var errs []error
	tried := map[string]bool{}
	var targets []target
	for _, a := range p.Addresses {
		targets = append(targets, target{addr: a, path: PathDirect})
	}
	if len(p.Addresses) == 0 && n.cfg.LAN != nil {
		addrs, err := n.cfg.LAN.Lookup(ctx, dev)
		if err != nil {
			errs = append(errs, err)
		}
		for _, a := range addrs {
			targets = append(targets, target{addr: a, path: PathDirect})
		}
	}
	global := false
	for len(targets) > 0 || !global {
		if len(targets) == 0 {
			// Everything known failed: ask the servers (once).
			global = true
			if n.cfg.Servers.Empty() {
				break
			}
			ts, err := n.globalTargets(ctx, dev, tried)
			if err != nil {
				errs = append(errs, err)
			}
			targets = ts
			continue
		}
		t := targets[0]
		targets = targets[1:]
		if tried[t.addr] {
			continue
		}
		tried[t.addr] = true
		res.Address, res.Path = t.addr, t.path
		var s *session
		if t.relay != nil { // a peer silent once joined: another relayed session
			s, err = relayask.Session(ctx, t.relay, dev, []tls.Certificate{n.e.Identity().Cert}, n.cfg.relayFirstByte,
				func(c net.Conn, tlsServer bool) (*session, error) {
					return n.handshakeAs(ctx, c, true, tlsServer, t.path, nil, nil)
				})
		} else if c, derr := n.cfg.Dialer(ctx, t.addr); derr != nil {
			err = derr
		} else {
			s, err = n.handshakeAs(ctx, c, true, false, t.path, nil, nil)
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if s.remote != dev {
			s.conn.Close(errors.New("unexpected device"))
			errs = append(errs, fmt.Errorf("%s answered as %s, not %s: %w", t.addr, s.remote, p.DeviceID, ErrWrongDevice))
			continue
		}
		if !once {
			if s.newer {
				s.linger = n.cfg.lingerHeld // (an older cunjing gets its receipts as before)
			}
			s.yield = link.Asked() // another program on this database wants the link
		}
		r := s.run(ctx, once)
		r.Address, r.Path = t.addr, t.path
		return r, nil
	}
	res.Address, res.Path = "", ""
	lastErr := errors.Join(errs...)
	if lastErr == nil {
		lastErr = ErrNoAddress
	}
	res.Error, res.Err = lastErr.Error(), lastErr
	if err := n.e.Book().NotePeerContact(ctx, p.DeviceID, "", 0, 0, why.Stored(lastErr)); err != nil {
		return res, err
	}
	return res, fmt.Errorf("sync with %s: %w", p.Name, lastErr)
}

// helloTime is t in Unix nanoseconds for a Hello, never zero (lib/protocol
// panics on it) and never past what int64 nanoseconds hold (the year 2262;
// an HLC reaches 2286).
func helloTime(t time.Time) int64 {
	if lim := time.Unix(0, 1<<63-1); t.After(lim) {
		t = lim
	}
	if ns := t.UnixNano(); ns > 0 {
		return ns
	}
	return 1
}

type connInfo struct {
	conn     net.Conn
	at       time.Time
	outgoing bool
	path     string
}

func (c connInfo) Type() string {
	kind := "tcp"
	if c.path == PathRelay {
		kind = "relay"
	}
	return kind + map[bool]string{true: "-client", false: "-server"}[c.outgoing]
}
func (c connInfo) Transport() string {
	if c.path == PathRelay {
		return "relay"
	}
	return "tcp"
}
func (c connInfo) IsLocal() bool            { return false }
func (c connInfo) RemoteAddr() net.Addr     { return c.conn.RemoteAddr() }
func (c connInfo) Priority() int            { return 10 }
func (c connInfo) String() string           { return c.conn.RemoteAddr().String() }
func (c connInfo) Crypto() string           { return "TLS1.3" }
func (c connInfo) EstablishedAt() time.Time { return c.at }
func (c connInfo) ConnectionID() string {
	return c.conn.LocalAddr().String() + "-" + c.conn.RemoteAddr().String()
}

// handshakeAs runs TLS (as its server when tlsServer: the dialled side on a
// direct connection, whichever side the relay says on a relayed one) and
// Hello, and checks the peer is paired: an unknown or unpaired device is
// refused before any BEP message. outgoing: this side asked for the
// session. gt is the connection's slot in the gate of Serve
// (sync/bep/gate), nil for one dialled: it is marked talking, named
// paired or a stranger as the handshake goes. through, when not nil, is
// called once the connection is past the gate: its TLS handshake named a
// paired device, a stranger was dealt with, or its short pairing ended.
func (n *Node) handshakeAs(ctx context.Context, raw net.Conn, outgoing, tlsServer bool, path string, gt *gate.Ticket, through func()) (*session, error) {
	if through == nil {
		through = func() {}
	}
	if n.cfg.WrapConn != nil {
		raw = n.cfg.WrapConn(raw)
	}
	// A link that died without a word (a relay gone, a line dropped) ends
	// the session after framing.SilenceLimit, not lib/protocol's 5 minutes.
	silence := framing.SilenceLimit
	if n.cfg.silence > 0 {
		silence = n.cfg.silence
	}
	quiet := framing.Silence(raw, silence) // (WrapConn's callers see raw)
	wait := 20 * time.Second
	if !outgoing {
		wait = n.cfg.handshakeWait
	}
	hctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	cfg := gt.Config(n.tls, gate.Namer{Paired: n.pairedCert(hctx), Unwrap: n.tickets.Unwrap})
	var tc *tls.Conn
	if !tlsServer {
		tc = tls.Client(gt.Watch(quiet), cfg)
	} else {
		tc = tls.Server(gt.Watch(quiet), cfg)
	}
	if err := tc.HandshakeContext(hctx); err != nil {
		raw.Close()
		return nil, fmt.Errorf("TLS handshake: %w", err)
	}
	if n.cfg.onHandshake != nil {
		n.cfg.onHandshake(tlsServer, tc.ConnectionState())
	}
	certs := tc.ConnectionState().PeerCertificates
	if len(certs) == 0 {
		tc.Close()
		return nil, errors.New("peer sent no certificate")
	}
	remote := protocol.NewDeviceID(certs[0].Raw)
	peer, err := n.e.Book().Peer(ctx, remote.String())
	if errors.Is(err, syncbook.ErrNotFound) {
		gt.Stranger()
		pc, refused := n.refuseUnknown(ctx, tc, remote, outgoing)
		if refused != nil {
			through()
			tc.Close()
			return nil, refused
		}
		// Not paired yet: a first connection after a short pairing code
		// pairs here, or the device is refused. Any device may start one
		// while a code is shown: it stays in the gate until it ends (it
		// held a goroutine and a connection 20 s past it, as many as came).
		peer, err = n.pairShort(ctx, pc, remote, outgoing)
		through()
		if err != nil {
			tc.Close()
			return nil, err
		}
		// Paired just now: cut at once, so this first session already
		// carries what was done before (addressed to the new peer).
		if _, err := n.e.Cut(ctx); err != nil {
			tc.Close()
			return nil, fmt.Errorf("cut for %s after pairing: %w", peer.Name, err)
		}
	}
	through()
	if err != nil || peer.RevokedAt != "" || n.e.Revoked(ctx, peer.DeviceID) {
		tc.Close()
		return nil, fmt.Errorf("unknown device %s refused", remote)
	}
	if err := quarantine.Paused(ctx, n.e.Book(), peer); err != nil {
		tc.Close()
		return nil, fmt.Errorf("session refused: %w", err)
	}
	_ = tc.SetDeadline(time.Now().Add(20 * time.Second))
	hc, err := n.pairAgain(ctx, tc, peer, remote, outgoing) // where the hello comes from
	if err != nil {
		tc.Close()
		return nil, err
	}
	hi, err := protocol.ExchangeHello(hc, n.hello())
	if err != nil {
		tc.Close()
		return nil, fmt.Errorf("hello: %w", err)
	}
	// What the peer reads: its receipts are made in that format.
	n.e.NoteReceiptFormat(peer.DeviceID, hello.ReceiptFormat(hi))
	_ = tc.SetDeadline(time.Time{})
	// Both sides stamp their hello with their PC's clock: the one
	// measurement of a peer's clock that needs no change from it.
	if hi.Timestamp != 0 {
		offset := time.Unix(0, hi.Timestamp).Sub(n.e.Store().Clock().WallNow())
		if err := n.e.NoteHelloClock(ctx, peer.DeviceID, offset); err != nil {
			n.e.Log().Warn("note the peer's clock", "err", err)
		}
	}
	s := &session{n: n, peer: peer, remote: remote, link: quiet, path: path, done: make(chan struct{}), folders: map[string]bool{},
		newer: hello.Newer(hi), short: hello.ShortFolders(hi),
		wake: make(chan struct{}, 1), sem: make(chan struct{}, n.cfg.MaxIncoming), ccSeen: make(chan struct{}), closedSeen: make(chan struct{}),
		idxSeen: map[string]bool{}, swept: map[string]bool{}, sendFrom: map[string]int64{}, remoteIdx: map[string]uint64{}, remoteMax: map[string]int64{}, announced: map[string]bool{}}
	// lib/protocol reads and writes through framing.Reader and Writer, which
	// keep a failing link from throwing away responses that came whole.
	var seen func(typ, size int)
	if n.cfg.onMessage != nil {
		seen = func(typ, size int) { n.cfg.onMessage(raw, typ, size) }
	}
	s.in = framing.NewReader(tc, s.clusterConfigSeen, seen)
	w := framing.NewWriter(tc, s.in, s.retire)
	s.conn = protocol.NewConnection(remote, s.in, w, w.Closer(tc), s, connInfo{conn: raw, at: time.Now(), outgoing: outgoing, path: path},
		protocol.CompressionMetadata, protocol.NewKeyGenerator())
	w.SetClosed(s.conn.Closed())
	return s, nil
}

// pairedCert is the device a certificate (DER) names when it is paired
// here and not revoked, "" otherwise (gate.Namer).
func (n *Node) pairedCert(ctx context.Context) func(cert []byte) string {
	return func(cert []byte) string {
		p, err := n.e.Book().Peer(ctx, protocol.NewDeviceID(cert).String())
		if err != nil || p.RevokedAt != "" || n.e.Revoked(ctx, p.DeviceID) {
			return ""
		}
		return p.DeviceID
	}
}

// Run keeps a device connected: a station (or any device with listen set)
// listens, and joins its relays and announces itself to its discovery
// servers when it has any (Reach); every device dials its peers that have
// addresses (a post also those the servers or the LAN find) whenever they
// are reachable, with backoff, and re-dials at once when cut is signalled
// (new local changes) or the network comes back. It cuts new changes every
// cutEvery.
func (n *Node) Run(ctx context.Context, ln net.Listener, cutEvery time.Duration, cut <-chan struct{}) error {
	var listen []string
	if ln != nil {
		go func() {
			if err := n.Serve(ctx, ln); err != nil {
				n.e.Log().Error("listener stopped", "err", err)
			}
		}()
		if _, port, err := net.SplitHostPort(ln.Addr().String()); err == nil {
			listen = append(listen, ":"+port) // announced as the address servers see
		}
	}
	if !n.cfg.Servers.Empty() {
		go func() {
			if err := n.Reach(ctx, listen); err != nil {
				n.e.Log().Error("relays and discovery stopped", "err", err)
			}
		}()
	}
	// A peer without an address is dialled only where the servers or the
	// LAN can find it, and only when it is the one above (a post's
	// station, a station's county): those below dial.
	me := n.e.Store().Role()
	findable := !n.cfg.Servers.Empty() || n.cfg.LAN != nil
	if cutEvery <= 0 {
		cutEvery = time.Minute
	}
	backoff := map[string]time.Duration{}
	failing := map[string]time.Time{} // since when a peer's sessions fail
	next := map[string]time.Time{}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	lastCut := time.Time{}
	for {
		if time.Since(lastCut) >= cutEvery {
			if _, err := n.e.Cut(ctx); err != nil {
				n.e.Log().Error("cut", "err", err)
			}
			lastCut = time.Now()
			n.poke()
		}
		peers, err := n.e.Book().Peers(ctx, false)
		if err != nil {
			return err
		}
		for _, p := range peers {
			n.mu.Lock()
			wait := time.Now().Before(next[p.DeviceID])
			n.mu.Unlock()
			if (len(p.Addresses) == 0 && !(findable && store.Above(p.Role, me))) || wait || n.connected(p.DeviceID) {
				continue
			}
			p := p
			go func() {
				// The link to the device above is held open; others
				// (a post a station can dial) get a session each turn.
				sync := n.SyncOnce
				if store.Above(p.Role, me) {
					sync = n.Hold
				}
				r, err := sync(ctx, p)
				n.mu.Lock()
				defer n.mu.Unlock()
				if errors.Is(err, linkturn.ErrBusy) || r.yielded {
					// Another program on this database has the link:
					// try again soon, no backoff.
					next[p.DeviceID] = time.Now().Add(2 * time.Second)
				} else if err != nil || !r.Complete {
					if backoff[p.DeviceID] == 0 {
						failing[p.DeviceID] = time.Now()
					}
					b := retry.Dial(backoff[p.DeviceID], time.Since(failing[p.DeviceID]))
					backoff[p.DeviceID] = b
					next[p.DeviceID] = time.Now().Add(b)
				} else {
					backoff[p.DeviceID] = 0
					next[p.DeviceID] = time.Now().Add(cutEvery)
					if store.Above(p.Role, me) {
						// A held link that ended: dial again soon.
						next[p.DeviceID] = time.Now().Add(2 * time.Second)
					}
				}
			}()
			n.mu.Lock()
			next[p.DeviceID] = time.Now().Add(time.Hour) // until the attempt ends
			n.mu.Unlock()
		}
		select {
		case <-ctx.Done():
			return nil
		case <-n.news:
			n.mu.Lock()
			for k := range next {
				if backoff[k] == 0 {
					next[k] = time.Time{} // news for a peer that answered last time
				}
			}
			n.mu.Unlock()
		case <-cut:
			lastCut = time.Time{}
			n.mu.Lock()
			for k := range next {
				next[k] = time.Time{} // a link or new data: try everyone now
			}
			n.mu.Unlock()
		case <-tick.C:
		}
	}
}

func (n *Node) connected(dev string) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	for id := range n.sessions {
		if id.String() == dev {
			return true
		}
	}
	return false
}

// newData tells live sessions of a cut made in a session (poke), and Run
// to dial the peers not connected now rather than at their next turn.
func (n *Node) newData() {
	n.poke()
	select {
	case n.news <- struct{}{}:
	default:
	}
}

// poke tells live sessions to rescan their folders and announce new files.
func (n *Node) poke() {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, s := range n.sessions {
		s.poke()
	}
}
