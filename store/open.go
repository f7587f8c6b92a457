package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"time"

	_ "github.com/mattn/go-sqlite3" // the SQLite driver; build with -tags sqlite_fts5

	"cunjing/store/clock"
	"cunjing/store/dbfile"
	"cunjing/store/dbwatch"
	"cunjing/store/migrations"
	"cunjing/store/postcounts"
	"cunjing/store/record"
	"cunjing/store/searchindex"
	"cunjing/store/syncbook"
	"cunjing/store/tracedrafts"
	"cunjing/store/winlock"
)

// ApplicationID marks a SQLite file as a cunjing database ("CJNG").
const ApplicationID = dbfile.ApplicationID

// Errors callers can test for with errors.Is to show the right message.
var (
	ErrNotOurs      = dbfile.ErrNotOurs
	ErrNewerSchema  = migrations.ErrNewerSchema
	ErrCorrupt      = dbfile.ErrCorrupt
	ErrExists       = errors.New("file already exists")
	ErrNotFound     = record.ErrNotFound
	ErrNotOwner     = errors.New("record belongs to another device")
	ErrNoSuchDevice = dbfile.ErrNoSuchDevice
	ErrReadOnly     = dbfile.ErrReadOnly
	ErrDiskFull     = errors.New("disk is full: nothing of this edit was saved; free some space and try again")
)

// Store is an open cunjing database.
type Store struct {
	db     *sql.DB
	path   string
	device string
	role   string
	clock  *Clock
	wall   clock.Func // what people see as now: pairing dates, last contact, audit
	// scryptLogN is the scrypt work factor for a new backup passphrase.
	scryptLogN int
	// book is the sync bookkeeping over db (SyncBook).
	book *syncbook.Book
	// index is the search index over db (Search).
	index *searchindex.Index
	// counts are the per-post counts over db (PostCounts).
	counts *postcounts.Counter
	// drafts are the trace drafts over db (TraceDraft …).
	drafts *tracedrafts.Drafts
	// unknown is Options.unknown as a set (nil in the app).
	unknown map[string]bool
}

// Identity is what a new database is created for: this device and its role.
type Identity struct {
	DeviceID string
	Role     string // RolePost, RoleStation or RoleCounty
	Name     string
	Township string
	Officer  string
	Phone    string
}

// Options tune how a database is opened; the zero value is right for the app.
type Options struct {
	// Now is the wall clock feeding the HLC (tests skew it).
	Now func() time.Time
	// SkipIntegrityCheck skips PRAGMA quick_check on open (benchmarks).
	SkipIntegrityCheck bool
	// BackupWorkFactor is the scrypt work factor (log2 N) that wraps the
	// backup key to a new passphrase. 0, or anything outside 10..18, is
	// the default 18: about a second and 256 MiB on an old office PC.
	// Tests lower it; a restore accepts any factor up to 18.
	BackupWorkFactor int
	// unknown names tables ("t") and fields ("t.f") the store takes as
	// unknown to its schema, as an older version would: changes of them
	// are held aside (held.go). Tests simulate a device not yet upgraded
	// with it; the app never sets it.
	unknown []string
}

func dsn(p string) string {
	v := url.Values{}
	v.Set("_journal_mode", "WAL")
	v.Set("_synchronous", "FULL")
	v.Set("_foreign_keys", "on")
	v.Set("_busy_timeout", "10000")
	v.Set("_txlock", "immediate")
	v.Set("_cache_size", "-65536")
	return dbfile.URI(p, v.Encode())
}

// Create makes a new database at path for the given identity. It refuses to
// touch an existing file.
func Create(ctx context.Context, p string, id Identity, opt Options) (*Store, error) {
	p = winlock.RealPath(p)
	if id.DeviceID == "" {
		return nil, fmt.Errorf("create %s: device ID is required", p)
	}
	if id.Role != RolePost && id.Role != RoleStation && id.Role != RoleCounty {
		return nil, fmt.Errorf("create %s: role must be %q, %q or %q", p, RolePost, RoleStation, RoleCounty)
	}
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("create %s: %w", p, ErrExists)
		}
		return nil, fmt.Errorf("create %s: %w", p, err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("create %s: %w", p, err)
	}
	s, err := open(ctx, p, opt, true)
	if err != nil {
		removeDB(p)
		return nil, err
	}
	err = s.initIdentity(ctx, id)
	if err == nil {
		// Put the header (and application_id) into the main file now, so
		// Open can recognise it even if the WAL is lost later.
		_, err = s.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	}
	if err != nil {
		s.Close()
		removeDB(p)
		return nil, fmt.Errorf("create %s: %w", p, err)
	}
	return s, nil
}

func removeDB(p string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		_ = os.Remove(p + suffix) // best effort: the file is ours and half-made
	}
}

// Open opens an existing cunjing database, migrating it forward if it is
// older than this program and refusing it if it is newer or damaged, or
// read-only where it is (ErrReadOnly).
func Open(ctx context.Context, p string, opt Options) (*Store, error) {
	p = winlock.RealPath(p) // one name for the file, whatever link it was opened by
	if err := dbfile.Check(p); err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	if err := dbfile.Writable(p); err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	return open(ctx, p, opt, false)
}

// Writable refuses, with ErrReadOnly, a database that can be read but not
// written where it is (dbfile.Writable): the window asks before it takes
// the file's lock beside it.
func Writable(p string) error { return dbfile.Writable(p) }

