// Package shortpair keeps a device's short pairing codes: the one it
// shows (its device ID and a one-time secret, identity.ShortCode), those
// typed in here waiting for their first connection, and the proofs the two
// sides of that connection exchange. Nothing else travels in a short code,
// so the first BEP connection between the two carries both long codes
// (names, keys, role, certificate), each side proving with
// identity.ShortProof that it knows the secret; then each pairs through
// the sync engine (Pairer). The secrets live in the secrets table beside
// the device's keys:
//
//	pair.short               the secret this device shows (issued)
//	pair.pending.<DEVICE ID> a code typed in here, waiting for a connection
//
// It sits below package sync (which hands out a device's Codes,
// sync.Engine.ShortCodes) and never imports it.
package shortpair

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/syncthing/syncthing/lib/protocol"

	"cunjing/store"
	"cunjing/store/syncbook"
	"cunjing/sync/identity"
)

const (
	secretIssued  = "pair.short"
	secretPending = "pair.pending."
)

// TTL is how long a short code stays good once shown.
const TTL = 24 * time.Hour

// Pairer pairs this device with another from its long pairing code (the
// sync engine: sync.Engine.Pair, which checks the roles).
type Pairer interface {
	Pair(ctx context.Context, c identity.Code, extraAddrs ...string) (syncbook.Peer, error)
}

// Codes are one device's short pairing codes.
type Codes struct {
	st   *store.Store
	book *syncbook.Book
	id   *identity.Identity
	pair Pairer
	log  *slog.Logger
}

// New returns the short pairing codes of the device whose store and key
// material these are; it pairs through pair.
func New(st *store.Store, id *identity.Identity, pair Pairer, log *slog.Logger) *Codes {
	return &Codes{st: st, book: st.SyncBook(), id: id, pair: pair, log: log}
}

type issued struct {
	Secret  string `json:"secret"`
	Expires int64  `json:"expires"` // Unix seconds
	Tries   int    `json:"tries"`   // wrong proofs seen so far
}

// Pending is a short code typed in on this device, waiting for its
// first connection to the device it names.
type Pending struct {
	DeviceID  string   `json:"-"`
	Secret    string   `json:"secret"`
	Expires   int64    `json:"expires"`
	Addresses []string `json:"addrs,omitempty"`
}

// Code returns this device's short pairing code: the one already shown
// while it is good (so `id` shows the same code until it is used or
// expires), else a new one.
func (cs *Codes) Code(ctx context.Context) (identity.ShortCode, time.Time, error) {
	now := cs.st.Clock().WallNow()
	if is, ok, err := cs.issued(ctx); err != nil {
		return identity.ShortCode{}, time.Time{}, err
	} else if ok && now.Unix() < is.Expires {
		return identity.ShortCode{DeviceID: cs.id.DeviceID, Secret: is.Secret}, time.Unix(is.Expires, 0), nil
	}
	sec, err := identity.NewShortSecret(nil)
	if err != nil {
		return identity.ShortCode{}, time.Time{}, err
	}
	is := issued{Secret: sec, Expires: now.Add(TTL).Unix()}
	if err := cs.putJSONSecret(ctx, secretIssued, is); err != nil {
		return identity.ShortCode{}, time.Time{}, err
	}
	return identity.ShortCode{DeviceID: cs.id.DeviceID, Secret: sec}, time.Unix(is.Expires, 0), nil
}

// Shown says whether this device has a short code out that is still good
// (a first connection from an unknown device may then pair).
func (cs *Codes) Shown(ctx context.Context) (bool, error) {
	is, ok, err := cs.issued(ctx)
	return ok && cs.st.Clock().WallNow().Unix() < is.Expires, err
}

func (cs *Codes) issued(ctx context.Context) (issued, bool, error) {
	sec, err := cs.book.Secrets(ctx)
	if err != nil {
		return issued{}, false, err
	}
	v, ok := sec[secretIssued]
	if !ok {
		return issued{}, false, nil
	}
	var is issued
	if err := json.Unmarshal(v, &is); err != nil {
		return issued{}, false, fmt.Errorf("read short pairing secret: %w", err)
	}
	return is, true, nil
}

func (cs *Codes) putJSONSecret(ctx context.Context, name string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("save %s: %w", name, err)
	}
	return cs.book.PutSecrets(ctx, map[string][]byte{name: b})
}

// Typed records a short code typed in here; the pairing completes on the
// first connection to that device (sync dials it at addrs, or where
// discovery finds it).
func (cs *Codes) Typed(ctx context.Context, c identity.ShortCode, addrs []string) (Pending, error) {
	if c.DeviceID == cs.id.DeviceID {
		return Pending{}, errors.New("pair: that is this device's own code")
	}
	for _, a := range addrs {
		if err := identity.CheckAddress(a); err != nil {
			return Pending{}, fmt.Errorf("pair: %w", err)
		}
	}
	p := Pending{DeviceID: c.DeviceID.String(), Secret: c.Secret,
		Expires: cs.st.Clock().WallNow().Add(TTL).Unix(), Addresses: addAddrs(nil, addrs...)}
	if err := cs.putJSONSecret(ctx, secretPending+p.DeviceID, p); err != nil {
		return Pending{}, err
	}
	cs.log.Info("short pairing waits for a connection", "peer", p.DeviceID)
	return p, nil
}

