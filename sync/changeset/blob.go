package changeset

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"
)

// BlobName is the file name of a media blob: its plaintext SHA-256, which
// is also how records refer to it (e.g. village_maps.image_hash).
func BlobName(hash string) string { return "blob-" + hash + BlobExt }

// BlobHash extracts the hash from a blob file name.
func BlobHash(name string) (string, bool) {
	h, ok := strings.CutPrefix(name, "blob-")
	if !ok {
		return "", false
	}
	h, ok = strings.CutSuffix(h, BlobExt)
	if !ok || !isHash(h) {
		return "", false
	}
	return h, true
}

// HashBlob returns the content hash of media bytes.
func HashBlob(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// SealBlob encrypts media to the recipients. Blobs are not signed on their
// own: the signed changeset that refers to one names its hash, and OpenBlob
// checks the plaintext against it.
func SealBlob(data []byte, recipients []age.Recipient) ([]byte, error) {
	var out bytes.Buffer
	out.WriteString(blobMagic)
	w, err := age.Encrypt(&out, recipients...)
	if err != nil {
		return nil, fmt.Errorf("encrypt blob: %w", err)
	}
	if _, err := w.Write(data); err != nil {
		return nil, fmt.Errorf("encrypt blob: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("encrypt blob: %w", err)
	}
	return out.Bytes(), nil
}

// OpenBlob decrypts a blob file and checks it is the media with hash.
func OpenBlob(hash string, file []byte, id age.Identity) ([]byte, error) {
	ct, ok := bytes.CutPrefix(file, []byte(blobMagic))
	if !ok {
		return nil, errors.New("not a cunjing blob (bad magic)")
	}
	r, err := age.Decrypt(bytes.NewReader(ct), id)
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			return nil, ErrNotForUs
		}
		return nil, fmt.Errorf("decrypt blob: %w", err)
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxBlobSize+1))
	if err != nil {
		return nil, fmt.Errorf("decrypt blob (truncated or altered): %w", err)
	}
	if len(data) > MaxBlobSize {
		return nil, fmt.Errorf("blob exceeds %d bytes", MaxBlobSize)
	}
	if HashBlob(data) != hash {
		return nil, fmt.Errorf("blob %s: content hash mismatch", hash)
	}
	return data, nil
}

// MaxBlobFileSize bounds a blob file: MaxBlobSize of media plus the magic,
// age's header and its 16-byte tag per 64 KiB chunk.
const MaxBlobFileSize = MaxBlobSize + MaxBlobSize/4096 + 64<<10
