package synccmd

// Sync commands: init (identity + store), id, pair, unpair, node, sync,
// exchange (station.go: the township dashboard). They drive package sync; see
// `cunjing help`.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/syncthing/syncthing/lib/protocol"

	"cunjing/app/cli/clikit"
	"cunjing/app/lang/translations"
	syncwords "cunjing/app/lang/translations/sync"
	"cunjing/app/synconce"
	"cunjing/store"
	"cunjing/store/syncbook"
	"cunjing/store/winlock"
	cjsync "cunjing/sync"
	"cunjing/sync/bep"
	"cunjing/sync/bep/servers"
	"cunjing/sync/exchange"
	"cunjing/sync/identity"
	"cunjing/sync/status"
)

func Init(ctx context.Context, env *clikit.Env, args []string) error {
	fs := clikit.NewFlags(env, "init")
	db := fs.String("db", "", "database file to create")
	role := fs.String("role", store.RolePost, "post, station or county")
	name := fs.String("name", "", "name of the post, station or county")
	township := fs.String("township", "", "township")
	officer := fs.String("officer", "", "officer in charge")
	phone := fs.String("phone", "", "phone")
	asJSON := clikit.JSONFlag(fs)
	if _, err := clikit.ParseFlags(fs, args); err != nil {
		return err
	}
	if err := clikit.RequireDB(*db); err != nil {
		return err
	}
	if strings.TrimSpace(*name) == "" {
		return fmt.Errorf("%w: --name is required", clikit.ErrUsage)
	}
	if *role != store.RolePost && *role != store.RoleStation && *role != store.RoleCounty {
		return fmt.Errorf("%w: --role must be post, station or county", clikit.ErrUsage)
	}
	st, id, err := cjsync.Init(ctx, *db, store.Identity{Role: *role, Name: *name, Township: *township, Officer: *officer, Phone: *phone}, env.StoreOptions)
	if err != nil {
		return err
	}
	defer st.Close()
	if *asJSON {
		return clikit.WriteJSON(env.Stdout, map[string]string{"device_id": id.DeviceID.String(), "role": *role, "db": *db})
	}
	fmt.Fprintf(env.Stdout, "created %s (%s %s)\ndevice ID %s\n", *db, *role, *name, id.DeviceID)
	return nil
}

// openEngine opens the database at db and its sync engine, holding the
// database shared as user (winlock.UserNode, UserSync, UserExchange; ""
// for any other command: UserCommand) so a restore is refused while it
// runs and it is refused while a restore runs (clikit.OpenHeld); the hold
// goes with the returned done.
func openEngine(ctx context.Context, env *clikit.Env, db string, verbose bool, user string) (*cjsync.Engine, func(), error) {
	if user == "" {
		user = winlock.UserCommand
	}
	st, release, err := clikit.OpenHeld(ctx, env, db, user)
	if err != nil {
		return nil, nil, err
	}
	level := slog.LevelWarn
	if verbose {
		level = slog.LevelInfo
	}
	e, err := cjsync.New(ctx, st, cjsync.Options{Log: slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: level}))})
	if err != nil {
		st.Close()
		release()
		return nil, nil, err
	}
	return e, func() { st.Close(); release() }, nil
}

func ownCode(ctx context.Context, e *cjsync.Engine, addrs []string) (string, error) {
	var self store.Post
	if err := e.Store().Get(ctx, &self, e.Self()); err != nil {
		return "", fmt.Errorf("read own profile: %w", err)
	}
	c, err := e.Identity().Code(self.Name, e.Store().Role(), addrs)
	if err != nil {
		return "", err
	}
	return c.Encode(e.Identity())
}

