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
