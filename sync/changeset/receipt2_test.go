package changeset

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"

	"filippo.io/age"
)

// Device IDs as Syncthing spells them (63 characters), so sizes are real.
const (
	idPost    = "W6UERUP-AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD-EEEEEEE-FFFFFFF-GGGGGGG"
	idStation = "33CRWHS-HHHHHHH-IIIIIII-JJJJJJJ-KKKKKKK-LLLLLLL-MMMMMMM-NNNNNNN"
	idOther   = "ZZZZZZZ-HHHHHHH-IIIIIII-JJJJJJJ-KKKKKKK-LLLLLLL-MMMMMMM-NNNNNNN"
)

// aPostReceipt is what a post's receipt to its station says: the heads of
// the station's three streams applied at the post, and the post's own.
func aPostReceipt() Receipt {
	d := func(c string) string { return strings.Repeat(c, 64) }
	return Receipt{From: idPost, To: idStation, Number: 1_796_500_707_306, AtMs: 1_796_500_707_306, Held: 1_796_500_708_043,
		Heads: []Head{
			{Origin: idStation, Stream: "cj-station-" + idStation, Seq: 1, Digest: d("a")},
			{Origin: idStation, Stream: "cj-post-" + idPost, Seq: 3, Digest: d("b")},
			{Origin: idStation, Stream: "cj-relay-" + idStation, Seq: 300, Digest: d("c")},
			{Origin: idPost, Stream: "cj-post-" + idPost, Seq: 1, Digest: d("d")},
		}}
}

func readerFor(p party, self string, peers []string, signers ...party) ReceiptReader {
	return ReceiptReader{Self: self, Identity: p.age, Keys: p.keys(signers...), Peers: peers}
}

