package assets

import _ "embed"

// releaseKeys are the public halves of the release keys (Ed25519, base64,
// one a line): a release manifest signed by one of them may be installed
// (sync/release). docs/RELEASES.md says how the keys are made and kept.
//
//go:embed release/keys.txt
var releaseKeys []byte

// ReleaseKeys returns the built-in release public keys' text (a copy).
func ReleaseKeys() []byte { return append([]byte(nil), releaseKeys...) }
