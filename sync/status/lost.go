package status

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"

	"cunjing/store"
	"cunjing/store/backup"
	"cunjing/store/syncbook"
	"cunjing/sync/changeset"
)

// LostOf lists the devices this database was paired with that it does not
// trust now: it was restored from a backup made before the pairing (or
// between an unpairing and pairing again). The peer still holds this
// device and its work, this one knows nothing of it: until the device is
// paired again or unpaired on purpose, the two are apart.
//
// Known from the journal beside the database, which keeps every pairing
// and unpairing and which a restore leaves alone; and, for pairings made
// by a version that journalled only unpairings, from the sync folders a
// restore on the same PC leaves too: a folder of a device above this one
// (a post's cj-station-<ID>, a station's cj-post- and cj-county-, a
// county's cj-up-) is made only by a pairing. A device unpaired on
// purpose (by the journal or the database) is not lost; one known only
// by its folder has no name here.
func LostOf(ctx context.Context, book *syncbook.Book, journal *backup.JournalFile, syncDir, role, self string) ([]Lost, error) {
	paired, err := journal.Paired()
	if err != nil {
		return nil, err
	}
	revoked, err := journal.Revoked()
	if err != nil {
		return nil, err
	}
	// trusted: 1 paired, 0 unpaired in the database, -1 not known there.
	trusted := func(id string) (int, error) {
		p, err := book.Peer(ctx, id)
		switch {
		case errors.Is(err, syncbook.ErrNotFound):
			return -1, nil
		case err != nil:
			return 0, err
		case p.RevokedAt != "":
			return 0, nil
		}
		return 1, nil
	}
	var out []Lost
	for _, p := range paired {
		if t, err := trusted(p.ID); err != nil {
			return nil, err
		} else if t < 1 {
			out = append(out, Lost{Peer: p.ID, Name: p.Name, Role: p.Role, PairedAt: p.At})
		}
	}
	prefixes := map[string][]string{
		store.RolePost:    {"cj-station-"},
		store.RoleStation: {"cj-post-", "cj-county-"},
		store.RoleCounty:  {"cj-up-"},
	}[role]
	entries, _ := os.ReadDir(syncDir) // none yet: nothing is known
	for _, en := range entries {
		for _, pre := range prefixes {
			id, ok := strings.CutPrefix(en.Name(), pre)
			if !ok || !en.IsDir() || id == self || id == "" || revoked[id] != "" {
				continue
			}
			if _, ok := paired[id]; ok {
				continue
			}
			if t, err := trusted(id); err != nil {
				return nil, err
			} else if t == -1 {
				out = append(out, Lost{Peer: id, Role: folderRole[pre]})
			}
		}
	}
	// On a new PC with an old journal (or none) nothing here tells; the
	// device's own files may: encrypted to this device, signed by a device
	// not known here (NoteUnknownSender).
	heard, err := book.UnknownSenders(ctx)
	if err != nil {
		return nil, err
	}
	for _, u := range heard {
		if u.Device == self || revoked[u.Device] != "" || slices.ContainsFunc(out, func(l Lost) bool { return l.Peer == u.Device }) {
			continue
		}
		if _, ok := paired[u.Device]; ok {
			continue
		}
		if t, err := trusted(u.Device); err != nil {
			return nil, err
		} else if t == -1 {
			role, dialled := strings.CutSuffix(u.Role, dialledMark)
			out = append(out, Lost{Peer: u.Device, Role: role, Heard: u.At, Dialled: dialled})
		}
	}
	slices.SortFunc(out, func(a, b Lost) int { return strings.Compare(a.PairedAt+a.Peer, b.PairedAt+b.Peer) })
	return out, nil
}

