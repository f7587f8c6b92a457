package changeset

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"

	"filippo.io/age"
)

// Receipt format 2 (issue #22): the same signed content as format 1, a
// third of the bytes. On a post's link a receipt of format 1 was ~1.7 KB
// against ~34 KB of changesets a post sends a day: two age stanzas (the
// peer's and the sender's, which no one ever opened), the full device IDs
// in the outer line and in every head's origin and stream, digests in hex,
// all in JSON. Format 2 is binary, encrypted to the peer alone, names the
// two devices by reference and each head's origin and stream relative to
// them. Every version that writes format 2 reads both; a device writes
// format 2 only to a peer that said it reads it (in its BEP hello, see
// sync/bep), so a peer on an older version keeps getting format 1.
//
// File layout (integers big-endian or uvarint):
//
//	"CJRC2\n" | ref(from) (8) | ref(to) (8) | age ciphertext, to the peer alone, of:
//	    body | ed25519 signature (64) over the domain tag "cunjing receipt v2\x00",
//	           u8 len(from) | from | u8 len(to) | to | body
//	body: number (uvarint) | at_ms (varint) | held (uvarint) | heads (uvarint count) | head…
//	head: tag (u8) | [origin: uvarint len | bytes] | [stream: uvarint len | bytes] | seq (uvarint) | digest (32)
//
// ref(id) is the first 8 bytes of the SHA-256 of a device ID; the reader
// finds the sender among its paired devices, and the signature covers the
// full IDs, so a reference that names the wrong device fails it. The head
// tag's bits 0–1 give the origin (0 the peer, "to"; 1 the sender, "from";
// 2 spelled out after the tag), bits 2–4 the stream (0 spelled out, else
// one of receiptStreamPrefixes followed by the device of bit 5: 0 the
// peer, 1 the sender); bits 6–7 are zero.
const (
	receiptOuterMagic2 = "CJRC2\n"
	receiptSigDomain2  = "cunjing receipt v2\x00"
	receiptRefSize     = 8
	// receiptHead2Min is the smallest head: tag, seq, digest.
	receiptHead2Min = 1 + 1 + sha256.Size
)

// receiptStreamPrefixes are the folder (stream) kinds a format 2 head names
// by number; the table is part of the format and only ever grows.
var receiptStreamPrefixes = []string{"cj-post-", "cj-station-", "cj-relay-", "cj-up-", "cj-county-"}

// Receipt formats.
const (
	ReceiptFormat1 = 1
	ReceiptFormat2 = 2
)

// ReceiptFormat is the format of a receipt file (0: not a receipt).
func ReceiptFormat(data []byte) int {
	switch {
	case bytes.HasPrefix(data, []byte(receiptOuterMagic)):
		return ReceiptFormat1
	case bytes.HasPrefix(data, []byte(receiptOuterMagic2)):
		return ReceiptFormat2
	}
	return 0
}

func receiptRef(id string) []byte {
	sum := sha256.Sum256([]byte(id))
	return sum[:receiptRefSize]
}

func receiptMessage2(from, to string, body []byte) []byte {
	m := make([]byte, 0, len(receiptSigDomain2)+2+len(from)+len(to)+len(body))
	m = append(m, receiptSigDomain2...)
	m = append(m, byte(len(from)))
	m = append(m, from...)
	m = append(m, byte(len(to)))
	m = append(m, to...)
	return append(m, body...)
}

// SealReceipt2 is SealReceipt in format 2: signed with the sender's key
// and encrypted to the peer alone. It returns the file name and bytes.
func SealReceipt2(r Receipt, sign ed25519.PrivateKey, to age.Recipient) (string, []byte, error) {
	if to == nil {
		return "", nil, errors.New("seal receipt: no recipient")
	}
	if err := r.check(); err != nil {
		return "", nil, err
	}
	body := encodeReceiptBody2(r)
	var out bytes.Buffer
	out.WriteString(receiptOuterMagic2)
	out.Write(receiptRef(r.From))
	out.Write(receiptRef(r.To))
	ew, err := age.Encrypt(&out, to)
	if err != nil {
		return "", nil, fmt.Errorf("encrypt receipt: %w", err)
	}
	if _, err := ew.Write(body); err != nil {
		return "", nil, fmt.Errorf("encrypt receipt: %w", err)
	}
	if _, err := ew.Write(ed25519.Sign(sign, receiptMessage2(r.From, r.To, body))); err != nil {
		return "", nil, fmt.Errorf("encrypt receipt: %w", err)
	}
	if err := ew.Close(); err != nil {
		return "", nil, fmt.Errorf("encrypt receipt: %w", err)
	}
	data := out.Bytes()
	return ReceiptName(r.From, r.To, r.Number, data), data, nil
}

