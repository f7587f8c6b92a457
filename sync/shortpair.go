package sync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/syncthing/syncthing/lib/protocol"

	"cunjing/store"
	"cunjing/store/syncbook"
	"cunjing/sync/identity"
)

// Short pairing: a device shows a short code (its device ID and a one-time
// secret); the other types it in. Nothing else travels in the code, so the
// first BEP connection between them carries both long codes (names, keys,
// role, certificate), each side proving with identity.ShortProof that it
// knows the secret. The secrets live in the secrets table beside the
// device's keys:
//
//	pair.short               the secret this device shows (issued)
//	pair.pending.<DEVICE ID> a code typed in here, waiting for a connection
const (
	secretShortIssued  = "pair.short"
	secretShortPending = "pair.pending."
)

// ShortCodeTTL is how long a short code stays good once shown.
const ShortCodeTTL = 24 * time.Hour

type shortIssued struct {
	Secret  string `json:"secret"`
	Expires int64  `json:"expires"` // Unix seconds
	Tries   int    `json:"tries"`   // wrong proofs seen so far
}

// ShortPending is a short code typed in on this device, waiting for its
// first connection to the device it names.
type ShortPending struct {
	DeviceID  string   `json:"-"`
	Secret    string   `json:"secret"`
	Expires   int64    `json:"expires"`
	Addresses []string `json:"addrs,omitempty"`
}

// ShortCode returns this device's short pairing code: the one already
// shown while it is good (so `id` shows the same code until it is used or
// expires), else a new one.
func (e *Engine) ShortCode(ctx context.Context) (identity.ShortCode, time.Time, error) {
	now := e.st.Clock().WallNow()
	if is, ok, err := e.shortIssued(ctx); err != nil {
		return identity.ShortCode{}, time.Time{}, err
	} else if ok && now.Unix() < is.Expires {
		return identity.ShortCode{DeviceID: e.id.DeviceID, Secret: is.Secret}, time.Unix(is.Expires, 0), nil
	}
	sec, err := identity.NewShortSecret(nil)
	if err != nil {
		return identity.ShortCode{}, time.Time{}, err
	}
	is := shortIssued{Secret: sec, Expires: now.Add(ShortCodeTTL).Unix()}
	if err := e.putJSONSecret(ctx, secretShortIssued, is); err != nil {
		return identity.ShortCode{}, time.Time{}, err
	}
	return identity.ShortCode{DeviceID: e.id.DeviceID, Secret: sec}, time.Unix(is.Expires, 0), nil
}

// ShortShown says whether this device has a short code out that is still
// good (a first connection from an unknown device may then pair).
func (e *Engine) ShortShown(ctx context.Context) (bool, error) {
	is, ok, err := e.shortIssued(ctx)
	return ok && e.st.Clock().WallNow().Unix() < is.Expires, err
}

func (e *Engine) shortIssued(ctx context.Context) (shortIssued, bool, error) {
	sec, err := e.book.Secrets(ctx)
	if err != nil {
		return shortIssued{}, false, err
	}
	v, ok := sec[secretShortIssued]
	if !ok {
		return shortIssued{}, false, nil
	}
	var is shortIssued
	if err := json.Unmarshal(v, &is); err != nil {
		return shortIssued{}, false, fmt.Errorf("read short pairing secret: %w", err)
	}
	return is, true, nil
}

func (e *Engine) putJSONSecret(ctx context.Context, name string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("save %s: %w", name, err)
	}
	return e.book.PutSecrets(ctx, map[string][]byte{name: b})
}

// PairShort records a short code typed in here; the pairing completes on
// the first connection to that device (sync dials it at addrs, or where
// discovery finds it).
func (e *Engine) PairShort(ctx context.Context, c identity.ShortCode, addrs []string) (ShortPending, error) {
	if c.DeviceID == e.id.DeviceID {
		return ShortPending{}, errors.New("pair: that is this device's own code")
	}
	for _, a := range addrs {
		if err := identity.CheckAddress(a); err != nil {
			return ShortPending{}, fmt.Errorf("pair: %w", err)
		}
	}
	p := ShortPending{DeviceID: c.DeviceID.String(), Secret: c.Secret,
		Expires: e.st.Clock().WallNow().Add(ShortCodeTTL).Unix(), Addresses: dedupe(addrs)}
	if err := e.putJSONSecret(ctx, secretShortPending+p.DeviceID, p); err != nil {
		return ShortPending{}, err
	}
	e.log.Info("short pairing waits for a connection", "peer", p.DeviceID)
	return p, nil
}

