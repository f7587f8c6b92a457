package entries

import (
	"bytes"
	"crypto/sha256"
	"testing"

	"github.com/syncthing/syncthing/lib/protocol"
	"google.golang.org/protobuf/proto"

	"cunjing/store/syncbook"
	"cunjing/sync/changeset"
)

// peerEntry builds an index entry as a peer could send it: a block list
// laid out correctly for size and block size, then bent at one block by
// the skews (a fuzzer finds the near misses that way, not by chance).
func peerEntry(name string, size int64, rawBS int32, nBlocks uint16, hashLen uint8, skewAt uint16, offSkew int64, sizeSkew int32, flags uint8) protocol.FileInfo {
	fi := protocol.FileInfo{Name: name, Type: protocol.FileInfoTypeFile, Size: size, RawBlockSize: rawBS,
		Deleted: flags&1 != 0, LocalFlags: 0, Sequence: int64(nBlocks), Version: protocol.Vector{}.Update(protocol.ShortID(size))}
	if flags&2 != 0 {
		fi.Type = protocol.FileInfoTypeDirectory
	}
	if flags&4 != 0 {
		fi.RawInvalid = true
	}
	bs := int64(fi.BlockSize())
	for i := range int64(min(nBlocks, 4096)) {
		b := protocol.BlockInfo{Offset: i * bs, Size: int(max(0, min(bs, size-i*bs))), Hash: bytes.Repeat([]byte{byte(i)}, int(hashLen))}
		if i == int64(skewAt) {
			b.Offset += offSkew
			b.Size += int(sizeSkew)
		}
		fi.Blocks = append(fi.Blocks, b)
	}
	return fi
}

// FuzzRemoteFile: whatever a peer announces, Remote never panics, and
// an entry it accepts is one the puller can use as is: a block list that
// tiles the file exactly with SHA-256 hashes and BEP block sizes, and that
// survives the store's encoding and our own re-announcement unchanged.
func FuzzRemoteFile(f *testing.F) {
	cs := "0000000000000000000000000000000000000000000000000000000000000000"
	csName := "cs-AAAAAAA-post-000001-" + cs[:16] + changeset.Ext
	blob := changeset.BlobName(cs)
	f.Add(blob, int64(300_000), int32(128<<10), uint16(3), uint8(32), uint16(9), int64(0), int32(0), uint8(0))    // valid, 3 blocks
	f.Add(blob, int64(0), int32(0), uint16(1), uint8(32), uint16(9), int64(0), int32(0), uint8(0))                // empty file
	f.Add(blob, int64(300_000), int32(128<<10), uint16(3), uint8(31), uint16(9), int64(0), int32(0), uint8(0))    // short hashes
	f.Add(blob, int64(300_000), int32(128<<10), uint16(3), uint8(32), uint16(1), int64(7), int32(0), uint8(0))    // shifted block
	f.Add(blob, int64(300_000), int32(128<<10), uint16(3), uint8(32), uint16(2), int64(0), int32(1), uint8(0))    // last block too long
	f.Add(blob, int64(10), int32(1<<30), uint16(1), uint8(32), uint16(9), int64(0), int32(0), uint8(0))           // huge block size
	f.Add(blob, int64(-5), int32(128<<10), uint16(0), uint8(32), uint16(9), int64(0), int32(0), uint8(0))         // negative size
	f.Add(blob, int64(10), int32(-1), uint16(1), uint8(32), uint16(9), int64(0), int32(0), uint8(0))              // negative block size
	f.Add(blob, int64(10), int32(200_000), uint16(1), uint8(32), uint16(9), int64(0), int32(0), uint8(0))         // not a power of two
	f.Add(csName, int64(10), int32(0), uint16(1), uint8(32), uint16(9), int64(0), int32(0), uint8(1))             // deleted
	f.Add("../../etc/passwd", int64(10), int32(0), uint16(1), uint8(32), uint16(9), int64(0), int32(0), uint8(0)) // path
	f.Add(".stfolder", int64(0), int32(0), uint16(1), uint8(32), uint16(9), int64(0), int32(0), uint8(2))         // directory
	f.Fuzz(func(t *testing.T, name string, size int64, rawBS int32, nBlocks uint16, hashLen uint8, skewAt uint16, offSkew int64, sizeSkew int32, flags uint8) {
		fi := peerEntry(name, size, rawBS, nBlocks, hashLen, skewAt, offSkew, sizeSkew, flags)
		got, ok, err := Remote(fi)
		if err != nil {
			if ok {
				t.Fatal("an error and ok")
			}
			return
		}
		if !ok {
			if fi.Type == protocol.FileInfoTypeFile && Wanted(name) {
				t.Fatalf("a wanted file refused without a reason: %+v", fi)
			}
			return
		}
		if !Wanted(got.Name) || got.Name != name {
			t.Fatalf("accepted name %q", got.Name)
		}
		if got.Deleted {
			return
		}
		blocks, err := Blocks(got)
		if err != nil {
			t.Fatalf("accepted entry does not unpack: %v", err)
		}
		if got.BlockSize < protocol.MinBlockSize || got.BlockSize > protocol.MaxBlockSize || got.Size > changeset.MaxFileSize {
			t.Fatalf("accepted block size %d, size %d", got.BlockSize, got.Size)
		}
		var sum int64
		for i, b := range blocks {
			w := fi.Blocks[i]
			if b.Offset != sum || b.Offset != w.Offset || b.Size != w.Size || len(b.Hash) != sha256.Size || !bytes.Equal(b.Hash, w.Hash) {
				t.Fatalf("block %d: %+v, announced %+v", i, b, w)
			}
			sum += int64(b.Size)
		}
		if sum != got.Size {
			t.Fatalf("blocks cover %d of %d bytes", sum, got.Size)
		}
		again, err := ToFileInfo(got, 1)
		if err != nil || again.Name != fi.Name || again.Size != fi.Size || len(again.Blocks) != len(fi.Blocks) ||
			again.Version.Compare(fi.Version) != protocol.Equal {
			t.Fatalf("re-announced as %+v (%v)", again, err)
		}
	})
}

