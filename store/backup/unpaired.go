package backup

// The unpairing journal, and its signed copy in the backup folder.
//
// Pairing lives in the database, so a restore from a backup made before an
// unpairing would trust the device again (a stolen PC retired at the
// station). Every unpairing is therefore appended first to a journal
// beside the database file (DB.unpaired, package sync), which a restore
// leaves alone. But when the PC itself is replaced, the journal is gone
// with it and last month's backup on the stick is all there is. So the
// journal also travels where the backups are: a copy, signed by the device
// (the key that signs its backups and changesets), is written into the
// backup folder at each backup and each unpairing (WriteJournalCopy), and
// read when a backup is restored from that folder or the engine opens
// (AdoptJournal). Whoever holds the stick can delete or replace the copy
// but not sign one: a copy that does not verify is refused and logged, and
// adds nothing. What a copy adds is only ever taken away again by the
// database's own record (the journal only removes trust, see package
// sync), so a deleted or older copy trusts no one the restored database
// does not.

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"cunjing/store"
)

// JournalExt is the suffix of the unpairing journal beside a database.
const JournalExt = ".unpaired"

// MaxJournal bounds how much of a journal is read (a line is ~90 bytes:
// ten thousand unpairings and more).
const MaxJournal = 1 << 20

// journalMagic starts a copy of the journal in a backup folder; the
// device it belongs to follows on the same line.
const journalMagic = "CJUNPAIRED1"

// journalDomain is signed before the device and the journal's bytes.
const journalDomain = "cunjing unpairing journal v1\x00"

// ErrJournalForged is a journal copy that does not verify as one the
// device signed (planted, edited, or another device's under its name).
var ErrJournalForged = errors.New("the unpairing journal copy is not signed by this device (planted or edited): refused")

// errJournalNotTaken: a restore replaced the database, but the journal's
// copy beside the backup could not be read or added to the journal here.
var errJournalNotTaken = errors.New("the database is restored, but the unpairing journal's copy beside the backup could not be taken (devices unpaired since the backup may be trusted again: unpair them again)")

// JournalPath is the journal of the database at dbPath.
func JournalPath(dbPath string) string { return dbPath + JournalExt }

// JournalCopyName is the name of device's journal copy in a backup folder.
func JournalCopyName(device string) string { return "cunjing-unpaired-" + device + ".cjun" }

// AppendJournal adds one line to the journal at path and syncs it to
// disk: what self (this database's device) did about the device id
// (verb: unpair or pair), and when.
func AppendJournal(path, verb, id, at, self string) error {
	return appendLines(path, fmt.Sprintf("%s %s %s %s\n", verb, id, at, self))
}

// AppendPairing records in the journal at path that self paired the
// device id, named name with role as its code said: a "pair" line (which
// also ends an unpairing of id, as before) and a "named" line, which an
// older version skips. A database restored from a backup made before the
// pairing has lost it; the journal, which a restore leaves alone, still
// says so (JournalPairings), so the device can be named and paired again
// instead of the two drifting apart in silence.
func AppendPairing(path, id, at, self, name, role string) error {
	return appendLines(path, fmt.Sprintf("pair %s %s %s\nnamed %s %s %s\n", id, at, self, id, encodeNamed(name, role), self))
}

// maxNamed bounds a "named" line's encoded name and role.
const maxNamed = 1024

// encodeNamed packs a role and a name into one field of a journal line;
// a name too long for it is cut (at a character).
func encodeNamed(name, role string) string {
	enc := func(n string) string { return base64.RawURLEncoding.EncodeToString([]byte(role + "\x00" + n)) }
	for len(enc(name)) > maxNamed {
		r := []rune(name)
		name = string(r[:len(r)-1])
	}
	return enc(name)
}

// Pairing is a device a journal says its database paired and has not
// unpaired since: when, and its name and role as its code said (empty
// for a pairing again written by an older version).
type Pairing struct {
	ID, At, Name, Role string
}

