package record

import (
	"regexp"
)

// Release is a cunjing installer or package a station carries to its
// posts: the signed manifest as it was signed and the file as a blob
// (FileHash, its SHA-256). The store keeps them; sync/release checks the
// manifest against the built-in release keys and the blob against the
// manifest before anything is offered (the store trusts neither).
type Release struct {
	Meta
	Version     string `db:"version"`
	OS          string `db:"os"`
	Arch        string `db:"arch"`
	Manifest    string `db:"manifest"`
	FileHash    string `db:"file_hash"`
	PublishedAt string `db:"published_at"`
}

var releaseHashRe = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (*Release) Table() string { return "releases" }

func (r *Release) Validate() error {
	switch {
	case r.Version == "" || len(r.Version) > 20:
		return fieldErr("releases", "version", r.Version, "required, at most 20 characters")
	case r.OS == "" || len(r.OS) > 20:
		return fieldErr("releases", "os", r.OS, "required")
	case r.Arch == "" || len(r.Arch) > 20:
		return fieldErr("releases", "arch", r.Arch, "required")
	case r.Manifest == "" || len(r.Manifest) > 64<<10:
		return fieldErr("releases", "manifest", "", "required, at most 64 KiB")
	case !releaseHashRe.MatchString(r.FileHash):
		return fieldErr("releases", "file_hash", r.FileHash, "must be a SHA-256 in hex")
	}
	return nil
}