func open(ctx context.Context, p string, opt Options, fresh bool) (*Store, error) {
	db, err := sql.Open("sqlite3", dsn(p))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", p, err)
	}
	s := &Store{db: db, path: p, wall: clock.Or(opt.Now), scryptLogN: scryptWorkFactor(opt.BackupWorkFactor)}
	s.book = syncbook.New(db, s.wall, s.updateBook)
	s.index = searchindex.New(db)
	s.counts = postcounts.New(db)
	s.drafts = tracedrafts.New(db, func(ctx context.Context, fn func(tracedrafts.Tx) error) error {
		return s.Update(ctx, func(tx *Tx) error { return fn(tx.tx) })
	}, s.wall)
	for _, n := range opt.unknown {
		if s.unknown == nil {
			s.unknown = map[string]bool{}
		}
		s.unknown[n] = true
	}
	if err := s.prepare(ctx, opt, fresh); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", p, err)
	}
	return s, nil
}

func (s *Store) prepare(ctx context.Context, opt Options, fresh bool) error {
	if fresh {
		if _, err := s.db.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", ApplicationID)); err != nil {
			return fmt.Errorf("set application_id: %w", err)
		}
	}
	if !fresh {
		var appID int64
		if err := s.db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
			return fmt.Errorf("read application_id: %w", err)
		}
		if uint32(appID) != ApplicationID {
			return fmt.Errorf("%w (application_id %#x)", ErrNotOurs, appID)
		}
	}
	if !opt.SkipIntegrityCheck && !fresh {
		// quick_check walks every page and B-tree like integrity_check but
		// does not match each index against its table: on a station holding
		// 100 posts (1.8 GB) it takes 1 s where integrity_check takes 4.4 s,
		// at every start. The full check runs on every backup.
		var res string
		if err := s.db.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&res); err != nil {
			return fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		if res != "ok" {
			return fmt.Errorf("%w: %s", ErrCorrupt, res)
		}
	}
	if err := migrations.Apply(ctx, s.db); err != nil {
		return err
	}
	if !fresh {
		if err := s.loadIdentity(ctx, opt.Now); err != nil {
			return err
		}
		// Changes held for a newer version that this one knows (it was
		// upgraded since) are merged now (held.go).
		if _, err := s.mergeHeld(ctx); err != nil {
			return err
		}
	} else {
		s.clock = NewClock("", opt.Now, HLC{})
	}
	return s.index.Ensure(ctx)
}

// SchemaVersion is the newest schema this program knows
// (store/migrations).
func SchemaVersion() int { return migrations.Version() }

func (s *Store) initIdentity(ctx context.Context, id Identity) error {
	s.device = id.DeviceID
	s.role = id.Role
	s.clock = NewClock(id.DeviceID, s.wall, HLC{})
	return s.Update(ctx, func(tx *Tx) error {
		for k, v := range map[string]string{"device_id": id.DeviceID, "role": id.Role} {
			if _, err := tx.tx.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES (?, ?)", k, v); err != nil {
				return fmt.Errorf("write %s: %w", k, err)
			}
		}
		return tx.Save(&Post{Meta: Meta{ID: id.DeviceID}, Role: id.Role, Name: id.Name,
			Township: id.Township, Officer: id.Officer, Phone: id.Phone})
	})
}

func (s *Store) loadIdentity(ctx context.Context, now func() time.Time) error {
	get := func(k string) (string, error) {
		var v string
		err := s.db.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", k).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			return "", nil
		}
		return v, err
	}
	var err error
	if s.device, err = get("device_id"); err != nil {
		return fmt.Errorf("read device id: %w", err)
	}
	if s.device == "" {
		return ErrNoSuchDevice
	}
	if s.role, err = get("role"); err != nil {
		return fmt.Errorf("read role: %w", err)
	}
	lastStr, err := get("hlc")
	if err != nil {
		return fmt.Errorf("read clock: %w", err)
	}
	last, err := ParseHLC(lastStr)
	if err != nil {
		return fmt.Errorf("read clock: %w", err)
	}
	// A file clock far past this PC's (it ran fast and was set right) is
	// not followed: see Tx.syncClock.
	s.clock = NewClock(s.device, now, HLC{})
	s.clock.Observe(last)
	return nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Now is what people see as now (Options.Now, or the system clock): the
// time an audit entry, an emergency or an approval is written with.
func (s *Store) Now() time.Time { return s.wall() }

// DeviceID is this device's ID (the owner of what it records).
func (s *Store) DeviceID() string { return s.device }

// Role is RolePost, RoleStation or RoleCounty.
func (s *Store) Role() string { return s.role }

// Path is the database file, by its real name (links followed:
// winlock.RealPath), whatever name opened it.
func (s *Store) Path() string { return s.path }

// Watch holds a connection to learn that the file was written by another
// (dbwatch: another program on it, or this store's other connections).
func (s *Store) Watch(ctx context.Context) (*dbwatch.Watch, error) { return dbwatch.Open(ctx, s.db) }

// Clock is this device's hybrid logical clock.
func (s *Store) Clock() *Clock { return s.clock }

// SyncBook is the sync engine's bookkeeping in this database (peers,
// secrets, changesets cut and received, rejections, receipts, the BEP
// index): package syncbook. Its writes that take more than one statement
// run in this store's write transactions.
func (s *Store) SyncBook() *syncbook.Book { return s.book }

// PostCounts counts this database's records per owner for the station's
// and county's dashboards and the monthly report: package postcounts.
func (s *Store) PostCounts() *postcounts.Counter { return s.counts }

// SyncBook is the sync bookkeeping inside this transaction: what it
// records there (a received changeset, news of its origin, a changeset
// taken back) commits or rolls back with the changes applied.
func (tx *Tx) SyncBook() *syncbook.Book { return syncbook.Within(tx.tx, tx.s.wall) }

// updateBook runs the book's multi-statement writes in a write
// transaction of the store (syncbook.Update).
func (s *Store) updateBook(ctx context.Context, fn func(syncbook.DB) error) error {
	return s.Update(ctx, func(tx *Tx) error { return fn(tx.tx) })
}