// JournalPairings reads the devices whose last pair or unpair line in the
// journal (self's lines) pairs them.
func JournalPairings(data []byte, self string) map[string]Pairing {
	out := map[string]Pairing{}
	names := map[string][2]string{}
	for _, l := range journalLines(data, self) {
		switch l.verb {
		case "pair":
			out[l.id] = Pairing{ID: l.id, At: l.at}
		case "unpair":
			delete(out, l.id)
		case "named":
			b, err := base64.RawURLEncoding.DecodeString(l.at)
			if err != nil {
				continue
			}
			role, name, ok := strings.Cut(string(b), "\x00")
			if !ok {
				continue
			}
			names[l.id] = [2]string{strings.ToValidUTF8(name, ""), role}
			if p, ok := out[l.id]; ok {
				p.Name, p.Role = names[l.id][0], names[l.id][1]
				out[l.id] = p
			}
		}
	}
	return out
}

// appendLines appends text (whole lines) to the journal at path.
func appendLines(path, text string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("unpairing journal: %w", err)
	}
	// A power cut while a line was written leaves it torn (no newline)
	// or followed by zero bytes: start on a line of its own, or the first
	// line is read as part of that one and the unpairing is lost.
	var last [1]byte
	fi, err := f.Stat()
	if err == nil && fi.Size() > 0 {
		if _, err = f.ReadAt(last[:], fi.Size()-1); err == nil && last[0] != '\n' {
			text = "\n" + text
		}
	}
	if err == nil {
		_, err = io.WriteString(f, text)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("unpairing journal %s: %w", filepath.Base(path), err)
	}
	return nil
}

// journalLine is one well-formed line of self's in a journal.
type journalLine struct {
	verb, id, at, text string
}

// journalLines reads the lines self wrote, whatever their length: a long
// run of junk (zero bytes a power cut left) is one line skipped, not the
// end of the reading. Lines it cannot read are skipped.
func journalLines(data []byte, self string) []journalLine {
	var out []journalLine
	for line := range bytes.SplitSeq(data, []byte("\n")) {
		if len(line) > 4096 {
			continue
		}
		f := strings.Fields(string(line))
		if len(f) != 4 || f[3] != self || len(f[1]) > 80 || len(f[2]) > maxNamed {
			continue
		}
		switch f[0] {
		case "unpair":
			if _, err := time.Parse(time.RFC3339, f[2]); err != nil {
				continue
			}
		case "pair":
			if len(f[2]) > 40 {
				continue
			}
		case "named":
		default:
			continue
		}
		out = append(out, journalLine{verb: f[0], id: f[1], at: f[2], text: strings.Join(f, " ")})
	}
	return out
}

// ParseJournal reads the lines self wrote in a journal: the devices whose
// last line unpairs them, with when. Lines it cannot read are skipped (a
// torn last line after a power cut), never a reason to trust anyone.
func ParseJournal(data []byte, self string) map[string]string {
	out := map[string]string{}
	for _, l := range journalLines(data, self) {
		switch l.verb {
		case "unpair":
			out[l.id] = l.at
		case "pair":
			delete(out, l.id)
		}
	}
	return out
}

// SignJournal returns the copy of a journal (its bytes) for a backup
// folder, signed by device's key.
func SignJournal(device string, key ed25519.PrivateKey, journal []byte) []byte {
	sig := ed25519.Sign(key, journalSigned(device, journal))
	var b bytes.Buffer
	b.WriteString(journalMagic + " " + device + "\n")
	b.WriteString(base64.StdEncoding.EncodeToString(sig) + "\n")
	b.Write(journal)
	return b.Bytes()
}

func journalSigned(device string, journal []byte) []byte {
	return append([]byte(journalDomain+device+"\x00"), journal...)
}

// OpenJournal checks a journal copy read from a backup folder (outside
// data: anyone with the stick writes it) and returns the journal in it:
// device's, signed by pub. Anything else is an error wrapping
// ErrJournalForged.
func OpenJournal(data []byte, device string, pub ed25519.PublicKey) ([]byte, error) {
	if len(pub) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("unpairing journal copy: no signing key of %s to check it with", device)
	}
	if len(data) > MaxJournal+512 {
		return nil, fmt.Errorf("%w (%d bytes, more than a journal may have)", ErrJournalForged, len(data))
	}
	head, rest, ok := bytes.Cut(data, []byte("\n"))
	if !ok || string(head) != journalMagic+" "+device {
		return nil, fmt.Errorf("%w (not a journal copy of %s)", ErrJournalForged, device)
	}
	line, journal, ok := bytes.Cut(rest, []byte("\n"))
	if !ok || len(line) > 128 {
		return nil, fmt.Errorf("%w (no signature)", ErrJournalForged)
	}
	sig, err := base64.StdEncoding.DecodeString(string(line))
	if err != nil || len(sig) != ed25519.SignatureSize {
		return nil, fmt.Errorf("%w (no signature)", ErrJournalForged)
	}
	if !ed25519.Verify(pub, journalSigned(device, journal), sig) {
		return nil, fmt.Errorf("%w (the signature does not match)", ErrJournalForged)
	}
	return journal, nil
}

