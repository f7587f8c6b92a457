package admincmd

import (
	"context"
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"filippo.io/age"

	"cunjing/app/cli/clikit"
	"cunjing/store"
	"cunjing/store/backup"
	"cunjing/store/dbfile"
	"cunjing/store/winlock"
	cjsync "cunjing/sync"
)

// BackupPassEnv is where backup and restore read the backup passphrase
// from by default (never from the command line, where ps shows it).
const BackupPassEnv = "CUNJING_BACKUP_PASSPHRASE"

// flagSet reports whether a flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// passphraseFrom reads the passphrase from the environment variable the
// flag names: "" when it is unset, an error when the flag was given
// explicitly and the variable is empty.
func passphraseFrom(fs *flag.FlagSet, env string) (string, error) {
	pw := os.Getenv(env)
	if pw == "" && flagSet(fs, "passphrase-env") {
		return "", fmt.Errorf("%w: set the backup passphrase in $%s", clikit.ErrUsage, env)
	}
	return pw, nil
}

func Backup(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db := clikit.NewDBFlags(env, "backup")
	to := fs.String("to", "", "folder (e.g. a USB stick) to write the backup into")
	keep := fs.Int("keep", 10, "keep only the newest N of this database's backups in the folder (0 = all; other databases' backups there are left alone)")
	passEnv := fs.String("passphrase-env", BackupPassEnv, "environment variable holding the backup passphrase (never on the command line); sets it if none is set yet")
	change := fs.Bool("change-passphrase", false, "replace the backup passphrase that is set with the one in --passphrase-env (older backups keep the old one)")
	plaintext := fs.Bool("plaintext", false, "write an UNENCRYPTED backup (.db) that anyone who finds the stick can read")
	asJSON := clikit.JSONFlag(fs)
	if _, err := clikit.ParseFlags(fs, args); err != nil {
		return err
	}
	if *to == "" {
		return fmt.Errorf("%w: --to DIR is required", clikit.ErrUsage)
	}
	pw, err := passphraseFrom(fs, *passEnv)
	if err != nil {
		return err
	}
	if *plaintext && pw != "" {
		return fmt.Errorf("%w: --plaintext writes no passphrase; unset $%s or leave out --plaintext", clikit.ErrUsage, *passEnv)
	}
	s, err := clikit.OpenDB(ctx, env, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	if pw != "" {
		if err := useBackupPassphrase(ctx, env, s, pw, *change); err != nil {
			return err
		}
	}
	enc, err := backup.EncryptionOf(ctx, s)
	if err != nil {
		return err
	}
	start := time.Now()
	p, err := backup.Write(ctx, s, *to, backup.Options{Keep: *keep, Plaintext: *plaintext})
	if errors.Is(err, backup.ErrNoKey) {
		return fmt.Errorf("%w.\nSet a backup passphrase (restores will need it):\n  %s=... cunjing backup --db %s --to %s\nor in the window under 设置 → 备份. Pairing with the station also lets it encrypt backups.\nAn unencrypted backup, readable by anyone who finds the stick, needs --plaintext", err, *passEnv, *db, *to)
	}
	// A backup whose older ones could not all be removed is written and
	// verified: it is reported as made, with a warning that the folder
	// keeps filling.
	rotateErr := ""
	if p != "" && errors.Is(err, backup.ErrRotate) {
		rotateErr, err = err.Error(), nil
		fmt.Fprintf(env.Stderr, "warning: %s\n", rotateErr)
	}
	if err != nil {
		return err
	}
	fi, err := os.Stat(p)
	if err != nil {
		return err
	}
	if *asJSON {
		out := map[string]any{"path": p, "bytes": fi.Size(), "verified": true, "encrypted": !*plaintext,
			"passphrase": enc.Passphrase && !*plaintext, "stations": stationsOf(enc, *plaintext), "seconds": time.Since(start).Seconds()}
		if rotateErr != "" {
			out["rotate_error"] = rotateErr
		}
		return clikit.WriteJSON(env.Stdout, out)
	}
	if *plaintext {
		fmt.Fprintf(env.Stdout, "UNENCRYPTED backup written and verified: %s (%d KB)\nanyone who finds it can read every name and ID number in it, and sign as this device\n", p, fi.Size()/1024)
		return nil
	}
	fmt.Fprintf(env.Stdout, "encrypted backup written and verified: %s (%d KB)\n", p, fi.Size()/1024)
	if enc.Passphrase {
		fmt.Fprintln(env.Stdout, "restore it with the backup passphrase")
	}
	if len(enc.Stations) > 0 {
		fmt.Fprintf(env.Stdout, "the station (%s) can also restore it\n", strings.Join(enc.Stations, ", "))
	}
	return nil
}

func stationsOf(enc backup.Encryption, plaintext bool) []string {
	if plaintext || enc.Stations == nil {
		return []string{}
	}
	return enc.Stations
}

// useBackupPassphrase sets pw as the backup passphrase if none is set, and
// refuses a different one unless change is set.
func useBackupPassphrase(ctx context.Context, env *clikit.Env, s *store.Store, pw string, change bool) error {
	err := backup.CheckPassphrase(ctx, s, pw)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, backup.ErrWrongPassphrase) && !change:
		return fmt.Errorf("a different backup passphrase is set for this database; give that one, or replace it with --change-passphrase (backups made before keep the old one)")
	case errors.Is(err, backup.ErrWrongPassphrase), errors.Is(err, backup.ErrNoKey):
		if err := backup.SetPassphrase(ctx, s, pw); err != nil {
			return err
		}
		fmt.Fprintln(env.Stderr, "backup passphrase set: keep it safe, restores need it (it is not stored anywhere)")
		return nil
	}
	return err
}

