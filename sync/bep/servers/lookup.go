package servers

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/syncthing/syncthing/lib/dialer"
	"github.com/syncthing/syncthing/lib/protocol"
)

// MaxAnswer bounds a discovery server's answer to a lookup. A device
// announces a few addresses per network it is on and the relays it
// joined: a few hundred bytes. lib/discover read the answer whole, without
// bound, so a hostile discovery server (or whoever answers at its
// address) could have a post allocate until the 30 s request timeout.
const MaxAnswer = 64 << 10

// lookupTimeout bounds one lookup (lib/discover's request timeout).
const lookupTimeout = 30 * time.Second

// Errors of a lookup that say what the discovery server did wrong.
var (
	ErrAnswerTooLarge = fmt.Errorf("discovery answer larger than %d KiB", MaxAnswer>>10)
	ErrWrongServer    = errors.New("the discovery server's certificate is not the one its address names")
)

// Finder looks devices up at one stock discovery server (stdiscosrv),
// the way lib/discover's global client does — GET server?device=ID,
// answered {"addresses":[...]} — with the answer bounded by MaxAnswer.
type Finder struct {
	server   string // without its options
	id       protocol.DeviceID
	pinned   bool
	noLookup bool
	client   *http.Client
}

// NewFinder makes a Finder for a discovery server URL in Syncthing's
// form, with its options: ?id=DEVICE-ID pins the server's certificate
// (and implies insecure: it is not checked against CAs), ?insecure
// checks none, ?nolookup makes every lookup fail.
func NewFinder(s string) (*Finder, error) {
	if err := Check(Discovery, s); err != nil {
		return nil, err
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, err
	}
	q := u.Query()
	f := &Finder{}
	if id := q.Get("id"); id != "" {
		if f.id, err = protocol.DeviceIDFromString(id); err != nil {
			return nil, fmt.Errorf("%s server %q: id: %w", Discovery, s, err)
		}
		f.pinned = true
	}
	_, insecure := q["insecure"]
	insecure = f.pinned || (insecure && q.Get("insecure") != "false")
	_, f.noLookup = q["nolookup"]
	f.noLookup = f.noLookup && q.Get("nolookup") != "false"
	u.RawQuery = ""
	f.server = u.String()
	f.client = &http.Client{
		Timeout: lookupTimeout,
		Transport: &http.Transport{
			// Through the proxies the environment names, as lib/discover's
			// own lookups: HTTPS_PROXY, and ALL_PROXY by lib/dialer.
			DialContext:     dialer.DialContext,
			Proxy:           http.ProxyFromEnvironment,
			IdleConnTimeout: time.Second,
			TLSClientConfig: &tls.Config{InsecureSkipVerify: insecure, MinVersion: tls.VersionTLS12},
		},
	}
	return f, nil
}

func (f *Finder) String() string { return "global@" + f.server }

// Lookup returns the addresses the server knows for dev. A server that
// does not know dev answers 404 Not Found, an error here.
func (f *Finder) Lookup(ctx context.Context, dev protocol.DeviceID) ([]string, error) {
	if f.noLookup {
		return nil, errors.New("lookups not supported")
	}
	u, err := url.Parse(f.server)
	if err != nil {
		return nil, err
	}
	q := u.Query()
	q.Set("device", dev.String())
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if f.pinned {
		if resp.TLS == nil || len(resp.TLS.PeerCertificates) == 0 || protocol.NewDeviceID(resp.TLS.PeerCertificates[0].Raw) != f.id {
			return nil, ErrWrongServer
		}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, errors.New(resp.Status)
	}
	bs, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswer+1))
	if err != nil {
		return nil, err
	}
	if len(bs) > MaxAnswer {
		return nil, ErrAnswerTooLarge
	}
	var ann struct {
		Addresses []string `json:"addresses"`
	}
	if err := json.Unmarshal(bs, &ann); err != nil {
		return nil, fmt.Errorf("discovery answer: %w", err)
	}
	return ann.Addresses, nil
}