func ID(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db := clikit.NewDBFlags(env, "id")
	var addrs clikit.MultiFlag
	fs.Var(&addrs, "address", "HOST:PORT where this device listens (repeatable)")
	asJSON := clikit.JSONFlag(fs)
	if _, err := clikit.ParseFlags(fs, args); err != nil {
		return err
	}
	e, done, err := openEngine(ctx, env, *db, false, "")
	if err != nil {
		return err
	}
	defer done()
	code, err := ownCode(ctx, e, addrs)
	if err != nil {
		return err
	}
	short, expires, err := e.ShortCodes().Code(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return clikit.WriteJSON(env.Stdout, map[string]string{"device_id": e.Self(), "code": code,
			"short_code": short.String(), "short_code_expires": expires.UTC().Format(time.RFC3339)})
	}
	fmt.Fprintf(env.Stdout, "device ID: %s\nshort pairing code (one use, until %s; pairs on the first connection):\n%s\npairing code:\n%s\n",
		e.Self(), expires.Format("2006-01-02 15:04"), short, code)
	return nil
}

func Pair(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db := clikit.NewDBFlags(env, "pair")
	var addrs clikit.MultiFlag
	fs.Var(&addrs, "address", "HOST:PORT of the peer (repeatable)")
	name := fs.String("name", "", "name for a carrier (a stock Syncthing device)")
	asJSON := clikit.JSONFlag(fs)
	pos, err := clikit.ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: pair --db PATH CODE (the other device's pairing code, or a Syncthing device ID for a carrier)", clikit.ErrUsage)
	}
	e, done, err := openEngine(ctx, env, *db, false, "")
	if err != nil {
		return err
	}
	defer done()
	var p syncbook.Peer
	switch arg := strings.ToUpper(strings.TrimSpace(pos[0])); {
	case strings.HasPrefix(arg, "CJP-") || strings.HasPrefix(arg, "CJP "):
		c, err := identity.ParseShortCode(pos[0])
		if err != nil {
			return err
		}
		sp, err := e.ShortCodes().Typed(ctx, c, addrs)
		if err != nil {
			return err
		}
		if *asJSON {
			return clikit.WriteJSON(env.Stdout, map[string]any{"device_id": sp.DeviceID, "pending": true, "addresses": sp.Addresses})
		}
		fmt.Fprintf(env.Stdout, "short code of %s taken: pairing completes on the first connection (sync --once)\n", sp.DeviceID)
		return nil
	case strings.HasPrefix(arg, "CJ1."):
		c, err := identity.ParseCode(pos[0])
		if err != nil {
			return err
		}
		if p, err = e.Pair(ctx, c, addrs...); err != nil {
			return err
		}
	default:
		id, err := protocol.DeviceIDFromString(strings.TrimSpace(pos[0]))
		if err != nil {
			return fmt.Errorf("not a pairing code or device ID: %w", err)
		}
		if *name == "" {
			*name = "Syncthing " + id.Short().String()
		}
		if p, err = e.PairCarrier(ctx, id.String(), *name, addrs); err != nil {
			return err
		}
	}
	if *asJSON {
		return clikit.WriteJSON(env.Stdout, map[string]any{"device_id": p.DeviceID, "name": p.Name, "role": p.Role, "addresses": p.Addresses})
	}
	fmt.Fprintf(env.Stdout, "paired with %s (%s) %s\n", p.Name, p.Role, p.DeviceID)
	return nil
}

func Unpair(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db := clikit.NewDBFlags(env, "unpair")
	pos, err := clikit.ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: unpair --db PATH DEVICE_ID", clikit.ErrUsage)
	}
	st, err := clikit.OpenDB(ctx, env, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	return cjsync.Unpair(ctx, st, pos[0])
}

