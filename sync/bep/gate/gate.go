// Package gate bounds the connections a listener holds before they have
// said who they are: a TCP connection accepted, or a session a relay
// offered, and not yet through its TLS handshake names no device, so
// neither the paired list nor the bound on strangers (sync/bep's
// maxStrangers) holds it. Each took a goroutine and a file descriptor for
// up to 20 s, without limit: 300 silent connections held 300 of each.
//
// A connection is first silent (Admit: nothing heard yet; Reading: the
// station reads it, in vain so far), then talking (Talking: its TLS
// client hello came, so it is at work on a handshake), and leaves the
// gate's bounds once it has named a device paired here (Paired: by its
// session ticket, at its client hello, or by its certificate) or ended
// (Done). A device not paired here that finished its handshake and is
// still held (a short pairing, being told it is not paired) is marked so
// (Stranger). Watch and Config mark a TLS connection as it goes.
//
// Bounds. At most Max not named paired at once, and at most PerSource of
// one source (Source: an IP address, or a relay and the device that
// asked there) counting those read and silent past SilentGrace (a
// relayed join at once), those talking longer than Grace and strangers: an honest handshake is one round trip, and
// posts behind one carrier NAT share an address, their handshakes at
// once no flood. A newcomer from a source at its bound takes the place of
// that source's oldest silent one, else of its longest talking. When all
// are taken, one goes by rank (silent while read, then talking past
// Grace or a stranger, then silent not read yet — a post's client hello
// is there when its goroutine reads —, then talking), among equals of
// the group holding the most (its source holding the most), the longest
// held. So a flood that does not talk TLS closes no handshake under way,
// from its own address or any other, and a post that resumes its session
// (its ticket names it) is out of any flood's reach once its hello is
// read. Those named paired are bounded by device (PerDevice, the oldest
// closed): a device's certificate is shown only to its peers, and a
// ticket is used once. One silent SilentWait after it was first read is
// closed (a relayed session's join before does not count). Imports none
// of ours.
package gate

