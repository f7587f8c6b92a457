package fonts

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
)

// Limits that keep a hostile or truncated file from making us allocate or
// loop without bound. Real CJK fonts have ~20 tables and a handful of faces.
const (
	maxTables = 512
	maxFaces  = 1024
)

const (
	tagTTC      = 0x74746366 // 'ttcf'
	sfntTrue    = 0x00010000
	sfntTrueApp = 0x74727565 // 'true' (Apple)
	sfntOTTO    = 0x4F54544F // 'OTTO' (CFF outlines)
	headMagic   = 0x5F0F3CF5
	checksumMag = 0xB1B0AFBA
)

// ErrNotTrueType is returned for fonts gofpdf cannot embed (CFF/OpenType
// outlines, collections not split, other formats).
var ErrNotTrueType = errors.New("not a TrueType (glyf) font")

type tableRecord struct {
	tag    string
	offset uint32
	length uint32
}

// readTableDir parses the offset table at off in data and returns the sfnt
// version and its table records, each checked to lie inside data.
func readTableDir(data []byte, off uint32) (uint32, []tableRecord, error) {
	if uint64(off)+12 > uint64(len(data)) {
		return 0, nil, fmt.Errorf("table directory at %d: beyond end of file (%d bytes)", off, len(data))
	}
	version := binary.BigEndian.Uint32(data[off:])
	n := int(binary.BigEndian.Uint16(data[off+4:]))
	if n == 0 || n > maxTables {
		return 0, nil, fmt.Errorf("table directory at %d: implausible table count %d", off, n)
	}
	end := uint64(off) + 12 + uint64(n)*16
	if end > uint64(len(data)) {
		return 0, nil, fmt.Errorf("table directory at %d: %d records run past end of file", off, n)
	}
	recs := make([]tableRecord, 0, n)
	seen := make(map[string]bool, n)
	for i := 0; i < n; i++ {
		p := off + 12 + uint32(i)*16
		r := tableRecord{
			tag:    string(data[p : p+4]),
			offset: binary.BigEndian.Uint32(data[p+8:]),
			length: binary.BigEndian.Uint32(data[p+12:]),
		}
		if uint64(r.offset)+uint64(r.length) > uint64(len(data)) {
			return 0, nil, fmt.Errorf("table %q: offset %d + length %d past end of file (%d bytes)", r.tag, r.offset, r.length, len(data))
		}
		if seen[r.tag] {
			return 0, nil, fmt.Errorf("table %q listed twice", r.tag)
		}
		seen[r.tag] = true
		recs = append(recs, r)
	}
	return version, recs, nil
}

// ttcFaceOffsets returns the offsets of each face's table directory.
func ttcFaceOffsets(ttc []byte) ([]uint32, error) {
	if len(ttc) < 12 || binary.BigEndian.Uint32(ttc) != tagTTC {
		return nil, errors.New("not a TrueType collection (no 'ttcf' header)")
	}
	n := binary.BigEndian.Uint32(ttc[8:])
	if n == 0 || n > maxFaces {
		return nil, fmt.Errorf("collection: implausible face count %d", n)
	}
	if 12+uint64(n)*4 > uint64(len(ttc)) {
		return nil, fmt.Errorf("collection: %d face offsets run past end of file", n)
	}
	offs := make([]uint32, n)
	for i := range offs {
		offs[i] = binary.BigEndian.Uint32(ttc[12+4*i:])
	}
	return offs, nil
}

// ExtractTTCFace copies face index of a TrueType collection into a
// standalone sfnt file: a fresh table directory (sorted by tag, with the
// binary-search header fields), every table copied and padded to 4 bytes,
// table checksums recomputed and head.checkSumAdjustment fixed so strict
// parsers (and Fyne's font loader) accept it. Outline type is not checked
// here; Find rejects CFF faces afterwards.
func ExtractTTCFace(ttc []byte, index int) ([]byte, error) {
	offs, err := ttcFaceOffsets(ttc)
	if err != nil {
		return nil, err
	}
	if index < 0 || index >= len(offs) {
		return nil, fmt.Errorf("collection has %d faces, no face %d", len(offs), index)
	}
	version, recs, err := readTableDir(ttc, offs[index])
	if err != nil {
		return nil, fmt.Errorf("face %d: %w", index, err)
	}
	if version != sfntTrue && version != sfntTrueApp && version != sfntOTTO {
		return nil, fmt.Errorf("face %d: unknown sfnt version %#08x", index, version)
	}
	return buildSfnt(version, ttc, recs)
}

