// Package tickets owns TLS session resumption for cunjing's BEP links
// (issue #22): the session states a node keeps and the short random
// tickets that stand for them.
//
// A post whose link was cut dials again and paid a whole handshake: both
// certificates and both signatures, ~1.9 KB of the ~3.5 KB a re-dial costs
// (a third of the county simulation's post links are cut once). A resumed
// TLS 1.3 handshake leaves out certificates and signatures; it still
// agrees a fresh X25519 key (Go resumes only with psk_dhe_ke), so forward
// secrecy stands, and the peer's certificate is the one the first
// handshake showed, so the device check after it (paired, not revoked)
// runs as before.
//
// Go's own tickets carry the whole session state, the client's certificate
// included, encrypted: ~620 B in every session for ~1.1 KB saved on a
// re-dial only, which did not pay. Here the server keeps the state in
// memory and the ticket is a random 16-byte handle to it: ~60 B a session.
// A handle is used once (the resumed session gets a new one); a node keeps
// the latest maxTickets. A restarted node holds none: the next handshake
// is a full one. A stock Syncthing disables tickets, so it sends none and
// resumes none.
package tickets

import (
	"crypto/rand"
	"crypto/tls"
	"sync"
)

// Store keeps the TLS session states a node handed out tickets for.
type Store struct {
	mu    sync.Mutex
	m     map[string]kept
	order []string // handles, oldest first (some may be used already)
}

// kept is a session's state and the certificate its peer showed (DER).
type kept struct {
	st   *tls.SessionState
	peer []byte
}

// maxTickets bounds the states a node keeps (each holds the peer's
// certificate, ~1 KB): more than a station's posts.
const maxTickets = 512

// ticketLen is a handle's length: random, so not guessable.
const ticketLen = 16

// NewStore is an empty store.
func NewStore() *Store { return &Store{m: map[string]kept{}} }

// wrap keeps the state and returns its handle (tls.Config.WrapSession).
func (s *Store) wrap(cs tls.ConnectionState, st *tls.SessionState) ([]byte, error) {
	h := make([]byte, ticketLen)
	if _, err := rand.Read(h); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.m) >= maxTickets && len(s.order) > 0 {
		delete(s.m, s.order[0])
		s.order = s.order[1:]
	}
	if len(s.order) >= 2*maxTickets { // handles used since: drop them
		var keep []string
		for _, k := range s.order {
			if _, ok := s.m[k]; ok {
				keep = append(keep, k)
			}
		}
		s.order = keep
	}
	var peer []byte
	if len(cs.PeerCertificates) > 0 {
		peer = cs.PeerCertificates[0].Raw
	}
	s.m[string(h)] = kept{st, peer}
	s.order = append(s.order, string(h))
	return h, nil
}

// unwrap gives the state a handle stands for, once, or nil for a handle
// it does not know (a full handshake follows) (tls.Config.UnwrapSession).
func (s *Store) unwrap(h []byte, _ tls.ConnectionState) (*tls.SessionState, error) {
	st, _, err := s.Unwrap(h)
	return st, err
}

// Unwrap is unwrap's state, with the certificate (DER) the peer showed in
// the session it resumes (nil for none): who it is, known at its client
// hello (sync/bep/gate names a paired device's connection by it). The
// handle is random and used once, and the handshake goes on only if the
// client holds the session's secret.
func (s *Store) Unwrap(h []byte) (*tls.SessionState, []byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.m[string(h)]
	if !ok {
		return nil, nil, nil
	}
	delete(s.m, string(h))
	return k.st, k.peer, nil
}

// Enable sets tc up to resume sessions: as a server with tickets kept in
// s, as a client with a cache of the tickets servers gave (keyed by the
// address dialled; a ticket offered to another device is unknown to it and
// costs only a full handshake).
func (s *Store) Enable(tc *tls.Config) {
	tc.SessionTicketsDisabled = false
	tc.WrapSession = s.wrap
	tc.UnwrapSession = s.unwrap
	tc.ClientSessionCache = tls.NewLRUClientSessionCache(64)
}
