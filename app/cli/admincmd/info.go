package admincmd

import (
	"context"
	"fmt"
	"io"

	"cunjing/app/cli/clikit"
	"cunjing/store"
)

// Info is `cunjing info`: record counts and identity of a database.
func Info(ctx context.Context, env *clikit.Env, args []string) error {
	type info struct {
		store.Counts
		SchemaVersion int    `json:"schema_version"`
		DeviceID      string `json:"device_id"`
		Role          string `json:"role"`
		Name          string `json:"name"`
		Township      string `json:"township"`
	}
	read := func(s *store.Store) (info, error) {
		c, err := s.Counts(ctx, "")
		if err != nil {
			return info{}, err
		}
		var self store.Post
		if err := s.Get(ctx, &self, s.DeviceID()); err != nil {
			return info{}, fmt.Errorf("read own profile: %w", err)
		}
		return info{c, store.SchemaVersion(), s.DeviceID(), s.Role(), self.Name, self.Township}, nil
	}
	return clikit.Show(ctx, env, "info", args, read, func(w io.Writer, i info) {
		c := i.Counts
		fmt.Fprintf(w, "%s (%s, %s)\ndevice %s, schema %d\nvillages %d, houses %d, households %d, residents %d\nteams %d, members %d, shift rules %d, patrols %d\nvenues %d, cost items %d, changes %d, conflicts %d\n",
			i.Name, i.Township, i.Role, i.DeviceID, i.SchemaVersion,
			c.Villages, c.Houses, c.Households, c.Residents, c.Teams, c.Members, c.ShiftRules, c.Patrols,
			c.Venues, c.CostItems, c.Changes, c.Conflicts)
	})
}

// Dump is `cunjing dump`: the canonical dump (compare replicas with diff).
func Dump(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db := clikit.NewDBFlags(env, "dump")
	owner := fs.String("owner", "", "only records owned by this device ID")
	s, err := clikit.ParseOpen(ctx, env, fs, args, db)
	if err != nil {
		return err
	}
	defer s.Close()
	return s.Dump(ctx, env.Stdout, *owner)
}
