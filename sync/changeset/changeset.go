// Package changeset owns the file format of cunjing's sync unit: one
// origin's field changes in canonical order, compressed, signed with the
// origin's ed25519 key, chained to the origin's previous changeset of the
// same stream, encrypted with age to its recipients, and named after its
// origin, stream, sequence number and content hash. It also owns the media
// blob files that travel beside changesets. Everything here is pure: no
// database, no network, no cgo (the changes are store/change's types, so
// SQLite is not linked); the sync package decides what to cut and import
// and checks the changes of an opened file against the schema.
//
// File layout (all integers big-endian):
//
//	"CJCS1\n" | outer JSON line (origin, stream, seq: an unauthenticated hint) | age ciphertext of:
//	    "CJCI1\n" | u32 len | header JSON | u32 len | gzip(changes, one JSON object per line) | ed25519 signature (64)
//
// The signature covers a domain tag, the header and the compressed body;
// the header carries the SHA-256 of the body and the digest of the previous
// changeset, so a changeset cannot be cut, reordered inside, or spliced into
// another chain without the origin's key.
package changeset

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"

	"cunjing/store/change"
)

// Limits that keep a hostile file from exhausting memory.
const (
	MaxFileSize   = 256 << 20 // a changeset file
	MaxBodySize   = 1 << 30   // decompressed changes
	MaxHeaderSize = 1 << 20
	MaxChanges    = 10_000_000
	MaxBlobSize   = 256 << 20
)

const (
	outerMagic = "CJCS1\n"
	innerMagic = "CJCI1\n"
	blobMagic  = "CJBL1\n"
	sigDomain  = "cunjing changeset v1\x00"
	// Ext is the file extension of changesets, BlobExt that of blobs.
	Ext     = ".cjcs"
	BlobExt = ".cjb"
)

// ErrNotForUs means the file is a well-formed changeset encrypted to other
// devices: nothing is wrong with it, it is just not ours to read.
var ErrNotForUs = errors.New("changeset is not addressed to this device")

// Header is the signed description of a changeset.
type Header struct {
	Origin     string   `json:"origin"`
	Stream     string   `json:"stream"`
	Seq        uint64   `json:"seq"`
	Prev       string   `json:"prev,omitempty"` // digest of seq-1 in the same stream
	Count      int      `json:"count"`
	BodySHA256 string   `json:"body_sha256"`
	Blobs      []string `json:"blobs,omitempty"` // SHA-256 of media the changes refer to
	Recipients []string `json:"to"`              // device IDs it is encrypted to
	// Notes tell recipients about themselves as the origin sees them: a
	// changeset of theirs the origin refused and where it stands in that
	// chain, or their clock being off against the origin's. They are only
	// there when there is something to tell, so ordinary changesets read
	// as before (a reader that predates notes refuses one that has them,
	// and applies it once updated).
	Notes []Note `json:"notes,omitempty"`
	// Joins are recipients this stream is addressed to for the first time
	// (or again, after a new pairing): they could read none of its earlier
	// changesets, so their chain starts here rather than waiting for
	// predecessors they will never be able to open. Signed like the rest of
	// the header, so nobody but the origin can start a chain.
	Joins []string `json:"joins,omitempty"`
}

// Kinds of Note.
const (
	NoteChain = "chain"
	NoteClock = "clock"
)

// MaxNotes bounds the notes of one changeset.
const MaxNotes = 1000

// Note is what a changeset's origin tells one recipient about itself.
type Note struct {
	Kind  string `json:"kind"`  // NoteChain or NoteClock
	About string `json:"about"` // the recipient it is about
	// A chain note: the origin refused About's changeset number Refused
	// of Stream, for Reason; it holds that stream up to Head (whose
	// digest is Digest), and the two chains agree up to Agreed (0: not
	// known, or nowhere).
	Stream  string `json:"stream,omitempty"`
	Head    uint64 `json:"head,omitempty"`
	Digest  string `json:"digest,omitempty"`
	Agreed  uint64 `json:"agreed,omitempty"`
	Refused uint64 `json:"refused,omitempty"`
	Reason  string `json:"reason,omitempty"`
	// A clock note: About's clock minus the origin's, in milliseconds, as
	// the origin measured it from About's changes (0: within a day again).
	ClockMs int64 `json:"clock_ms,omitempty"`
}

func (n Note) check() error {
	if n.About == "" || len(n.About) > 128 || len(n.Stream) > 256 || len(n.Digest) > 128 || len(n.Reason) > 4096 {
		return errors.New("malformed note")
	}
	switch n.Kind {
	case NoteChain:
		if n.Stream == "" || n.Agreed > n.Head || (n.Head > 0) != (n.Digest != "") {
			return errors.New("malformed chain note")
		}
	case NoteClock:
	default:
		return fmt.Errorf("unknown note kind %q", n.Kind)
	}
	return nil
}