// PendingShort lists the short codes typed in here that still wait for a
// connection; expired ones are dropped.
func (e *Engine) PendingShort(ctx context.Context) ([]ShortPending, error) {
	sec, err := e.book.Secrets(ctx)
	if err != nil {
		return nil, err
	}
	now := e.st.Clock().WallNow().Unix()
	var out []ShortPending
	for k, v := range sec {
		dev, ok := strings.CutPrefix(k, secretShortPending)
		if !ok {
			continue
		}
		var p ShortPending
		if err := json.Unmarshal(v, &p); err != nil {
			return nil, fmt.Errorf("read pending short pairing %s: %w", dev, err)
		}
		if now >= p.Expires {
			if err := e.book.DeleteSecret(ctx, k); err != nil {
				return nil, err
			}
			continue
		}
		p.DeviceID = dev
		out = append(out, p)
	}
	return out, nil
}

// ErrShortSecret is a wrong one-time secret: the code was mistyped or the
// other device shows a newer one.
var ErrShortSecret = errors.New("配对码的暗码不对：请对方重新读一遍短配对码，或扫码配对")

// ShortPairing is what one side of a first connection sends: its proof
// of the secret and its long pairing code.
type ShortPairing struct {
	Proof []byte `json:"proof"`
	Code  string `json:"code"`
}

// ShortOffer builds this device's message for a first connection to
// remote, keyed by secret.
func (e *Engine) ShortOffer(ctx context.Context, secret string, remote protocol.DeviceID) (ShortPairing, error) {
	var self store.Post
	if err := e.st.Get(ctx, &self, e.Self()); err != nil {
		return ShortPairing{}, fmt.Errorf("read own profile: %w", err)
	}
	c, err := e.id.Code(self.Name, e.st.Role(), nil)
	if err != nil {
		return ShortPairing{}, err
	}
	code, err := c.Encode(e.id)
	if err != nil {
		return ShortPairing{}, err
	}
	return ShortPairing{Proof: identity.ShortProof(secret, e.st.Role(), e.id.DeviceID, remote), Code: code}, nil
}

// acceptShort checks the other side's message against secret and pairs
// with it: its code must be signed by the certificate the connection
// showed (remote) and its proof must match.
func (e *Engine) acceptShort(ctx context.Context, m ShortPairing, secret string, remote protocol.DeviceID) (syncbook.Peer, error) {
	c, err := identity.ParseCode(m.Code)
	if err != nil {
		return syncbook.Peer{}, fmt.Errorf("short pairing: %w", err)
	}
	if c.DeviceID != remote {
		return syncbook.Peer{}, fmt.Errorf("short pairing: code of %s sent by %s", c.DeviceID, remote)
	}
	if err := identity.CheckShortProof(m.Proof, secret, c.Role, remote, e.id.DeviceID); err != nil {
		return syncbook.Peer{}, ErrShortSecret
	}
	return e.Pair(ctx, c)
}

// AcceptShortIssued is the showing side of a first connection: the
// message must prove this device's current short secret. A wrong proof
// counts against identity.MaxShortTries; the secret is gone after a
// pairing or too many wrong proofs.
func (e *Engine) AcceptShortIssued(ctx context.Context, m ShortPairing, remote protocol.DeviceID) (syncbook.Peer, string, error) {
	is, ok, err := e.shortIssued(ctx)
	if err != nil {
		return syncbook.Peer{}, "", err
	}
	if !ok || e.st.Clock().WallNow().Unix() >= is.Expires {
		return syncbook.Peer{}, "", errors.New("short pairing: this device shows no short code now (or it expired)")
	}
	p, err := e.acceptShort(ctx, m, is.Secret, remote)
	if errors.Is(err, ErrShortSecret) {
		is.Tries++
		if is.Tries >= identity.MaxShortTries {
			if derr := e.book.DeleteSecret(ctx, secretShortIssued); derr != nil {
				return syncbook.Peer{}, "", derr
			}
		} else if perr := e.putJSONSecret(ctx, secretShortIssued, is); perr != nil {
			return syncbook.Peer{}, "", perr
		}
		return syncbook.Peer{}, "", err
	}
	if err != nil {
		return syncbook.Peer{}, "", err
	}
	if err := e.book.DeleteSecret(ctx, secretShortIssued); err != nil {
		return syncbook.Peer{}, "", err
	}
	return p, is.Secret, nil
}

// AcceptShortPending is the typing side: the other device's answer must
// prove the secret typed in; the pending entry is gone once paired.
func (e *Engine) AcceptShortPending(ctx context.Context, m ShortPairing, p ShortPending, remote protocol.DeviceID) (syncbook.Peer, error) {
	peer, err := e.acceptShort(ctx, m, p.Secret, remote)
	if err != nil {
		return syncbook.Peer{}, err
	}
	if len(p.Addresses) > 0 {
		peer.Addresses = dedupe(append(peer.Addresses, p.Addresses...))
		if err := e.book.PutPeer(ctx, peer); err != nil {
			return syncbook.Peer{}, err
		}
	}
	if err := e.book.DeleteSecret(ctx, secretShortPending+p.DeviceID); err != nil {
		return syncbook.Peer{}, err
	}
	return peer, nil
}
