package app

// First run: a new post with its first account, and optionally the
// officer's household ledger imported into its first village. The window's
// set-up wizard (app/ui Welcome) calls these through gui_firstrun.go; they
// need no display, so they are tested here.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"cunjing/store"
	"cunjing/store/ledger"
	cjsync "cunjing/sync"
)

// createPost makes a new post database at path (a station's when id.Role
// says so) with a fresh device identity and its first account (an
// officer). A half-made database is
// removed, so the wizard can simply be tried again.
func createPost(ctx context.Context, path string, id store.Identity, username, password string) (err error) {
	if strings.TrimSpace(username) == "" || password == "" {
		return errors.New("the first account needs a user name and a password")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("make folder for %s: %w", path, err)
	}
	switch id.Role {
	case "":
		id.Role = store.RolePost
	case store.RolePost, store.RoleStation, store.RoleCounty:
	default:
		return fmt.Errorf("a new database is a post, a station or a county, not %q", id.Role)
	}
	s, _, err := cjsync.Init(ctx, path, id, store.Options{})
	if err != nil {
		return err
	}
	defer func() {
		if cerr := s.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			for _, suf := range []string{"", "-wal", "-shm"} {
				_ = os.Remove(path + suf) // our own half-made database
			}
		}
	}()
	if err := s.AddUser(ctx, strings.TrimSpace(username), id.Officer, store.UserOfficer, password); err != nil {
		return fmt.Errorf("first account: %w", err)
	}
	return nil
}

// importLedgerFile imports a household ledger (.xlsx or .csv) into the
// post at path, into the village named village (created if the post has
// none of that name).
func importLedgerFile(ctx context.Context, path, file, village string) (ledger.Report, error) {
	village = strings.TrimSpace(village)
	if village == "" {
		return ledger.Report{}, ledger.ErrNoVillage
	}
	tables, err := ledger.ReadFile(file)
	if err != nil {
		return ledger.Report{}, fmt.Errorf("%s: %w", file, err)
	}
	t := ledger.Best(tables)
	if t == nil {
		return ledger.Report{}, fmt.Errorf("%s: no sheet looks like a household ledger", file)
	}
	s, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		return ledger.Report{}, err
	}
	defer s.Close()
	v, err := s.VillageByName(ctx, village)
	if errors.Is(err, store.ErrNotFound) {
		var self store.Post
		if err := s.Get(ctx, &self, s.DeviceID()); err != nil {
			return ledger.Report{}, fmt.Errorf("read own profile: %w", err)
		}
		v = store.Village{Name: village, Township: self.Township}
		err = s.Save(ctx, &v)
	}
	if err != nil {
		return ledger.Report{}, fmt.Errorf("village %s: %w", village, err)
	}
	p, err := ledger.Preview(ctx, s, t, ledger.Suggest(t), ledger.Options{VillageID: v.ID})
	if err != nil {
		return ledger.Report{}, err
	}
	return ledger.Commit(ctx, s, p)
}