// encodeReceiptBody2 encodes a checked receipt's body (format 2).
func encodeReceiptBody2(r Receipt) []byte {
	b := binary.AppendUvarint(nil, r.Number)
	b = binary.AppendVarint(b, r.AtMs)
	b = binary.AppendUvarint(b, r.Held)
	b = binary.AppendUvarint(b, uint64(len(r.Heads)))
	for _, h := range r.Heads {
		var tag byte
		switch h.Origin {
		case r.To:
			tag = 0
		case r.From:
			tag = 1
		default:
			tag = 2
		}
		for i, p := range receiptStreamPrefixes {
			if h.Stream == p+r.To {
				tag |= byte(i+1) << 2
				break
			}
			if h.Stream == p+r.From {
				tag |= byte(i+1)<<2 | 1<<5
				break
			}
		}
		b = append(b, tag)
		if tag&3 == 2 {
			b = binary.AppendUvarint(b, uint64(len(h.Origin)))
			b = append(b, h.Origin...)
		}
		if tag>>2&7 == 0 {
			b = binary.AppendUvarint(b, uint64(len(h.Stream)))
			b = append(b, h.Stream...)
		}
		b = binary.AppendUvarint(b, h.Seq)
		d, _ := hex.DecodeString(h.Digest) // check: a lower-case SHA-256 in hex
		b = append(b, d...)
	}
	return b
}

// receiptReader2 reads a format 2 body, keeping the first error.
type receiptReader2 struct {
	b   []byte
	err error
}

func (rd *receiptReader2) fail(what string) {
	if rd.err == nil {
		rd.err = fmt.Errorf("receipt body: %s is truncated or malformed", what)
	}
}

func (rd *receiptReader2) uvarint(what string) uint64 { return readVarint(rd, what, binary.Uvarint) }

func (rd *receiptReader2) varint(what string) int64 { return readVarint(rd, what, binary.Varint) }

// readVarint reads one varint with dec (binary.Uvarint or binary.Varint);
// what names it in the error when it is cut short or too long.
func readVarint[T uint64 | int64](rd *receiptReader2, what string, dec func([]byte) (T, int)) T {
	if rd.err != nil {
		return 0
	}
	v, n := dec(rd.b)
	if n <= 0 {
		rd.fail(what)
		return 0
	}
	rd.b = rd.b[n:]
	return v
}

func (rd *receiptReader2) bytes(what string, n uint64) []byte {
	if rd.err != nil {
		return nil
	}
	if n > uint64(len(rd.b)) {
		rd.fail(what)
		return nil
	}
	v := rd.b[:n]
	rd.b = rd.b[n:]
	return v
}

func (rd *receiptReader2) text(what string, max uint64) string {
	n := rd.uvarint(what)
	if rd.err == nil && (n == 0 || n > max) {
		rd.err = fmt.Errorf("receipt body: %s of %d bytes", what, n)
	}
	return string(rd.bytes(what, n))
}

// DecodeReceipt2 splits and decodes a decrypted format 2 receipt (body and
// signature) sent by from to to: it checks lengths, the tags and the
// receipt's shape, not the signature. It returns the receipt, the message
// the signature must verify and the signature.
func DecodeReceipt2(inner []byte, from, to string) (Receipt, []byte, []byte, error) {
	if len(inner) > MaxReceiptSize || len(inner) < ed25519.SignatureSize {
		return Receipt{}, nil, nil, fmt.Errorf("receipt content of %d bytes is truncated or too large", len(inner))
	}
	if from == "" || to == "" || len(from) > 128 || len(to) > 128 {
		return Receipt{}, nil, nil, errors.New("receipt: from and to are required")
	}
	body, sig := inner[:len(inner)-ed25519.SignatureSize], inner[len(inner)-ed25519.SignatureSize:]
	rd := &receiptReader2{b: body}
	r := Receipt{From: from, To: to}
	r.Number = rd.uvarint("number")
	r.AtMs = rd.varint("time")
	r.Held = rd.uvarint("held")
	n := rd.uvarint("head count")
	if rd.err == nil && (n > MaxReceiptHeads || n > uint64(len(rd.b))/receiptHead2Min) {
		return Receipt{}, nil, nil, fmt.Errorf("receipt: %d heads in %d bytes", n, len(rd.b))
	}
	r.Heads = make([]Head, 0, min(n, MaxReceiptHeads))
	for i := uint64(0); i < n && rd.err == nil; i++ {
		tb := rd.bytes("head tag", 1)
		if rd.err != nil {
			break
		}
		tag := tb[0]
		var h Head
		switch tag & 3 {
		case 0:
			h.Origin = to
		case 1:
			h.Origin = from
		case 2:
			h.Origin = rd.text("head origin", 128)
		default:
			return Receipt{}, nil, nil, fmt.Errorf("receipt: head %d has a bad tag %#x", i+1, tag)
		}
		switch k := int(tag >> 2 & 7); {
		case tag>>6 != 0 || k > len(receiptStreamPrefixes) || k == 0 && tag&(1<<5) != 0:
			return Receipt{}, nil, nil, fmt.Errorf("receipt: head %d has a bad tag %#x", i+1, tag)
		case k == 0:
			h.Stream = rd.text("head stream", 256)
		case tag&(1<<5) == 0:
			h.Stream = receiptStreamPrefixes[k-1] + to
		default:
			h.Stream = receiptStreamPrefixes[k-1] + from
		}
		h.Seq = rd.uvarint("head seq")
		h.Digest = hex.EncodeToString(rd.bytes("head digest", sha256.Size))
		r.Heads = append(r.Heads, h)
	}
	if rd.err != nil {
		return Receipt{}, nil, nil, rd.err
	}
	if len(rd.b) != 0 {
		return Receipt{}, nil, nil, errors.New("receipt body: trailing data")
	}
	if err := r.check(); err != nil {
		return Receipt{}, nil, nil, err
	}
	return r, receiptMessage2(from, to, body), sig, nil
}

