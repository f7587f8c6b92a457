package changeset

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf16"
	"unicode/utf8"

	"cunjing/store/change"
)

// Decode reads what Encode wrote, one change per line, at most max
// changes; unknown keys are errors, since a signed file never has them.
// Lines in exactly Encode's form take a direct path (encoding/json's
// reflection was most of the cost of opening a post's first upload at the
// station); any other line goes through encoding/json, and the direct path
// reads only what encoding/json reads the same way (FuzzDecodeCanonical).
func Decode(r io.Reader, max int) ([]change.Change, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var out []change.Change
	var long []byte
	for {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long[:0], line...)
			for errors.Is(err, bufio.ErrBufferFull) {
				line, err = br.ReadSlice('\n')
				long = append(long, line...)
			}
			line = long
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("decode change %d: %w", len(out)+1, err)
		}
		if len(bytes.TrimSpace(line)) > 0 {
			if len(out) >= max {
				return nil, fmt.Errorf("more than %d changes", max)
			}
			var prev change.Change
			if len(out) > 0 {
				prev = out[len(out)-1]
			}
			c, ok := decodeCanonical(line, &prev)
			if !ok {
				if c, err = decodeJSONLine(line); err != nil {
					return nil, fmt.Errorf("decode change %d: %w", len(out)+1, err)
				}
			}
			out = append(out, c)
		}
		if errors.Is(err, io.EOF) {
			return out, nil
		}
	}
}

// decodeJSONLine reads one line holding exactly one change object.
func decodeJSONLine(line []byte) (change.Change, error) {
	var c change.Change
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, err
	}
	if dec.More() {
		return c, errors.New("more than one change on a line")
	}
	return c, nil
}

// decodeCanonical reads a line in Encode's exact form,
// {"t":…,"r":…,"f":…,"v":…,"h":…[,"b":…]}, and reports false for anything
// else (including strings it would have to guess about: invalid UTF-8 or
// surrogate escapes), leaving those to encoding/json. prev is the change
// decoded before (so valid UTF-8): equal strings are shared with it.
func decodeCanonical(line []byte, prev *change.Change) (change.Change, bool) {
	var c change.Change
	line = bytes.TrimSuffix(line, []byte("\n"))
	fields := [...]struct {
		key  string
		dst  *string
		prev string
	}{{`{"t":`, &c.Table, prev.Table}, {`,"r":`, &c.Record, prev.Record}, {`,"f":`, &c.Field, prev.Field},
		{`,"v":`, &c.Value, prev.Value}, {`,"h":`, &c.HLC, prev.HLC}, {`,"b":`, &c.Base, prev.Base}}
	for i, f := range fields {
		rest, ok := bytes.CutPrefix(line, []byte(f.key))
		if !ok {
			if i == len(fields)-1 {
				break // base is omitted when empty
			}
			return c, false
		}
		s, rest, ok := jsonString(rest, f.prev)
		if !ok || (i == len(fields)-1 && s == "") {
			return c, false // an explicit empty base is not Encode's form
		}
		*f.dst, line = s, rest
	}
	return c, string(line) == "}"
}

// jsonString reads a JSON string at the start of b and returns it and the
// rest of b. A string equal to prev is returned as prev: consecutive
// changes mostly share table, record, field and HLC, and not allocating
// them again is a third of the decoding time.
func jsonString(b []byte, prev string) (string, []byte, bool) {
	if len(b) == 0 || b[0] != '"' {
		return "", nil, false
	}
	b = b[1:]
	// Most strings need no unescaping: return a copy of the raw bytes.
	i := 0
	for i < len(b) && b[i] != '"' && b[i] != '\\' && b[i] >= 0x20 {
		i++
	}
	if i < len(b) && b[i] == '"' {
		if string(b[:i]) == prev {
			return prev, b[i+1:], true
		}
		if !utf8.Valid(b[:i]) {
			return "", nil, false
		}
		return string(b[:i]), b[i+1:], true
	}
	out := make([]byte, 0, i+16)
	out = append(out, b[:i]...)
	for i < len(b) {
		ch := b[i]
		switch {
		case ch == '"':
			if !utf8.Valid(out) {
				return "", nil, false
			}
			return string(out), b[i+1:], true
		case ch < 0x20:
			return "", nil, false
		case ch != '\\':
			out = append(out, ch)
			i++
			continue
		}
		if i+1 >= len(b) {
			return "", nil, false
		}
		switch e := b[i+1]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			if i+6 > len(b) {
				return "", nil, false
			}
			var r rune
			for _, h := range b[i+2 : i+6] {
				switch {
				case h >= '0' && h <= '9':
					r = r<<4 | rune(h-'0')
				case h >= 'a' && h <= 'f':
					r = r<<4 | rune(h-'a'+10)
				case h >= 'A' && h <= 'F':
					r = r<<4 | rune(h-'A'+10)
				default:
					return "", nil, false
				}
			}
			if utf16.IsSurrogate(r) {
				return "", nil, false
			}
			out = utf8.AppendRune(out, r)
			i += 6
			continue
		default:
			return "", nil, false
		}
		i += 2
	}
	return "", nil, false
}