type outer struct {
	Origin string `json:"o"`
	Stream string `json:"s"`
	Seq    uint64 `json:"n"`
}

// Sealed is a changeset ready to be written.
type Sealed struct {
	Header Header
	Name   string
	Data   []byte
	Digest string // chain link: the next changeset's Prev
}

// Opened is a verified, decrypted changeset.
type Opened struct {
	Header Header
	// Changes are the origin's, each made by the origin (its HLC names
	// it); checking them against the schema is the receiver's (store).
	Changes []change.Change
	Digest  string
}

// Encode writes changes in canonical form: one JSON object per line in the
// given order (the origin's arrival order, which is also causal order).
func Encode(w io.Writer, changes []change.Change) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := range changes {
		if err := enc.Encode(&changes[i]); err != nil {
			return fmt.Errorf("encode change %d: %w", i+1, err)
		}
	}
	return bw.Flush()
}

func compress(changes []change.Change) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if err := Encode(zw, changes); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("compress: %w", err)
	}
	return buf.Bytes(), nil
}

func signedMessage(hdr, body []byte) []byte {
	m := make([]byte, 0, len(sigDomain)+8+len(hdr)+len(body))
	m = append(m, sigDomain...)
	m = binary.BigEndian.AppendUint32(m, uint32(len(hdr)))
	m = append(m, hdr...)
	m = binary.BigEndian.AppendUint32(m, uint32(len(body)))
	return append(m, body...)
}

func digest(hdr, body []byte) string {
	sum := sha256.Sum256(signedMessage(hdr, body))
	return hex.EncodeToString(sum[:])
}

// Seal builds a changeset. h.Count and h.BodySHA256 are filled in; the rest
// of h is the caller's (origin, stream, seq, prev, blobs, recipients).
func Seal(h Header, changes []change.Change, sign ed25519.PrivateKey, recipients []age.Recipient) (Sealed, error) {
	if len(recipients) == 0 {
		return Sealed{}, errors.New("seal changeset: no recipients")
	}
	if h.Seq == 0 || h.Origin == "" || h.Stream == "" {
		return Sealed{}, errors.New("seal changeset: origin, stream and seq are required")
	}
	body, err := compress(changes)
	if err != nil {
		return Sealed{}, fmt.Errorf("seal changeset: %w", err)
	}
	sum := sha256.Sum256(body)
	h.Count = len(changes)
	h.BodySHA256 = hex.EncodeToString(sum[:])
	hdr, err := json.Marshal(h)
	if err != nil {
		return Sealed{}, fmt.Errorf("seal changeset: %w", err)
	}
	sig := ed25519.Sign(sign, signedMessage(hdr, body))
	var inner bytes.Buffer
	inner.WriteString(innerMagic)
	inner.Write(binary.BigEndian.AppendUint32(nil, uint32(len(hdr))))
	inner.Write(hdr)
	inner.Write(binary.BigEndian.AppendUint32(nil, uint32(len(body))))
	inner.Write(body)
	inner.Write(sig)

	data, err := encrypt(outerMagic, outer{Origin: h.Origin, Stream: h.Stream, Seq: h.Seq}, inner.Bytes(), recipients)
	if err != nil {
		return Sealed{}, fmt.Errorf("encrypt changeset: %w", err)
	}
	return Sealed{Header: h, Data: data, Name: Name(h.Origin, h.Stream, h.Seq, data), Digest: digest(hdr, body)}, nil
}

