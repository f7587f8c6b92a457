// Package entries is what sync/bep's folder index says of a file, both
// ways: a file of a folder hashed into an entry (Of), an entry of ours as
// the BEP FileInfo a peer is sent (ToFileInfo, Light for a cunjing peer),
// and an entry a peer announced checked and converted for the store
// (Remote: flat changeset, receipt and blob names only, each kind within
// its size, a block list that tiles the file). Part of sync/bep; it
// imports only sync/changeset and store/syncbook of ours.
package entries

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/syncthing/syncthing/lib/protocol"

	"cunjing/store/syncbook"
	"cunjing/sync/changeset"
)

// Wanted reports whether a file name may live in a folder: only flat
// changeset, receipt and blob names (anything else a peer announces is ignored).
func Wanted(name string) bool {
	if strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") {
		return false
	}
	if changeset.IsName(name) || changeset.IsReceiptName(name) {
		return true
	}
	_, ok := changeset.BlobHash(name)
	return ok
}

// MaxSize is the kind of file a wanted name is and the most bytes one
// may have: a peer announcing more is never pulled.
func MaxSize(name string) (kind string, most int64) {
	switch {
	case changeset.IsReceiptName(name):
		return "receipt", changeset.MaxReceiptSize
	case changeset.IsName(name):
		return "changeset", changeset.MaxFileSize
	default:
		return "blob", changeset.MaxBlobFileSize
	}
}

type counter struct {
	ID    uint64 `json:"id"`
	Value uint64 `json:"v"`
}

func EncodeVersion(v protocol.Vector) []byte {
	cs := make([]counter, len(v.Counters))
	for i, c := range v.Counters {
		cs[i] = counter{uint64(c.ID), c.Value}
	}
	b, _ := json.Marshal(cs) // plain struct
	return b
}

func decodeVersion(b []byte) protocol.Vector {
	var cs []counter
	if json.Unmarshal(b, &cs) != nil {
		return protocol.Vector{}
	}
	v := protocol.Vector{Counters: make([]protocol.Counter, len(cs))}
	for i, c := range cs {
		v.Counters[i] = protocol.Counter{ID: protocol.ShortID(c.ID), Value: c.Value}
	}
	return v
}

// hashBlocks splits data into BEP blocks and hashes each.
func hashBlocks(r io.Reader, size int64) ([]protocol.BlockInfo, int, error) {
	bs := protocol.BlockSize(size)
	var out []protocol.BlockInfo
	buf := make([]byte, bs)
	var off int64
	for {
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			sum := sha256.Sum256(buf[:n])
			out = append(out, protocol.BlockInfo{Hash: sum[:], Offset: off, Size: n})
			off += int64(n)
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return nil, 0, err
		}
	}
	if len(out) == 0 {
		sum := sha256.Sum256(nil)
		out = append(out, protocol.BlockInfo{Hash: sum[:], Size: 0})
	}
	return out, bs, nil
}

func packBlocks(bs []protocol.BlockInfo) []byte {
	out := make([]byte, 0, 32*len(bs))
	for _, b := range bs {
		out = append(out, b.Hash...)
	}
	return out
}

func Blocks(f syncbook.BEPFile) ([]protocol.BlockInfo, error) {
	if len(f.Blocks)%32 != 0 || f.BlockSize <= 0 {
		return nil, fmt.Errorf("%s: bad block list", f.Name)
	}
	n := len(f.Blocks) / 32
	out := make([]protocol.BlockInfo, n)
	for i := range out {
		off := int64(i) * int64(f.BlockSize)
		size := int64(f.BlockSize)
		if off+size > f.Size {
			size = f.Size - off
		}
		if size < 0 {
			return nil, fmt.Errorf("%s: block list longer than the file", f.Name)
		}
		out[i] = protocol.BlockInfo{Hash: f.Blocks[32*i : 32*i+32], Offset: off, Size: int(size)}
	}
	want := (f.Size + int64(f.BlockSize) - 1) / int64(f.BlockSize)
	if f.Size == 0 {
		want = 1
	}
	if int64(n) != want {
		return nil, fmt.Errorf("%s: %d blocks for %d bytes", f.Name, n, f.Size)
	}
	return out, nil
}

func ToFileInfo(f syncbook.BEPFile, self protocol.ShortID) (protocol.FileInfo, error) {
	blocks, err := Blocks(f)
	if err != nil {
		return protocol.FileInfo{}, err
	}
	return protocol.FileInfo{
		Name: f.Name, Type: protocol.FileInfoTypeFile, Size: f.Size,
		ModifiedS: f.ModifiedNs / 1e9, ModifiedNs: int32(f.ModifiedNs % 1e9), ModifiedBy: self,
		Permissions: 0o644, NoPermissions: true, Version: decodeVersion(f.Version), Sequence: f.Sequence,
		Blocks: blocks, RawBlockSize: int32(f.BlockSize), BlocksHash: protocol.BlocksHash(blocks),
	}, nil
}