func Restore(ctx context.Context, env *clikit.Env, args []string) error {
	fs := clikit.NewFlags(env, "restore")
	db := fs.String("db", "", "database file to replace (the app must be closed)")
	passEnv := fs.String("passphrase-env", BackupPassEnv, "environment variable holding the backup passphrase (never on the command line)")
	stationDB := fs.String("with-station-db", "", "restore a post's backup with the key of this station database (the station the post was paired with)")
	asJSON := clikit.JSONFlag(fs)
	pos, err := clikit.ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := clikit.RequireDB(*db); err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: give the backup file: cunjing restore --db PATH [--passphrase-env VAR | --with-station-db STATION.db] FROM", clikit.ErrUsage)
	}
	from := pos[0]
	// What --db names is replaced, and kept aside renamed: a folder (and
	// all in it) or a device is no database to replace.
	if fi, err := os.Stat(*db); err == nil && fi.IsDir() {
		return fmt.Errorf("%w: --db %s is a folder: give the database file to replace", clikit.ErrUsage, *db)
	} else if err == nil && !fi.Mode().IsRegular() {
		return fmt.Errorf("%w: --db %s is not a regular file", clikit.ErrUsage, *db)
	}
	var opt backup.RestoreOptions
	if opt.Passphrase, err = passphraseFrom(fs, *passEnv); err != nil {
		return err
	}
	if *stationDB != "" {
		if opt.Passphrase != "" && flagSet(fs, "passphrase-env") {
			return fmt.Errorf("%w: give either --passphrase-env or --with-station-db", clikit.ErrUsage)
		}
		opt.Passphrase = ""
		if err := stationKeys(ctx, env, *stationDB, *db, &opt); err != nil {
			return err
		}
	}
	// A window, `cunjing node` (a station's service beside the window),
	// `cunjing sync` or `cunjing exchange` with the database open would go
	// on writing into the file the restore moves aside: their work would
	// be gone from the database without a word. backup.Restore takes
	// their locks (store/winlock) whole and is refused, naming them,
	// while any holds one; held meanwhile, none of them opens it either.
	var replaced string // the device of the database replaced
	opt.BeforeSwap = func(ctx context.Context, path string) (n int, err error) {
		replaced, n, err = cutBeforeRestore(ctx, env, path)
		return n, err
	}
	info, err := backup.Restore(ctx, *db, from, opt)
	if errors.Is(err, winlock.ErrInUse) {
		return fmt.Errorf("%w: close or stop it first, nothing was restored（未作任何恢复）", err)
	}
	if errors.Is(err, winlock.ErrRestoring) {
		return fmt.Errorf("%w: wait for it to finish, nothing was restored（正在恢复这个数据库，请等它完成；未作任何恢复）", err)
	}
	if errors.Is(err, backup.ErrNeedPassphrase) {
		return fmt.Errorf("%w: put it in $%s (or give --with-station-db STATION.db at the station)", err, *passEnv)
	}
	if err != nil {
		return err
	}
	// The unpairings kept beside the backups (a device unpaired since this
	// backup, a stolen PC, stays unpaired on a new PC); a copy that did not
	// verify is said, since what it named may be trusted again.
	if info.Journal.Refused != "" {
		fmt.Fprintf(env.Stderr, "warning: the copy of the unpairings in %s was refused (%s): a device unpaired after this backup was made may be trusted again; check `cunjing sync --status` and unpair it again\n",
			filepath.Dir(from), info.Journal.Refused)
	}
	if *asJSON {
		return clikit.WriteJSON(env.Stdout, map[string]any{"db": *db, "from": from, "kept": info.Kept, "encrypted": !info.Plain,
			"device": info.Header.Device, "created": info.Header.Created,
			"unpairings_taken": info.Journal.Devices, "unpairings_refused": info.Journal.Refused,
			"packed": info.Packed})
	}
	fmt.Fprintf(env.Stdout, "restored %s from %s\n", *db, from)
	if info.Packed > 0 {
		fmt.Fprintf(env.Stdout, "%d change(s) saved since the last sync were packed first: they come back into the restored database at its next sync（恢复前已把 %d 条还没同步的修改打包，下次同步时回到恢复的数据库里）\n", info.Packed, info.Packed)
	}
	if info.Journal.Devices > 0 {
		fmt.Fprintf(env.Stdout, "pairings and unpairings kept with the backups: %d device(s) as they were paired or unpaired since\n", info.Journal.Devices)
	}
	if info.Plain {
		fmt.Fprintln(env.Stderr, "warning: this backup was NOT encrypted: whoever had the stick could read it. Delete it from the stick and make an encrypted one.")
	}
	if info.Kept != "" {
		fmt.Fprintf(env.Stdout, "the replaced database is kept as %s\n", info.Kept)
	}
	// Two posts may keep their backups on one stick: a backup of the
	// other one restored here makes this PC that post, without a word.
	restored := info.Header.Device
	if restored == "" {
		restored, _ = dbfile.Device(ctx, *db)
	}
	if replaced != "" && restored != "" && replaced != restored {
		fmt.Fprintf(env.Stderr, "warning: this backup is of another device (%s) than the database it replaced (%s): this PC now works as that device; the replaced database is kept as %s（这个备份是另一台设备的，不是被替换的那个数据库的：这台电脑现在是那台设备。如果选错了备份，请用留下的旧数据库恢复）\n",
			restored, replaced, info.Kept)
	}
	return nil
}