// readJournal reads the journal at path (nil when there is none), at most
// MaxJournal bytes.
func readJournal(path string) ([]byte, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("unpairing journal: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxJournal))
	if err != nil {
		return nil, fmt.Errorf("unpairing journal: %w", err)
	}
	return data, nil
}

// WriteJournalCopy writes the signed copy of s's unpairing journal into
// the backup folder dir (write, sync, rename). A device that never
// unpaired anything has no journal and writes nothing.
func WriteJournalCopy(ctx context.Context, s *store.Store, dir string) error {
	journal, err := readJournal(JournalPath(s.Path()))
	if err != nil || journal == nil {
		return err
	}
	key, err := signKey(ctx, s)
	if err != nil {
		return fmt.Errorf("unpairing journal copy: %w", err)
	}
	var rnd [6]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return fmt.Errorf("unpairing journal copy: %w", err)
	}
	final := filepath.Join(dir, JournalCopyName(s.DeviceID()))
	tmp := final + "." + hex.EncodeToString(rnd[:]) + ".partial"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("unpairing journal copy in %s: %w", dir, err)
	}
	_, err = f.Write(SignJournal(s.DeviceID(), key, journal))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, final)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("unpairing journal copy in %s: %w", dir, err)
	}
	syncDir(dir)
	return nil
}

// JournalAdopted says what AdoptJournal took from a backup folder.
type JournalAdopted struct {
	// Devices the copy named that the journal here said nothing of,
	// now in it (unpaired, or paired again, as the copy says).
	Devices int
	// Refused is why a copy there was refused ("" when none was).
	Refused string
}

// AdoptJournal reads s's journal copy in the backup folder dir, if there
// is one, and adds to the journal beside the database what it says of
// devices the journal there says nothing of (a new PC has no journal: a
// restore brings it back from the stick). The journal here keeps the last
// word on every device it names (it is this PC's own, newer than any copy
// it wrote). A copy that does not verify is refused with a log line and
// adds nothing; a missing one is no error.
func AdoptJournal(ctx context.Context, s *store.Store, dir string, log *slog.Logger) (JournalAdopted, error) {
	var out JournalAdopted
	if log == nil {
		log = slog.Default()
	}
	name := filepath.Join(dir, JournalCopyName(s.DeviceID()))
	// What the name is, asked before it is opened: opening a named pipe
	// (or a link to one) planted there waits for a writer for ever.
	if fi, err := os.Stat(name); err == nil && !fi.Mode().IsRegular() {
		out.Refused = ErrJournalForged.Error() + " (not a regular file of a journal's size)"
		log.Warn("unpairing journal copy refused: it changes nothing here", "file", name, "err", out.Refused)
		return out, nil
	}
	f, err := os.Open(name)
	if errors.Is(err, os.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return out, fmt.Errorf("unpairing journal copy: %w", err)
	}
	defer f.Close()
	// The size from the open file (what is read), and no more than a
	// journal's read whatever it says.
	fi, err := f.Stat()
	if err != nil {
		return out, fmt.Errorf("unpairing journal copy: %w", err)
	}
	if !fi.Mode().IsRegular() || fi.Size() > MaxJournal+512 {
		out.Refused = ErrJournalForged.Error() + " (not a regular file of a journal's size)"
		log.Warn("unpairing journal copy refused: it changes nothing here", "file", name, "err", out.Refused)
		return out, nil
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxJournal+513))
	if err != nil {
		return out, fmt.Errorf("unpairing journal copy: %w", err)
	}
	key, err := signKey(ctx, s)
	if err != nil {
		return out, fmt.Errorf("unpairing journal copy: %w", err)
	}
	journal, err := OpenJournal(data, s.DeviceID(), key.Public().(ed25519.PublicKey))
	if err != nil {
		out.Refused = err.Error()
		log.Warn("unpairing journal copy refused: it changes nothing here", "file", name, "err", err)
		return out, nil
	}
	path := JournalPath(s.Path())
	local, err := readJournal(path)
	if err != nil {
		return out, err
	}
	known := map[string]bool{}
	for _, l := range journalLines(local, s.DeviceID()) {
		known[l.id] = true
	}
	var add strings.Builder
	named := map[string]bool{}
	for _, l := range journalLines(journal, s.DeviceID()) {
		if known[l.id] {
			continue
		}
		named[l.id] = true
		add.WriteString(l.text + "\n")
	}
	if add.Len() == 0 {
		return out, nil
	}
	if err := appendLines(path, add.String()); err != nil {
		return out, err
	}
	out.Devices = len(named)
	log.Info("unpairing journal taken from the backup folder", "file", name, "devices", out.Devices)
	return out, nil
}

