package winlock

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
)

// The programs besides the window that keep a database open while they
// run, and hold it shared (Use) so a restore does not move the file from
// under them. `cunjing node` runs at a station as a service beside staff
// opening the window on the same database, so it must not take the
// window's lock; any number of them (and a window) hold the database at
// once, and only a restore takes it whole (Restoring).
const (
	UserNode     = "node"     // cunjing node: the sync service
	UserSync     = "sync"     // cunjing sync --once
	UserExchange = "exchange" // cunjing exchange
	// UserCommand is every other command that opens an existing
	// database (import, export, print, pair, backup, …: clikit.OpenDB),
	// for as long as it runs.
	UserCommand = "command"
	// UserWindow is the window: its own exclusive lock (Take, Path).
	UserWindow = "window"
)

// users are the shared holds a restore takes whole, in the order a
// refusal names them (after the window).
var users = []string{UserNode, UserSync, UserExchange, UserCommand}

// UsePath is the file user's shared hold on the database db lives in.
func UsePath(db, user string) string { return db + ".in-use-" + user }

// ErrRestoring means a restore holds the database: nothing else may open
// it until the restore is done.
var ErrRestoring = errors.New("a restore of this database is under way")

// Use takes user's shared hold on the database at db (a UserNode,
// UserSync, UserExchange or UserCommand). Holders of the same kind share
// it; it is refused (ErrRestoring) only while a restore holds the database. Take it
// before the database is opened, Release it after it is closed. It is the
// operating system's lock, so a killed holder leaves nothing behind.
func Use(db, user string) (*Lock, error) {
	db = RealPath(db)
	p := UsePath(db, user)
	f, err := openLockFile(p)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", db, err)
	}
	// Never removed (only ReleaseRemove removes, and nothing uses it
	// here), so the file opened is the file locked.
	if err := lockFile(f, true); err != nil {
		f.Close()
		if errors.Is(err, errLocked) {
			return nil, fmt.Errorf("%s: %w", db, ErrRestoring)
		}
		// A file system that cannot lock (some network shares): the
		// program runs as before, unguarded; a restore there is refused
		// (it cannot take the lock either).
		return nil, nil
	}
	l := &Lock{f: f, path: p}
	if l.db, err = holdShared(db); err != nil { // a restore holds the file itself
		l.Release()
		return nil, fmt.Errorf("%s: %w", db, ErrRestoring)
	}
	return l, nil
}

// userRestore is the file a restore holds exclusively first, so a second
// restore, a window, or a program starting meanwhile is told a restore
// is under way, not who else might hold the database.
const userRestore = "restore"

// UsedError is a restore refused because other programs hold the
// database: By names them (UserWindow, UserNode, …). errors.Is(err,
// ErrInUse) holds for it.
type UsedError struct {
	DB string
	By []string
}

func (e *UsedError) Is(target error) bool { return target == ErrInUse }

func (e *UsedError) Error() string {
	var en, zh []string
	for _, u := range e.By {
		switch u {
		case UserWindow:
			// The words a window refusal always had (ErrInUse).
			en, zh = append(en, ErrInUse.Error()), append(zh, "一个 cunjing 窗口")
		case UserNode:
			en, zh = append(en, "`cunjing node` (the sync service) is running on it"), append(zh, "cunjing node（同步服务）")
		case UserSync:
			en, zh = append(en, "`cunjing sync --once` is running on it"), append(zh, "cunjing sync --once（正在同步）")
		case UserExchange:
			en, zh = append(en, "`cunjing exchange` is running on it"), append(zh, "cunjing exchange（正在读写交换文件夹）")
		case UserCommand:
			en, zh = append(en, "a `cunjing` command is running on it"), append(zh, "一条正在运行的村警通命令（cunjing …）")
		case userHolder:
			en, zh = append(en, "a cunjing program has it open (its lock file beside the database was removed)"),
				append(zh, "一个正在使用它的村警通程序（窗口、同步服务或命令；它旁边的锁文件被删掉了）")
		default:
			en, zh = append(en, "cunjing "+u+" is running on it"), append(zh, "cunjing "+u)
		}
	}
	return fmt.Sprintf("%s: %s（数据库正被%s使用，请先关闭或停止它）", e.DB, strings.Join(en, "; "), strings.Join(zh, "、"))
}

// userHolder names, in a UsedError, a holder of the database file itself
// whose lock file was removed (dbhold.go): who it is cannot be known.
const userHolder = "holder"

// Locks are holds taken together (Restoring, ExcludeUsers).
type Locks struct {
	held []*Lock
	// marker is the restore's own file, removed when it lets go: no file
	// beside the database says "restore" once it is done.
	marker *Lock
	// whole is the database file held whole (dbhold.go); own, the
	// database whose window (this process's) had its hold taken whole
	// in place, held shared again on Release.
	whole *os.File
	own   string
}

// Release lets go of every hold.
func (ls *Locks) Release() error {
	if ls == nil {
		return nil
	}
	var errs []error
	releaseHold(ls.whole)
	ls.whole = nil
	if ls.own != "" {
		reholdWindow(ls.own)
		ls.own = ""
	}
	for _, l := range ls.held {
		errs = append(errs, l.Release())
	}
	errs = append(errs, ls.marker.ReleaseRemove())
	ls.held, ls.marker = nil, nil
	return errors.Join(errs...)
}

// ExcludeUsers takes every program's hold on the database at db whole,
// for a restore made by the window that has it open (which holds the
// window lock itself): a *UsedError naming those that hold it.
func ExcludeUsers(db string) (*Locks, error) { return exclude(db, users) }

// Restoring takes the database at db whole for a restore: the window lock
// and every program's hold. A *UsedError (errors.Is ErrInUse) names every
// program that has it open; nothing is held then.
func Restoring(db string) (*Locks, error) {
	return exclude(db, append([]string{UserWindow}, users...))
}

func exclude(db string, kinds []string) (*Locks, error) {
	db = RealPath(db)
	ls := &Locks{}
	r, err := TakeFile(UsePath(db, userRestore))
	if errors.Is(err, ErrInUse) {
		return nil, fmt.Errorf("%s: %w", db, ErrRestoring)
	}
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", db, err)
	}
	ls.marker = r
	var by []string
	for _, k := range kinds {
		p := UsePath(db, k)
		if k == UserWindow {
			p = Path(db)
		}
		l, err := TakeFile(p)
		switch {
		case err == nil:
			ls.held = append(ls.held, l)
		case errors.Is(err, ErrInUse):
			by = append(by, k)
		default:
			ls.Release()
			return nil, fmt.Errorf("lock %s: %w", db, err)
		}
	}
	if len(by) == 0 {
		// Every lock file was free: a holder whose file was removed by
		// hand still holds the database itself.
		var own *os.File
		if !slices.Contains(kinds, UserWindow) {
			own = windowHold(db)
		}
		w, err := holdWhole(db, own)
		switch {
		case err != nil:
			by = append(by, userHolder)
		case own != nil:
			ls.own = db
		default:
			ls.whole = w
		}
	}
	if len(by) > 0 {
		ls.Release()
		return nil, &UsedError{DB: db, By: by}
	}
	return ls, nil
}