import (
	"container/list"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Source is where a connection comes from, as far as a flooder cannot
// choose it: Name is bounded to PerSource slots, and Group is what the
// gate takes a slot from first when it is full (the group holding the
// most).
type Source struct{ Group, Name string }

// Direct is the source of a TCP connection from addr: its IPv4 address,
// or the /64 of its IPv6 address (what one line is given: an attacker
// holds every address in it).
func Direct(addr net.Addr) Source {
	var ip net.IP
	switch a := addr.(type) {
	case *net.TCPAddr:
		ip = a.IP
	default:
		if addr == nil {
			return Source{}
		}
		host, _, err := net.SplitHostPort(addr.String())
		if err != nil {
			host = addr.String()
		}
		ip = net.ParseIP(host)
		if ip == nil {
			return Source{Group: host, Name: host}
		}
	}
	if v4 := ip.To4(); v4 != nil {
		s := v4.String()
		return Source{Group: s, Name: s}
	}
	s := (&net.IPNet{IP: ip.Mask(net.CIDRMask(64, 128)), Mask: net.CIDRMask(64, 128)}).String()
	return Source{Group: s, Name: s}
}

// Relayed is the source of a session relay offered at the asking of
// device (a stock relay knows the asking device by its certificate; a
// hostile relay may name any device, but its flood stays in its group).
func Relayed(relay, device string) Source {
	return Source{Group: "relay " + relay, Name: "relay " + relay + " " + device}
}

// Options are a gate's bounds besides Max and PerSource; zero fields take
// the defaults.
type Options struct {
	// PerDevice bounds the connections named paired to one device still
	// in their handshake (DefaultPerDevice).
	PerDevice int
	// Grace is how long a talking connection does not count against its
	// source's bound (DefaultGrace).
	Grace time.Duration
	// SilentGrace is how long a connection read and silent does not
	// count against its source's bound (DefaultSilentGrace; negative:
	// it counts at once).
	SilentGrace time.Duration
	// SilentWait closes a connection that has not talked this long after
	// it was first read (DefaultSilentWait).
	SilentWait time.Duration
	// Now is the clock Grace is measured by (time.Now).
	Now func() time.Time
}

// Defaults of Options.
const (
	// DefaultPerDevice: a post's window and its command line dialling at
	// once, and one cut and dialling again.
	DefaultPerDevice = 2
	// DefaultGrace: a handshake is one round trip after the client hello,
	// a second or two on the slowest village line.
	DefaultGrace = 2 * time.Second
	// DefaultSilentGrace: a TLS client's hello follows its connection
	// at once; read before it came (a loaded station, a slow line), a
	// post would count as silent among a flood of its address's.
	DefaultSilentGrace = time.Second
	// DefaultSilentWait: a TLS client sends its hello as it connects (a
	// relayed session's, once both have joined): a lost packet or two.
	DefaultSilentWait = 5 * time.Second
)

// Gate is the connections in their handshake: at most Max not named
// paired, at most PerSource of one source counted (silent, or talking
// past Grace), at most PerDevice named paired to one device.
type Gate struct {
	max, per int
	o        Options
	mu       sync.Mutex
	held     *list.List // of *Ticket not named paired, the longest held first
	names    map[string]int
	groups   map[string]int
	paired   map[string][]*Ticket // by device, the oldest first
	npaired  int
	evicted  atomic.Int64
}

// New is a gate of at most n connections not named paired (at least 1),
// at most per of one source (at least 1, at most n), with the default
// Options.
func New(n, per int) *Gate { return NewWith(n, per, Options{}) }

// NewWith is New with the options o.
func NewWith(n, per int, o Options) *Gate {
	n = max(n, 1)
	if o.PerDevice <= 0 {
		o.PerDevice = DefaultPerDevice
	}
	if o.Grace <= 0 {
		o.Grace = DefaultGrace
	}
	if o.SilentGrace == 0 {
		o.SilentGrace = DefaultSilentGrace
	}
	if o.SilentWait <= 0 {
		o.SilentWait = DefaultSilentWait
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Gate{max: n, per: min(max(per, 1), n), o: o, held: list.New(),
		names: map[string]int{}, groups: map[string]int{}, paired: map[string][]*Ticket{}}
}

// stage is how far a connection has come.
type stage uint8

const (
	silent  stage = iota // nothing heard yet
	talking              // its client hello came
	stale                // talking past Grace, or a device not paired here
	named                // named a paired device
)

// Ticket is a connection's slot, from Admit to Done.
type Ticket struct {
	g      *Gate
	c      io.Closer
	src    Source
	elem   *list.Element // nil once named paired or let go
	st     stage
	since  time.Time // when it began talking
	dev    string    // the device it named, once named
	read   bool      // silent: the station reads it (Watch), in vain so far
	readAt time.Time // since when (zero: counted at once, a relay's join)
	gone   bool      // let go (Done or evicted)
	timer  *time.Timer
}

// Admit takes a slot for c, from src. When src holds PerSource slots
// counted, its oldest silent one is closed, else its longest talking,
// until it holds fewer; when Max are taken, one silent, else talking past Grace, else
// any, of the source holding the most in the group holding the most (the
// longest held among equals). The one closed fails its handshake (its
// own Done frees nothing more); evicted reports it. c is closed after
// SilentWait after it is first read if it has not talked by then.
func (g *Gate) Admit(src Source, c io.Closer) (t *Ticket, evicted bool) {
	t = &Ticket{g: g, c: c, src: src}
	g.mu.Lock()
	now := g.o.Now()
	var out []*Ticket
	if g.names[src.Name] >= g.per {
		// (more than one when talkers of src went past the grace)
		for k := g.counted(src.Name, now); k >= g.per; k-- {
			o := g.weakest(now, func(o *Ticket) bool { return o.src.Name == src.Name && o.counts(now) })
			g.remove(o)
			out = append(out, o)
		}
	}
	if g.held.Len() >= g.max {
		o := g.weakest(now, func(*Ticket) bool { return true })
		g.remove(o)
		out = append(out, o)
	}
	t.elem = g.held.PushBack(t)
	g.names[src.Name]++
	g.groups[src.Group]++
	g.mu.Unlock()
	for _, o := range out {
		g.evicted.Add(1)
		o.c.Close()
	}
	return t, len(out) > 0
}

// stage is t's stage at now; the caller holds g.mu.
func (t *Ticket) stage(now time.Time) stage {
	if t.st == talking && now.Sub(t.since) >= t.g.o.Grace {
		return stale
	}
	return t.st
}

// rank is how far from a handshake done t is, the least first: silent
// while the station reads it (0), talking past Grace or a stranger (1),
// silent and not read yet (2: its goroutine has not run; a post's client
// hello is there when it does), talking (3). The caller holds g.mu.
func (t *Ticket) rank(now time.Time) int {
	switch t.stage(now) {
	case silent:
		if t.read {
			return 0
		}
		return 2
	case stale:
		return 1
	}
	return 3
}

// counts says whether t counts against its source's bound at now:
// talking past Grace, a stranger, or silent while read past
// SilentGrace. The caller holds g.mu.
func (t *Ticket) counts(now time.Time) bool {
	switch t.rank(now) {
	case 1:
		return true
	case 0:
		return t.g.o.SilentGrace < 0 || now.Sub(t.readAt) >= t.g.o.SilentGrace
	}
	return false
}

// counted is how many of name's slots count against PerSource: silent
// while read, talking past Grace, strangers (ranks 0 and 1). The caller
// holds g.mu.
func (g *Gate) counted(name string, now time.Time) int {
	k := 0
	for e := g.held.Front(); e != nil; e = e.Next() {
		if o := e.Value.(*Ticket); o.src.Name == name && o.counts(now) {
			k++
		}
	}
	return k
}

// weakest is, of the tickets match takes, the one furthest from a
// handshake done (rank); of equals, the one of the group holding the
// most counted (rank 0 and 1: posts talking behind one address make no
// flood of it), then of the source holding the most, then the longest
// held. The caller holds g.mu.
func (g *Gate) weakest(now time.Time, match func(*Ticket) bool) *Ticket {
	groups, names := map[string]int{}, map[string]int{}
	for e := g.held.Front(); e != nil; e = e.Next() {
		if o := e.Value.(*Ticket); o.rank(now) <= 1 {
			groups[o.src.Group]++
			names[o.src.Name]++
		}
	}
	var best *Ticket
	var br, bg, bn int
	for e := g.held.Front(); e != nil; e = e.Next() { // longest held first
		o := e.Value.(*Ticket)
		if !match(o) {
			continue
		}
		or, og, on := o.rank(now), groups[o.src.Group], names[o.src.Name]
		if best == nil || or < br || (or == br && (og > bg || (og == bg && on > bn))) {
			best, br, bg, bn = o, or, og, on
		}
	}
	return best
}

// remove lets t's slot go; the caller holds g.mu.
func (g *Gate) remove(t *Ticket) {
	if t.gone {
		return
	}
	t.gone = true
	t.stopTimer()
	if t.elem == nil { // named paired
		ts := g.paired[t.dev]
		for i, o := range ts {
			if o == t {
				ts = append(ts[:i:i], ts[i+1:]...)
				break
			}
		}
		if len(ts) == 0 {
			delete(g.paired, t.dev)
		} else {
			g.paired[t.dev] = ts
		}
		g.npaired--
		return
	}
	g.unlist(t)
}

// unlist takes t out of those not named paired; the caller holds g.mu.
func (g *Gate) unlist(t *Ticket) {
	g.held.Remove(t.elem)
	t.elem = nil
	if g.names[t.src.Name]--; g.names[t.src.Name] <= 0 {
		delete(g.names, t.src.Name)
	}
	if g.groups[t.src.Group]--; g.groups[t.src.Group] <= 0 {
		delete(g.groups, t.src.Group)
	}
}

// silentTooLong closes t if it has not talked within SilentWait.
func (t *Ticket) silentTooLong() {
	g := t.g
	g.mu.Lock()
	if t.gone || t.st != silent {
		g.mu.Unlock()
		return
	}
	g.remove(t)
	g.mu.Unlock()
	g.evicted.Add(1)
	t.c.Close()
}

// Reading says the station reads the connection (Watch does, at its
// first read): silent from now on is the peer's doing, and past
// SilentGrace it counts against its source's bound; SilentWait after
// it is closed.
func (t *Ticket) Reading() { t.markRead(false) }

// Joining says the connection is a relayed session being joined: it
// counts as read and silent from now on, against its source's bound at
// once, without SilentWait (the join has its own wait). A relay's
// invitations name any address: a join never answered is as silent as
// a connection never heard.
func (t *Ticket) Joining() { t.markRead(true) }

func (t *Ticket) markRead(join bool) {
	if t == nil {
		return
	}
	t.mark(func() bool {
		if t.read {
			return false
		}
		t.read = true
		if t.st != silent {
			return false
		}
		if !join {
			t.readAt = t.g.o.Now()
			t.timer = time.AfterFunc(t.g.o.SilentWait, t.silentTooLong)
		}
		return true
	})
}

// stopTimer stops SilentWait's timer, if any; the caller holds g.mu.
func (t *Ticket) stopTimer() {
	if t.timer != nil {
		t.timer.Stop()
	}
}

// Talking says the connection's TLS client hello came. Nil-safe, as the
// other marks.
func (t *Ticket) Talking() {
	if t == nil {
		return
	}
	t.g.mu.Lock()
	defer t.g.mu.Unlock()
	if !t.gone && t.st == silent {
		t.st, t.since = talking, t.g.o.Now()
		t.stopTimer()
	}
}

// Stranger says the connection's handshake named a device not paired
// here, still held: it counts against its source's bound from now on.
func (t *Ticket) Stranger() {
	if t == nil {
		return
	}
	t.mark(func() bool {
		if t.elem == nil {
			return false
		}
		t.st = stale
		t.stopTimer()
		return true
	})
}

// mark changes t by set (under g.mu; false: nothing changed) and keeps
// its source's bound: when it holds more than PerSource counted now, the
// weakest of those go.
func (t *Ticket) mark(set func() bool) {
	g := t.g
	g.mu.Lock()
	if t.gone || !set() {
		g.mu.Unlock()
		return
	}
	now := g.o.Now()
	var out []*Ticket
	for k := g.counted(t.src.Name, now); k > g.per; k-- {
		o := g.weakest(now, func(o *Ticket) bool { return o.src.Name == t.src.Name && o.counts(now) })
		g.remove(o)
		out = append(out, o)
	}
	g.mu.Unlock()
	for _, o := range out {
		g.evicted.Add(1)
		o.c.Close()
	}
}

// Paired says the connection named device, paired here: it leaves the
// bounds of Max and PerSource for those of PerDevice, where a newcomer
// closes the device's oldest. It reports whether one was closed.
func (t *Ticket) Paired(device string) (evicted bool) {
	if t == nil {
		return false
	}
	g := t.g
	g.mu.Lock()
	if t.gone || t.elem == nil {
		g.mu.Unlock()
		return false
	}
	g.unlist(t)
	t.st, t.dev = named, device
	t.stopTimer()
	var out *Ticket
	if ts := g.paired[device]; len(ts) >= g.o.PerDevice {
		out = ts[0]
		g.remove(out)
	}
	g.paired[device] = append(g.paired[device], t)
	g.npaired++
	g.mu.Unlock()
	if out != nil {
		g.evicted.Add(1)
		out.c.Close()
		return true
	}
	return false
}

// Done lets the slot go: the handshake ended, either way. It may be called
// more than once.
func (t *Ticket) Done() {
	if t == nil {
		return
	}
	t.g.mu.Lock()
	t.g.remove(t)
	t.g.mu.Unlock()
}

// Held is how many connections hold a slot now, named paired or not.
func (g *Gate) Held() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.held.Len() + g.npaired
}

// Unnamed is how many connections not named paired hold a slot now (at
// most Max).
func (g *Gate) Unnamed() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.held.Len()
}

// HeldBy is how many connections of src not named paired hold a slot now.
func (g *Gate) HeldBy(src Source) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.names[src.Name]
}

// CountedBy is how many of those count against PerSource now: silent, or
// talking past Grace (at most PerSource).
func (g *Gate) CountedBy(src Source) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.counted(src.Name, g.o.Now())
}

// Evicted is how many connections were closed for a newcomer, or silent
// too long, so far.
func (g *Gate) Evicted() int64 { return g.evicted.Load() }
