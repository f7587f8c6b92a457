// Package sync owns how a cunjing device exchanges data with its peers:
// cutting the change log into changesets and importing them with
// verification of signature, chain and ownership, pairing and receipts
// (this package, the Engine). Below it, imported by it and never importing
// it: device identity and pairing codes (identity), the changeset file
// format (changeset), files in folders others write to (safefile), short
// pairing codes (shortpair), healing splits (heal) and the status in
// numbers and words (status). Above it, built on the Engine: the exchange
// folder for USB sticks and shared drives (exchange), the BEP transport
// over TLS (bep) and the station's aggregate views (station).
//
// Every carrier ends in the same two calls: Engine.Cut turns new local
// changes into files, Engine.Import verifies a file and applies it. Files
// live in one directory per BEP folder under Engine.Dir.
package sync

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	gosync "sync"

	"filippo.io/age"
	"github.com/syncthing/syncthing/lib/protocol"

	"cunjing/store"
	"cunjing/store/backup"
	"cunjing/store/clock"
	"cunjing/store/syncbook"
	"cunjing/sync/admit"
	"cunjing/sync/changeset"
	"cunjing/sync/heal"
	"cunjing/sync/identity"
	"cunjing/sync/safefile"
	"cunjing/sync/shortpair"
)

// MaxChangesPerChangeset bounds one changeset so the station's import of a
// post's first big upload is a few transactions, not one huge one.
const MaxChangesPerChangeset = 50_000

// PostFolder is the folder (and stream) shared by a post and its station.
func PostFolder(post string) string { return "cj-post-" + post }

// StationFolder is the folder a station publishes to all its posts.
func StationFolder(station string) string { return "cj-station-" + station }

// CountyFolder is the folder a county publishes to all its stations (each
// station carries what it holds on to its posts in its own broadcast).
func CountyFolder(county string) string { return "cj-county-" + county }

// RelayFolder is the folder (and stream) in which a station carries its
// county's records down to its posts. It is apart from the station's own
// broadcast so that a post of a version before counties, which does not
// know it, keeps receiving the station's own.
func RelayFolder(station string) string { return "cj-relay-" + station }

// UpFolder is the folder (and stream) shared by a station and its county:
// the station's own records and those of its posts, sent up.
func UpFolder(station string) string { return "cj-up-" + station }

// Options tune an Engine.
type Options struct {
	// Dir holds one directory per folder; default: the database path + ".sync".
	Dir string
	// Log receives rejections and sessions (nil: discarded).
	Log *slog.Logger
	// NoReceipts turns receipts off: none are written (on sticks or in
	// BEP folders), and a stick carries every changeset again (the
	// benchmark's baseline).
	NoReceipts bool
	// Now is this PC's clock as the file system dates files, for how old
	// a file in the folders is (nil: the system's). Not the store's
	// clock: that one is a test's, or the HLC's wall part.
	Now clock.Func
}

// Engine cuts and imports changesets for one device.
type Engine struct {
	st   *store.Store
	book *syncbook.Book // st's sync bookkeeping
	id   *identity.Identity
	dir  string
	log  *slog.Logger
	// applying is held from a changeset's chain check to its commit: two
	// carriers bringing the same chain at once must not both apply the
	// same sequence, and a station's concurrent sessions queue here (and
	// keep decrypting and decoding meanwhile) instead of in SQLite's busy
	// timeout.
	applying chan struct{}
	// opening bounds the changesets held open (decrypted, decoded and
	// prepared) at once: enough to decode the next while one applies, few
	// enough that fifty sessions arriving together neither share the CPU
	// until all finish decoding at the same moment (leaving the applier
	// idle meanwhile) nor hold fifty changesets in memory.
	opening chan struct{}
	// cutting serialises cuts: a window's, a BEP session's and a node's
	// timer may all cut at once.
	cutting gosync.Mutex
	mu      gosync.Mutex
	swept   map[string]bool // own streams whose folder was looked through for changesets cut before a restore
	// noReceipts: see Options.NoReceipts.
	noReceipts bool
	// receipted: peers this engine made a receipt for. The first receipt
	// of a process is always new: a database restored from a backup holds
	// an old receipt the peer has superseded.
	receipted map[string]bool
	// receiptFormats: what each peer said in its BEP hello it reads
	// (receipts.go, NoteReceiptFormat); made when first needed.
	receiptFormats map[string]int
	short          *shortpair.Codes
	heal           *heal.Healer
	// unpaired is the unpairing journal beside the database (unpair.go).
	unpaired *backup.JournalFile
	// afterReceiptMade, for tests, runs between making a receipt for a
	// stick and writing it.
	afterReceiptMade func()
}

