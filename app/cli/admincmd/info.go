package admincmd

import (
	"context"
	"fmt"

	"cunjing/app/cli/clikit"
	"cunjing/store"
)

// Info is `cunjing info`: record counts and identity of a database.
func Info(ctx context.Context, env *clikit.Env, args []string) error {
	fs := clikit.NewFlags(env, "info")
	db := fs.String("db", "", "database file")
	asJSON := fs.Bool("json", false, "print JSON")
	s, err := clikit.ParseOpen(ctx, env, fs, args, db)
	if err != nil {
		return err
	}
	defer s.Close()
	c, err := s.Counts(ctx, "")
	if err != nil {
		return err
	}
	var self store.Post
	if err := s.Get(ctx, &self, s.DeviceID()); err != nil {
		return fmt.Errorf("read own profile: %w", err)
	}
	info := struct {
		store.Counts
		SchemaVersion int    `json:"schema_version"`
		DeviceID      string `json:"device_id"`
		Role          string `json:"role"`
		Name          string `json:"name"`
		Township      string `json:"township"`
	}{c, store.SchemaVersion(), s.DeviceID(), s.Role(), self.Name, self.Township}
	if *asJSON {
		return clikit.WriteJSON(env.Stdout, info)
	}
	fmt.Fprintf(env.Stdout, "%s (%s, %s)\ndevice %s, schema %d\nvillages %d, houses %d, households %d, residents %d\nteams %d, members %d, shift rules %d, patrols %d\nvenues %d, cost items %d, changes %d, conflicts %d\n",
		self.Name, self.Township, s.Role(), s.DeviceID(), info.SchemaVersion,
		c.Villages, c.Houses, c.Households, c.Residents, c.Teams, c.Members, c.ShiftRules, c.Patrols,
		c.Venues, c.CostItems, c.Changes, c.Conflicts)
	return nil
}

// Dump is `cunjing dump`: the canonical dump (compare replicas with diff).
func Dump(ctx context.Context, env *clikit.Env, args []string) error {
	fs := clikit.NewFlags(env, "dump")
	db := fs.String("db", "", "database file")
	owner := fs.String("owner", "", "only records owned by this device ID")
	s, err := clikit.ParseOpen(ctx, env, fs, args, db)
	if err != nil {
		return err
	}
	defer s.Close()
	return s.Dump(ctx, env.Stdout, *owner)
}