// TestRemoteFile pins what the fuzz target's seeds must come to.
func TestRemoteFile(t *testing.T) {
	blob := changeset.BlobName("0000000000000000000000000000000000000000000000000000000000000000")
	cases := []struct {
		name string
		fi   protocol.FileInfo
		ok   bool
		err  bool
	}{
		{"valid", peerEntry(blob, 300_000, 128<<10, 3, 32, 9, 0, 0, 0), true, false},
		{"empty", peerEntry(blob, 0, 0, 1, 32, 9, 0, 0, 0), true, false},
		{"deleted", peerEntry(blob, 10, 0, 0, 0, 9, 0, 0, 1), true, false},
		{"directory", peerEntry(blob, 0, 0, 1, 32, 9, 0, 0, 2), false, false},
		{"path", peerEntry("sub/"+blob, 10, 0, 1, 32, 9, 0, 0, 0), false, false},
		{"short hash", peerEntry(blob, 300_000, 128<<10, 3, 31, 9, 0, 0, 0), false, true},
		{"missing block", peerEntry(blob, 300_000, 128<<10, 2, 32, 9, 0, 0, 0), false, true},
		{"shifted block", peerEntry(blob, 300_000, 128<<10, 3, 32, 1, 7, 0, 0), false, true},
		{"long last block", peerEntry(blob, 300_000, 128<<10, 3, 32, 2, 0, 1, 0), false, true},
		{"1 GiB blocks", peerEntry(blob, 10, 1<<30, 1, 32, 9, 0, 0, 0), false, true},
		{"odd block size", peerEntry(blob, 10, 200_000, 1, 32, 9, 0, 0, 0), false, true},
		{"negative size", peerEntry(blob, -5, 128<<10, 0, 32, 9, 0, 0, 0), false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, ok, err := Remote(c.fi)
			if ok != c.ok || (err != nil) != c.err {
				t.Fatalf("ok %v err %v, want ok %v err %v", ok, err, c.ok, c.err)
			}
		})
	}
}

// TestLightEntry: an entry for a cunjing peer, without what no cunjing
// reads, is taken in as the full entry is, ~20 % smaller on the wire.
func TestLightEntry(t *testing.T) {
	name := "cs-W6UERUP-pW6UERUP-000000000001-daea0deffef771c9" + changeset.Ext
	for _, c := range []struct {
		size int64
		bs   int
	}{{0, 128 << 10}, {33_940, 128 << 10}, {300_000, 128 << 10}, {600_000, 256 << 10}} {
		n := max(1, (c.size+int64(c.bs)-1)/int64(c.bs))
		f := syncbook.BEPFile{Name: name, Size: c.size, ModifiedNs: 1_796_500_707_123_456_789, Sequence: 7,
			Version: EncodeVersion(protocol.Vector{}.Update(5)), BlockSize: c.bs, Blocks: bytes.Repeat([]byte{0xab}, 32*int(n))}
		full, err := ToFileInfo(f, protocol.ShortID(0x1234567890abcdef))
		if err != nil {
			t.Fatal(err)
		}
		light := full
		Light(&light)
		want, ok, err := Remote(full)
		if err != nil || !ok {
			t.Fatalf("%d B: full entry %v %v", c.size, ok, err)
		}
		got, ok, err := Remote(light)
		if err != nil || !ok {
			t.Fatalf("%d B: light entry %v %v", c.size, ok, err)
		}
		if got.Name != want.Name || got.Size != want.Size || got.BlockSize != want.BlockSize || got.BlockSize != c.bs ||
			got.ModifiedNs != want.ModifiedNs || got.Sequence != want.Sequence || !bytes.Equal(got.Version, want.Version) ||
			!bytes.Equal(got.Blocks, want.Blocks) {
			t.Fatalf("%d B: light entry taken as %+v, the full one as %+v", c.size, got, want)
		}
		fw, lw := proto.Size(full.ToWire(false)), proto.Size(light.ToWire(false))
		if c.size == 33_940 {
			t.Logf("a 34 KB changeset's entry: %d B, light %d B", fw, lw)
			if lw > fw*85/100 {
				t.Errorf("light entry %d B against %d B", lw, fw)
			}
		}
	}
}