// Init creates a new device database with a fresh identity: the store,
// its own profile, and the key material in its secrets table.
func Init(ctx context.Context, path string, prof store.Identity, opt store.Options) (*store.Store, *identity.Identity, error) {
	id, err := identity.Generate()
	if err != nil {
		return nil, nil, err
	}
	prof.DeviceID = id.DeviceID.String()
	st, err := store.Create(ctx, path, prof, opt)
	if err != nil {
		return nil, nil, err
	}
	sec, err := id.Secrets()
	if err == nil {
		err = st.SyncBook().PutSecrets(ctx, sec)
	}
	if err != nil {
		st.Close()
		for _, suf := range []string{"", "-wal", "-shm"} {
			_ = os.Remove(path + suf) // half-made database of our own
		}
		return nil, nil, fmt.Errorf("init %s: %w", path, err)
	}
	return st, id, nil
}

// LoadIdentity reads a store's key material.
func LoadIdentity(ctx context.Context, st *store.Store) (*identity.Identity, error) {
	sec, err := st.SyncBook().Secrets(ctx)
	if err != nil {
		return nil, err
	}
	id, err := identity.Load(sec)
	if err != nil {
		return nil, fmt.Errorf("%s: %w (was it made with `cunjing init`?)", st.Path(), err)
	}
	if id.DeviceID.String() != st.DeviceID() {
		return nil, fmt.Errorf("%s: key material belongs to %s, database to %s", st.Path(), id.DeviceID, st.DeviceID())
	}
	return id, nil
}