// cutBeforeRestore packs into changesets what the database about to be
// replaced holds of its own that none carries yet (cjsync.CutBeforeRestore;
// called by backup.Restore once the backup proved good, with every lock
// held): how many (the restore's RestoreInfo.Packed, said after it), and
// the device of the database there ("" when it did not open). What was
// packed comes back into the restored database, as what was cut before
// does; a database that does not open (damaged: the reason to restore)
// packs nothing, which is said here, on stderr (stdout may be --json).
func cutBeforeRestore(ctx context.Context, env *clikit.Env, dbPath string) (device string, n int, err error) {
	n, err = func() (int, error) {
		st, err := store.Open(ctx, dbPath, env.StoreOptions)
		if err != nil {
			return 0, err
		}
		defer st.Close()
		device = st.DeviceID()
		return cjsync.CutBeforeRestore(ctx, st, slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	}()
	if err != nil {
		fmt.Fprintf(env.Stderr, "warning: changes saved since the last sync could not be packed before the restore (%v): they are only in the kept copy（恢复前没能把还没同步的修改打包，它们只在留下的旧数据库里）\n", err)
	}
	return device, n, err
}

// stationKeys fills opt to open a post's backup with a station's key: the
// station's own age key, and the post's signing key from its pairing.
func stationKeys(ctx context.Context, env *clikit.Env, stationPath, dbPath string, opt *backup.RestoreOptions) error {
	if a, b := filepath.Clean(stationPath), filepath.Clean(dbPath); a == b {
		return fmt.Errorf("%w: --with-station-db is the station's database, not the one to restore into", clikit.ErrUsage)
	}
	// Let go of before the restore (not when the command returns): a
	// second name of the same file must not make the restore refuse
	// itself.
	st, release, err := clikit.OpenHeld(ctx, env, stationPath, winlock.UserCommand)
	if err != nil {
		return fmt.Errorf("station database: %w", err)
	}
	defer release()
	defer st.Close()
	if st.Role() != store.RoleStation {
		return fmt.Errorf("%s is a %s's database, not a station's", stationPath, st.Role())
	}
	id, err := cjsync.LoadIdentity(ctx, st)
	if err != nil {
		return err
	}
	peers, err := st.SyncBook().Peers(ctx, true)
	if err != nil {
		return err
	}
	signers := map[string]ed25519.PublicKey{}
	for _, p := range peers {
		if p.Role == store.RolePost && len(p.SignKey) == ed25519.PublicKeySize {
			signers[p.DeviceID] = ed25519.PublicKey(p.SignKey)
		}
	}
	opt.Identities = []age.Identity{id.Age}
	opt.Signer = func(device string) (ed25519.PublicKey, error) {
		k, ok := signers[device]
		if !ok {
			return nil, fmt.Errorf("device %s was never paired with this station", device)
		}
		return k, nil
	}
	return nil
}

// User is `cunjing user add` (a new local account; a name an account has
// is refused, the account left as it was) and `cunjing user reset` (an
// existing account's forgotten password set again, its lock lifted: for
// whoever sits at the PC with the database).
func User(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db := clikit.NewDBFlags(env, "user")
	name := fs.String("name", "", "display name (reset: kept when not given)")
	role := fs.String("role", store.UserOfficer, "officer, auxiliary or station_admin (reset: kept when not given)")
	pwEnv := fs.String("password-env", "CUNJING_PASSWORD", "environment variable holding the password (never on the command line)")
	pos, err := clikit.ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || pos[0] != "add" && pos[0] != "reset" {
		return fmt.Errorf("%w: cunjing user add|reset --db PATH [--role R] [--name N] USERNAME (password in $CUNJING_PASSWORD)", clikit.ErrUsage)
	}
	pw := os.Getenv(*pwEnv)
	if pw == "" {
		return fmt.Errorf("%w: set the password in $%s", clikit.ErrUsage, *pwEnv)
	}
	s, err := clikit.OpenDB(ctx, env, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	if pos[0] == "reset" {
		// The role, like the name, is changed only when given: --role's
		// default is add's, and a station administrator who forgot the
		// password would be made an officer.
		roleGiven := false
		fs.Visit(func(f *flag.Flag) { roleGiven = roleGiven || f.Name == "role" })
		if !roleGiven {
			users, err := s.Users(ctx)
			if err != nil {
				return err
			}
			for _, u := range users {
				if u.Username == strings.TrimSpace(pos[1]) {
					*role = u.Role
				}
			}
		}
		if err := s.ResetUser(ctx, pos[1], *name, *role, pw); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "user %s (%s): new password set\n", pos[1], *role)
		return nil
	}
	if err := s.AddUser(ctx, pos[1], *name, *role, pw); errors.Is(err, store.ErrUserExists) {
		return fmt.Errorf("%w: nothing changed (to set its password again: cunjing user reset --db %s --role ROLE %s)", err, *db, pos[1])
	} else if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "user %s (%s) saved\n", pos[1], *role)
	return nil
}
