package changeset

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"filippo.io/age"
)

// A receipt tells one peer, signed by its sender and encrypted to the peer
// (and the sender), how far the sender has applied each of the peer's
// streams: per stream the head (sequence number and digest) of the chain
// applied there. Receipts carry a number that grows with every receipt a
// sender makes for a peer (the sender's wall clock in ms, or one more than
// its last receipt's, or than the one the peer says it holds, if that is
// larger), so an old receipt carried again changes nothing. Each receipt
// also says which number of the peer's receipts its sender holds (Held): a
// device restored from an older backup, or set up on a PC whose clock is
// behind, learns from it how high its next receipt must be numbered for
// the peer to take it.
//
// File layout (integers big-endian):
//
//	"CJRC1\n" | outer JSON line (from, to, number: an unauthenticated hint) | age ciphertext of:
//	    "CJRI1\n" | u32 len | body JSON | ed25519 signature (64) over the domain tag and the body
const (
	receiptOuterMagic = "CJRC1\n"
	receiptInnerMagic = "CJRI1\n"
	receiptSigDomain  = "cunjing receipt v1\x00"
	// ReceiptExt is the file extension of receipts.
	ReceiptExt = ".cjrc"
	// MaxReceiptSize bounds a receipt file; MaxReceiptHeads its heads.
	MaxReceiptSize  = 1 << 20
	MaxReceiptHeads = 4096
	// MaxReceiptNumber bounds receipt numbers (a wall clock in ms is far
	// below it): they stay exact in JSON and in a signed 64-bit column,
	// and one more than any of them is still a number.
	MaxReceiptNumber = 1<<53 - 1
)

// Head is how far one stream of an origin has been applied.
type Head struct {
	Origin string `json:"origin"`
	Stream string `json:"stream"`
	Seq    uint64 `json:"seq"`
	Digest string `json:"digest"`
}

// Receipt is the signed content of a receipt file.
type Receipt struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Number uint64 `json:"n"`
	// AtMs is the sender's wall clock when it made the receipt (ms since
	// 1970): for people only, never for ordering.
	AtMs  int64  `json:"at_ms"`
	Heads []Head `json:"heads"`
	// Held is the number of the latest receipt from To that From holds
	// (0: none). To numbers its next receipt above it.
	Held uint64 `json:"held,omitempty"`
}

type receiptOuter struct {
	From   string `json:"f"`
	To     string `json:"t"`
	Number uint64 `json:"n"`
}

func receiptMessage(body []byte) []byte {
	m := make([]byte, 0, len(receiptSigDomain)+4+len(body))
	m = append(m, receiptSigDomain...)
	m = binary.BigEndian.AppendUint32(m, uint32(len(body)))
	return append(m, body...)
}

func (r Receipt) check() error {
	if r.From == "" || r.To == "" || len(r.From) > 128 || len(r.To) > 128 || r.Number == 0 {
		return errors.New("receipt: from, to and number are required")
	}
	if r.Number > MaxReceiptNumber || r.Held > MaxReceiptNumber {
		return fmt.Errorf("receipt: number %d or held %d above %d", r.Number, r.Held, uint64(MaxReceiptNumber))
	}
	if len(r.Heads) > MaxReceiptHeads {
		return fmt.Errorf("receipt: %d heads", len(r.Heads))
	}
	seen := map[[2]string]bool{}
	for i, h := range r.Heads {
		if h.Origin == "" || h.Stream == "" || len(h.Origin) > 128 || len(h.Stream) > 256 || h.Seq == 0 || !isHash(h.Digest) {
			return fmt.Errorf("receipt: malformed head %d", i+1)
		}
		k := [2]string{h.Origin, h.Stream}
		if seen[k] {
			return fmt.Errorf("receipt: stream %s/%s twice", h.Origin, h.Stream)
		}
		seen[k] = true
	}
	return nil
}

// SealReceipt signs r with the sender's key and encrypts it to recipients
// (the peer, and the sender itself). It returns the file name and bytes.
func SealReceipt(r Receipt, sign ed25519.PrivateKey, recipients []age.Recipient) (string, []byte, error) {
	if len(recipients) == 0 {
		return "", nil, errors.New("seal receipt: no recipients")
	}
	if r.Heads == nil {
		r.Heads = []Head{}
	}
	if err := r.check(); err != nil {
		return "", nil, err
	}
	body, err := json.Marshal(r)
	if err != nil {
		return "", nil, fmt.Errorf("seal receipt: %w", err)
	}
	var inner bytes.Buffer
	inner.WriteString(receiptInnerMagic)
	inner.Write(binary.BigEndian.AppendUint32(nil, uint32(len(body))))
	inner.Write(body)
	inner.Write(ed25519.Sign(sign, receiptMessage(body)))
	data, err := encrypt(receiptOuterMagic, receiptOuter{From: r.From, To: r.To, Number: r.Number}, inner.Bytes(), recipients)
	if err != nil {
		return "", nil, fmt.Errorf("encrypt receipt: %w", err)
	}
	return ReceiptName(r.From, r.To, r.Number, data), data, nil
}

