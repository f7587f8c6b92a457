package servers

import (
	"net/url"
	"slices"
	"strings"
	"sync"
)

// A device announces an address or a few per network it is on, and the
// relays it joined; a discovery server (or whoever answers at its address)
// that names more kept a held link's attempt, which has no deadline of its
// own, dialling them one by one (10 s each, a relay 20 s and more).
const MaxFoundDirect, MaxFoundRelays = 8, 4

// Found reads discovery servers' answers for one device (each a list of
// the addresses it announced): its direct addresses (host:port) and the
// relays it has joined, both without duplicates and without the addresses
// in skip, the first MaxFoundDirect and MaxFoundRelays. quic:// and
// others are not cunjing's transports; what does not parse is left out.
func Found(answers [][]string, skip map[string]bool) (direct []string, relays []*url.URL) {
	seen := map[string]bool{}
	for _, addrs := range answers {
		for _, a := range addrs {
			u, perr := url.Parse(a)
			if perr != nil || u.Host == "" || seen[a] {
				continue
			}
			seen[a] = true
			switch {
			case strings.HasPrefix(u.Scheme, "tcp"):
				if !skip[u.Host] && len(direct) < MaxFoundDirect {
					direct = append(direct, u.Host)
				}
			case u.Scheme == "relay" && len(relays) < MaxFoundRelays:
				relays = append(relays, u)
			}
		}
	}
	return direct, relays
}

// Announced is what a node announces to discovery servers (lib/discover's
// AddressLister): its direct listen addresses and the relays it is joined
// to now (joined: the relay has answered the join; before, a post looking
// the station up was sent to a relay where the station was not, or could
// never get). A change is sent on Changed, which has the discovery
// clients announce again (in 2 s; else the next announcement was 30
// minutes away).
type Announced struct {
	direct  []string
	changed chan struct{} // capacity 1
	mu      sync.Mutex
	joined  map[string]string // relay host -> URL to announce
}

// NewAnnounced announces the direct addresses (tcp://host:port) and, once
// joined, relays.
func NewAnnounced(direct []string) *Announced {
	return &Announced{direct: direct, joined: map[string]string{}, changed: make(chan struct{}, 1)}
}

// ExternalAddresses is every address announced now, sorted.
func (a *Announced) ExternalAddresses() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := append([]string(nil), a.direct...)
	for _, u := range a.joined {
		out = append(out, u)
	}
	slices.Sort(out)
	return out
}

// AllAddresses is ExternalAddresses.
func (a *Announced) AllAddresses() []string { return a.ExternalAddresses() }

// Changed receives when the relays joined change.
func (a *Announced) Changed() <-chan struct{} { return a.changed }

// SetJoined says relay u is joined (on) or no longer is.
func (a *Announced) SetJoined(u *url.URL, on bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, was := a.joined[u.Host]; was == on {
		return
	}
	if on {
		a.joined[u.Host] = u.String()
	} else {
		delete(a.joined, u.Host)
	}
	select {
	case a.changed <- struct{}{}:
	default:
	}
}