func TestReceipt2RoundTripAndSize(t *testing.T) {
	post, station := newParty(t, idPost), newParty(t, idStation)
	r := aPostReceipt()
	name, data, err := SealReceipt2(r, post.sign, station.age.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	if !IsReceiptName(name) || !ReceiptNameMatches(name, data) || ReceiptFormat(data) != ReceiptFormat2 {
		t.Fatalf("name %s, format %d", name, ReceiptFormat(data))
	}
	_, old, err := SealReceipt(r, post.sign, []age.Recipient{post.age.Recipient(), station.age.Recipient()})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("a post's receipt with 4 heads: format 1 %d B, format 2 %d B", len(old), len(data))
	if len(data) > 600 || len(data)*3 > len(old) {
		t.Errorf("format 2 is %d B against format 1's %d B", len(data), len(old))
	}
	rr := readerFor(station, idStation, []string{idOther, idPost}, post)
	if from, err := rr.Sender(data); err != nil || from != idPost {
		t.Fatalf("sender %q %v", from, err)
	}
	got, err := rr.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	if got.From != r.From || got.To != r.To || got.Number != r.Number || got.AtMs != r.AtMs || got.Held != r.Held || len(got.Heads) != len(r.Heads) {
		t.Fatalf("got %+v", got)
	}
	for i := range r.Heads {
		if got.Heads[i] != r.Heads[i] {
			t.Fatalf("head %d: %+v, want %+v", i, got.Heads[i], r.Heads[i])
		}
	}
	// Both formats open through the same reader; a format 1 receipt as before.
	if got1, err := readerFor(station, idStation, nil, post).Open(old); err != nil || got1.Number != r.Number || len(got1.Heads) != 4 {
		t.Fatalf("format 1: %+v %v", got1, err)
	}
	// Origins and streams not of the two devices are spelled out; no heads.
	odd := Receipt{From: idPost, To: idStation, Number: 9, AtMs: -5,
		Heads: []Head{{Origin: idOther, Stream: "cj-post-" + idOther, Seq: 1 << 40, Digest: strings.Repeat("0f", 32)},
			{Origin: idPost, Stream: "elsewhere", Seq: 2, Digest: strings.Repeat("e1", 32)}}}
	for _, want := range []Receipt{odd, {From: idPost, To: idStation, Number: MaxReceiptNumber, Heads: []Head{}}} {
		_, d, err := SealReceipt2(want, post.sign, station.age.Recipient())
		if err != nil {
			t.Fatal(err)
		}
		got, err := rr.Open(d)
		if err != nil || got.Number != want.Number || got.AtMs != want.AtMs || len(got.Heads) != len(want.Heads) {
			t.Fatalf("got %+v %v, want %+v", got, err, want)
		}
		for i := range want.Heads {
			if got.Heads[i] != want.Heads[i] {
				t.Fatalf("head %d: %+v, want %+v", i, got.Heads[i], want.Heads[i])
			}
		}
	}
}

func TestReceipt2Refused(t *testing.T) {
	post, station, stranger := newParty(t, idPost), newParty(t, idStation), newParty(t, idOther)
	r := aPostReceipt()
	_, data, err := SealReceipt2(r, post.sign, station.age.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	rr := readerFor(station, idStation, []string{idPost, idOther}, post, stranger)
	refused := func(what string, data []byte, want string) {
		t.Helper()
		_, err := rr.Open(data)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error saying %q", what, err, want)
		}
	}
	// A stranger (paired, so its key is known) signs a receipt in the
	// post's name: the reference names the post, the signature is not its.
	_, forged, err := SealReceipt2(r, stranger.sign, station.age.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	refused("forged", forged, "signature does not verify")
	// The post's receipt with the sender reference changed to the stranger's.
	re := bytes.Clone(data)
	copy(re[len(receiptOuterMagic2):], receiptRef(idOther))
	refused("sender reference altered", re, "signature does not verify")
	refused("empty", nil, "bad magic")
	// A sender not paired here.
	unp := readerFor(station, idStation, []string{idOther}, post, stranger)
	if _, err := unp.Open(data); err == nil || !strings.Contains(err.Error(), "not paired") {
		t.Errorf("unpaired sender: %v", err)
	}
	// Addressed elsewhere: not for us, by reference or by encryption.
	_, other, err := SealReceipt2(Receipt{From: idPost, To: idOther, Number: 3}, post.sign, stranger.age.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rr.Open(other); !errors.Is(err, ErrNotForUs) {
		t.Errorf("addressed to another: %v", err)
	}
	// Signed for another device, encrypted to us and its reference
	// pointed at us: the signature binds the peer.
	_, mis, err := SealReceipt2(Receipt{From: idPost, To: idOther, Number: 3}, post.sign, station.age.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	copy(mis[len(receiptOuterMagic2)+receiptRefSize:], receiptRef(idStation))
	refused("signed for another", mis, "signature does not verify")
	// Garbled ciphertext, truncation, an empty file, a huge one.
	g := bytes.Clone(data)
	g[len(g)-30] ^= 1
	refused("garbled", g, "decrypt receipt")
	refused("truncated", data[:len(data)-10], "decrypt receipt")
	refused("outer header only", data[:len(receiptOuterMagic2)+5], "truncated")
	refused("too large", append(bytes.Clone(data), make([]byte, MaxReceiptSize)...), "exceeds")
	// An older version (format 1 only) refuses it with a clear error and
	// takes nothing from it: it is never sent one (sync/bep).
	if _, err := OpenReceipt(data, station.age, station.keys(post)); err == nil || !strings.Contains(err.Error(), "bad magic") {
		t.Errorf("format 1 reader: %v", err)
	}
}

// A receipt body made by hand: tag by tag.
func body2(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return append(b, make([]byte, ed25519.SignatureSize)...)
}

func TestDecodeReceipt2Malformed(t *testing.T) {
	dig := bytes.Repeat([]byte{0xab}, 32)
	head := func(tag byte, rest ...byte) []byte { return append(append([]byte{tag}, rest...), dig...) }
	for _, c := range []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "truncated"},
		{"no heads count", body2([]byte{7, 0, 0}), "head count"},
		{"number 0", body2([]byte{0, 0, 0, 0}), "number are required"},
		{"too many heads", body2([]byte{7, 0, 0, 2}, head(0x04, 1)), "heads in"},
		{"bad origin tag", body2([]byte{7, 0, 0, 1}, head(0x07, 1)), "bad tag"},
		{"stream kind past the table", body2([]byte{7, 0, 0, 1}, head(0x18, 1)), "bad tag"},
		{"high bits", body2([]byte{7, 0, 0, 1}, head(0x44, 1)), "bad tag"},
		{"seq 0", body2([]byte{7, 0, 0, 1}, head(0x04, 0)), "malformed head"},
		{"stream twice", body2([]byte{7, 0, 0, 2}, head(0x04, 1), head(0x04, 2)), "twice"},
		{"trailing", body2([]byte{7, 0, 0, 1}, head(0x04, 1), []byte{0}), "trailing"},
		{"spelled stream too long", body2([]byte{7, 0, 0, 1, 0x00, 0x81, 0x02}, bytes.Repeat([]byte("s"), 257), []byte{1}, dig), "head stream of 257"},
		{"number above the bound", body2([]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10, 0, 0, 0}), "above"},
	} {
		if _, _, _, err := DecodeReceipt2(c.in, idPost, idStation); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

func FuzzDecodeReceipt2(f *testing.F) {
	for _, r := range []Receipt{aPostReceipt(), {From: idPost, To: idStation, Number: 1, Heads: []Head{
		{Origin: idOther, Stream: "x", Seq: 1, Digest: strings.Repeat("00", 32)}}}} {
		f.Add(append(encodeReceiptBody2(r), make([]byte, ed25519.SignatureSize)...))
	}
	f.Add([]byte{})
	f.Add(body2([]byte{1, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f}))
	f.Fuzz(func(t *testing.T, inner []byte) {
		r, msg, sig, err := DecodeReceipt2(inner, idPost, idStation)
		if err != nil {
			return
		}
		if len(sig) != ed25519.SignatureSize || len(r.Heads) > MaxReceiptHeads || r.Number > MaxReceiptNumber || r.Held > MaxReceiptNumber || r.check() != nil {
			t.Fatalf("decoded a receipt that breaks its bounds: %+v", r)
		}
		// What decodes, encodes to a body that decodes the same (the
		// encoder may spell less out than a hand-made body did).
		again, _, _, err := DecodeReceipt2(append(encodeReceiptBody2(r), sig...), idPost, idStation)
		if err != nil || again.Number != r.Number || again.AtMs != r.AtMs || again.Held != r.Held || len(again.Heads) != len(r.Heads) {
			t.Fatalf("re-encoded: %+v %v, was %+v", again, err, r)
		}
		for i := range r.Heads {
			if again.Heads[i] != r.Heads[i] {
				t.Fatalf("head %d re-encoded %+v, was %+v", i, again.Heads[i], r.Heads[i])
			}
		}
		if !bytes.HasPrefix(msg, []byte(receiptSigDomain2)) {
			t.Fatal("signed message without the domain tag")
		}
	})
}

// FuzzOpenReceipt2: whatever a file holds, opening it as a receipt never
// panics, and what opens is the post's, to the station, within bounds.
func FuzzOpenReceipt2(f *testing.F) {
	post, station := newParty(f, idPost), newParty(f, idStation)
	_, data, err := SealReceipt2(aPostReceipt(), post.sign, station.age.Recipient())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(data[:len(receiptOuterMagic2)+2*receiptRefSize])
	f.Add([]byte(receiptOuterMagic2))
	rr := readerFor(station, idStation, []string{idPost, idOther}, post)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := rr.Open(data)
		if err != nil {
			return
		}
		if r.From != idPost || r.To != idStation || r.check() != nil {
			t.Fatalf("opened %+v", r)
		}
	})
}

// A receipt between two other devices that passed through a folder this
// device holds (a post's folder shared with two stations: the other
// station's receipt to the post) is not for us, whatever its sender: not
// a receipt that failed verification (sync/quarantine counts those
// against the device it came from, the honest post).
func TestReceipt2NotForUsFromAStranger(t *testing.T) {
	post, station, other := newParty(t, idPost), newParty(t, idStation), newParty(t, idOther)
	// The other station's receipt to the post.
	_, data, err := SealReceipt2(Receipt{From: idOther, To: idPost, Number: 7}, other.sign, post.age.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		peers []string
	}{
		{"sender not paired here", []string{idPost}},
		{"sender paired here", []string{idPost, idOther}},
	} {
		rr := readerFor(station, idStation, c.peers, post)
		if _, err := rr.Open(data); !errors.Is(err, ErrNotForUs) {
			t.Errorf("%s: %v, want ErrNotForUs", c.name, err)
		}
	}
}
