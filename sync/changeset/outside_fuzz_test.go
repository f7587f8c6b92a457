package changeset

import (
	"bytes"
	"testing"

	"filippo.io/age"
)

// Blob files come from sticks, shared drives and peers: whatever their
// bytes, OpenBlob gives an error or the media the name promises, within
// its bound, and never panics.
func FuzzOpenBlob(f *testing.F) {
	me := newParty(f, idStation)
	media := []byte("\xff\xd8\xff\xe0 a scanned village map")
	hash := HashBlob(media)
	sealed, err := SealBlob(media, []age.Recipient{me.age.Recipient()})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sealed)
	f.Add(sealed[:len(sealed)/2])
	f.Add([]byte(blobMagic))
	f.Add(append([]byte(blobMagic), "age-encryption.org/v1\n-> X25519 \n"...))
	f.Fuzz(func(t *testing.T, file []byte) {
		data, err := OpenBlob(hash, file, me.age)
		if err != nil {
			return
		}
		if len(data) > MaxBlobSize || HashBlob(data) != hash || !bytes.Equal(data, media) {
			t.Fatalf("opened %d bytes that are not the media named", len(data))
		}
	})
}

// Receipts in format 1 come the same ways: OpenReceipt takes only one the
// station signed for this post, within the bounds, and never panics.
func FuzzOpenReceipt(f *testing.F) {
	post, station := newParty(f, idPost), newParty(f, idStation)
	r := aPostReceipt()
	r.From, r.To = idStation, idPost
	r.Heads = []Head{{Origin: idPost, Stream: "cj-post-" + idPost, Seq: 3, Digest: r.Heads[0].Digest}}
	_, data := sealReceipt(f, station, r, post)
	f.Add(data)
	f.Add(data[:len(data)-10])
	f.Add([]byte(receiptOuterMagic))
	f.Add([]byte(receiptOuterMagic + `{"from":"` + idStation + `","to":"` + idPost + `","n":7}` + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := OpenReceipt(data, post.age, post.keys(station))
		if err != nil {
			return
		}
		if got.From != idStation || got.To != idPost || got.check() != nil || len(got.Heads) > MaxReceiptHeads {
			t.Fatalf("opened %+v", got)
		}
	})
}