// New opens the sync engine of a store.
func New(ctx context.Context, st *store.Store, opt Options) (*Engine, error) {
	id, err := LoadIdentity(ctx, st)
	if err != nil {
		return nil, err
	}
	if opt.Dir == "" {
		opt.Dir = st.Path() + ".sync"
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if err := os.MkdirAll(opt.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("sync dir: %w", err)
	}
	e := &Engine{st: st, book: st.SyncBook(), id: id, dir: opt.Dir, log: opt.Log, applying: make(chan struct{}, 1),
		unpaired: backup.NewJournalFile(st.Path(), st.DeviceID()),
		opening:  make(chan struct{}, max(2, runtime.GOMAXPROCS(0))), swept: map[string]bool{}, noReceipts: opt.NoReceipts, receipted: map[string]bool{}}
	e.short = shortpair.New(st, id, e, opt.Log)
	e.heal = heal.New(st, healHost{e}, opt.Log)
	if err := e.applyJournal(ctx); err != nil {
		return nil, err
	}
	e.removeLeftovers(clock.Or(opt.Now)())
	// What an older station's broadcast left here, removed when this post
	// was upgraded (store migration 0025), said once.
	if n, c, err := e.book.RemovedUnlogged(ctx); err != nil {
		return nil, err
	} else if n > 0 {
		e.log.Warn("removed on this post alone: other devices' own records an older station had sent (tables a station does not publish)", "records", n, "changes", c)
	}
	return e, nil
}

// Store is the engine's database.
func (e *Engine) Store() *store.Store { return e.st }

// Book is the engine's bookkeeping in its database (peers, changesets cut
// and received, rejections, receipts, the BEP index).
func (e *Engine) Book() *syncbook.Book { return e.book }

// Identity is the device's key material.
func (e *Engine) Identity() *identity.Identity { return e.id }

// Dir is the root of the folder directories.
func (e *Engine) Dir() string { return e.dir }

// Self is this device's ID.
func (e *Engine) Self() string { return e.st.DeviceID() }

// Log is the engine's logger.
func (e *Engine) Log() *slog.Logger { return e.log }

// Pair records a peer from its pairing code. Pairing is explicit on both
// sides: each device pairs with the other's code. A station pairing a post
// schedules a catch-up of everything it published before.
func (e *Engine) Pair(ctx context.Context, c identity.Code, extraAddrs ...string) (syncbook.Peer, error) {
	if c.DeviceID.String() == e.Self() {
		return syncbook.Peer{}, errors.New("pair: that is this device's own code")
	}
	if err := e.mayPair(ctx, c); err != nil {
		return syncbook.Peer{}, err
	}
	addrs := append(append([]string{}, c.Addresses...), extraAddrs...)
	for _, a := range extraAddrs {
		if err := identity.CheckAddress(a); err != nil {
			return syncbook.Peer{}, fmt.Errorf("pair: %w", err)
		}
	}
	p := syncbook.Peer{DeviceID: c.DeviceID.String(), Name: c.Name, Role: c.Role, Addresses: dedupe(addrs),
		SignKey: c.Sign, Recipient: c.Recipient, Cert: c.CertDER, Catchup: true}
	if err := e.notePaired(ctx, p.DeviceID, p.Name, p.Role); err != nil {
		return syncbook.Peer{}, err
	}
	if err := e.book.PutPeer(ctx, p); err != nil {
		return syncbook.Peer{}, err
	}
	e.log.Info("paired", "peer", p.DeviceID, "name", p.Name, "role", p.Role)
	return e.book.Peer(ctx, p.DeviceID)
}

// PairCarrier lets a stock Syncthing device carry this device's folders
// (it can neither read nor sign changesets; it only moves files).
func (e *Engine) PairCarrier(ctx context.Context, deviceID, name string, addrs []string) (syncbook.Peer, error) {
	if id, err := protocol.DeviceIDFromString(deviceID); err != nil || id == protocol.EmptyDeviceID || id.String() != deviceID {
		return syncbook.Peer{}, fmt.Errorf("pair carrier: %q is not a device ID (设备号不对)", deviceID)
	}
	for _, a := range addrs {
		if err := identity.CheckAddress(a); err != nil {
			return syncbook.Peer{}, fmt.Errorf("pair carrier: %w", err)
		}
	}
	p := syncbook.Peer{DeviceID: deviceID, Name: name, Role: identity.RoleCarrier, Addresses: addrs}
	if err := e.notePaired(ctx, deviceID, name, identity.RoleCarrier); err != nil {
		return syncbook.Peer{}, err
	}
	if err := e.book.PutPeer(ctx, p); err != nil {
		return syncbook.Peer{}, err
	}
	return e.book.Peer(ctx, deviceID)
}

// PairRoleError says why a device may not pair with another: the tree is
// post — station — county, each pairing one step up or down; a station
// has one county.
type PairRoleError struct {
	Self, Peer string // the two roles
	// County is the name of the county this station is paired with
	// already ("" unless that is the reason).
	County string
}

func (e *PairRoleError) Error() string {
	if e.County != "" {
		return fmt.Sprintf("pair: this station is paired with the county %s already; unpair it first (a station reports to one county)", e.County)
	}
	return fmt.Sprintf("pair: a %s pairs with %s, not with a %s", e.Self, strings.Join(PairsWith(e.Self), " or "), e.Peer)
}

// PairsWith lists the roles a device of role pairs with.
func PairsWith(role string) []string {
	switch role {
	case store.RolePost:
		return []string{store.RoleStation}
	case store.RoleStation:
		return []string{store.RolePost, store.RoleCounty}
	case store.RoleCounty:
		return []string{store.RoleStation}
	}
	return nil
}

// mayPair checks the pairing rules for a code: one tier up or down, and a
// station's one county (pairing the same county again is an update).
func (e *Engine) mayPair(ctx context.Context, c identity.Code) error {
	me := e.st.Role()
	if !slices.Contains(PairsWith(me), c.Role) {
		return &PairRoleError{Self: me, Peer: c.Role}
	}
	if me == store.RoleStation && c.Role == store.RoleCounty {
		peers, err := e.book.Peers(ctx, false)
		if err != nil {
			return err
		}
		for _, p := range peers {
			if p.Role == store.RoleCounty && p.DeviceID != c.DeviceID.String() {
				return &PairRoleError{Self: me, Peer: c.Role, County: p.Name}
			}
		}
	}
	return nil
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// Folder is a BEP folder this device shares, and with which peers.
type Folder struct {
	ID    string
	Peers []string // device IDs (posts, stations, carriers)
}

// Folders lists the folders this device shares. A post shares its own
// folder with its stations and reads each station's broadcast and relay
// folders; a station shares each post's folder with that post only, and
// its broadcast folder with all of them; with a county, a station also
// shares its up-folder with it, reads the county's broadcast (which the
// county shares with all its stations) and carries it to its posts in its
// relay folder. Carriers get the same folders as this
// device.
func (e *Engine) Folders(ctx context.Context) ([]Folder, error) {
	peers, err := e.book.Peers(ctx, false)
	if err != nil {
		return nil, err
	}
	var carriers, posts, stations, counties []string
	for _, p := range peers {
		switch p.Role {
		case identity.RoleCarrier:
			carriers = append(carriers, p.DeviceID)
		case store.RolePost:
			posts = append(posts, p.DeviceID)
		case store.RoleStation:
			stations = append(stations, p.DeviceID)
		case store.RoleCounty:
			counties = append(counties, p.DeviceID)
		}
	}
	with := func(ids ...string) []string { return append(append([]string{}, ids...), carriers...) }
	var out []Folder
	switch e.st.Role() {
	case store.RoleCounty:
		out = append(out, Folder{ID: CountyFolder(e.Self()), Peers: with(stations...)})
		for _, s := range stations {
			out = append(out, Folder{ID: UpFolder(s), Peers: with(s)})
		}
	case store.RoleStation:
		out = append(out, Folder{ID: StationFolder(e.Self()), Peers: with(posts...)})
		for _, p := range posts {
			out = append(out, Folder{ID: PostFolder(p), Peers: with(p)})
		}
		if len(counties) > 0 {
			out = append(out, Folder{ID: RelayFolder(e.Self()), Peers: with(posts...)})
			out = append(out, Folder{ID: UpFolder(e.Self()), Peers: with(counties...)})
			for _, c := range counties {
				out = append(out, Folder{ID: CountyFolder(c), Peers: with(c)})
			}
		}
	default:
		out = append(out, Folder{ID: PostFolder(e.Self()), Peers: with(stations...)})
		for _, s := range stations {
			// The relay folder stays empty (and unshared by the station)
			// while the station has no county.
			out = append(out, Folder{ID: StationFolder(s), Peers: with(s)}, Folder{ID: RelayFolder(s), Peers: with(s)})
		}
	}
	return out, nil
}

// FolderDir is the directory holding a folder's files.
func (e *Engine) FolderDir(folder string) string { return filepath.Join(e.dir, folder) }

// keys looks up the signing key of an origin: this device or a paired,
// unrevoked post or station.
func (e *Engine) keys(ctx context.Context) changeset.KeyLookup {
	return func(origin string) (ed25519.PublicKey, error) {
		if origin == e.Self() {
			return e.id.SignPublic(), nil
		}
		p, err := e.book.Peer(ctx, origin)
		if errors.Is(err, syncbook.ErrNotFound) {
			return nil, changeset.ErrUnknownSender
		}
		if err != nil {
			return nil, err
		}
		if p.RevokedAt != "" {
			return nil, fmt.Errorf("device was unpaired on %s", p.RevokedAt)
		}
		// Unpaired before this database was restored from a backup.
		if at, err := e.journalRevoked(origin); err != nil || at != "" {
			if err != nil {
				return nil, err
			}
			return nil, fmt.Errorf("device was unpaired on %s", at)
		}
		if len(p.SignKey) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("device is a %s and cannot sign changesets", p.Role)
		}
		return ed25519.PublicKey(p.SignKey), nil
	}
}

// stream is one outgoing chain of changesets.
type stream struct {
	id         string
	recipients []syncbook.Peer // besides this device
	owners     map[string]bool
	// relay: the stream carries changes of every origin this device holds
	// (whose record owner is in owners), not only its own: a station's
	// up-stream to its county carries its posts' changes, its relay
	// stream the county's (changeset.Relays).
	relay bool
	// tables, when set, are the only tables the stream carries (a
	// broadcast: published); owners' changes of others stay here.
	tables  map[string]bool
	catchup string // post whose catch-up this cut includes
	// joins are recipients that could read none of this stream before
	// (just paired): the next changeset names them (Header.Joins) so
	// their chain starts there; emptied once it is cut.
	joins *[]string
	// resend: cut every change of the stream's owners again, from the
	// start (a post's stream when a station joins it, a station's
	// up-stream when a county joins it, a county's broadcast when a
	// station does).
	resend bool
}

// published are the tables a station's broadcast carries (admit.Published).
var published = admit.Published

func (e *Engine) streams(ctx context.Context) ([]stream, error) {
	peers, err := e.book.Peers(ctx, false)
	if err != nil {
		return nil, err
	}
	self := e.Self()
	var posts, stations, counties []syncbook.Peer
	for _, p := range peers {
		switch p.Role {
		case store.RolePost:
			posts = append(posts, p)
		case store.RoleStation:
			stations = append(stations, p)
		case store.RoleCounty:
			counties = append(counties, p)
		}
	}
	joining := func(ps []syncbook.Peer) *[]string {
		var j []string
		for _, p := range ps {
			if p.Catchup {
				j = append(j, p.DeviceID)
			}
		}
		return &j
	}
	switch e.st.Role() {
	case store.RolePost:
		s := stream{id: PostFolder(self), recipients: stations, owners: map[string]bool{self: true}, joins: joining(stations)}
		s.resend = len(*s.joins) > 0
		return []stream{s}, nil
	case store.RoleCounty:
		// Few stations: one joining is sent the whole broadcast again
		// in it (merging is idempotent), rather than a stream each.
		s := stream{id: CountyFolder(self), recipients: stations, owners: map[string]bool{self: true}, joins: joining(stations)}
		s.resend = len(*s.joins) > 0
		return []stream{s}, nil
	}
	out := []stream{{id: StationFolder(self), recipients: posts, owners: map[string]bool{self: true}, tables: published, joins: joining(posts)}}
	for _, p := range posts {
		// The stream to one post has always been addressed to it.
		s := stream{id: PostFolder(p.DeviceID), recipients: []syncbook.Peer{p}, owners: map[string]bool{p.DeviceID: true}, joins: new([]string)}
		if p.Catchup {
			s.catchup = p.DeviceID
		}
		out = append(out, s)
	}
	if len(counties) > 0 {
		// The county's records go down to the posts; a post that joins
		// gets the whole relay again (the county publishes little).
		down := stream{id: RelayFolder(self), recipients: posts, owners: map[string]bool{}, tables: published, relay: true, joins: joining(posts)}
		for _, c := range counties {
			down.owners[c.DeviceID] = true
		}
		down.resend = len(*down.joins) > 0
		out = append(out, down)
		// The station's own records and its posts' go up to the county
		// (every post it was ever paired with: records stay theirs).
		up := stream{id: UpFolder(self), recipients: counties, owners: map[string]bool{self: true}, relay: true, joins: joining(counties)}
		all, err := e.book.Peers(ctx, true)
		if err != nil {
			return nil, err
		}
		for _, p := range all {
			if p.Role == store.RolePost {
				up.owners[p.DeviceID] = true
			}
		}
		up.resend = len(*up.joins) > 0
		out = append(out, up)
	}
	return out, nil
}

// CutResult says what a cut produced.
type CutResult struct {
	Changesets []string // names of new changesets
	Changes    int
	Bytes      int64
	// Local counts changes of this station's own records of tables it
	// does not publish, kept off its broadcast (logged as well).
	Local int
}

// Cut turns the local changes not yet cut into changesets, one chain per
// stream, and writes them into their folders. It is safe to call often: a
// stream with nothing new gets no file, unless it owes a peer a note or
// was just taken up again after a peer's head (then it gets one, empty if
// need be, so the peer hears of it). Before the first cut of a stream, its
// folder is looked through for changesets this device cut before its
// database was restored from an older backup: they continue the stream.
func (e *Engine) Cut(ctx context.Context) (CutResult, error) {
	e.cutting.Lock()
	defer e.cutting.Unlock()
	var res CutResult
	streams, err := e.streams(ctx)
	if err != nil {
		return res, err
	}
	for _, s := range streams {
		if err := e.sweepOwn(ctx, s.id); err != nil {
			return res, err
		}
	}
	owners := map[[2]string]string{}
	ownerOf := func(c store.Change) (string, error) {
		k := [2]string{c.Table, c.Record}
		if o, ok := owners[k]; ok {
			return o, nil
		}
		o, _, err := e.st.RecordOwner(ctx, c.Table, c.Record)
		if err != nil {
			return "", err
		}
		owners[k] = o
		return o, nil
	}
	hs := healStreams(streams)
	for _, s := range streams {
		st, err := e.book.StreamState(ctx, s.id)
		if err != nil {
			return res, err
		}
		notes, noteRows, err := e.heal.NotesFor(ctx, s.id, hs)
		if err != nil {
			return res, err
		}
		before := len(res.Changesets)
		if s.catchup != "" {
			// Everything this station ever published, again, for a post
			// that could not read the broadcasts made before it was paired.
			mine, cs := map[string]bool{e.Self(): true}, s
			cs.tables = published
			if err := e.cutRange(ctx, cs, 0, mine, st.ChangeSeq, ownerOf, &res, &notes); err != nil {
				return res, err
			}
		}
		from := st.ChangeSeq
		if s.resend {
			// A station joins this post's stream: it could read nothing
			// cut before, so everything goes again (merging is idempotent).
			from = 0
		}
		if err := e.cutRange(ctx, s, from, s.owners, -1, ownerOf, &res, &notes); err != nil {
			return res, err
		}
		if len(res.Changesets) == before {
			taken, err := e.book.Rebased(ctx, s.id, st.Seq, st.Digest)
			if err != nil {
				return res, err
			}
			if len(notes) > 0 || taken || len(*s.joins) > 0 {
				// Nothing new to send, but something to say.
				cur, err := e.book.StreamState(ctx, s.id)
				if err != nil {
					return res, err
				}
				name, n, err := e.cutOne(ctx, s, nil, cur.ChangeSeq, &notes)
				if err != nil {
					return res, err
				}
				res.Changesets = append(res.Changesets, name)
				res.Bytes += n
			}
		}
		if len(notes) == 0 {
			for _, row := range noteRows {
				if err := e.book.MarkNoteSent(ctx, row); err != nil {
					return res, err
				}
			}
		}
		if s.catchup != "" {
			if err := e.book.SetPeerCatchup(ctx, s.catchup, false); err != nil {
				return res, err
			}
		}
		if s.resend {
			for _, p := range s.recipients {
				if p.Catchup {
					if err := e.book.SetPeerCatchup(ctx, p.DeviceID, false); err != nil {
						return res, err
					}
				}
			}
		}
	}
	if len(res.Changesets) > 0 {
		e.log.Info("cut", "changesets", len(res.Changesets), "changes", res.Changes, "bytes", res.Bytes)
	}
	if res.Local > 0 {
		e.log.Warn("kept off the broadcast: own records of tables a station does not publish", "changes", res.Local)
	}
	return res, nil
}

// sweepOwn imports, once per engine, the changesets in an own stream's
// folder this device does not know: after a restore from an older backup
// the folder may still hold those it cut since the backup, and the stream
// must continue after them, not number new ones the same. It also writes
// into the folder any changeset of the stream whose file is missing (the
// process that cut it was killed before writing it).
func (e *Engine) sweepOwn(ctx context.Context, streamID string) error {
	e.mu.Lock()
	done := e.swept[streamID]
	e.swept[streamID] = true
	e.mu.Unlock()
	dir := e.FolderDir(streamID)
	if done {
		return nil
	}
	if safefile.Exists(dir) {
		if _, err := e.ImportDir(ctx, "folder", dir, true); err != nil {
			return fmt.Errorf("look through %s: %w", streamID, err)
		}
	}
	// A changeset cut by a process killed before it wrote the file.
	return e.WriteOut(ctx, dir, streamID)
}

// cutRange cuts this device's changes after change-log position from whose
// record owner is in owners. keepCursor >= 0 leaves the stream's cursor
// there (a catch-up re-sends old changes without moving it). The first
// changeset cut carries notes (and empties them).
func (e *Engine) cutRange(ctx context.Context, s stream, from int64, owners map[string]bool, keepCursor int64,
	ownerOf func(store.Change) (string, error), res *CutResult, notes *[]changeset.Note) error {
	for {
		var batch []store.Change
		var last int64
		var err error
		if s.relay {
			batch, last, err = e.st.ChangesAfter(ctx, from, MaxChangesPerChangeset)
		} else {
			batch, last, err = e.st.ChangesSince(ctx, e.Self(), from, MaxChangesPerChangeset)
		}
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		var keep []store.Change
		for _, c := range batch {
			o, err := ownerOf(c)
			if err != nil {
				return err
			}
			switch {
			case owners[o] && (s.tables == nil || s.tables[c.Table]):
				keep = append(keep, c)
			case owners[o] && keepCursor < 0:
				res.Local++
			}
		}
		cursor := last
		if keepCursor >= 0 {
			cursor = keepCursor
		}
		if len(keep) > 0 {
			name, n, err := e.cutOne(ctx, s, keep, cursor, notes)
			if err != nil {
				return err
			}
			res.Changesets = append(res.Changesets, name)
			res.Changes += len(keep)
			res.Bytes += n
		} else if keepCursor < 0 {
			if err := e.book.SetChangeSeq(ctx, s.id, last); err != nil {
				return err
			}
		}
		from = last
		if len(batch) < MaxChangesPerChangeset {
			return nil
		}
	}
}

func (e *Engine) cutOne(ctx context.Context, s stream, changes []store.Change, changeSeq int64, notes *[]changeset.Note) (string, int64, error) {
	recips := []age.Recipient{e.id.Age.Recipient()}
	to := []string{e.Self()}
	for _, p := range s.recipients {
		r, err := age.ParseX25519Recipient(p.Recipient)
		if err != nil {
			return "", 0, fmt.Errorf("encryption key of %s: %w", p.Name, err)
		}
		recips = append(recips, r)
		to = append(to, p.DeviceID)
	}
	var blobs []string
	for _, c := range changes {
		if strings.HasSuffix(c.Field, "hash") && len(c.Value) == 66 {
			blobs = append(blobs, strings.Trim(c.Value, `"`))
		}
	}
	sort.Strings(blobs)
	blobs = slices.Compact(blobs)
	var sealed changeset.Sealed
	for attempt := 1; ; attempt++ {
		st, err := e.book.StreamState(ctx, s.id)
		if err != nil {
			return "", 0, err
		}
		h := changeset.Header{Origin: e.Self(), Stream: s.id, Seq: st.Seq + 1, Prev: st.Digest, Blobs: blobs, Recipients: to, Notes: *notes}
		if s.joins != nil {
			h.Joins = *s.joins
		}
		if sealed, err = changeset.Seal(h, changes, e.id.Sign, recips); err != nil {
			return "", 0, err
		}
		out := syncbook.OutChangeset{Stream: s.id, Seq: h.Seq, Name: sealed.Name, Digest: sealed.Digest,
			Changes: len(changes), Blobs: blobs, Data: sealed.Data}
		err = e.book.RecordCut(ctx, out, changeSeq)
		if errors.Is(err, syncbook.ErrStreamMoved) && attempt < maxCutAttempts {
			// Another program on this database (the window, `cunjing
			// sync`) cut this stream meanwhile: seal again after its
			// head. What it cut may overlap these changes; merging is
			// idempotent.
			continue
		}
		if err != nil {
			return "", 0, err
		}
		break
	}
	*notes = nil
	if s.joins != nil {
		*s.joins = nil
	}
	if err := e.book.MarkSeen(ctx, sealed.Name, "own"); err != nil {
		return "", 0, err
	}
	if err := e.WriteOut(ctx, e.FolderDir(s.id), s.id); err != nil {
		return "", 0, err
	}
	return sealed.Name, int64(len(sealed.Data)), nil
}

// maxCutAttempts bounds how often one changeset is sealed again because
// another program on the same database cut its stream meanwhile.
const maxCutAttempts = 10

// WriteOut writes into dir every changeset cut for stream ("" for all) and
// every blob they refer to that dir does not have yet. Each file is written
// under a temporary name, synced and renamed, so a stick pulled out midway
// never holds half a file under a real name. For all streams (an exchange
// folder) it also writes the changesets of other devices' chains this
// device keeps that dir lacks, for each chain dir holds some of: a device
// restored from an older backup finds its own there. An exchange folder
// (all streams) gets only the changesets some recipient has not
// acknowledged in a receipt (all of them for a peer never heard from), and
// this device's current receipt for each peer.
func (e *Engine) WriteOut(ctx context.Context, dir, stream string) error {
	if err := e.writeOut(ctx, dir, stream); err != nil {
		return err
	}
	if stream == "" {
		if _, err := e.WriteReceipts(ctx, dir, nil); err != nil {
			return err
		}
		return e.heal.WriteBack(ctx, dir)
	}
	return nil
}

// unacknowledged returns a filter of this device's changesets: true for
// those some recipient of their stream has not acknowledged.
func (e *Engine) unacknowledged(ctx context.Context) (func(syncbook.OutChangeset) bool, error) {
	streams, err := e.streams(ctx)
	if err != nil {
		return nil, err
	}
	acked := map[string]map[string]uint64{}
	for _, s := range streams {
		for _, p := range s.recipients {
			if _, ok := acked[p.DeviceID]; ok {
				continue
			}
			a, _, err := e.acked(ctx, p.DeviceID)
			if err != nil {
				return nil, err
			}
			acked[p.DeviceID] = a
		}
	}
	recips := map[string][]syncbook.Peer{}
	for _, s := range streams {
		recips[s.id] = s.recipients
	}
	return func(o syncbook.OutChangeset) bool {
		rs := recips[o.Stream]
		if len(rs) == 0 {
			return true
		}
		for _, p := range rs {
			if o.Seq > acked[p.DeviceID][o.Stream] {
				return true
			}
		}
		return false
	}, nil
}

func (e *Engine) writeOut(ctx context.Context, dir, stream string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("write out: %w", err)
	}
	outs, err := e.book.OutChangesets(ctx, stream, 0)
	if err != nil {
		return err
	}
	want := func(syncbook.OutChangeset) bool { return true }
	if stream == "" && !e.noReceipts {
		if want, err = e.unacknowledged(ctx); err != nil {
			return err
		}
	}
	for _, o := range outs {
		if err := ctx.Err(); err != nil {
			return err
		}
		// A copy already there is left unless it is torn (a copy of the
		// folder cut short): the peer would refuse it for ever.
		if !want(o) || safefile.HasSize(filepath.Join(dir, o.Name), int64(cap(o.Data))) {
			continue
		}
		data, err := e.book.OutData(ctx, o.Name)
		if err != nil {
			return err
		}
		for _, b := range o.Blobs {
			if err := e.writeStreamBlob(ctx, dir, o.Stream, b); err != nil {
				return err
			}
		}
		if err := safefile.WriteAtomic(dir, o.Name, data); err != nil {
			return err
		}
	}
	return nil
}

