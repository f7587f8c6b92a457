package changeset

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"cunjing/store/change"
)

// Every line Encode writes takes the direct path and reads back as written,
// whatever the strings hold.
func TestDecodeCanonical(t *testing.T) {
	values := []string{`"户主00001"`, `"a \"quoted\" \\ back/slash"`, "\"tab\there\nnewline\r\x01\x1f\"", `"\u2028 and \u2029"`,
		`"emoji 🚒 and é"`, "\"invalid \xff utf-8\"", `["x","y"]`, `12.5`, `true`, `""`, strings.Repeat(`"长文本"`, 30_000)}
	var cs []change.Change
	for i, v := range values {
		c := change.Change{Table: "households", Record: "R", Field: "notes", Value: v, HLC: "0001700000000000.00000.DEV"}
		if i%2 == 1 {
			c.Base = "0001600000000000.00000.DEV"
		}
		cs = append(cs, c)
	}
	var buf bytes.Buffer
	if err := Encode(&buf, cs); err != nil {
		t.Fatal(err)
	}
	for i, line := range bytes.SplitAfter(buf.Bytes(), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		fast, ok := decodeCanonical(line, &cs[(i+len(cs)-1)%len(cs)])
		slow, err := decodeJSONLine(line)
		if err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		// Invalid UTF-8 was replaced by Encode, so every line is canonical.
		if !ok || fast != slow {
			t.Errorf("line %d: direct path %v %+v, encoding/json %+v", i, ok, fast, slow)
		}
	}
	got, err := Decode(&buf, len(cs))
	if err != nil || len(got) != len(cs) {
		t.Fatalf("decode: %d changes, %v", len(got), err)
	}
	for i := range cs {
		want := cs[i]
		want.Value = strings.ToValidUTF8(want.Value, "\uFFFD")
		if got[i] != want {
			t.Errorf("change %d: %+v, want %+v", i, got[i], want)
		}
	}
	// Forms only encoding/json reads still read; what it refuses is refused.
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{`{"r":"R","t":"x","f":"y","v":"1","h":"h"}` + "\n", true}, // other key order
		{`{"T":"x"}` + "\r\n", true},                               // key case, CRLF
		{"\n\n", true},                                             // blank lines
		{`{"t":"x","zz":1}`, false},                                // unknown key
		{`{"t":"x"} {"t":"y"}`, false},                             // two on a line
		{`{"t":"x"`, false},                                        // cut
	} {
		_, err := Decode(strings.NewReader(tc.in), 10)
		if (err == nil) != tc.ok {
			t.Errorf("%q: %v", tc.in, err)
		}
	}
}

// FuzzDecodeCanonical: the direct path accepts a line only if encoding/json
// reads it to the same change.
func FuzzDecodeCanonical(f *testing.F) {
	f.Add([]byte(`{"t":"households","r":"R","f":"notes","v":"\"户主\"","h":"0001700000000000.00000.DEV"}`+"\n"), "", "")
	f.Add([]byte(`{"t":"a","r":"b","f":"c","v":"\u00e9\ud83d\ude92\/","h":"h","b":"x"}`), "", "")
	f.Add([]byte(`{"t":"a","r":"b","f":"c","v":"\u2028","h":"h","b":""}`), "", "")
	f.Add([]byte("{\"t\":\"a\xff\",\"r\":\"b\",\"f\":\"c\",\"v\":\"d\",\"h\":\"h\"}"), "a\xff", "")
	f.Add([]byte(`{"t":"a","r":"b","f":"c","v":"d","h":"h"} `), "", "")
	f.Add([]byte(`{"t":"a","r":"b","f":"c","v":"d","h":"h"}`), "a", "d")
	f.Fuzz(func(t *testing.T, line []byte, prevTable, prevValue string) {
		// prev is always a change decoded before: valid UTF-8.
		prevTable, prevValue = strings.ToValidUTF8(prevTable, "\uFFFD"), strings.ToValidUTF8(prevValue, "\uFFFD")
		fast, ok := decodeCanonical(line, &change.Change{Table: prevTable, Value: prevValue, HLC: prevValue})
		if !ok {
			return
		}
		slow, err := decodeJSONLine(line)
		if err != nil {
			t.Fatalf("direct path read %q, encoding/json refuses it: %v", line, err)
		}
		if fast != slow {
			t.Fatalf("%q: direct %+v, encoding/json %+v", line, fast, slow)
		}
	})
}

// firstUploadBody is what a post's first upload of 10,000 households
// decompresses to: 40,000 changes, one per line.
func firstUploadBody(b *testing.B) []byte {
	b.Helper()
	var cs []change.Change
	for i := range 10_000 {
		rec := strings.Repeat("0", 8) + "-7c3d-7e4f-8a9b-" + strings.Repeat("1", 12)
		rec = rec[:len(rec)-5] + string(rune('a'+i%26)) + "0000"
		h := "0001700000000000.00000.AAAAAAA-BBBBBBB"
		cs = append(cs, change.Change{Table: "households", Record: rec, Field: "owner_name", Value: `"户主00001"`, HLC: h},
			change.Change{Table: "households", Record: rec, Field: "village_id", Value: `"0190a8b2-7c3d-7e4f-8a9b-000000000001"`, HLC: h},
			change.Change{Table: "households", Record: rec, Field: "warning", Value: `"绿"`, HLC: h},
			change.Change{Table: "households", Record: rec, Field: "owner", Value: `"AAAAAAA-BBBBBBB"`, HLC: h})
	}
	var buf bytes.Buffer
	if err := Encode(&buf, cs); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func BenchmarkDecode(b *testing.B) {
	body := firstUploadBody(b)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if cs, err := Decode(bytes.NewReader(body), MaxChanges); err != nil || len(cs) != 40_000 {
			b.Fatal(len(cs), err)
		}
	}
}

// BenchmarkDecodeEncodingJSON is the baseline: the json.Decoder stream
// Decode used before the direct path.
func BenchmarkDecodeEncodingJSON(b *testing.B) {
	body := firstUploadBody(b)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		var cs []change.Change
		for dec.More() {
			var c change.Change
			if err := dec.Decode(&c); err != nil {
				b.Fatal(err)
			}
			cs = append(cs, c)
		}
		if len(cs) != 40_000 {
			b.Fatal(len(cs))
		}
	}
}