func pad4(n uint64) uint64 { return (n + 3) &^ 3 }

func buildSfnt(version uint32, src []byte, recs []tableRecord) ([]byte, error) {
	sort.Slice(recs, func(i, j int) bool { return recs[i].tag < recs[j].tag })
	n := len(recs)
	size := pad4(12 + uint64(n)*16)
	for _, r := range recs {
		size += pad4(uint64(r.length))
	}
	if size > 1<<31 {
		return nil, fmt.Errorf("face too large (%d bytes)", size)
	}
	out := make([]byte, size)
	binary.BigEndian.PutUint32(out, version)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	es := 0
	for 1<<(es+1) <= n {
		es++
	}
	sr := (1 << es) * 16
	binary.BigEndian.PutUint16(out[6:], uint16(sr))
	binary.BigEndian.PutUint16(out[8:], uint16(es))
	binary.BigEndian.PutUint16(out[10:], uint16(n*16-sr))

	pos := pad4(12 + uint64(n)*16)
	headAt := -1
	for i, r := range recs {
		tbl := out[pos : pos+uint64(r.length)]
		copy(tbl, src[r.offset:r.offset+r.length])
		if r.tag == "head" {
			if r.length < 54 {
				return nil, fmt.Errorf("head table too short (%d bytes)", r.length)
			}
			binary.BigEndian.PutUint32(tbl[8:], 0)
			headAt = int(pos)
		}
		d := 12 + i*16
		copy(out[d:], r.tag)
		binary.BigEndian.PutUint32(out[d+4:], checksum(out[pos:pos+pad4(uint64(r.length))]))
		binary.BigEndian.PutUint32(out[d+8:], uint32(pos))
		binary.BigEndian.PutUint32(out[d+12:], r.length)
		pos += pad4(uint64(r.length))
	}
	if headAt >= 0 {
		binary.BigEndian.PutUint32(out[headAt+8:], checksumMag-checksum(out))
	}
	return out, nil
}

// checksum is the OpenType table checksum: the sum of big-endian uint32s,
// with a short tail padded by zeros.
func checksum(b []byte) uint32 {
	var s uint32
	for len(b) >= 4 {
		s += binary.BigEndian.Uint32(b)
		b = b[4:]
	}
	if len(b) > 0 {
		var t [4]byte
		copy(t[:], b)
		s += binary.BigEndian.Uint32(t[:])
	}
	return s
}

// requiredTables are the tables gofpdf's UTF-8 font parser reads
// unconditionally; a missing one makes it dereference nil.
var requiredTables = []string{"cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post"}

// probeRunes must all map to a glyph for the font to print a board: Latin
// digits and letters for amounts and phone numbers, and common CJK.
const probeRunes = "0123456789ABCabc中国警察打架成本元日"