// encrypt is a sealed file of either kind (changeset, receipt): its magic
// and its unauthenticated outer header in the clear (one JSON line, for
// routing without a key), then inner encrypted to recipients with age.
func encrypt(magic string, header any, inner []byte, recipients []age.Recipient) ([]byte, error) {
	ob, err := json.Marshal(header)
	if err != nil {
		return nil, fmt.Errorf("outer header: %w", err)
	}
	var out bytes.Buffer
	out.WriteString(magic)
	out.Write(ob)
	out.WriteByte('\n')
	ew, err := age.Encrypt(&out, recipients...)
	if err != nil {
		return nil, err
	}
	if _, err := ew.Write(inner); err != nil {
		return nil, err
	}
	if err := ew.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// Hint is the unauthenticated outer header: enough to route a file and to
// say what it claims to be in a rejection report.
type Hint struct {
	Origin string
	Stream string
	Seq    uint64
}

// Peek reads the outer header without decrypting.
func Peek(data []byte) (Hint, error) {
	rest, ok := bytes.CutPrefix(data, []byte(outerMagic))
	if !ok {
		return Hint{}, errors.New("not a cunjing changeset (bad magic)")
	}
	line, _, ok := bytes.Cut(rest, []byte("\n"))
	if !ok || len(line) > 4096 {
		return Hint{}, errors.New("changeset outer header is truncated")
	}
	var o outer
	if err := json.Unmarshal(line, &o); err != nil {
		return Hint{}, fmt.Errorf("changeset outer header: %w", err)
	}
	return Hint(o), nil
}

// KeyLookup returns the signing key of a paired origin device, or an error
// if the origin is unknown (an unpaired device's changesets are refused).
type KeyLookup func(origin string) (ed25519.PublicKey, error)

// ErrUnknownSender is what a KeyLookup says of a device neither paired
// nor unpaired here (sync.Engine's keys).
var ErrUnknownSender = errors.New("unknown device (not paired)")

// UnknownSenderError is a changeset, encrypted to this device, whose
// origin's key the KeyLookup refused (Err): a device not paired here, or
// unpaired. Origin and Stream are what its header claims, not verified —
// no key here can verify them —, a hint only: a device whose pairing
// this database lost (restored from a backup made before it) sends such
// files (sync/status.NoteUnknownSender).
type UnknownSenderError struct {
	Origin, Stream string
	Err            error
}

func (e *UnknownSenderError) Error() string {
	return "changeset from an unknown sender: " + e.Err.Error()
}

func (e *UnknownSenderError) Unwrap() error { return e.Err }

// Open decrypts and verifies a changeset: magic, decryption with id,
// signature by the origin's key, the outer hint against the signed header,
// the body hash, and every change's shape and origin.
func Open(data []byte, id age.Identity, keys KeyLookup) (Opened, error) {
	if len(data) > MaxFileSize {
		return Opened{}, fmt.Errorf("changeset of %d bytes exceeds %d", len(data), MaxFileSize)
	}
	hint, err := Peek(data)
	if err != nil {
		return Opened{}, err
	}
	nl := bytes.IndexByte(data[len(outerMagic):], '\n')
	ct := data[len(outerMagic)+nl+1:]
	inner, err := decrypt(ct, id, "changeset", MaxFileSize)
	if err != nil {
		return Opened{}, err
	}
	hdr, body, sig, err := splitInner(inner)
	if err != nil {
		return Opened{}, err
	}
	var h Header
	dec := json.NewDecoder(bytes.NewReader(hdr))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		return Opened{}, fmt.Errorf("changeset header: %w", err)
	}
	// Until the signature verifies, the header names whoever the sender
	// wished: errors up to here name no device.
	pub, err := keys(h.Origin)
	if err != nil {
		return Opened{}, &UnknownSenderError{Origin: h.Origin, Stream: h.Stream, Err: err}
	}
	if len(pub) != ed25519.PublicKeySize || !ed25519.Verify(pub, signedMessage(hdr, body), sig) {
		return Opened{}, errors.New("changeset signature does not verify (forged or altered; sender unknown)")
	}
	if hint.Origin != h.Origin || hint.Stream != h.Stream || hint.Seq != h.Seq {
		return Opened{}, fmt.Errorf("changeset %s/%s/%d: its outer header does not match the signed one", h.Origin, h.Stream, h.Seq)
	}
	if h.Seq == 0 || h.Count < 0 || h.Count > MaxChanges {
		return Opened{}, fmt.Errorf("changeset %s/%d: bad sequence or count", h.Origin, h.Seq)
	}
	if len(h.Notes) > MaxNotes {
		return Opened{}, fmt.Errorf("changeset %s/%d: %d notes", h.Origin, h.Seq, len(h.Notes))
	}
	for i, n := range h.Notes {
		if err := n.check(); err != nil {
			return Opened{}, fmt.Errorf("changeset %s/%d note %d: %w", h.Origin, h.Seq, i+1, err)
		}
	}
	sum := sha256.Sum256(body)
	if hex.EncodeToString(sum[:]) != h.BodySHA256 {
		return Opened{}, fmt.Errorf("changeset %s/%d: body hash mismatch", h.Origin, h.Seq)
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return Opened{}, fmt.Errorf("changeset %s/%d: decompress: %w", h.Origin, h.Seq, err)
	}
	lr := &io.LimitedReader{R: zr, N: MaxBodySize + 1}
	changes, err := Decode(lr, h.Count)
	if err != nil {
		return Opened{}, fmt.Errorf("changeset %s/%d: %w", h.Origin, h.Seq, err)
	}
	if lr.N <= 0 {
		return Opened{}, fmt.Errorf("changeset %s/%d: body exceeds %d bytes", h.Origin, h.Seq, MaxBodySize)
	}
	if len(changes) != h.Count {
		return Opened{}, fmt.Errorf("changeset %s/%d: %d changes, header says %d", h.Origin, h.Seq, len(changes), h.Count)
	}
	for i, c := range changes {
		// A stamp that does not parse is the receiver's schema check's to
		// report (store.PrepareBatch), as it was when Open prepared the batch.
		if ch, err := change.ParseHLC(c.HLC); err == nil && !ch.IsZero() && ch.Device != h.Origin && !Relays(h.Stream) {
			return Opened{}, fmt.Errorf("changeset %s/%d change %d: made by %s, not by the origin", h.Origin, h.Seq, i+1, ch.Device)
		}
	}
	for _, b := range h.Blobs {
		if !isHash(b) {
			return Opened{}, fmt.Errorf("changeset %s/%d: bad blob hash %q", h.Origin, h.Seq, b)
		}
	}
	return Opened{Header: h, Changes: changes, Digest: digest(hdr, body)}, nil
}

