package sync

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
	"cunjing/store/backup"
	"cunjing/store/clock/clocktest"
)

// TestUnpairSurvivesRestore: a device unpaired after a backup was made
// stays unpaired when that backup is restored (a stolen PC's post, retired
// at the station, must not sync again because the station's database came
// back from last week's backup), while a device paired again on purpose
// after its unpairing stays paired.
func TestUnpairSurvivesRestore(t *testing.T) {
	for _, tc := range []struct {
		name string
		// unpairer: the station unpairs the post, or the post its station.
		byPost bool
		// repair: paired again after the unpairing, before the restore.
		repair bool
	}{
		{name: "station retires its post"},
		{name: "post unpairs its station", byPost: true},
		{name: "paired again on purpose", repair: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			station := newDevice(t, "station", "城关派出所")
			post := newDevice(t, "post", "东关村警务室")
			pair(t, station, post)
			self, other := station, post
			if tc.byPost {
				self, other = post, station
			}
			saved, err := backup.Write(ctx, self.Store(), testDir(t), backup.Options{Plaintext: true})
			if err != nil {
				t.Fatal(err)
			}
			if err := self.Unpair(ctx, other.Self()); err != nil {
				t.Fatal(err)
			}
			if tc.repair {
				if _, err := self.Pair(ctx, codeOf(t, other)); err != nil {
					t.Fatal(err)
				}
			}
			restored := restoreFrom(t, self, saved, false)

			p, err := restored.Book().Peer(ctx, other.Self())
			if err != nil {
				t.Fatal(err)
			}
			if revoked := p.RevokedAt != ""; revoked == tc.repair {
				t.Fatalf("after the restore revoked = %v (revoked at %q), want %v", revoked, p.RevokedAt, !tc.repair)
			}
			peers, err := restored.Book().Peers(ctx, false)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(peers); n != map[bool]int{false: 0, true: 1}[tc.repair] {
				t.Fatalf("%d peers to cut for after the restore, want %d", n, map[bool]int{false: 0, true: 1}[tc.repair])
			}
			// What the other device sends is refused (or taken, paired again).
			addHouseholds(t, other, 1, "新")
			mustCut(t, other)
			folder := PostFolder(post.Self())
			if tc.byPost {
				folder = StationFolder(station.Self())
			}
			r := move(t, other, restored, folder)
			if got := r.Outcomes[Rejected] > 0; got != !tc.repair {
				t.Fatalf("import after the restore: %+v, want rejected %v", r.Outcomes, !tc.repair)
			}
			// And the other device's sessions are refused before any BEP.
			if got := restored.Revoked(ctx, other.Self()); got != !tc.repair {
				t.Fatalf("Revoked = %v, want %v", got, !tc.repair)
			}
		})
	}
}

