// Package backup owns the device's backups: making one (a consistent copy
// of the database, encrypted and signed as a .cjbak, see store/cjbak, or a
// plain .db on explicit request) into a folder, rotating and listing
// them, restoring one over a closed database or over the window's open
// store, and the backup key (setting the passphrase, checking it, saying
// to whom the next backup is encrypted). It sits above store and uses its
// exported API only: the copy (Store.WriteCopy), the check of a database
// file (store/dbfile.Verify, below the root), the backup key kept in the database
// (Store.BackupKey, Store.SetBackupKey), the signing seed and the paired
// stations in the sync bookkeeping (Store.SyncBook).
package backup

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"filippo.io/age"

	"cunjing/store"
	"cunjing/store/cjbak"
	"cunjing/store/clock"
	"cunjing/store/dbfile"
	"cunjing/store/winlock"
)

// backupPrefix names backup files so rotation only ever touches ours.
const backupPrefix = "cunjing-backup-"

// Info describes one backup file.
type Info struct {
	Path    string
	Size    int64
	ModTime time.Time
	// Encrypted is false for a plain .db (made by an older version, or
	// with --plaintext): anyone who finds it can read it.
	Encrypted bool
	// Seq is an encrypted backup's number among its device's in the
	// folder (Header.Seq): filled by OfDevice, 0 for a plain one or one
	// from before backups were numbered.
	Seq uint64
	// made is when its maker's clock said it was made (filled by
	// OfDevice): an encrypted one's header says, a plain one's name.
	made time.Time
}

// Options tune Write.
type Options struct {
	// Keep is how many backups of the kind written the folder keeps, the
	// newest (<= 0 keeps all).
	Keep int
	// Now names the file and dates its header (nil: the wall clock).
	Now clock.Func
	// Plaintext writes an unencrypted .db, readable by whoever finds the
	// stick. Only on explicit request: without a passphrase and a station,
	// Write refuses with ErrNoKey instead.
	Plaintext bool

	// waiting, if set, is called once when the folder is busy with
	// another backup and Write starts to wait for it (tests).
	waiting func()
	// probe bounds asking a plain backup whose it is (0: probeTimeout;
	// tests make it short).
	probe time.Duration
	// fileNow, for tests: this PC's clock as the file system dates files,
	// for how old a leftover is (nil: the system's).
	fileNow clock.Func
	// remove removes an old backup in rotation (nil: os.Remove; tests
	// make it fail as a read-only file does on Windows).
	remove func(string) error
}

