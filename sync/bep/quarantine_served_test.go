package bep

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"cunjing/store"
	cjsync "cunjing/sync"
	"cunjing/sync/changeset"
	"cunjing/sync/quarantine"
)

// A file the station moved into quarantine is no longer in its folder,
// but its index still lists it (so it is not pulled again). Another
// device of that folder that lacks it asks the station for it and is told
// there is no such file: that must not end its sessions. A hostile post
// planted one junk file in its copy of the station's broadcast folder;
// the station pulled it and moved it out; every other post's session with
// the station then ended "pull …: no such file", session after session.
func TestQuarantinedFileDoesNotStopOthers(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	hostile := device(t, store.RolePost, "P1")
	honest := device(t, store.RolePost, "P2")
	station := device(t, store.RoleStation, "S")
	pairAt(t, hostile, station, "")
	stationAddr := listen(t, ctx, station, Config{})
	sp := pairAt(t, honest, station, stationAddr)
	hostileAddr := listen(t, ctx, hostile, Config{keepRefused: true})
	hp, err := station.Book().Peer(ctx, hostile.Self())
	if err != nil {
		t.Fatal(err)
	}
	hp.Addresses = []string{hostileAddr}
	folder := cjsync.StationFolder(station.Self())
	if err := os.MkdirAll(hostile.FolderDir(folder), 0o700); err != nil {
		t.Fatal(err)
	}
	junk := make([]byte, 3000)
	for i := range junk {
		junk[i] = byte(i*7 + 3)
	}
	name := changeset.Name(hostile.Self(), folder, 77, junk)
	if err := os.WriteFile(filepath.Join(hostile.FolderDir(folder), name), junk, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := NewNode(station, Config{}).SyncOnce(ctx, hp); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(station.Dir(), quarantine.Dir, folder, name)); err != nil {
		t.Fatalf("the junk file is not in the station's quarantine: %v", err)
	}
	for i := range 2 {
		r, err := NewNode(honest, Config{}).SyncOnce(ctx, sp)
		if err != nil || r.Error != "" || !r.Complete {
			t.Fatalf("honest post's session %d with the station: %+v, %v", i+1, r, err)
		}
	}
}