func Node(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db := clikit.NewDBFlags(env, "node")
	listen := fs.String("listen", "", "HOST:PORT to listen on (a station listens; a post may only dial)")
	every := fs.Duration("cut-every", time.Minute, "how often new changes are packed and peers dialled")
	exch := fs.String("exchange", "", "also watch this exchange folder (USB stick, shared drive)")
	if _, err := clikit.ParseFlags(fs, args); err != nil {
		return err
	}
	e, done, err := openEngine(ctx, env, *db, true, winlock.UserNode)
	if err != nil {
		return err
	}
	defer done()
	var ln net.Listener
	if *listen != "" {
		if ln, err = net.Listen("tcp", *listen); err != nil {
			return fmt.Errorf("listen: %w", err)
		}
		fmt.Fprintf(env.Stdout, "listening on %s as %s\n", ln.Addr(), e.Self())
		// Announce where we listen on the LAN (Syncthing's local
		// discovery), so posts there find us without a typed address.
		_, port, _ := net.SplitHostPort(ln.Addr().String())
		lan, err := bep.NewLAN(e.Identity().DeviceID, bep.LANPort, []string{":" + port})
		if err != nil {
			return err
		}
		lctx, stop := context.WithCancel(ctx)
		lanDone := make(chan error, 1)
		go func() { lanDone <- lan.Run(lctx) }()
		defer func() { stop(); <-lanDone }()
	}
	if *exch != "" {
		go func() {
			if err := exchange.Watch(ctx, e, *exch, nil, nil); err != nil {
				e.Log().Error("exchange folder", "err", err)
			}
		}()
	}
	srv, bad, err := servers.Of(ctx, e.Store())
	if err != nil {
		return err
	}
	for _, u := range bad {
		fmt.Fprintf(env.Stderr, "a server the station published is not a URL this version accepts, left out: %s\n", u)
	}
	if !srv.Empty() {
		fmt.Fprintf(env.Stdout, "discovery servers: %s; relays: %s\n", orNone(srv.Discovery), orNone(srv.Relays))
	}
	return bep.NewNode(e, bep.Config{Servers: srv}).Run(ctx, ln, *every, nil)
}

func Sync(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db := clikit.NewDBFlags(env, "sync")
	once := fs.Bool("once", false, "dial paired peers once, exchange, and exit")
	timeout := fs.Duration("timeout", 2*time.Minute, "give up on a peer after this long")
	asJSON := clikit.JSONFlag(fs)
	lanWait := fs.Duration("lan", 0, "also look for peers without an address on the local network, listening this long (a station announces itself every 30s; try 35s)")
	if _, err := clikit.ParseFlags(fs, args); err != nil {
		return err
	}
	if !*once {
		return fmt.Errorf("%w: sync runs with --once (use `cunjing node` to stay connected)", clikit.ErrUsage)
	}
	e, done, err := openEngine(ctx, env, *db, false, winlock.UserSync)
	if err != nil {
		return err
	}
	defer done()
	var lan *bep.LAN
	if *lanWait > 0 {
		if lan, err = bep.NewLAN(e.Identity().DeviceID, bep.LANPort, nil); err != nil {
			return err
		}
		lctx, stop := context.WithCancel(ctx)
		lanDone := make(chan error, 1)
		go func() { lanDone <- lan.Run(lctx) }()
		defer func() { stop(); <-lanDone }()
	}
	rep, err := synconce.RunLAN(ctx, e, *timeout, lan, *lanWait)
	if err != nil {
		return err
	}
	var results []bep.Result
	var failed []string
	for _, se := range rep.Sessions {
		if !se.Done() {
			failed = append(failed, se.Peer.Name)
		}
		results = append(results, se.Result)
	}
	st, err := e.Status(ctx)
	if err != nil {
		return err
	}
	syncwords.Fill(&st, e.Store().Clock().WallNow()) // in 同步's words
	out := struct {
		Cut      int          `json:"cut_changesets"`
		Sessions []bep.Result `json:"sessions"`
		// Acknowledged: every paired peer's latest receipt covers all
		// this device holds for it; Waiting: per peer, what it does not.
		Acknowledged bool             `json:"acknowledged"`
		Waiting      []status.Waiting `json:"waiting"`
		Status       status.Summary   `json:"status"`
	}{len(rep.Cut.Changesets), results, st.Acknowledged, st.Waiting, st}
	if *asJSON {
		if err := clikit.WriteJSON(env.Stdout, out); err != nil {
			return err
		}
	} else {
		onceText(env, rep, st)
		if len(failed) > 0 {
			return fmt.Errorf(words("sync.onceIncomplete"), named(failed))
		}
		if len(st.Lost) > 0 {
			return fmt.Errorf(words("sync.onceLost"), named(lostNames(st.Lost)))
		}
		return nil
	}
	if len(failed) > 0 {
		return fmt.Errorf("incomplete sync with %s", strings.Join(failed, ", "))
	}
	return lostErr(st.Lost)
}