func TestParseJournal(t *testing.T) {
	const a, b, me, other = "AAAAAAA-AAAAAAA", "BBBBBBB-BBBBBBB", "MMMMMMM-MMMMMMM", "OOOOOOO-OOOOOOO"
	for _, tc := range []struct {
		name, in string
		want     map[string]string
	}{
		{"empty", "", map[string]string{}},
		{"unpaired", "unpair " + a + " 2026-12-01T10:00:00Z " + me + "\n", map[string]string{a: "2026-12-01T10:00:00Z"}},
		{"paired again", "unpair " + a + " 2026-12-01T10:00:00Z " + me + "\npair " + a + " 2026-12-02T10:00:00Z " + me + "\n", map[string]string{}},
		{"unpaired again", "unpair " + a + " 2026-12-01T10:00:00Z " + me + "\npair " + a + " 2026-12-02T10:00:00Z " + me + "\nunpair " + a + " 2026-12-03T10:00:00Z " + me + "\n",
			map[string]string{a: "2026-12-03T10:00:00Z"}},
		{"another database's lines", "unpair " + a + " 2026-12-01T10:00:00Z " + other + "\nunpair " + b + " 2026-12-01T10:00:00Z " + me + "\npair " + b + " 2026-12-02T10:00:00Z " + other + "\n",
			map[string]string{b: "2026-12-01T10:00:00Z"}},
		{"torn last line", "unpair " + a + " 2026-12-01T10:00:00Z " + me + "\nunpair " + b + " 2026-12", map[string]string{a: "2026-12-01T10:00:00Z"}},
		{"garbage", "\x00\xff\nunpair\nunpair a b c d e\n", map[string]string{}},
		{"long junk line before", strings.Repeat("\x00", 5000) + "\nunpair " + a + " 2026-12-01T10:00:00Z " + me + "\n", map[string]string{a: "2026-12-01T10:00:00Z"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := parseJournal([]byte(tc.in), me)
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
}

func FuzzParseJournal(f *testing.F) {
	f.Add([]byte("unpair AAAAAAA 2026-12-01T10:00:00Z MMMMMMM\npair AAAAAAA 2026-12-02T10:00:00Z MMMMMMM\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m := parseJournal(data, "MMMMMMM")
		// A device paired again by the last line is never unpaired.
		for id := range m {
			if bytes.HasSuffix(data, []byte("\npair "+id+" 2026-12-02T10:00:00Z MMMMMMM\n")) {
				t.Fatalf("%s unpaired after a last line pairing it", id)
			}
		}
	})
}

// TestUnpairAfterADamagedJournal: a power cut while the journal was
// written leaves a torn line without its newline, or a run of zero bytes
// (a block the file system had sized but not written); an unpairing made
// after it must still survive a restore.
func TestUnpairAfterADamagedJournal(t *testing.T) {
	for _, tc := range []struct{ name, junk string }{
		{"torn line", "unpair AAAAAAA-AAAAAAA 2026-12-0"},
		{"zeroed block", strings.Repeat("\x00", 4096)},
		{"zeroed block after a line", "pair AAAAAAA-AAAAAAA 2026-12-01T10:00:00Z MMMMMMM-MMMMMMM\n" + strings.Repeat("\x00", 8192)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			station := newDevice(t, "station", "城关派出所")
			post := newDevice(t, "post", "东关村警务室")
			pair(t, station, post)
			saved, err := backup.Write(ctx, station.Store(), testDir(t), backup.Options{Plaintext: true})
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(journalPath(station.Store().Path()), []byte(tc.junk), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := station.Unpair(ctx, post.Self()); err != nil {
				t.Fatal(err)
			}
			restored := restoreFrom(t, station, saved, false)
			p, err := restored.Book().Peer(ctx, post.Self())
			if err != nil {
				t.Fatal(err)
			}
			if p.RevokedAt == "" || !restored.Revoked(ctx, post.Self()) {
				t.Fatalf("the post unpaired after a damaged journal line is trusted again after the restore (revoked at %q)", p.RevokedAt)
			}
		})
	}
}

// TestUnpairSurvivesRestoreOnANewPC: the station's PC is replaced and last
// month's backup, made before a post was unpaired (its PC stolen), is
// restored onto the new PC from the stick. The journal beside the old
// database is gone with the old PC; its signed copy on the stick keeps the
// post unpaired. Whoever holds the stick cannot plant or edit a copy: it
// is refused with a log line, and unpairs no one (nor re-trusts anyone the
// restored database does not).
func TestUnpairSurvivesRestoreOnANewPC(t *testing.T) {
	for _, tc := range []struct {
		name    string
		unpair  bool                                                       // the station unpairs the post after the backup
		tamper  func(t *testing.T, copyPath string, station, post *Engine) // what the stick's holder does
		revoked bool                                                       // the post is unpaired on the new PC
		refused bool                                                       // the copy is refused, with a log line
		byOpen  bool                                                       // restored by hand (file copied): the engine's open reads the copy
		repair  bool                                                       // paired again after the unpairing, before the PC is replaced
	}{
		{name: "unpaired after the backup", unpair: true, revoked: true},
		{name: "unpaired, restored by copying the file", unpair: true, revoked: true, byOpen: true},
		{name: "unpaired and paired again on purpose", unpair: true, repair: true},
		{name: "copy deleted", unpair: true, tamper: func(t *testing.T, p string, _, _ *Engine) {
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "copy edited", unpair: true, refused: true, tamper: func(t *testing.T, p string, _, post *Engine) {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			// Turn the unpairing into a pairing again.
			data = bytes.Replace(data, []byte("unpair "+post.Self()), []byte("pair   "+post.Self()), 1)
			if err := os.WriteFile(p, data, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "copy planted to unpair the post", refused: true, tamper: func(t *testing.T, p string, station, post *Engine) {
			// Signed by a key of the planter's own, in the station's name.
			_, key, err := ed25519.GenerateKey(nil)
			if err != nil {
				t.Fatal(err)
			}
			line := "unpair " + post.Self() + " 2026-12-01T10:00:00Z " + station.Self() + "\n"
			if err := os.WriteFile(p, backup.SignJournal(station.Self(), key, []byte(line)), 0o600); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			station := newDevice(t, "station", "城关派出所")
			post := newDevice(t, "post", "东关村警务室")
			pair(t, station, post)
			stick := testDir(t)
			saved, err := backup.Write(ctx, station.Store(), stick, backup.Options{Plaintext: true})
			if err != nil {
				t.Fatal(err)
			}
			if tc.unpair {
				if err := station.Unpair(ctx, post.Self()); err != nil {
					t.Fatal(err)
				}
			}
			if tc.repair {
				if _, err := station.Pair(ctx, codeOf(t, post)); err != nil {
					t.Fatal(err)
				}
			}
			copyPath := filepath.Join(stick, backup.JournalCopyName(station.Self()))
			// Every pairing is in the journal, so the backup wrote its copy.
			if _, err := os.Stat(copyPath); err != nil {
				t.Fatalf("journal copy on the stick: %v, want one", err)
			}
			if tc.tamper != nil {
				tc.tamper(t, copyPath, station, post)
			}
			// The new PC: a fresh folder, no journal.
			var logs bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logs, nil))
			path := filepath.Join(testDir(t), "db")
			if tc.byOpen {
				if err := backup.CopyFile(saved, path); err != nil {
					t.Fatal(err)
				}
			} else if _, err := backup.Restore(ctx, path, saved, backup.RestoreOptions{Log: log}); err != nil {
				t.Fatal(err)
			}
			st, err := store.Open(ctx, path, store.Options{Now: clocktest.Ticking(t, 0)})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			restored, err := New(ctx, st, Options{Dir: filepath.Join(testDir(t), "new-pc.sync"), Log: log})
			if err != nil {
				t.Fatal(err)
			}
			if got := restored.Revoked(ctx, post.Self()); got != tc.revoked {
				t.Fatalf("post revoked on the new PC = %v, want %v; log:\n%s", got, tc.revoked, logs.String())
			}
			p, err := restored.Book().Peer(ctx, post.Self())
			if err != nil {
				t.Fatal(err)
			}
			if (p.RevokedAt != "") != tc.revoked {
				t.Fatalf("post's pairing revoked at %q, want revoked %v", p.RevokedAt, tc.revoked)
			}
			if got := strings.Contains(logs.String(), "unpairing journal copy refused"); got != tc.refused {
				t.Fatalf("log says the copy was refused: %v, want %v; log:\n%s", got, tc.refused, logs.String())
			}
		})
	}
}

// TestRestoreFromBeforeAPairingSaysSo: a database restored from a backup
// made before it paired a station has lost that pairing (pairing lives in
// the database), while the station still holds the post and its work. It
// said "还没有和任何设备配对" and acknowledged (nothing to wait for) while
// the two held different data: the journal now keeps every pairing, and
// until the device is paired again (or unpaired on purpose) the status
// names it, in Chinese, says what to do, and is not acknowledged.
func TestRestoreFromBeforeAPairingSaysSo(t *testing.T) {
	for _, tc := range []struct {
		name string
		// before: paired with the first station before the backup;
		// switch: unpaired it after the backup and paired the second;
		// unpairAfter: the second unpaired on purpose before the restore;
		// newPC: restored onto a new PC (only the backup folder's copy).
		// oldJournal: the pairing was made by a version that journalled
		// only unpairings (the station's folder on this PC tells).
		// stick: after the restore a stick brings the station's
		// changesets for the post (it still holds the pairing).
		before, unpairAfter, newPC, oldJournal, stick bool
		wantLost                                      bool
	}{
		{name: "backup before any pairing", wantLost: true},
		{name: "paired by an older version", oldJournal: true, wantLost: true},
		{name: "paired by an older version, on a new PC", oldJournal: true, newPC: true},
		// Nothing on the PC tells, but the station's files do: signed by a
		// device not paired here, encrypted to this one.
		{name: "paired by an older version, on a new PC, the station's files on a stick", oldJournal: true, newPC: true, stick: true, wantLost: true},
		{name: "backup before moving to another station", before: true, wantLost: true},
		{name: "backup before moving, on a new PC", before: true, newPC: true, wantLost: true},
		{name: "paired then unpaired on purpose", unpairAfter: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			post := newDevice(t, "post", "东关村警务室")
			first := newDevice(t, "station", "城关派出所")
			second := newDevice(t, "station", "城南派出所")
			if tc.before {
				pair(t, post, first)
			}
			dir := testDir(t)
			saved, err := backup.Write(ctx, post.Store(), dir, backup.Options{Plaintext: true})
			if err != nil {
				t.Fatal(err)
			}
			if tc.before {
				if err := post.Unpair(ctx, first.Self()); err != nil {
					t.Fatal(err)
				}
			}
			// The post pairs with the code the station shows: its name.
			code, err := second.Identity().Code("城南派出所", "station", nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := post.Pair(ctx, code); err != nil {
				t.Fatal(err)
			}
			if _, err := second.Pair(ctx, codeOf(t, post)); err != nil {
				t.Fatal(err)
			}
			// The station's notice reaches the post (its folder is made).
			if err := second.Store().Save(ctx, &store.Notice{Title: "通知"}); err != nil {
				t.Fatal(err)
			}
			mustCut(t, second)
			move(t, second, post, StationFolder(second.Self()))
			if tc.oldJournal {
				data, err := os.ReadFile(journalPath(post.Store().Path()))
				if err != nil {
					t.Fatal(err)
				}
				var old []string
				for _, l := range strings.SplitAfter(string(data), "\n") {
					if strings.HasPrefix(l, "unpair ") {
						old = append(old, l)
					}
				}
				if err := os.WriteFile(journalPath(post.Store().Path()), []byte(strings.Join(old, "")), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if tc.unpairAfter {
				if err := post.Unpair(ctx, second.Self()); err != nil {
					t.Fatal(err)
				}
			}
			if err := backup.WriteJournalCopy(ctx, post.Store(), dir); err != nil {
				t.Fatal(err)
			}
			if tc.newPC {
				if err := os.Remove(journalPath(post.Store().Path())); err != nil {
					t.Fatal(err)
				}
			}
			restored := restoreFrom(t, post, saved, tc.newPC)
			if tc.stick {
				if err := second.Store().Save(ctx, &store.Notice{Title: "第二份通知"}); err != nil {
					t.Fatal(err)
				}
				mustCut(t, second)
				if r := move(t, second, restored, StationFolder(second.Self())); r.Outcomes[Rejected] == 0 {
					t.Fatalf("the station's changesets were not refused: %+v", r)
				}
			}
			st, err := restored.Status(ctx)
			if err != nil {
				t.Fatal(err)
			}
			named := "「城南派出所」"
			if tc.oldJournal {
				named = "设备 " + second.Self()[:7] + "（派出所）"
			}
			lost := strings.Contains(strings.Join(st.Divergences, ""), named) && strings.Contains(st.Text, "重新")
			if lost != tc.wantLost || st.Acknowledged == tc.wantLost || (len(st.Lost) > 0) != tc.wantLost {
				t.Fatalf("lost pairing said %v, acknowledged %v, lost %+v, want said %v; text:\n%s", lost, st.Acknowledged, st.Lost, tc.wantLost, st.Text)
			}
			if strings.Contains(st.Text, "城关派出所") {
				t.Fatalf("the station unpaired on purpose is named: %s", st.Text)
			}
			if !tc.wantLost {
				return
			}
			// Unpaired on purpose (the words offer it), it is not said
			// again; paired again, neither.
			if tc.before {
				if err := restored.Unpair(ctx, second.Self()); err != nil {
					t.Fatalf("unpairing the lost pairing: %v", err)
				}
				if st, err = restored.Status(ctx); err != nil {
					t.Fatal(err)
				}
				if len(st.Lost) > 0 || !st.Acknowledged {
					t.Fatalf("unpaired on purpose, still lost: %+v", st.Lost)
				}
			}
			if tc.oldJournal {
				// Unpaired on purpose, known only by its folder.
				if err := Unpair(ctx, restored.Store(), second.Self()); err != nil {
					t.Fatalf("unpairing a pairing known by its folder: %v", err)
				}
				if st, err = restored.Status(ctx); err != nil || len(st.Lost) > 0 {
					t.Fatalf("unpaired on purpose, still lost: %+v %v", st.Lost, err)
				}
				return
			}
			if _, err := restored.Pair(ctx, code); err != nil {
				t.Fatal(err)
			}
			if st, err = restored.Status(ctx); err != nil {
				t.Fatal(err)
			}
			if len(st.Lost) > 0 || strings.Contains(st.Text, "重新") {
				t.Fatalf("paired again, still said lost: %+v\n%s", st.Lost, st.Text)
			}
		})
	}
}

// parseJournal reads the devices the journal says self unpaired.
func parseJournal(data []byte, self string) map[string]string { return backup.ParseJournal(data, self) }

// TestRestoreBetweenUnpairingAndPairingAgain: a device unpaired by
// mistake and paired again, the database then restored from a backup made
// in between: the database has the device revoked, the journal says it is
// paired. The journal does not give trust back; the status says so, and
// pairing again (with the same code: nothing new to journal) ends it.
func TestRestoreBetweenUnpairingAndPairingAgain(t *testing.T) {
	ctx := context.Background()
	post := newDevice(t, "post", "东关村警务室")
	station := newDevice(t, "station", "城关派出所")
	code, err := station.Identity().Code("城关派出所", "station", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := post.Pair(ctx, code); err != nil {
		t.Fatal(err)
	}
	if err := post.Unpair(ctx, station.Self()); err != nil {
		t.Fatal(err)
	}
	saved, err := backup.Write(ctx, post.Store(), testDir(t), backup.Options{Plaintext: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := post.Pair(ctx, code); err != nil {
		t.Fatal(err)
	}
	restored := restoreFrom(t, post, saved, false)
	if !restored.Revoked(ctx, station.Self()) {
		t.Fatal("the restored database trusts the station again by itself")
	}
	st, err := restored.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Lost) != 1 || st.Lost[0].Name != "城关派出所" || st.Acknowledged {
		t.Fatalf("lost %+v, acknowledged %v; want the station said lost", st.Lost, st.Acknowledged)
	}
	if _, err := restored.Pair(ctx, code); err != nil {
		t.Fatal(err)
	}
	if st, err = restored.Status(ctx); err != nil || len(st.Lost) != 0 || restored.Revoked(ctx, station.Self()) {
		t.Fatalf("paired again: lost %+v, revoked %v, %v", st.Lost, restored.Revoked(ctx, station.Self()), err)
	}
}
