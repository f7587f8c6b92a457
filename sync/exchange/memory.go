package exchange

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"cunjing/store"
	cjsync "cunjing/sync"
	"cunjing/sync/changeset"
	"cunjing/sync/safefile"
)

// memoryName is the row of sync's seen files (syncbook.Book.Seen, keyed
// by file name: no cunjing file has this name) that holds what passes over
// sticks remember (memory), so a stick left in the PC costs each pass only
// what is new on it.
const memoryName = "stick:memory"

// Bounds of the memory: a day's refused files are at most
// quarantine.MaxFiles, so a few days' worth; past them the oldest is
// forgotten, and examined once more (its refusal is not counted again:
// the rejection log has it).
const (
	maxRemembered = 256
	maxDays       = 64
)

// memory is what passes over exchange folders remember.
type memory struct {
	// Refused: files refused before, as they were then. Such a file is
	// not read again while its name, size, time and content are the
	// same: size and time alone would be fooled by a copy of the same
	// size made again with its time kept (资源管理器 keeps it) over a
	// damaged one, so the content's SHA-256 is compared too, hashing the
	// file rather than verifying and decrypting it; the hash is of the
	// very bytes that were refused, so nothing read later is taken for
	// them.
	Refused []refusedFile `json:"refused,omitempty"`
	// Unreferenced: blobs (by name, their content's address) that opened
	// as sound and addressed here but that no applied changeset referred
	// to: not decrypted again (up to 256 MB each) until one does.
	Unreferenced []string `json:"unreferenced,omitempty"`
	// Days: the days sticks were exchanged on, the latest last, whatever
	// the clock said (pruneDays).
	Days []string `json:"days,omitempty"`
	// Stamp: what refusals other than a damaged file's depend on besides
	// the file (stampOf): the devices paired and the schema. A file refused
	// from a sender not paired then is taken once it is paired (a post
	// restored from a backup made before its pairing), so when the stamp
	// changes only the damaged are still remembered (their content does
	// not match their name, whoever looks).
	Stamp string `json:"stamp,omitempty"`

	changed bool
}

type refusedFile struct {
	Name   string            `json:"name"`
	Size   int64             `json:"size"`
	ModNs  int64             `json:"mod_ns"`
	SHA256 string            `json:"sha256"`
	Kind   cjsync.RejectKind `json:"kind,omitempty"`
	Reason string            `json:"reason,omitempty"`
}

func recallMemory(ctx context.Context, e *cjsync.Engine) (*memory, error) {
	stamp, err := stampOf(ctx, e)
	if err != nil {
		return nil, err
	}
	m := &memory{}
	v, ok, err := e.Book().Seen(ctx, memoryName)
	if err != nil {
		return nil, err
	}
	if ok && json.Unmarshal([]byte(v), m) != nil {
		m = &memory{} // damaged: start again, the files are examined once more
	}
	if m.Stamp != stamp {
		m.Refused = slices.DeleteFunc(m.Refused, func(r refusedFile) bool { return r.Kind != cjsync.RejectDamaged })
		m.Stamp, m.changed = stamp, true
	}
	return m, nil
}

// stampOf is the memory's Stamp now: the paired devices and their roles,
// and the schema this program knows.
func stampOf(ctx context.Context, e *cjsync.Engine) (string, error) {
	peers, err := e.Book().Peers(ctx, true)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "schema %d\n", store.SchemaVersion())
	for _, p := range peers {
		fmt.Fprintf(h, "%s %s %s %s\n", p.DeviceID, p.Role, p.PairedAt, p.RevokedAt)
	}
	return hex.EncodeToString(h.Sum(nil)[:16]), nil
}

func (m *memory) keep(ctx context.Context, e *cjsync.Engine) error {
	if !m.changed {
		return nil
	}
	js, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return e.Book().MarkSeen(ctx, memoryName, string(js))
}

func sum(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// known gives the result of a file the memory has: refused before and
// the same now, or a blob sound and addressed here that nothing refers
// to still.
func (m *memory) known(ctx context.Context, e *cjsync.Engine, dir, name string) (cjsync.Result, bool) {
	if h, isBlob := changeset.BlobHash(name); isBlob && slices.Contains(m.Unreferenced, name) {
		if ref, err := e.Store().BlobReferenced(ctx, h); err == nil && !ref {
			return cjsync.Result{File: name, Outcome: cjsync.Waiting,
				Reason: "examined before: sound and addressed here, but no applied changeset refers to this blob yet"}, true
		}
		return cjsync.Result{}, false
	}
	i := slices.IndexFunc(m.Refused, func(r refusedFile) bool { return r.Name == name })
	if i < 0 {
		return cjsync.Result{}, false
	}
	r := m.Refused[i]
	fi, err := os.Lstat(filepath.Join(dir, name))
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != r.Size || fi.ModTime().UnixNano() != r.ModNs {
		return cjsync.Result{}, false
	}
	data, fi, err := safefile.Read(dir, name, r.Size)
	if err != nil || fi.Size() != r.Size || fi.ModTime().UnixNano() != r.ModNs || sum(data) != r.SHA256 {
		return cjsync.Result{}, false
	}
	return cjsync.Result{File: name, Outcome: cjsync.Rejected, Kind: r.Kind,
		Reason: "refused before, unchanged since (see the rejection log): " + r.Reason}, true
}

// spent remembers what examining a file gave, when it is worth
// remembering.
func (m *memory) spent(r cjsync.Result, fi fs.FileInfo, data []byte) {
	switch {
	case r.Outcome == cjsync.Rejected && fi != nil && data != nil:
		m.Refused = slices.DeleteFunc(m.Refused, func(x refusedFile) bool { return x.Name == r.File })
		m.Refused = append(m.Refused, refusedFile{Name: r.File, Size: fi.Size(), ModNs: fi.ModTime().UnixNano(),
			SHA256: sum(data), Kind: r.Kind, Reason: r.Reason})
		if len(m.Refused) > maxRemembered {
			m.Refused = slices.Delete(m.Refused, 0, len(m.Refused)-maxRemembered)
		}
		m.changed = true
	case r.Outcome == cjsync.Waiting && isBlobName(r.File) && !slices.Contains(m.Unreferenced, r.File):
		m.Unreferenced = append(m.Unreferenced, r.File)
		if len(m.Unreferenced) > maxRemembered {
			m.Unreferenced = slices.Delete(m.Unreferenced, 0, len(m.Unreferenced)-maxRemembered)
		}
		m.changed = true
	}
}

func isBlobName(name string) bool {
	_, ok := changeset.BlobHash(name)
	return ok
}