// checkUsable verifies that ttf is a standalone TrueType font gofpdf can
// embed and that it covers Latin digits and Chinese.
func checkUsable(ttf []byte) error {
	if len(ttf) < 12 {
		return fmt.Errorf("%w: file too short (%d bytes)", ErrNotTrueType, len(ttf))
	}
	switch v := binary.BigEndian.Uint32(ttf); v {
	case sfntTrue, sfntTrueApp:
	case sfntOTTO:
		return fmt.Errorf("%w: CFF/OpenType outlines ('OTTO'), gofpdf cannot embed them", ErrNotTrueType)
	case tagTTC:
		return fmt.Errorf("%w: a collection (.ttc) must be split with ExtractTTCFace first", ErrNotTrueType)
	default:
		return fmt.Errorf("%w: unknown sfnt version %#08x", ErrNotTrueType, v)
	}
	_, recs, err := readTableDir(ttf, 0)
	if err != nil {
		return err
	}
	tables := make(map[string]tableRecord, len(recs))
	for _, r := range recs {
		tables[r.tag] = r
	}
	for _, t := range requiredTables {
		if _, ok := tables[t]; !ok {
			if t == "glyf" {
				return fmt.Errorf("%w: no 'glyf' table (CFF outlines?)", ErrNotTrueType)
			}
			return fmt.Errorf("%w: required table %q missing", ErrNotTrueType, t)
		}
	}
	c := tables["cmap"]
	cm, err := findCmap4(ttf[c.offset : c.offset+c.length])
	if err != nil {
		return err
	}
	var missing []rune
	for _, r := range probeRunes {
		if cm.glyph(r) == 0 {
			missing = append(missing, r)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("font has no glyphs for %q (needs Latin digits and Chinese)", string(missing))
	}
	return nil
}

// cmap4 is a parsed format-4 (BMP) cmap subtable, the only kind gofpdf uses.
type cmap4 struct {
	data  []byte // the subtable
	segs  int
	start int // offset of startCode array
}

func findCmap4(cmap []byte) (*cmap4, error) {
	if len(cmap) < 4 {
		return nil, errors.New("cmap table too short")
	}
	n := int(binary.BigEndian.Uint16(cmap[2:]))
	if 4+n*8 > len(cmap) {
		return nil, fmt.Errorf("cmap: %d encoding records run past table end", n)
	}
	for i := 0; i < n; i++ {
		p := 4 + i*8
		plat := binary.BigEndian.Uint16(cmap[p:])
		enc := binary.BigEndian.Uint16(cmap[p+2:])
		off := binary.BigEndian.Uint32(cmap[p+4:])
		// Same selection rule as gofpdf, so we test what it will use.
		if !(plat == 3 && enc == 1) && plat != 0 {
			continue
		}
		if uint64(off)+14 > uint64(len(cmap)) || binary.BigEndian.Uint16(cmap[off:]) != 4 {
			continue
		}
		sub := cmap[off:]
		l := int(binary.BigEndian.Uint16(sub[2:]))
		if l < 14 || l > len(sub) {
			// Some fonts have a format-4 length that wraps past 64 KiB;
			// bound by the table instead.
			l = len(sub)
		}
		sub = sub[:l]
		segs := int(binary.BigEndian.Uint16(sub[6:])) / 2
		if segs == 0 || 16+segs*8 > len(sub) {
			return nil, fmt.Errorf("cmap format 4: %d segments do not fit in %d bytes", segs, len(sub))
		}
		return &cmap4{data: sub, segs: segs, start: 14 + segs*2 + 2}, nil
	}
	return nil, errors.New("no Unicode cmap subtable of format 4 (platform 3/1 or 0), gofpdf needs one")
}

// glyph returns the glyph index for r, 0 if unmapped.
func (c *cmap4) glyph(r rune) int {
	if r > 0xFFFF || r < 0 {
		return 0
	}
	u := uint16(r)
	d := c.data
	for i := 0; i < c.segs; i++ {
		end := binary.BigEndian.Uint16(d[14+i*2:])
		if u > end {
			continue
		}
		start := binary.BigEndian.Uint16(d[c.start+i*2:])
		if u < start {
			return 0
		}
		delta := binary.BigEndian.Uint16(d[c.start+c.segs*2+i*2:])
		roPos := c.start + c.segs*4 + i*2
		ro := int(binary.BigEndian.Uint16(d[roPos:]))
		if ro == 0 {
			return int(u + delta)
		}
		gp := roPos + ro + int(u-start)*2
		if gp+2 > len(d) {
			return 0
		}
		g := binary.BigEndian.Uint16(d[gp:])
		if g == 0 {
			return 0
		}
		return int(g + delta)
	}
	return 0
}