// ReceiptReader opens receipt files of either format.
type ReceiptReader struct {
	// Self is this device's ID and Identity its age identity.
	Self     string
	Identity age.Identity
	// Keys gives a paired device's signing key (refusing unpaired and
	// unpaired-since devices).
	Keys KeyLookup
	// Peers are the devices a format 2 receipt's sender reference may
	// name (the paired ones); Self is looked at too.
	Peers []string
}

// Sender reads the unauthenticated sender of a receipt: format 1's outer
// header, or format 2's sender reference found among Self and Peers.
func (rr ReceiptReader) Sender(data []byte) (string, error) {
	if ReceiptFormat(data) != ReceiptFormat2 {
		from, _, _, err := PeekReceipt(data)
		return from, err
	}
	if len(data) < len(receiptOuterMagic2)+2*receiptRefSize {
		return "", errors.New("receipt outer header is truncated")
	}
	ref := data[len(receiptOuterMagic2):][:receiptRefSize]
	found := ""
	for _, id := range append([]string{rr.Self}, rr.Peers...) {
		if id == "" || id == found || !bytes.Equal(receiptRef(id), ref) {
			continue
		}
		if found != "" {
			return "", fmt.Errorf("receipt sender reference %x names both %s and %s", ref, found, id)
		}
		found = id
	}
	if found == "" {
		return "", fmt.Errorf("receipt from a device not paired here (reference %x)", ref)
	}
	return found, nil
}

// Open decrypts and verifies a receipt of either format: size, magic,
// decryption, the sender's signature (Keys refuses unpaired and
// unpaired-since senders) and, in format 1, the outer hint against the
// signed body. A format 2 receipt verifies only as addressed to Self.
func (rr ReceiptReader) Open(data []byte) (Receipt, error) {
	if ReceiptFormat(data) != ReceiptFormat2 {
		return OpenReceipt(data, rr.Identity, rr.Keys)
	}
	if len(data) > MaxReceiptSize {
		return Receipt{}, fmt.Errorf("receipt of %d bytes exceeds %d", len(data), MaxReceiptSize)
	}
	// The addressee first: a receipt between two other devices (another
	// station's to a post, in the post's folder this device holds too) is
	// not for us whoever sent it, not one that failed verification.
	hdr := len(receiptOuterMagic2) + 2*receiptRefSize
	if len(data) >= hdr && (rr.Self == "" || !bytes.Equal(data[hdr-receiptRefSize:hdr], receiptRef(rr.Self))) {
		return Receipt{}, ErrNotForUs
	}
	from, err := rr.Sender(data)
	if err != nil {
		return Receipt{}, err
	}
	inner, err := decrypt(data[hdr:], rr.Identity, "receipt", MaxReceiptSize)
	if err != nil {
		return Receipt{}, err
	}
	r, msg, sig, err := DecodeReceipt2(inner, from, rr.Self)
	if err != nil {
		return Receipt{}, err
	}
	pub, err := rr.Keys(from)
	if err != nil {
		return Receipt{}, fmt.Errorf("receipt from %s: %w", from, err)
	}
	if len(pub) != ed25519.PublicKeySize || !ed25519.Verify(pub, msg, sig) {
		return Receipt{}, fmt.Errorf("receipt %s/%d: signature does not verify (forged, altered, or not made for this device)", from, r.Number)
	}
	return r, nil
}
