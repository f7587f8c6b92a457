package backup

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cunjing/store"
	"cunjing/store/clock/clocktest"
)

// AdoptJournal takes from a copy what it says of devices the journal here
// does not name, and leaves the last word on the others to the journal
// here; a copy of another device, or one this device did not sign, adds
// nothing and is logged.
func TestAdoptJournal(t *testing.T) {
	ctx := context.Background()
	const self, a, b, c = "MMMMMMM-MMMMMMM", "AAAAAAA-AAAAAAA", "BBBBBBB-BBBBBBB", "CCCCCCC-CCCCCCC"
	dir := t.TempDir()
	s, err := store.Create(ctx, filepath.Join(dir, "db"), store.Identity{DeviceID: self, Role: store.RoleStation, Name: "站"}, store.Options{Now: clocktest.Clock(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	seed := bytes.Repeat([]byte{7}, ed25519.SeedSize)
	if err := s.SyncBook().PutSecrets(ctx, map[string][]byte{SecretSignSeed: seed}); err != nil {
		t.Fatal(err)
	}
	key := ed25519.NewKeyFromSeed(seed)
	stick := filepath.Join(dir, "stick")
	if err := os.MkdirAll(stick, 0o700); err != nil {
		t.Fatal(err)
	}
	line := func(verb, id, day string) string {
		return verb + " " + id + " 2026-12-" + day + "T10:00:00Z " + self + "\n"
	}
	// Here: a paired again after the copy was written.
	if err := os.WriteFile(JournalPath(s.Path()), []byte(line("unpair", a, "01")+line("pair", a, "03")), 0o600); err != nil {
		t.Fatal(err)
	}
	copyOf := SignJournal(self, key, []byte(line("unpair", a, "01")+line("unpair", b, "02")+line("unpair", c, "02")+line("pair", c, "02")))
	if err := os.WriteFile(filepath.Join(stick, JournalCopyName(self)), copyOf, 0o600); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	got, err := AdoptJournal(ctx, s, stick, log)
	if err != nil || got.Devices != 2 || got.Refused != "" {
		t.Fatalf("adopted %+v, %v; want 2 devices (b, c)", got, err)
	}
	data, err := os.ReadFile(JournalPath(s.Path()))
	if err != nil {
		t.Fatal(err)
	}
	if m := ParseJournal(data, self); len(m) != 1 || m[b] == "" {
		t.Fatalf("unpaired after adopting: %v, want %s only", m, b)
	}
	// Again: nothing new.
	if got, err := AdoptJournal(ctx, s, stick, log); err != nil || got.Devices != 0 {
		t.Fatalf("adopted again %+v, %v; want nothing", got, err)
	}
	// Signed by another key, or another device's under this name.
	_, other, _ := ed25519.GenerateKey(nil)
	for _, bad := range [][]byte{
		SignJournal(self, other, []byte(line("unpair", a, "05"))),
		SignJournal("XXXXXXX-XXXXXXX", key, []byte(line("unpair", a, "05"))),
		bytes.Repeat([]byte("x"), MaxJournal+1024),
	} {
		logs.Reset()
		if err := os.WriteFile(filepath.Join(stick, JournalCopyName(self)), bad, 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := AdoptJournal(ctx, s, stick, log)
		if err != nil || got.Devices != 0 || got.Refused == "" || !strings.Contains(logs.String(), "unpairing journal copy refused") {
			t.Fatalf("a forged copy: %+v, %v, log %q; want it refused and logged", got, err, logs.String())
		}
	}
	after, err := os.ReadFile(JournalPath(s.Path()))
	if err != nil || !bytes.Equal(after, data) {
		t.Fatalf("a refused copy changed the journal: %q", after)
	}
}

// FuzzOpenJournal: a journal copy on a stick is outside data; opening one
// never panics, and nothing but a copy signed by the device opens.
func FuzzOpenJournal(f *testing.F) {
	pub, key, err := ed25519.GenerateKey(nil)
	if err != nil {
		f.Fatal(err)
	}
	good := SignJournal("MMMMMMM", key, []byte("unpair AAAAAAA 2026-12-01T10:00:00Z MMMMMMM\n"))
	f.Add(good)
	f.Add([]byte("CJUNPAIRED1 MMMMMMM\n\nunpair AAAAAAA 2026-12-01T10:00:00Z MMMMMMM\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		j, err := OpenJournal(data, "MMMMMMM", pub)
		if err != nil {
			return
		}
		if !bytes.Equal(SignJournal("MMMMMMM", key, j), data) {
			t.Fatalf("opened a copy that is not the one signed: %q", data)
		}
	})
}

// JournalPairings: the devices whose last pair or unpair line pairs them,
// named by their "named" line; a "named" line alone pairs no one, never
// ends an unpairing (ParseJournal), and an older version skips it.
func TestJournalPairings(t *testing.T) {
	const me, a, b = "MMMMMMM-MMMMMMM", "AAAAAAA-AAAAAAA", "BBBBBBB-BBBBBBB"
	at := "2026-12-01T10:00:00Z"
	pairing := func(id, name, role string) string {
		var buf bytes.Buffer
		path := filepath.Join(t.TempDir(), "j")
		if err := AppendPairing(path, id, at, me, name, role); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(data)
		return buf.String()
	}
	unpair := "unpair " + a + " " + at + " " + me + "\n"
	long := strings.Repeat("很长的名字", 200)
	for _, tc := range []struct {
		name, in string
		want     map[string]Pairing
		unpaired []string // ParseJournal's
	}{
		{"paired", pairing(a, "城关派出所", "station"), map[string]Pairing{a: {ID: a, At: at, Name: "城关派出所", Role: "station"}}, nil},
		{"paired then unpaired", pairing(a, "城关派出所", "station") + unpair, map[string]Pairing{}, []string{a}},
		{"unpaired then paired again", unpair + pairing(a, "城关派出所", "station"), map[string]Pairing{a: {ID: a, At: at, Name: "城关派出所", Role: "station"}}, nil},
		{"paired again by an older version", unpair + "pair " + a + " " + at + " " + me + "\n", map[string]Pairing{a: {ID: a, At: at}}, nil},
		{"named alone", unpair + strings.SplitAfter(pairing(a, "城关派出所", "station"), "\n")[1], map[string]Pairing{}, []string{a}},
		{"torn named line", strings.TrimSuffix(pairing(b, "城南派出所", "station"), "名\n")[:60], map[string]Pairing{b: {ID: b, At: at}}, nil},
		{"another database's", strings.ReplaceAll(pairing(a, "城关派出所", "station"), me, "OOOOOOO-OOOOOOO"), map[string]Pairing{}, nil},
		{"a long name is cut", pairing(b, long, "station"), nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := JournalPairings([]byte(tc.in), me)
			if tc.want == nil {
				if p := got[b]; len(p.Name) == 0 || !strings.HasPrefix(long, p.Name) || p.Role != "station" {
					t.Fatalf("long name: got %+v", got)
				}
				return
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Fatalf("got %+v, want %+v", got, tc.want)
				}
			}
			un := ParseJournal([]byte(tc.in), me)
			if len(un) != len(tc.unpaired) {
				t.Fatalf("unpaired %v, want %v", un, tc.unpaired)
			}
			for _, id := range tc.unpaired {
				if un[id] == "" {
					t.Fatalf("unpaired %v, want %v", un, tc.unpaired)
				}
			}
		})
	}
}