// JournalFile is the journal beside one database, read again only when it
// changes (the sync engine asks it at every session and signature).
type JournalFile struct {
	mu      sync.Mutex
	path    string
	self    string
	size    int64
	mod     time.Time
	read    bool
	revoked map[string]string
	paired  map[string]Pairing
}

// NewJournalFile is the journal of the database at dbPath, whose device
// is self (lines of another identity made at the same path are not read).
func NewJournalFile(dbPath, self string) *JournalFile {
	return &JournalFile{path: JournalPath(dbPath), self: self}
}

// load reads the journal if it changed since last read; the caller holds
// j.mu. A journal that cannot be read is an error: trust is not given when
// the record of taking it away is unreadable.
func (j *JournalFile) load() error {
	fi, err := os.Stat(j.path)
	if errors.Is(err, os.ErrNotExist) {
		j.size, j.mod, j.read, j.revoked, j.paired = 0, time.Time{}, true, nil, nil
		return nil
	}
	if err != nil {
		return fmt.Errorf("unpairing journal: %w", err)
	}
	if j.read && fi.Size() == j.size && fi.ModTime().Equal(j.mod) {
		return nil
	}
	data, err := readJournal(j.path)
	if err != nil {
		return err
	}
	j.size, j.mod, j.read = fi.Size(), fi.ModTime(), true
	j.revoked, j.paired = ParseJournal(data, j.self), JournalPairings(data, j.self)
	return nil
}

// Revoked returns the devices the journal says are unpaired, with when
// (ParseJournal).
func (j *JournalFile) Revoked() (map[string]string, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := j.load(); err != nil {
		return nil, err
	}
	return j.revoked, nil
}

// Paired returns the devices the journal says are paired
// (JournalPairings).
func (j *JournalFile) Paired() (map[string]Pairing, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := j.load(); err != nil {
		return nil, err
	}
	return j.paired, nil
}

// CopyJournal writes the journal's signed copy into every folder s's
// backups went to that is there now (a stick not plugged in gets it at
// the next backup); a failure is logged, the unpairing or pairing stands.
func CopyJournal(ctx context.Context, s *store.Store, log *slog.Logger) {
	dirs, err := s.SyncBook().BackupFolders(ctx)
	if err != nil {
		log.Warn("unpairing journal: cannot list the backup folders to copy it to", "err", err)
	}
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		if err := WriteJournalCopy(ctx, s, dir); err != nil {
			log.Warn("unpairing journal: copy to the backup folder failed (the next backup writes it)", "dir", dir, "err", err)
		}
	}
}

// AdoptJournals takes into s's journal what the copies in the folders
// backups went to say of devices it does not name (a database restored on
// a new PC by hand, or opened again after a restore elsewhere). A copy
// that cannot be read is logged: whoever holds a stick must not keep the
// engine from opening.
func AdoptJournals(ctx context.Context, s *store.Store, log *slog.Logger) error {
	dirs, err := s.SyncBook().BackupFolders(ctx)
	if err != nil {
		return err
	}
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		if _, err := AdoptJournal(ctx, s, dir, log); err != nil {
			log.Error("unpairing journal: the copy in a backup folder could not be taken", "dir", dir, "err", err)
		}
	}
	return nil
}
