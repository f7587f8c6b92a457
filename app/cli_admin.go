package app

import (
	"context"
	"fmt"
	"os"
	"time"

	"cunjing/store"
)

func cmdBackup(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "backup")
	db := fs.String("db", "", "database file")
	to := fs.String("to", "", "folder (e.g. a USB stick) to write the backup into")
	keep := fs.Int("keep", 10, "keep only the newest N backups in the folder (0 = all)")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *to == "" {
		return fmt.Errorf("%w: --to DIR is required", errUsage)
	}
	s, err := openDB(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	start := time.Now()
	p, err := s.Backup(ctx, *to, *keep)
	if err != nil {
		return err
	}
	fi, err := os.Stat(p)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env.Stdout, map[string]any{"path": p, "bytes": fi.Size(), "verified": true, "seconds": time.Since(start).Seconds()})
	}
	fmt.Fprintf(env.Stdout, "backup written and verified: %s (%d KB)\n", p, fi.Size()/1024)
	return nil
}

func cmdRestore(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "restore")
	db := fs.String("db", "", "database file to replace (the app must be closed)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := requireDB(*db); err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: give the backup file: cunjing restore --db PATH FROM", errUsage)
	}
	kept, err := store.Restore(ctx, *db, pos[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "restored %s from %s\n", *db, pos[0])
	if kept != "" {
		fmt.Fprintf(env.Stdout, "the replaced database is kept as %s\n", kept)
	}
	return nil
}

func cmdUser(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "user")
	db := fs.String("db", "", "database file")
	name := fs.String("name", "", "display name")
	role := fs.String("role", store.UserOfficer, "officer, auxiliary or station_admin")
	pwEnv := fs.String("password-env", "CUNJING_PASSWORD", "environment variable holding the password (never on the command line)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || pos[0] != "add" {
		return fmt.Errorf("%w: cunjing user add --db PATH [--role R] [--name N] USERNAME (password in $CUNJING_PASSWORD)", errUsage)
	}
	pw := os.Getenv(*pwEnv)
	if pw == "" {
		return fmt.Errorf("%w: set the password in $%s", errUsage, *pwEnv)
	}
	s, err := openDB(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.AddUser(ctx, pos[1], *name, *role, pw); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "user %s (%s) saved\n", pos[1], *role)
	return nil
}
