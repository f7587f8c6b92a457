package changeset

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"testing"

	"filippo.io/age"

	"cunjing/store/change"
)

type party struct {
	dev  string
	sign ed25519.PrivateKey
	age  *age.X25519Identity
}

func newParty(t testing.TB, dev string) party {
	t.Helper()
	_, sk, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ak, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return party{dev: dev, sign: sk, age: ak}
}

func (p party) keys(others ...party) KeyLookup {
	all := append([]party{p}, others...)
	return func(origin string) (ed25519.PublicKey, error) {
		for _, q := range all {
			if q.dev == origin {
				return q.sign.Public().(ed25519.PublicKey), nil
			}
		}
		return nil, errors.New("unknown device")
	}
}

func sampleChanges(dev string, n int) []change.Change {
	out := make([]change.Change, n)
	for i := range out {
		h := change.HLC{Wall: 1_760_000_000_000 + int64(i), Device: dev}
		out[i] = change.Change{Table: "villages", Record: fmt.Sprintf("rec-%d", i/3), Field: []string{"owner", "name", "notes"}[i%3],
			Value: fmt.Sprintf("%q", map[int]string{0: dev, 1: "东关村", 2: "备注 \"quoted\""}[i%3]), HLC: h.String()}
	}
	return out
}

func seal(t testing.TB, from party, seq uint64, prev string, changes []change.Change, to ...party) Sealed {
	t.Helper()
	var rs []age.Recipient
	var ids []string
	for _, p := range to {
		rs = append(rs, p.age.Recipient())
		ids = append(ids, p.dev)
	}
	s, err := Seal(Header{Origin: from.dev, Stream: "cj-post-" + from.dev, Seq: seq, Prev: prev, Recipients: ids}, changes, from.sign, rs)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSealOpen(t *testing.T) {
	post, station := newParty(t, "POST"), newParty(t, "STATION")
	ch := sampleChanges("POST", 30)
	s := seal(t, post, 1, "", ch, post, station)
	if !NameMatches(s.Name, s.Data) || !IsName(s.Name) {
		t.Fatalf("name %s does not match its data", s.Name)
	}
	for _, reader := range []party{post, station} {
		o, err := Open(s.Data, reader.age, station.keys(post))
		if err != nil {
			t.Fatal(err)
		}
		if o.Digest != s.Digest || o.Header.Count != 30 || len(o.Changes) != 30 || o.Changes[1] != ch[1] {
			t.Fatalf("opened %+v", o.Header)
		}
	}
	other := newParty(t, "OTHER")
	if _, err := Open(s.Data, other.age, station.keys(post)); !errors.Is(err, ErrNotForUs) {
		t.Fatalf("stranger: %v", err)
	}
	if _, err := Open(s.Data, station.age, station.keys()); err == nil || !strings.Contains(err.Error(), "unknown device") {
		t.Fatalf("unknown origin accepted: %v", err)
	}
	// Chain: the digest differs with content and links to prev.
	s2 := seal(t, post, 2, s.Digest, ch[:3], post)
	o2, err := Open(s2.Data, post.age, post.keys())
	if err != nil || o2.Header.Prev != s.Digest {
		t.Fatalf("chain: %v %+v", err, o2.Header)
	}
}

func TestTamperedAndTruncated(t *testing.T) {
	post, station := newParty(t, "POST"), newParty(t, "STATION")
	s := seal(t, post, 1, "", sampleChanges("POST", 50), post, station)
	for i := 0; i < len(s.Data); i += 7 {
		bad := bytes.Clone(s.Data)
		bad[i] ^= 0x20
		if _, err := Open(bad, station.age, station.keys(post)); err == nil {
			// Flipping the case of a JSON key letter in the outer hint can
			// still parse (encoding/json is case-insensitive); the signed
			// header must then still agree, which is fine.
			if h, _ := Peek(bad); h != (Hint{Origin: "POST", Stream: "cj-post-POST", Seq: 1}) {
				t.Fatalf("flip at %d accepted", i)
			}
		}
		if NameMatches(s.Name, bad) {
			t.Fatalf("flip at %d keeps the name hash", i)
		}
	}
	for _, n := range []int{0, 3, 10, len(s.Data) / 2, len(s.Data) - 1} {
		if _, err := Open(s.Data[:n], station.age, station.keys(post)); err == nil {
			t.Fatalf("truncated at %d accepted", n)
		}
	}
}

func TestForged(t *testing.T) {
	post, station, mallory := newParty(t, "POST"), newParty(t, "STATION"), newParty(t, "POST")
	// Mallory claims to be POST but signs with her own key.
	forged := seal(t, mallory, 1, "", sampleChanges("POST", 5), station)
	if _, err := Open(forged.Data, station.age, station.keys(post)); err == nil || !strings.Contains(err.Error(), "signature") {
		t.Fatalf("forged changeset: %v", err)
	}
	// POST signs a change that claims another origin.
	bad := sampleChanges("STATION", 3)
	s := seal(t, post, 1, "", bad, station)
	if _, err := Open(s.Data, station.age, station.keys(post)); err == nil || !strings.Contains(err.Error(), "not by the origin") {
		t.Fatalf("foreign change: %v", err)
	}
	// A change outside the schema is the receiver's to refuse (the sync
	// engine checks changes against store's schema after Open):
	// sync.TestSignedChangeOutsideSchemaRefused.
}

func TestBlob(t *testing.T) {
	a, b := newParty(t, "A"), newParty(t, "B")
	data := bytes.Repeat([]byte("scan"), 1000)
	h := HashBlob(data)
	f, err := SealBlob(data, []age.Recipient{a.age.Recipient()})
	if err != nil {
		t.Fatal(err)
	}
	got, err := OpenBlob(h, f, a.age)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatal(err)
	}
	if _, err := OpenBlob(HashBlob([]byte("x")), f, a.age); err == nil {
		t.Fatal("wrong hash accepted")
	}
	if _, err := OpenBlob(h, f, b.age); !errors.Is(err, ErrNotForUs) {
		t.Fatalf("stranger: %v", err)
	}
	if _, err := OpenBlob(h, f[:len(f)-5], a.age); err == nil {
		t.Fatal("truncated blob accepted")
	}
	if hh, ok := BlobHash(BlobName(h)); !ok || hh != h {
		t.Fatal("blob name round trip")
	}
}

func FuzzOpen(f *testing.F) {
	post := newParty(f, "POST")
	s := seal(f, post, 1, "", sampleChanges("POST", 4), post)
	f.Add(s.Data)
	f.Add(s.Data[:len(s.Data)/2])
	f.Add([]byte(outerMagic + `{"o":"POST","s":"x","n":1}` + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := Open(data, post.age, post.keys())
		if err == nil && o.Header.Count != len(o.Changes) {
			t.Fatal("count mismatch accepted")
		}
		_, _ = Peek(data)
	})
}

func FuzzDecode(f *testing.F) {
	var buf bytes.Buffer
	if err := Encode(&buf, sampleChanges("D", 3)); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte(`{"t":"x","zz":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, err := Decode(bytes.NewReader(data), 100)
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := Encode(&out, cs); err != nil {
			t.Fatal(err)
		}
		back, err := Decode(&out, 100)
		if err != nil || len(back) != len(cs) {
			t.Fatalf("re-decode: %v", err)
		}
	})
}