// Pending lists the short codes typed in here that still wait for a
// connection; expired ones are dropped.
func (cs *Codes) Pending(ctx context.Context) ([]Pending, error) {
	sec, err := cs.book.Secrets(ctx)
	if err != nil {
		return nil, err
	}
	now := cs.st.Clock().WallNow().Unix()
	var out []Pending
	for k, v := range sec {
		dev, ok := strings.CutPrefix(k, secretPending)
		if !ok {
			continue
		}
		var p Pending
		if err := json.Unmarshal(v, &p); err != nil {
			return nil, fmt.Errorf("read pending short pairing %s: %w", dev, err)
		}
		if now >= p.Expires {
			if err := cs.book.DeleteSecret(ctx, k); err != nil {
				return nil, err
			}
			continue
		}
		p.DeviceID = dev
		out = append(out, p)
	}
	return out, nil
}

// ErrSecret is a wrong one-time secret: the code was mistyped or the
// other device shows a newer one.
var ErrSecret = errors.New("配对码的暗码不对：请对方重新读一遍短配对码，或扫码配对")

// Message is what one side of a first connection sends: its proof of the
// secret and its long pairing code.
type Message struct {
	Proof []byte `json:"proof"`
	Code  string `json:"code"`
}

// Offer builds this device's message for a first connection to remote,
// keyed by secret.
func (cs *Codes) Offer(ctx context.Context, secret string, remote protocol.DeviceID) (Message, error) {
	var self store.Post
	if err := cs.st.Get(ctx, &self, cs.st.DeviceID()); err != nil {
		return Message{}, fmt.Errorf("read own profile: %w", err)
	}
	c, err := cs.id.Code(self.Name, cs.st.Role(), nil)
	if err != nil {
		return Message{}, err
	}
	code, err := c.Encode(cs.id)
	if err != nil {
		return Message{}, err
	}
	return Message{Proof: identity.ShortProof(secret, cs.st.Role(), cs.id.DeviceID, remote), Code: code}, nil
}

// acceptShort checks the other side's message against secret and pairs
// with it: its code must be signed by the certificate the connection
// showed (remote) and its proof must match.
func (cs *Codes) acceptShort(ctx context.Context, m Message, secret string, remote protocol.DeviceID) (syncbook.Peer, error) {
	c, err := identity.ParseCode(m.Code)
	if err != nil {
		return syncbook.Peer{}, fmt.Errorf("short pairing: %w", err)
	}
	if c.DeviceID != remote {
		return syncbook.Peer{}, fmt.Errorf("short pairing: code of %s sent by %s", c.DeviceID, remote)
	}
	if err := identity.CheckShortProof(m.Proof, secret, c.Role, remote, cs.id.DeviceID); err != nil {
		return syncbook.Peer{}, ErrSecret
	}
	return cs.pair.Pair(ctx, c)
}

// AcceptIssued is the showing side of a first connection: the
// message must prove this device's current short secret. A wrong proof
// counts against identity.MaxShortTries; the secret is gone after a
// pairing or too many wrong proofs.
func (cs *Codes) AcceptIssued(ctx context.Context, m Message, remote protocol.DeviceID) (syncbook.Peer, string, error) {
	is, ok, err := cs.issued(ctx)
	if err != nil {
		return syncbook.Peer{}, "", err
	}
	if !ok || cs.st.Clock().WallNow().Unix() >= is.Expires {
		return syncbook.Peer{}, "", errors.New("short pairing: this device shows no short code now (or it expired)")
	}
	p, err := cs.acceptShort(ctx, m, is.Secret, remote)
	if errors.Is(err, ErrSecret) {
		is.Tries++
		if is.Tries >= identity.MaxShortTries {
			if derr := cs.book.DeleteSecret(ctx, secretIssued); derr != nil {
				return syncbook.Peer{}, "", derr
			}
		} else if perr := cs.putJSONSecret(ctx, secretIssued, is); perr != nil {
			return syncbook.Peer{}, "", perr
		}
		return syncbook.Peer{}, "", err
	}
	if err != nil {
		return syncbook.Peer{}, "", err
	}
	if err := cs.book.DeleteSecret(ctx, secretIssued); err != nil {
		return syncbook.Peer{}, "", err
	}
	return p, is.Secret, nil
}

// AcceptPending is the typing side: the other device's answer must
// prove the secret typed in; the pending entry is gone once paired.
func (cs *Codes) AcceptPending(ctx context.Context, m Message, p Pending, remote protocol.DeviceID) (syncbook.Peer, error) {
	peer, err := cs.acceptShort(ctx, m, p.Secret, remote)
	if err != nil {
		return syncbook.Peer{}, err
	}
	if len(p.Addresses) > 0 {
		peer.Addresses = addAddrs(nil, append(peer.Addresses, p.Addresses...)...)
		if err := cs.book.PutPeer(ctx, peer); err != nil {
			return syncbook.Peer{}, err
		}
	}
	if err := cs.book.DeleteSecret(ctx, secretPending+p.DeviceID); err != nil {
		return syncbook.Peer{}, err
	}
	return peer, nil
}

// addAddrs appends to to the addresses in more it lacks, in order.
func addAddrs(to []string, more ...string) []string {
	for _, a := range more {
		if !slices.Contains(to, a) {
			to = append(to, a)
		}
	}
	return to
}
