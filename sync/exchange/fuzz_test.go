package exchange

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	cjsync "cunjing/sync"
	"cunjing/sync/changeset"
)

// Whatever a file on a stick holds, under a changeset's, a receipt's or a
// blob's name that matches its bytes (so it gets past the name check to
// the decoders): importing it gives an outcome, never an error (which
// would stop the whole exchange) nor a panic, and nothing but the files
// the post really wrote is applied or acknowledged.
func FuzzStickFile(f *testing.F) {
	ctx := context.Background()
	post, station := pairedPost(f)
	stick := f.TempDir()
	if _, err := Once(ctx, post, stick); err != nil {
		f.Fatal(err)
	}
	es, err := os.ReadDir(stick)
	if err != nil {
		f.Fatal(err)
	}
	var real [][]byte
	for _, en := range es {
		data, err := os.ReadFile(filepath.Join(stick, en.Name()))
		if err != nil {
			f.Fatal(err)
		}
		real = append(real, data)
		kind := uint8(0)
		if changeset.IsReceiptName(en.Name()) {
			kind = 1
		}
		f.Add(kind, data)
		f.Add(kind, data[:len(data)/2])
		f.Add(kind, append(bytes.Clone(data[:len(data)-1]), data[len(data)-1]^1))
	}
	f.Add(uint8(2), []byte("CJBLOB1\n"))
	f.Add(uint8(0), []byte("CJCS1\n{\"origin\":\"\",\"seq\":1}\nage-encryption.org/v1\n"))
	blob := changeset.BlobName(changeset.HashBlob([]byte("a scanned map")))
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		var name string
		switch kind % 3 {
		case 0:
			h, _ := changeset.Peek(data)
			name = changeset.Name(h.Origin, h.Stream, h.Seq, data)
		case 1:
			from, to, n, _ := changeset.PeekReceipt(data)
			name = changeset.ReceiptName(from, to, n, data)
		default:
			name = blob
		}
		r, err := station.Import(ctx, "fuzz", name, data, true)
		if err != nil {
			t.Fatalf("%s: import failed, which stops the exchange: %v", name, err)
		}
		if r.Outcome == cjsync.Applied || r.Outcome == cjsync.Acknowledged {
			for _, d := range real {
				if bytes.Equal(d, data) {
					return
				}
			}
			t.Fatalf("%s: %s from bytes the post never wrote", name, r.Outcome)
		}
	})
}
