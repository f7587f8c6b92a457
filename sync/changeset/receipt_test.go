package changeset

import (
	"bytes"
	"crypto/ed25519"
	"encoding/binary"
	"strings"
	"testing"

	"filippo.io/age"
)

func sealReceipt(t testing.TB, from party, r Receipt, to ...party) (string, []byte) {
	t.Helper()
	rs := []age.Recipient{from.age.Recipient()}
	for _, p := range to {
		rs = append(rs, p.age.Recipient())
	}
	name, data, err := SealReceipt(r, from.sign, rs)
	if err != nil {
		t.Fatal(err)
	}
	return name, data
}

func TestReceiptRoundTripAndForgery(t *testing.T) {
	post, station, stranger := newParty(t, "POST"), newParty(t, "STATION"), newParty(t, "STRANGER")
	r := Receipt{From: "STATION", To: "POST", Number: 7, AtMs: 1_760_000_000_000,
		Heads: []Head{{Origin: "POST", Stream: "cj-post-POST", Seq: 12, Digest: strings.Repeat("ab", 32)}}}
	name, data := sealReceipt(t, station, r, post)
	if !IsReceiptName(name) || !ReceiptNameMatches(name, data) || IsName(name) {
		t.Fatalf("name %s", name)
	}
	got, err := OpenReceipt(data, post.age, post.keys(station))
	if err != nil {
		t.Fatal(err)
	}
	if got.Number != 7 || got.Held != 0 || len(got.Heads) != 1 || got.Heads[0] != r.Heads[0] {
		t.Fatalf("got %+v", got)
	}
	// Held travels signed; numbers beyond MaxReceiptNumber are refused.
	rh := r
	rh.Held = 42
	_, hdata := sealReceipt(t, station, rh, post)
	if got, err := OpenReceipt(hdata, post.age, post.keys(station)); err != nil || got.Held != 42 {
		t.Fatalf("held: %+v %v", got, err)
	}
	rh.Held = MaxReceiptNumber + 1
	if _, _, err := SealReceipt(rh, station.sign, []age.Recipient{post.age.Recipient()}); err == nil {
		t.Fatal("a receipt holding a number above the bound was sealed")
	}
	// Signed by a stranger claiming to be the station.
	_, forged := sealReceipt(t, stranger, r, post)
	if _, err := OpenReceipt(forged, post.age, post.keys(station)); err == nil || !strings.Contains(err.Error(), "signature") {
		t.Fatalf("forged receipt: %v", err)
	}
	// Unknown sender.
	r2 := r
	r2.From = "STRANGER"
	_, unk := sealReceipt(t, stranger, r2, post)
	if _, err := OpenReceipt(unk, post.age, post.keys(station)); err == nil {
		t.Fatal("receipt of an unpaired device accepted")
	}
	// Not for us.
	_, other := sealReceipt(t, station, r, stranger)
	if _, err := OpenReceipt(other, post.age, post.keys(station)); err != ErrNotForUs {
		t.Fatalf("receipt for another device: %v", err)
	}
	// Outer header altered.
	alt := bytes.Replace(data, []byte(`"n":7`), []byte(`"n":9`), 1)
	if _, err := OpenReceipt(alt, post.age, post.keys(station)); err == nil {
		t.Fatal("altered outer header accepted")
	}
	// Truncated.
	if _, err := OpenReceipt(data[:len(data)-10], post.age, post.keys(station)); err == nil {
		t.Fatal("truncated receipt accepted")
	}
}

func FuzzDecodeReceipt(f *testing.F) {
	for _, tail := range []string{`}`, `,"held":5}`, `,"held":9007199254740992}`} {
		body := []byte(`{"from":"S","to":"P","n":3,"at_ms":1,"heads":[{"origin":"P","stream":"cj-post-P","seq":2,"digest":"` + strings.Repeat("0a", 32) + `"}]` + tail)
		var ok []byte
		ok = append(ok, receiptInnerMagic...)
		ok = binary.BigEndian.AppendUint32(ok, uint32(len(body)))
		ok = append(ok, body...)
		ok = append(ok, make([]byte, ed25519.SignatureSize)...)
		f.Add(ok)
	}
	f.Add([]byte(receiptInnerMagic + "\x00\x00\x00\x02{}"))
	f.Add([]byte(receiptInnerMagic + "\xff\xff\xff\xff"))
	f.Add([]byte("CJRI1\n"))
	f.Fuzz(func(t *testing.T, inner []byte) {
		r, b, sig, err := DecodeReceipt(inner)
		if err != nil {
			return
		}
		if len(sig) != ed25519.SignatureSize || len(b) > MaxReceiptSize || len(r.Heads) > MaxReceiptHeads || r.Number > MaxReceiptNumber || r.Held > MaxReceiptNumber || r.check() != nil {
			t.Fatalf("decoded a receipt that breaks its bounds: %+v", r)
		}
	})
}