// Write writes an encrypted backup of s (.cjbak, see package cjbak) into
// dir: a consistent copy is made with VACUUM INTO in local space beside the
// database (safe while the app keeps working) and checked with
// integrity_check, then encrypted and signed as it is streamed to
// dir/NAME.cjbak.partial, read back and checked, and renamed. The plain
// copy never touches dir, so a crash or a pulled stick leaves no readable
// data there. One backup at a time writes into a folder (lockFolder);
// then only the newest opt.Keep of this device's are kept (rotate). It returns
// the new file; with an error wrapping ErrRotate when the backup is good
// but older ones could not all be removed.
func Write(ctx context.Context, s *store.Store, dir string, opt Options) (string, error) {
	now := clock.Or(opt.Now)()
	var (
		keys backupKeys
		sign ed25519.PrivateKey
		err  error
	)
	if !opt.Plaintext {
		if keys, err = keyConfig(ctx, s); err != nil {
			return "", fmt.Errorf("backup: %w", err)
		}
		if keys.recipient == "" && len(keys.stations) == 0 {
			return "", ErrNoKey
		}
		if sign, err = signKey(ctx, s); err != nil {
			return "", fmt.Errorf("backup: %w", err)
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	lock, err := lockFolder(ctx, dir, opt.waiting)
	if err != nil {
		return "", err
	}
	// The lock file goes too, so the stick holds only backups. Closing it
	// lets go of the lock whatever else fails; a lock file left behind
	// is taken again by the next backup.
	defer func() { _ = lock.ReleaseRemove() }()
	// Where backups go, kept in the database before its copy is taken:
	// an unpairing writes the journal's copy there too (package sync).
	// (A database that cannot be written, a read-only file, is still
	// backed up.)
	if abs, aerr := filepath.Abs(dir); aerr == nil {
		if err := s.SyncBook().NoteBackupFolder(ctx, abs); err != nil {
			slog.Warn("backup: the backup folder could not be noted in the database (unpairings will not copy their journal there)", "dir", abs, "err", err)
		}
	}
	fileNow := clock.Or(opt.fileNow)()
	removeStaleLocalCopies(s.Path(), fileNow)
	plain, err := localCopy(ctx, s)
	if err != nil {
		return "", err
	}
	defer os.Remove(plain)
	if _, err := dbfile.Verify(ctx, plain); err != nil {
		return "", fmt.Errorf("backup did not verify: %w", err)
	}
	ext := Ext
	if opt.Plaintext {
		ext = PlainExt
	}
	stamp := backupPrefix + strings.Replace(now.Format("20060102-150405.000"), ".", "-", 1)
	final := filepath.Join(dir, stamp+ext)
	// Another device's backup of the same millisecond (a stick moved
	// between PCs whose clocks differ) is not replaced.
	for i := 2; fileExists(final); i++ {
		final = filepath.Join(dir, fmt.Sprintf("%s-%d%s", stamp, i, ext))
	}
	partial := final + ".partial"
	if lock != nil {
		removeStalePartials(dir, fileNow)
	}
	// This device's backups of the kind written, read once: for the next
	// number and for rotation.
	var (
		mine    []Info
		listErr error
	)
	if !opt.Plaintext || opt.Keep > 0 {
		var bs []Info
		if bs, listErr = List(dir); listErr == nil {
			mine = ofDevice(ctx, ofKind(bs, ext), s.DeviceID(), opt.probe)
		}
	}
	if opt.Plaintext {
		err = CopyFile(plain, partial)
		if err == nil {
			if _, verr := dbfile.Verify(ctx, partial); verr != nil {
				err = fmt.Errorf("the copy in %s did not verify: %w", dir, verr)
			}
		}
	} else {
		// The number after the highest of this device's in the folder: the
		// newest backup is the one with the highest number, whatever the
		// clock said when each was made. A number that has none after it
		// is believed only from a backup this device signed: a file
		// planted with the highest number there is made the next backup
		// 0, listed after all the others.
		seq := nextSeq(mine, sign.Public().(ed25519.PublicKey))
		hdr := Header{Version: 1, Device: s.DeviceID(), Role: s.Role(), Created: now.UTC().Format(time.RFC3339),
			Schema: store.SchemaVersion(), Recipient: keys.recipient, Seq: seq}
		if keys.recipient != "" {
			hdr.Key = keys.wrapped
		}
		var to []age.Recipient
		if keys.recipient != "" {
			r, perr := age.ParseX25519Recipient(keys.recipient)
			if perr != nil {
				return "", fmt.Errorf("backup key: %w", perr)
			}
			to = append(to, r)
		}
		for _, st := range keys.stations {
			r, perr := age.ParseX25519Recipient(st.Recipient)
			if perr != nil {
				return "", fmt.Errorf("encryption key of station %s: %w", st.Name, perr)
			}
			to = append(to, r)
			hdr.Stations = append(hdr.Stations, st.DeviceID)
		}
		err = cjbak.Encrypt(plain, partial, hdr, to, sign)
	}
	if err != nil {
		os.Remove(partial)
		return "", fmt.Errorf("backup to %s: %w", dir, err)
	}
	if err := os.Rename(partial, final); err != nil {
		os.Remove(partial)
		return "", fmt.Errorf("backup: %w", err)
	}
	syncDir(dir)
	// The unpairing journal travels with the backups: restored onto a new
	// PC, a device unpaired since stays unpaired (unpaired.go).
	if err := WriteJournalCopy(ctx, s, dir); err != nil {
		slog.Warn("backup made, but the unpairing journal's copy could not be written beside it", "dir", dir, "err", err)
	}
	if opt.Keep > 0 {
		if listErr == nil {
			listErr = rotate(mine, opt.Keep, final, opt)
		}
		if err := listErr; err != nil {
			return final, fmt.Errorf("%w: %w", ErrRotate, err)
		}
	}
	return final, nil
}

// localCopy writes a consistent plain copy of the database into a new
// file beside it (local space: the database is plain there already), or
// in the system's temporary folder if its folder is read-only, and
// returns its path; the caller removes it.
func localCopy(ctx context.Context, s *store.Store) (string, error) {
	pattern := "." + filepath.Base(s.Path()) + ".backup-*.tmp"
	f, err := os.CreateTemp(filepath.Dir(s.Path()), pattern)
	if err != nil {
		var terr error
		if f, terr = os.CreateTemp("", pattern); terr != nil {
			return "", fmt.Errorf("backup: local copy: %w", errors.Join(err, terr))
		}
	}
	p := f.Name()
	if err := f.Close(); err != nil {
		os.Remove(p)
		return "", fmt.Errorf("backup: local copy: %w", err)
	}
	// VACUUM INTO writes into an empty file.
	if err := s.WriteCopy(ctx, p); err != nil {
		os.Remove(p)
		return "", fmt.Errorf("backup: local copy: %w", err)
	}
	return p, nil
}

// folderLock is the file in a backup folder whose lock a backup holds
// while it writes there: one backup at a time in a folder, whichever
// process makes it (the window's daily one, a tap on 立即备份, `cunjing
// backup` from a scheduled task, another post's window on a shared
// stick), so removeStalePartials never removes one in progress.
const folderLock = ".cunjing-backup.lock"

// lockFolderPoll is how often Write looks again at a busy folder.
const lockFolderPoll = 100 * time.Millisecond

// lockFolder takes dir's backup lock, waiting while another backup holds
// it, until ctx ends. On a file system that cannot lock (some network
// shares) it returns a nil lock and no error: the backup goes ahead but
// leaves other partial files alone, since it cannot tell a stale one from
// one being written.
func lockFolder(ctx context.Context, dir string, waiting func()) (*winlock.Lock, error) {
	path := filepath.Join(dir, folderLock)
	told := false
	for {
		l, err := winlock.TakeFile(path)
		if err == nil {
			return l, nil
		}
		if !errors.Is(err, winlock.ErrInUse) {
			return nil, nil
		}
		if !told && waiting != nil {
			waiting()
		}
		told = true
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("backup: waiting for another backup to %s to finish: %w", dir, ctx.Err())
		case <-time.After(lockFolderPoll):
		}
	}
}

// removeStalePartials removes what interrupted backups left in dir: plain
// copies of an older version (VACUUM INTO wrote them there) and
// ciphertext of a stick pulled out or a process killed midway (the
// folder's lock is held: none is being written). And the unpairing
// journal's copies cut short (WriteJournalCopy: an unpairing writes them
// without the folder's lock), once an hour old by now: a write of a few
// KB, so none in progress.
func removeStalePartials(dir string, now time.Time) {
	old, _ := filepath.Glob(filepath.Join(dir, backupPrefix+"*.partial"))
	for _, p := range old {
		if fi, err := os.Lstat(p); err == nil && fi.Mode().IsRegular() {
			_ = os.Remove(p) // best effort: the next backup tries again
		}
	}
	journals, _ := filepath.Glob(filepath.Join(dir, "cunjing-unpaired-*.cjun.*.partial"))
	for _, p := range journals {
		mid := strings.TrimSuffix(filepath.Base(p), ".partial")
		if i := strings.LastIndexByte(mid, '.'); i < 0 || !isHex(mid[i+1:], 12) {
			continue
		}
		if fi, err := os.Lstat(p); err == nil && fi.Mode().IsRegular() && now.Sub(fi.ModTime()) >= staleJournalPartial {
			_ = os.Remove(p)
		}
	}
}

// staleJournalPartial: a journal copy's partial file this old was cut.
const staleJournalPartial = time.Hour

// staleLocalCopy: a backup's plain local copy this old was left by a
// backup that was killed (a day: copying and encrypting a station's
// database onto a slow stick takes minutes, not hours).
const staleLocalCopy = 24 * time.Hour

// removeStaleLocalCopies removes the plain local copies (localCopy)
// that killed backups of the database at dbPath left beside it, once a
// day old by now: a whole copy of the database each (1.8 GB on a
// station), which stayed for ever. A backup of this database into
// another folder may be running (each folder has its own lock): its copy
// is younger. Only names localCopy gives, only regular files.
func removeStaleLocalCopies(dbPath string, now time.Time) {
	prefix := "." + filepath.Base(dbPath) + ".backup-"
	es, err := os.ReadDir(filepath.Dir(dbPath))
	if err != nil {
		return
	}
	for _, en := range es {
		mid, ok := strings.CutPrefix(en.Name(), prefix)
		if !ok {
			continue
		}
		if mid, ok = strings.CutSuffix(mid, ".tmp"); !ok || mid == "" || strings.Trim(mid, "0123456789") != "" {
			continue
		}
		p := filepath.Join(filepath.Dir(dbPath), en.Name())
		if fi, err := os.Lstat(p); err == nil && fi.Mode().IsRegular() && now.Sub(fi.ModTime()) >= staleLocalCopy {
			_ = os.Remove(p) // best effort: the next backup tries again
		}
	}
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// List lists the backups in dir, encrypted and plain, newest first.
func List(dir string) ([]Info, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("list backups: %w", err)
	}
	var out []Info
	for _, e := range ents {
		n := e.Name()
		enc := strings.HasSuffix(n, Ext)
		if !e.Type().IsRegular() || !strings.HasPrefix(n, backupPrefix) || !enc && !strings.HasSuffix(n, PlainExt) {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue // removed while listing
		}
		out = append(out, Info{Path: filepath.Join(dir, n), Size: fi.Size(), ModTime: fi.ModTime(), Encrypted: enc})
	}
	// Names carry the timestamp, so name order is age order.
	sort.Slice(out, func(i, j int) bool { return out[i].Path > out[j].Path })
	return out, nil
}

// nextSeq is the number of the next encrypted backup after mine (this
// device's, the highest number first): one more than the highest, unless
// that is a number honest numbering never reaches (plantedSeq) and no
// backup this device signed (pub): then the highest of the others. (Not
// only the highest there is: a file planted one below it made the next
// backup the highest and every one after it 0, listed last.)
// plantedSeq: a backup number from here up is believed only from a backup
// this device signed. Numbering one a second from 1 reaches it in some
// 10^11 years.
const plantedSeq = math.MaxUint64 / 4

func nextSeq(mine []Info, pub ed25519.PublicKey) uint64 {
	for _, b := range mine {
		if b.Seq >= plantedSeq {
			if _, err := cjbak.Check(b.Path, func(string) (ed25519.PublicKey, error) { return pub, nil }); err != nil {
				continue
			}
		}
		return b.Seq + 1
	}
	return 1
}

// rotate keeps keep of mine (this device's backups of the kind just
// written, as OfDevice orders them, read before it was written) and the
// one just written (written) in their folder and removes the others. Other devices' backups
// are not counted or touched (the demo post and the real one share the
// window's backup folder; two posts may share a stick), nor are files it
// cannot read. The one just written is the newest, whatever the clock
// said: backups dated after it were made while the clock ran ahead, or
// before it fell back (a dead BIOS battery), so they are removed first,
// the oldest of them first; the rest keep the order of their dates.
func rotate(mine []Info, keep int, written string, opt Options) error {
	name := filepath.Base(written)
	// Only the kind just written is asked whose it is: an encrypted
	// backup's rotation opens no plain .db in the folder.
	// ofDevice puts numbered backups first, the highest first; the one
	// just written has the highest number. The rest (plain, or from
	// before numbering) follow by the time in their names, those dated
	// after the one just written last.
	// The one just written stays first whatever its header's number (a
	// file planted with this device's ID and the highest number there is
	// wraps it round to 0).
	mine = append([]Info{{Path: written}}, mine...)
	rank := func(b Info) int {
		switch {
		case b.Path == written:
			return 0
		case b.Seq == 0 && filepath.Base(b.Path) > name:
			return 2
		}
		return 1
	}
	sort.SliceStable(mine, func(i, j int) bool { return rank(mine[i]) < rank(mine[j]) })
	remove := opt.remove
	if remove == nil {
		remove = os.Remove
	}
	// One file that will not go does not keep the others: each is tried.
	var errs []error
	for _, b := range mine[min(keep, len(mine)):] {
		if err := remove(b.Path); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// OfDevice keeps the backups of bs that hold device's database, newest
// first: a folder may hold another device's too (the demo post's, another
// post's on a shared stick). A file whose device cannot be read is not
// kept. Encrypted backups come in the order of their numbers, the highest
// first (it holds whatever the clock said when each was made), then those
// from before backups were numbered; a plain one (--plaintext, or an
// older version's) has no number, and comes before the first encrypted
// one its name dates it after (it has no signature either: Offer checks
// the one a restore offers). Plain ones keep bs's order (List's: by the
// time in their names).
func OfDevice(ctx context.Context, bs []Info, device string) []Info {
	return ofDevice(ctx, bs, device, 0)
}

// ofDevice is OfDevice asking each plain backup for at most probe (0:
// probeTimeout).
func ofDevice(ctx context.Context, bs []Info, device string, probe time.Duration) []Info {
	var enc, plain []Info
	for _, b := range bs {
		dev, h, err := deviceOf(ctx, b, probe)
		if err != nil || dev != device {
			continue
		}
		if b.Encrypted {
			b.Seq = h.Seq
			b.made, err = time.Parse(time.RFC3339, h.Created)
			if err != nil {
				b.made = b.ModTime
			}
			enc = append(enc, b)
		} else {
			b.made = nameTime(b)
			plain = append(plain, b)
		}
	}
	sort.SliceStable(enc, func(i, j int) bool { return enc[i].Seq > enc[j].Seq })
	// The two merged, each keeping its order.
	out := make([]Info, 0, len(enc)+len(plain))
	for len(enc) > 0 && len(plain) > 0 {
		if plain[0].made.After(enc[0].made) {
			out, plain = append(out, plain[0]), plain[1:]
		} else {
			out, enc = append(out, enc[0]), enc[1:]
		}
	}
	return append(append(out, enc...), plain...)
}

// nameTime is when a backup's name says it was made (Write names it by
// its clock's Beijing time, clock.Zone, whatever zone the machine is set
// to), else its file's time.
func nameTime(b Info) time.Time {
	n := strings.TrimPrefix(filepath.Base(b.Path), backupPrefix)
	if len(n) >= len("20060102-150405-000") {
		if t, err := time.ParseInLocation("20060102-150405-000", n[:len("20060102-150405-000")], clock.Zone); err == nil {
			return t
		}
	}
	return b.ModTime
}

// Offer is the backup a restore offers s's window: the first of mine
// (OfDevice's for s's device, newest first) that will restore. An
// encrypted one must be signed by s's device (a file planted with its ID
// and the highest number in its unsigned header is passed over); a plain
// one must verify as a database of s's device. It reads each file it
// checks through, so it belongs in the background.
func Offer(ctx context.Context, s *store.Store, mine []Info) (Info, bool) {
	pub := publicKey(ctx, s)
	for _, b := range mine {
		if ctx.Err() != nil {
			break
		}
		if checkBackup(ctx, b, s.DeviceID(), pub, 0) == nil {
			return b, true
		}
	}
	return Info{}, false
}

// Verify checks, decrypting nothing, that b will restore as s's
// database, as Offer does: an encrypted backup must be signed by s's
// device (its header, which names the device, is not signed: a file
// planted with s's device ID in it fails here), a plain one must verify
// as a database of s's device. Only a backup that passes is this
// database's; it reads the file through, so it belongs in the background.
func Verify(ctx context.Context, s *store.Store, b Info) error {
	return checkBackup(ctx, b, s.DeviceID(), publicKey(ctx, s), 0)
}

// publicKey is the key s's device signs its backups with. Without a
// signing key (a database not made by `cunjing init`) it is nil: no
// encrypted backup can be checked, nor was any written by it; its plain
// ones still can.
func publicKey(ctx context.Context, s *store.Store) ed25519.PublicKey {
	sign, err := signKey(ctx, s)
	if err != nil {
		return nil
	}
	return sign.Public().(ed25519.PublicKey)
}

// checkBackup checks, decrypting nothing, that b will restore as device's
// database: an encrypted one's signature by pub, a plain one's database
// (asked for at most probe, 0: probeTimeout).
func checkBackup(ctx context.Context, b Info, device string, pub ed25519.PublicKey, probe time.Duration) error {
	if b.Encrypted {
		if len(pub) != ed25519.PublicKeySize {
			return fmt.Errorf("%s: no signing key to check it with", b.Path)
		}
		h, err := cjbak.Check(b.Path, func(string) (ed25519.PublicKey, error) { return pub, nil })
		if err == nil && h.Device != device {
			err = fmt.Errorf("%s holds device %s's backup", b.Path, h.Device)
		}
		return err
	}
	if probe <= 0 {
		probe = probeTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, probe)
	defer cancel()
	dev, err := dbfile.Verify(ctx, b.Path)
	if err == nil && dev != device {
		err = fmt.Errorf("%s holds device %s's database", b.Path, dev)
	}
	return err
}

// ofKind are the backups of bs whose files end in ext (Ext or PlainExt).
func ofKind(bs []Info, ext string) []Info {
	var out []Info
	for _, b := range bs {
		if filepath.Ext(b.Path) == ext {
			out = append(out, b)
		}
	}
	return out
}

// deviceOf is the device whose database a backup holds: an encrypted
// one's header says (cheaply, without the key), a plain one is asked,
// for at most probe: a file planted on a stick can make SQLite loop
// forever (a meta that is a recursive view), and rotation asks while it
// holds the folder's lock.
// An encrypted one's header comes with it.
func deviceOf(ctx context.Context, b Info, probe time.Duration) (string, Header, error) {
	if !b.Encrypted {
		if probe <= 0 {
			probe = probeTimeout
		}
		ctx, cancel := context.WithTimeout(ctx, probe)
		defer cancel()
		dev, err := dbfile.Device(ctx, b.Path)
		return dev, Header{}, err
	}
	h, _, err := Inspect(b.Path)
	return h.Device, h, err
}

// probeTimeout bounds asking a plain backup whose it is (deviceOf): a
// cunjing database answers in milliseconds, even from a slow stick.
const probeTimeout = 10 * time.Second

// RestoreOptions say how to open an encrypted backup: with the passphrase
// of its day, or (a station helping its post) with the station's key and
// the post's signing key from the station's pairing.
type RestoreOptions struct {
	Passphrase string
	// Identities decrypt a backup encrypted to a station; Signer then
	// returns the signing key the station trusts for the device the
	// backup names (an error if it knows none).
	Identities []age.Identity
	Signer     func(device string) (ed25519.PublicKey, error)
	// Now names the kept copy of the replaced database (nil: wall clock).
	Now clock.Func
	// Log takes the lines about the unpairing journal's copy in the
	// backup's folder (nil: slog.Default()).
	Log *slog.Logger
	// BeforeSwap, if set, is called by Restore once the backup has
	// proved good, while the restore holds every lock on dbPath (nothing
	// else has the database open) and before the database there (if
	// any) is moved aside: the sync engine packs there what it saved and
	// has not sent yet, which then comes back into the restored database
	// as what it sent before does (sync.CutBeforeRestore). It returns how
	// many changes it packed; whatever it fails to do, the restore goes
	// on, and RestoreInfo's Packed and PackErr say what happened.
	// ReplaceFrom calls it after quiesce, with the window's store still
	// open.
	BeforeSwap func(ctx context.Context, dbPath string) (packed int, err error)
}

// RestoreInfo says what a restore did.
type RestoreInfo struct {
	// Kept is where the replaced database was kept ("" if there was none).
	Kept string
	// Plain is set for an unencrypted backup (an older version's .db):
	// it restored, but anyone who found it could have read it.
	Plain bool
	// Header is an encrypted backup's header.
	Header Header
	// Packed is how many changes saved since the last sync BeforeSwap
	// packed into changesets before the swap (they come back into the
	// restored database at its next sync); PackErr why it packed nothing
	// (a damaged database does not open: they stay only in the kept copy).
	Packed  int
	PackErr error
	// Journal is what the unpairing journal's copy in the backup's folder
	// added to the journal beside the restored database, or why it was
	// refused.
	Journal JournalAdopted
}

// Inspect reads what a backup file says about itself without a
// passphrase: its header (encrypted), or Plain for an old .db. Nothing is
// decrypted or checked beyond the header. Only a regular file (or a link
// to one) is a backup: what the path is, is asked before it is opened,
// since opening a named pipe waits for a writer for ever.
func Inspect(path string) (Header, bool, error) {
	if fi, err := os.Stat(path); err != nil {
		return Header{}, false, err
	} else if !fi.Mode().IsRegular() {
		return Header{}, false, fmt.Errorf("%s is not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return Header{}, false, err
	}
	defer f.Close()
	head := make([]byte, len(dbfile.Header))
	if _, err := io.ReadFull(f, head); err == nil && bytes.Equal(head, dbfile.Header) {
		return Header{}, true, nil
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return Header{}, false, err
	}
	h, _, err := ReadHeader(f)
	return h, false, err
}

// Restore replaces the database at dbPath with the backup from. An
// encrypted backup is opened with opt (a wrong passphrase is
// ErrWrongPassphrase and touches nothing), its signature checked, and it
// is decrypted into dbPath + ".restoring"; an old plain .db is copied
// there (RestoreInfo.Plain). The copy is verified before anything is
// replaced; the current database (if any) is kept beside it as
// dbPath + ".before-restore-TIME" so a wrong restore can be undone. The
// database must not be open (see ReplaceFrom for one that is): while a
// window, `cunjing node`, `cunjing sync` or `cunjing exchange` has it open
// (their locks, store/winlock) it is refused with a *winlock.UsedError
// naming them, and nothing is touched; the restore holds those locks
// meanwhile, so none of them opens it until it is done.
func Restore(ctx context.Context, dbPath, from string, opt RestoreOptions) (RestoreInfo, error) {
	// Through a link, the file it reaches is replaced (the link stays).
	dbPath = winlock.RealPath(dbPath)
	locks, err := winlock.Restoring(dbPath)
	if err != nil {
		return RestoreInfo{}, fmt.Errorf("restore: %w", err)
	}
	defer locks.Release()
	info, err := prepareRestore(ctx, dbPath, from, opt)
	if err != nil {
		return info, err
	}
	if opt.BeforeSwap != nil && fileExists(dbPath) {
		info.Packed, info.PackErr = opt.BeforeSwap(ctx, dbPath)
	}
	if info, err = swapIn(ctx, dbPath, info, opt); err != nil {
		return info, err
	}
	s, err := store.Open(ctx, dbPath, store.Options{SkipIntegrityCheck: true})
	if err != nil {
		return info, fmt.Errorf("restore: open the restored database: %w", err)
	}
	defer s.Close()
	info.Journal, err = AdoptJournal(ctx, s, filepath.Dir(from), opt.Log)
	if err != nil {
		return info, fmt.Errorf("restore: %w: %w", errJournalNotTaken, err)
	}
	return info, nil
}

// ReplaceFrom restores the backup from over the open store s, for the
// window: the backup is opened, checked and decrypted beside the database
// while s stays open (a wrong passphrase or a bad file costs nothing and
// leaves s open and in use); then quiesce (if not nil) stops whoever uses
// s, s is closed, the files are swapped as Restore does, and the database
// is opened again with oopt. It returns the store to use from now on: the
// restored one, or after a failed swap whatever is in place (nil, with the
// error, if nothing opens). The window holds its own lock; while another
// program has the database open (`cunjing node`, `cunjing sync`,
// `cunjing exchange`: their locks, store/winlock) it is refused with a
// *winlock.UsedError naming them, and s stays open and in use.
func ReplaceFrom(ctx context.Context, s *store.Store, from string, opt RestoreOptions, oopt store.Options, quiesce func()) (*store.Store, RestoreInfo, error) {
	path := s.Path()
	locks, err := winlock.ExcludeUsers(path)
	if err != nil {
		return s, RestoreInfo{}, fmt.Errorf("restore: %w", err)
	}
	defer locks.Release()
	info, err := prepareRestore(ctx, path, from, opt)
	if err != nil {
		return s, info, err
	}
	if quiesce != nil {
		quiesce()
	}
	if opt.BeforeSwap != nil {
		info.Packed, info.PackErr = opt.BeforeSwap(ctx, path)
	}
	if err := s.Close(); err != nil {
		os.Remove(path + ".restoring")
		return nil, info, fmt.Errorf("restore: close the database: %w", err)
	}
	info, serr := swapIn(ctx, path, info, opt)
	ns, oerr := store.Open(ctx, path, oopt)
	if oerr != nil {
		return nil, info, errors.Join(serr, fmt.Errorf("reopen %s: %w", path, oerr))
	}
	if serr == nil {
		var jerr error
		if info.Journal, jerr = AdoptJournal(ctx, ns, filepath.Dir(from), opt.Log); jerr != nil {
			serr = fmt.Errorf("restore: %w: %w", errJournalNotTaken, jerr)
		}
	}
	return ns, info, serr
}

// prepareRestore opens, checks and writes the backup from into
// dbPath + ".restoring", verified; nothing else is touched.
func prepareRestore(ctx context.Context, dbPath, from string, opt RestoreOptions) (RestoreInfo, error) {
	var info RestoreInfo
	_, plain, err := Inspect(from)
	if err != nil {
		return info, fmt.Errorf("restore: %w", err)
	}
	info.Plain = plain
	tmp := dbPath + ".restoring"
	if err := os.Remove(tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return info, fmt.Errorf("restore: remove an earlier attempt: %w", err)
	}
	if plain {
		if _, err := dbfile.Verify(ctx, from); err != nil {
			return info, fmt.Errorf("restore: backup is not usable: %w", err)
		}
		if err := CopyFile(from, tmp); err != nil {
			os.Remove(tmp)
			return info, fmt.Errorf("restore: %w", err)
		}
	} else {
		if info.Header, err = cjbak.Decrypt(from, tmp, cjbak.Keys{Passphrase: opt.Passphrase, Identities: opt.Identities, Signer: opt.Signer}); err != nil {
			os.Remove(tmp)
			return info, fmt.Errorf("restore: %w", err)
		}
	}
	dev, err := dbfile.Verify(ctx, tmp)
	if err != nil {
		os.Remove(tmp)
		return info, fmt.Errorf("restore: copy did not verify: %w", err)
	}
	if !plain && dev != info.Header.Device {
		os.Remove(tmp)
		return info, fmt.Errorf("restore: %w (it holds device %s's database, its header names %s)", ErrForged, dev, info.Header.Device)
	}
	return info, nil
}

// swapIn keeps the database at dbPath (if any) beside it and moves the
// prepared dbPath + ".restoring" into its place.
func swapIn(ctx context.Context, dbPath string, info RestoreInfo, opt RestoreOptions) (RestoreInfo, error) {
	tmp := dbPath + ".restoring"
	if _, err := os.Stat(dbPath); err == nil {
		// Fold the WAL into the old file first, so the kept copy is whole.
		if s, err := store.Open(ctx, dbPath, store.Options{SkipIntegrityCheck: true}); err == nil {
			cerr := s.Checkpoint(ctx)
			s.Close()
			if cerr != nil {
				os.Remove(tmp)
				return info, fmt.Errorf("restore: checkpoint current database: %w", cerr)
			}
		}
		info.Kept = dbPath + ".before-restore-" + clock.Or(opt.Now)().Format("20060102-150405")
		for i := 2; fileExists(info.Kept); i++ { // never overwrite an earlier kept copy
			info.Kept = fmt.Sprintf("%s.before-restore-%s-%d", dbPath, clock.Or(opt.Now)().Format("20060102-150405"), i)
		}
		if err := os.Rename(dbPath, info.Kept); err != nil {
			os.Remove(tmp)
			return info, fmt.Errorf("restore: keep current database: %w", err)
		}
		for _, suf := range []string{"-wal", "-shm"} {
			if err := os.Rename(dbPath+suf, info.Kept+suf); err != nil && !errors.Is(err, os.ErrNotExist) {
				return info, fmt.Errorf("restore: %w", err)
			}
		}
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		return info, fmt.Errorf("restore: %w", err)
	}
	syncDir(filepath.Dir(dbPath))
	return info, nil
}

func fileExists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// CopyFile copies the file from into a new file to (readable by its owner
// only; an existing to is an error, never overwritten) and syncs it to disk
// before it returns.
func CopyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy %s to %s: %w", from, to, err)
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return fmt.Errorf("write %s to disk: %w", to, err)
	}
	return out.Close()
}

// syncDir makes a rename durable (POSIX); Windows has no directory fsync and
// the error is meaningless there, so it is ignored.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