// ReceiptName is the file name of a receipt: sender and peer (short
// forms), zero-padded number and the first 16 hex digits of the file's
// SHA-256.
func ReceiptName(from, to string, n uint64, data []byte) string {
	sum := sha256.Sum256(data)
	return fmt.Sprintf("rc-%s-%s-%016d-%s%s", short(from), short(to), n, hex.EncodeToString(sum[:8]), ReceiptExt)
}

// IsReceiptName reports whether a file name looks like a receipt.
func IsReceiptName(name string) bool {
	return strings.HasPrefix(name, "rc-") && strings.HasSuffix(name, ReceiptExt) && !strings.ContainsAny(name, `/\`)
}

// ReceiptNameMatches reports whether data is the complete file name promises.
func ReceiptNameMatches(name string, data []byte) bool {
	base, ok := strings.CutSuffix(name, ReceiptExt)
	i := strings.LastIndexByte(base, '-')
	if !ok || i < 0 {
		return false
	}
	sum := sha256.Sum256(data)
	return base[i+1:] == hex.EncodeToString(sum[:8])
}

// PeekReceipt reads the unauthenticated outer header of a receipt.
func PeekReceipt(data []byte) (from, to string, n uint64, err error) {
	rest, ok := bytes.CutPrefix(data, []byte(receiptOuterMagic))
	if !ok {
		return "", "", 0, errors.New("not a cunjing receipt (bad magic)")
	}
	line, _, ok := bytes.Cut(rest, []byte("\n"))
	if !ok || len(line) > 4096 {
		return "", "", 0, errors.New("receipt outer header is truncated")
	}
	var o receiptOuter
	if err := json.Unmarshal(line, &o); err != nil {
		return "", "", 0, fmt.Errorf("receipt outer header: %w", err)
	}
	return o.From, o.To, o.Number, nil
}

// OpenReceipt decrypts and verifies a receipt: size, magic, decryption with
// id, the sender's signature (keys refuses unpaired and unpaired-since
// senders) and the outer hint against the signed body.
func OpenReceipt(data []byte, id age.Identity, keys KeyLookup) (Receipt, error) {
	if len(data) > MaxReceiptSize {
		return Receipt{}, fmt.Errorf("receipt of %d bytes exceeds %d", len(data), MaxReceiptSize)
	}
	from, to, n, err := PeekReceipt(data)
	if err != nil {
		return Receipt{}, err
	}
	nl := bytes.IndexByte(data[len(receiptOuterMagic):], '\n')
	inner, err := decrypt(data[len(receiptOuterMagic)+nl+1:], id, "receipt", MaxReceiptSize)
	if err != nil {
		return Receipt{}, err
	}
	r, body, sig, err := DecodeReceipt(inner)
	if err != nil {
		return Receipt{}, err
	}
	pub, err := keys(r.From)
	if err != nil {
		return Receipt{}, fmt.Errorf("receipt from %s: %w", r.From, err)
	}
	if len(pub) != ed25519.PublicKeySize || !ed25519.Verify(pub, receiptMessage(body), sig) {
		return Receipt{}, fmt.Errorf("receipt %s/%d: signature does not verify (forged or altered)", r.From, r.Number)
	}
	if from != r.From || to != r.To || n != r.Number {
		return Receipt{}, fmt.Errorf("receipt outer header %s→%s/%d does not match the signed %s→%s/%d", from, to, n, r.From, r.To, r.Number)
	}
	return r, nil
}

// DecodeReceipt splits and decodes a decrypted receipt (the part after
// age): it checks magic, lengths and the body's shape, not the signature.
func DecodeReceipt(inner []byte) (Receipt, []byte, []byte, error) {
	rest, ok := bytes.CutPrefix(inner, []byte(receiptInnerMagic))
	if !ok {
		return Receipt{}, nil, nil, errors.New("receipt content has a bad magic")
	}
	if len(rest) < 4 {
		return Receipt{}, nil, nil, errors.New("receipt content is truncated")
	}
	n := binary.BigEndian.Uint32(rest)
	rest = rest[4:]
	if uint64(n) > MaxReceiptSize || uint64(n)+ed25519.SignatureSize != uint64(len(rest)) {
		return Receipt{}, nil, nil, errors.New("receipt content is truncated or has a bad length")
	}
	body, sig := rest[:n], rest[n:]
	var r Receipt
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return Receipt{}, nil, nil, fmt.Errorf("receipt body: %w", err)
	}
	if dec.More() {
		return Receipt{}, nil, nil, errors.New("receipt body: trailing data")
	}
	if err := r.check(); err != nil {
		return Receipt{}, nil, nil, err
	}
	return r, body, sig, nil
}