// Relays says whether a stream carries changes other devices made, signed
// by the device that relays them: a station's up-stream to its county
// (cj-up-…, its posts' changes) and its relay stream to its posts
// (cj-relay-…, its county's). In every other stream each change must be
// the origin's own. Whether the relayed owner may be carried is the
// receiver's ownership rule.
func Relays(stream string) bool {
	return strings.HasPrefix(stream, "cj-up-") || strings.HasPrefix(stream, "cj-relay-")
}

// decrypt opens the age encryption of a changeset or receipt (what) for
// id and reads at most max+1 bytes of what is inside (the caller checks
// the size): ErrNotForUs when it is not addressed to id.
func decrypt(ct []byte, id age.Identity, what string, max int64) ([]byte, error) {
	r, err := age.Decrypt(bytes.NewReader(ct), id)
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			return nil, ErrNotForUs
		}
		return nil, fmt.Errorf("decrypt %s: %w", what, err)
	}
	inner, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("decrypt %s (truncated or altered): %w", what, err)
	}
	return inner, nil
}

func splitInner(inner []byte) (hdr, body, sig []byte, err error) {
	rest, ok := bytes.CutPrefix(inner, []byte(innerMagic))
	if !ok {
		return nil, nil, nil, errors.New("changeset content has a bad magic")
	}
	next := func(max int) ([]byte, error) {
		if len(rest) < 4 {
			return nil, errors.New("changeset content is truncated")
		}
		n := binary.BigEndian.Uint32(rest)
		rest = rest[4:]
		if uint64(n) > uint64(max) || int(n) > len(rest) {
			return nil, errors.New("changeset content is truncated or has a bad length")
		}
		b := rest[:n]
		rest = rest[n:]
		return b, nil
	}
	if hdr, err = next(MaxHeaderSize); err != nil {
		return nil, nil, nil, err
	}
	if body, err = next(MaxFileSize); err != nil {
		return nil, nil, nil, err
	}
	if len(rest) != ed25519.SignatureSize {
		return nil, nil, nil, errors.New("changeset signature is missing or has a bad length")
	}
	return hdr, body, rest, nil
}

// Name is the file name of a changeset: origin and stream (short forms),
// zero-padded sequence, and the first 16 hex digits of the file's SHA-256,
// so a truncated or damaged copy shows before it is even decrypted.
func Name(origin, stream string, seq uint64, data []byte) string {
	sum := sha256.Sum256(data)
	return fmt.Sprintf("cs-%s-%s-%012d-%s%s", short(origin), StreamTag(stream), seq, hex.EncodeToString(sum[:8]), Ext)
}

// NameMatches reports whether data is the complete file that name promises.
func NameMatches(name string, data []byte) bool {
	base := strings.TrimSuffix(name, Ext)
	i := strings.LastIndexByte(base, '-')
	if i < 0 || !strings.HasSuffix(name, Ext) {
		return false
	}
	sum := sha256.Sum256(data)
	return base[i+1:] == hex.EncodeToString(sum[:8])
}

// IsName reports whether a file name looks like a changeset (cheap filter
// for directory listings; the content decides).
func IsName(name string) bool {
	return strings.HasPrefix(name, "cs-") && strings.HasSuffix(name, Ext) && !strings.ContainsAny(name, `/\`)
}

func short(id string) string {
	id = strings.ReplaceAll(id, "-", "")
	if len(id) > 7 {
		id = id[:7]
	}
	return id
}

// StreamTag is a short form of a stream (folder) ID for file names.
func StreamTag(stream string) string {
	switch {
	case strings.HasPrefix(stream, "cj-post-"):
		return "p" + short(strings.TrimPrefix(stream, "cj-post-"))
	case strings.HasPrefix(stream, "cj-station-"):
		return "s" + short(strings.TrimPrefix(stream, "cj-station-"))
	}
	return "x" + short(stream)
}

func isHash(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}