// writeStreamBlob writes a blob a changeset of streamID refers to into dir,
// sealed to the stream's recipients, unless dir holds it.
func (e *Engine) writeStreamBlob(ctx context.Context, dir, streamID, hash string) error {
	if safefile.IsRegular(filepath.Join(dir, changeset.BlobName(hash))) {
		return nil
	}
	streams, err := e.streams(ctx)
	if err != nil {
		return err
	}
	var to []syncbook.Peer
	for _, s := range streams {
		if s.id == streamID {
			to = append(to, s.recipients...)
		}
	}
	if stored, err := e.writeBlob(ctx, dir, hash, to); err != nil || stored {
		return err
	}
	e.log.Warn("blob referenced but not stored here", "hash", hash)
	return nil
}

// writeBlob writes the stored blob hash into dir sealed to this device and
// to peers; stored is false (and nothing written) when it is not stored
// here.
func (e *Engine) writeBlob(ctx context.Context, dir, hash string, peers []syncbook.Peer) (stored bool, err error) {
	data, err := e.st.Blob(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	recips := []age.Recipient{e.id.Age.Recipient()}
	for _, p := range peers {
		r, err := age.ParseX25519Recipient(p.Recipient)
		if err != nil {
			return true, fmt.Errorf("encryption key of %s: %w", p.Name, err)
		}
		recips = append(recips, r)
	}
	sealed, err := changeset.SealBlob(data, recips)
	if err != nil {
		return true, err
	}
	return true, safefile.WriteAtomic(dir, changeset.BlobName(hash), sealed)
}