// words are the words 立即同步 uses for a key (the sync area's Chinese:
// the command line links no Fyne, so not app/lang).
var words = translations.Zh

// onceText prints what `sync --once` did in the words 立即同步 shows
// (synconce.Session.Lines): a village officer or a station clerk reads
// it in a scheduled task's log. --json keeps its keys and raw text.
func onceText(env *clikit.Env, rep synconce.Report, st status.Summary) {
	fmt.Fprintf(env.Stdout, words("sync.packed")+"\n", rep.Cut.Changes, len(rep.Cut.Changesets))
	if len(rep.Sessions) == 0 {
		fmt.Fprintln(env.Stdout, words("sync.nobodyToDial"))
	}
	for _, se := range rep.Sessions {
		lines, details := se.Lines(words)
		r := se.Result
		if se.Err == nil { // a session ran
			lines = append(lines, fmt.Sprintf(words("sync.onceTraffic"), status.BytesWords(r.BytesIn), status.BytesWords(r.BytesOut), r.Duration.Seconds()))
		}
		for i, l := range slices.Concat(lines, r.Divergences, details) {
			if i > 0 {
				l = "  " + l
			}
			fmt.Fprintln(env.Stdout, l)
		}
	}
	fmt.Fprintln(env.Stdout, st.Text)
}

// named is names as 立即同步 says them: 「城关派出所」、「东关村警务室」.
func named(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = fmt.Sprintf(words("sync.ackWhoNamed"), n)
	}
	return strings.Join(out, words("sync.nameSep"))
}

// lostErr: a database restored from a backup made before a pairing is not
// in sync with that device, whatever the sessions did (status.Lost).
func lostErr(lost []status.Lost) error {
	if len(lost) == 0 {
		return nil
	}
	return fmt.Errorf("this database was restored from a backup made before it paired with %s: pair with it again (cunjing pair), or unpair it if that was meant", strings.Join(lostNames(lost), ", "))
}

func lostNames(lost []status.Lost) []string {
	var names []string
	for _, l := range lost {
		n := l.Name
		if n == "" {
			n = l.Peer
		}
		names = append(names, n)
	}
	return names
}

func Exchange(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db := clikit.NewDBFlags(env, "exchange")
	dir := fs.String("dir", "", "exchange folder (USB stick, shared drive)")
	asJSON := clikit.JSONFlag(fs)
	if _, err := clikit.ParseFlags(fs, args); err != nil {
		return err
	}
	if *dir == "" {
		return fmt.Errorf("%w: --dir DIR is required", clikit.ErrUsage)
	}
	if _, err := os.Stat(*dir); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("exchange folder %s does not exist (is the stick plugged in?)", *dir)
	}
	e, done, err := openEngine(ctx, env, *db, false, winlock.UserExchange)
	if err != nil {
		return err
	}
	defer done()
	rep, err := exchange.Once(ctx, e, *dir)
	if w := syncwords.WriteFailed(words, err); w != "" {
		return fmt.Errorf("%s\n(%w)", w, err)
	}
	if err != nil {
		return err
	}
	syncwords.FillExchange(&rep, e.Store().Clock().WallNow())
	if *asJSON {
		return clikit.WriteJSON(env.Stdout, rep)
	}
	// What 同步's U 盘交换 says of it, then the status.
	for _, l := range syncwords.Exchange(words, rep) {
		fmt.Fprintln(env.Stdout, l)
	}
	fmt.Fprintln(env.Stdout, rep.Status.Text)
	return nil
}