// NoteUnknownSender notes, from the error of a changeset refused at its
// import (err), a device not known here that sent this device (self) a
// changeset encrypted to it in a stream between the two — what a device
// whose pairing this database lost to a restore keeps sending (a station
// writing its stream to the post onto a stick). The device is named by
// the changeset's own header, which no key here can verify: LostOf only
// says a pairing may have been lost and to pair again with the code the
// device shows, so a planted file can at worst make this device ask for
// a pairing that needs the real device's code anyway.
func NoteUnknownSender(ctx context.Context, book *syncbook.Book, self string, err error) error {
	var u *changeset.UnknownSenderError
	if !errors.As(err, &u) || !errors.Is(err, changeset.ErrUnknownSender) || u.Origin == self {
		return nil
	}
	role := ""
	for pre, r := range streamRoles {
		id, ok := strings.CutPrefix(u.Stream, pre)
		switch {
		case !ok:
		case id == u.Origin:
			role = r
		case id == self && pre == "cj-post-":
			role = store.RoleStation // a station's stream to its post
		}
	}
	if role == "" {
		return nil // not a stream between the two
	}
	return book.NoteUnknownSender(ctx, u.Origin, role)
}

// NoteUnknownDialer notes a device not paired here that dialled this one
// (selfRole) over BEP and greeted it as paired (sync/bep refuses it, and
// tells it so in a BEP Close): a post whose station was restored from a
// backup made before their pairing, which the station's status said
// nothing of. It is kept with the devices that sent files
// (syncbook.Book.NoteUnknownSender, bounded the same), its role marked
// dialledMark; LostOf lists it (Lost.Dialled). Anyone who can reach the
// port can be noted so: the words only ask for a pairing, which needs the
// device's own code anyway.
func NoteUnknownDialer(ctx context.Context, book *syncbook.Book, selfRole, device string) error {
	role := map[string]string{store.RoleStation: store.RolePost, store.RoleCounty: store.RoleStation}[selfRole]
	return book.NoteUnknownSender(ctx, device, role+dialledMark)
}

// dialledMark ends the role of a device NoteUnknownDialer noted.
const dialledMark = "+bep"

// Forgotten reports whether a peer's last error (syncbook's, kept by
// sync/bep as why.Stored) says the peer does not know this device: it
// refused this device in words at its hello (why.ErrForgotten) — a
// station restored from a backup made before it paired this post. The
// status says it (ForgottenWords) until an exchange with the peer
// succeeds again (Exchanged).
func Forgotten(lastError string) bool {
	key, _ := ParseLastError(lastError)
	return key == CauseForgotten
}

// Exchanged clears a peer's last error once an exchange with it went
// well by another carrier than a session (a session notes its own): a
// receipt of the peer newer than the one held (receipt), or a changeset
// of it applied. A changeset may have been made before the peer forgot
// this device (a stick carrying old files), so only a receipt clears
// Forgotten.
func Exchanged(ctx context.Context, book *syncbook.Book, peer string, receipt bool) error {
	p, err := book.Peer(ctx, peer)
	if errors.Is(err, syncbook.ErrNotFound) || err == nil && (p.LastError == "" || Forgotten(p.LastError) && !receipt) {
		return nil
	}
	if err != nil {
		return err
	}
	return book.NotePeerContact(ctx, peer, "", 0, 0, "")
}

// ForgottenWords says in Chinese that the peer (name, role) refused this
// device because it does not know it, and what to do.
func ForgottenWords(selfRole, name, role string) string {
	who := "「" + name + "」"
	if store.Above(role, selfRole) {
		who = RoleWord(role)
	}
	return who + "拒绝了本机的同步：它那边没有和本机配对（多半是它从配对之前的备份恢复了，或者换了电脑），本机的修改它都没有。以前的收到记录已不算数。请重新和它配对（扫码或粘贴配对码），配对后会自动补齐。"
}

// streamRoles: the role of the device a stream named after it belongs to.
var streamRoles = map[string]string{"cj-post-": store.RolePost, "cj-station-": store.RoleStation, "cj-relay-": store.RoleStation,
	"cj-up-": store.RoleStation, "cj-county-": store.RoleCounty}

// folderRole is the role of the device a folder is named after.
var folderRole = map[string]string{"cj-station-": store.RoleStation, "cj-post-": store.RolePost, "cj-county-": store.RoleCounty, "cj-up-": store.RoleStation}