// Light leaves out of an index entry for a cunjing peer what no
// cunjing reads (Remote, fromFileInfo; every version): the blocks'
// hash of hashes (35 B), who changed the file last (10 B), permissions
// (5 B), and a block size that is BEP's smallest (FileInfo.BlockSize says
// so when none is given; 4 B). Each file is announced by both ends of a
// link, and on a post's link an entry was ~180 B (issue #22). Stock
// Syncthing (a carrier) gets them all: it compares files by the hash of
// hashes and applies the permissions.
func Light(fi *protocol.FileInfo) {
	fi.BlocksHash = nil
	fi.ModifiedBy = 0
	fi.Permissions, fi.NoPermissions = 0, false
	if fi.RawBlockSize == protocol.MinBlockSize {
		fi.RawBlockSize = 0
	}
}

// Remote checks one entry of an index a peer sent and converts it for
// the store. ok is false for entries we do not carry (directories,
// symlinks, names that are not flat changeset or blob names). An error
// means the entry is malformed or hostile: a size past what we would ever
// pull, a block size outside BEP's, a block list that does not tile the
// file with 32-byte SHA-256 hashes. Such an entry must never reach the
// puller, which trusts the list to size its buffers and requests.
func Remote(fi protocol.FileInfo) (f syncbook.BEPFile, ok bool, err error) {
	if fi.Type != protocol.FileInfoTypeFile || !Wanted(fi.Name) {
		return f, false, nil
	}
	if fi.IsDeleted() || fi.IsInvalid() {
		return syncbook.BEPFile{Name: fi.Name, Sequence: fi.Sequence, Version: EncodeVersion(fi.Version), Deleted: true}, true, nil
	}
	if kind, most := MaxSize(fi.Name); fi.Size < 0 || fi.Size > most {
		return f, false, fmt.Errorf("%s: %d bytes; a %s is at most %d", fi.Name, fi.Size, kind, most)
	}
	bs := fi.BlockSize()
	if bs < protocol.MinBlockSize || bs > protocol.MaxBlockSize || bs&(bs-1) != 0 {
		return f, false, fmt.Errorf("%s: block size %d is not one of BEP's", fi.Name, bs)
	}
	want := (fi.Size + int64(bs) - 1) / int64(bs)
	if fi.Size == 0 {
		want = 1 // an empty file has one empty block
	}
	if int64(len(fi.Blocks)) != want {
		return f, false, fmt.Errorf("%s: %d blocks for %d bytes of %d-byte blocks", fi.Name, len(fi.Blocks), fi.Size, bs)
	}
	for i, b := range fi.Blocks {
		off := int64(i) * int64(bs)
		if len(b.Hash) != sha256.Size || b.Offset != off || int64(b.Size) != min(int64(bs), fi.Size-off) {
			return f, false, fmt.Errorf("%s: block %d (offset %d, %d bytes, %d-byte hash) does not tile the file", fi.Name, i, b.Offset, b.Size, len(b.Hash))
		}
	}
	return fromFileInfo(fi), true, nil
}

func fromFileInfo(fi protocol.FileInfo) syncbook.BEPFile {
	return syncbook.BEPFile{Name: fi.Name, Size: fi.Size, ModifiedNs: fi.ModifiedS*1e9 + int64(fi.ModifiedNs),
		Sequence: fi.Sequence, Version: EncodeVersion(fi.Version), BlockSize: fi.BlockSize(),
		Blocks: packBlocks(fi.Blocks), Deleted: fi.IsDeleted() || fi.IsInvalid()}
}

func Of(dir, name string, version protocol.Vector) (syncbook.BEPFile, error) {
	p := filepath.Join(dir, name)
	fh, err := os.Open(p)
	if err != nil {
		return syncbook.BEPFile{}, err
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return syncbook.BEPFile{}, err
	}
	blocks, bs, err := hashBlocks(fh, st.Size())
	if err != nil {
		return syncbook.BEPFile{}, fmt.Errorf("hash %s: %w", name, err)
	}
	return syncbook.BEPFile{Name: name, Size: st.Size(), ModifiedNs: st.ModTime().UnixNano(), Version: EncodeVersion(version),
		BlockSize: bs, Blocks: packBlocks(blocks)}, nil
}
