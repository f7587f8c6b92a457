package bep

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	gosync "sync"
	"sync/atomic"
	"time"

	"github.com/syncthing/syncthing/lib/protocol"

	"cunjing/store/syncbook"
	cjsync "cunjing/sync"
	"cunjing/sync/bep/entries"
	"cunjing/sync/bep/framing"
	"cunjing/sync/bep/hello"
	"cunjing/sync/bep/linkturn"
	"cunjing/sync/bep/pieces"
	"cunjing/sync/bep/why"
	"cunjing/sync/changeset"
	"cunjing/sync/identity"
	"cunjing/sync/quarantine"
	"cunjing/sync/safefile"
)

// errSessionDone closes a session that ended well (Close needs an error).
var errSessionDone = errors.New("session complete")

// session is one BEP connection with a paired peer. Model callbacks run on
// the connection's dispatcher goroutine and only record what arrived; the
// worker goroutine does the requests, file writes and imports.
type session struct {
	n      *Node
	peer   syncbook.Peer
	remote protocol.DeviceID
	conn   protocol.Connection
	in     *framing.Reader // what conn reads from
	link   net.Conn        // under TLS (after Config.WrapConn and framing.Silence, so a deadline set here holds)
	path   string          // PathDirect or PathRelay
	done   chan struct{}   // closed when run returns
	sem    chan struct{}
	wake   chan struct{}
	// yield is closed when another program on this database asks for the
	// link (a held session only; sync/bep/linkturn).
	yield <-chan struct{}

	mu        gosync.Mutex
	folders   map[string]bool  // folders shared with this peer, from its ClusterConfig
	idxSeen   map[string]bool  // folders whose index the peer has sent
	sendFrom  map[string]int64 // folder -> announce our files after this sequence (-1: full index)
	remoteIdx map[string]uint64
	remoteMax map[string]int64 // folder -> last sequence the peer said it has of its own index
	announced map[string]bool
	heldNone  map[string]bool // folders of which the peer said it holds none of our index
	ccSeen    chan struct{}
	ccOnce    gosync.Once
	closedErr error
	// closedSeen is closed once lib/protocol has said why the connection
	// closed (Closed), which it does after its Closed channel.
	closedSeen chan struct{}
	closedOnce gosync.Once
	pulled     int
	imported   int
	swept      map[string]bool // folders imported once this session (step's goroutine only)
	holdSince  time.Time       // since when pulled files wait to be announced (step's goroutine only)
	lastPull   time.Time       // when a step last pulled files (step's goroutine only)
	// pulledBytes: the sizes of the files this session pulled (step's
	// goroutine only), held to Node.pullBudget.
	pulledBytes int64
	pulledNames map[string]bool // the files this session pulled (step's goroutine only)
	notHeld     map[string]bool // files the peer lists but said it does not hold (step's goroutine only)
	// linger: a held session this side dialled settles only once nothing
	// came for this long (or holdMax after its first pull), so news the
	// peer sends in bursts seconds apart is acknowledged by one receipt
	// (0: settle at the first step that pulls nothing).
	linger time.Duration
	newer  bool // the peer's hello said v1.1.0 or later (receipt format 2)
	// short: the peer's hello said v1.2.0 or later, so the messages
	// between the two name folders by aliases (folderAliases): aliasIn
	// (alias -> folder) those our cluster config declared, used in what
	// the peer sends; aliasOut (folder -> alias) those its declared, used
	// in what we send. A folder without one goes by its ID.
	short    bool
	aliasIn  map[string]string
	aliasOut map[string]string
	// progress counts what moved (indexes received, files pulled, cuts):
	// a once session that sees it stand still with the two apart ends.
	progress atomic.Int64
}

// clusterConfigSeen reports whether the peer's ClusterConfig has been
// handled, after which lib/protocol's dispatcher accepts any message.
func (s *session) clusterConfigSeen() bool {
	select {
	case <-s.ccSeen:
		return true
	default:
		return false
	}
}

// retire ends the session gently: its reads fail from now on, so its
// reader hands lib/protocol every message that came whole (framing.Reader) before
// the connection closes, the puller writes those blocks to the temp file,
// and run returns. Writes are left alone: closing the link would fail them
// too, and a failed write has to wait for the reader (framing.Writer).
func (s *session) retire() {
	if err := s.link.SetReadDeadline(time.Now()); err != nil {
		// No deadline on this link: closing it stops the reads too, and
		// framing.Writer holds back the write errors that follow.
		s.link.Close()
	}
}

// retireWait bounds how long a new session waits for the one it replaces:
// enough for a puller to write its blocks and an import to finish.
const retireWait = 30 * time.Second

// endingGrace is how long a new session waits for the one it replaces to
// end by itself before retiring it.
const endingGrace = 500 * time.Millisecond

func (s *session) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *session) shared(ctx context.Context) ([]cjsync.Folder, error) {
	fs, err := s.n.e.Folders(ctx)
	if err != nil {
		return nil, err
	}
	var out []cjsync.Folder
	for _, f := range fs {
		for _, p := range f.Peers {
			if p == s.peer.DeviceID {
				out = append(out, f)
			}
		}
	}
	return out, nil
}

func (s *session) clusterConfig(ctx context.Context) (*protocol.ClusterConfig, error) {
	fs, err := s.shared(ctx)
	if err != nil {
		return nil, err
	}
	book := s.n.e.Book()
	cc := &protocol.ClusterConfig{}
	aliases := map[string]string{}
	for _, f := range fs {
		if _, err := Scan(ctx, s.n.e, f.ID); err != nil {
			return nil, err
		}
		myIdx, mySeq, err := book.BEPFolder(ctx, f.ID)
		if err != nil {
			return nil, err
		}
		theirIdx, theirSeq, err := book.BEPRemote(ctx, f.ID, s.peer.DeviceID)
		if err != nil {
			return nil, err
		}
		folder := protocol.Folder{ID: f.ID, Label: f.ID, Devices: []protocol.Device{
			{ID: s.n.e.Identity().DeviceID, Name: s.n.e.Self()[:7], Compression: protocol.CompressionMetadata,
				IndexID: protocol.IndexID(myIdx), MaxSequence: mySeq},
			{ID: s.remote, Name: s.peer.Name, Addresses: []string{"dynamic"}, Compression: protocol.CompressionMetadata,
				IndexID: protocol.IndexID(theirIdx), MaxSequence: theirSeq},
		}}
		if s.peer.Role != identity.RoleCarrier {
			// A cunjing peer reads only IDs, index IDs and sequences
			// (clusterConfigIn, every version); the folder's label and
			// the devices' names and addresses are for stock Syncthing's
			// screens (~60 B of a cluster config, issue #22).
			folder.Label = ""
			for i := range folder.Devices {
				folder.Devices[i].Name, folder.Devices[i].Addresses = "", nil
			}
			if s.short {
				// The label carries the folder's alias (folderAliases).
				folder.Label = strconv.Itoa(len(cc.Folders))
				aliases[folder.Label] = f.ID
			}
		}
		cc.Folders = append(cc.Folders, folder)
	}
	// Known before the cluster config goes out, so before the peer can
	// use them.
	s.mu.Lock()
	s.aliasIn = aliases
	s.mu.Unlock()
	return cc, nil
}

// folderAliases: a folder's ID ("cj-post-" and a device ID: 71 B) is in
// every Index, IndexUpdate and Request message, about half of a request
// and of an index update of one entry; a post's link carries some 25 of
// them (~1.8 KB against ~50 KB of changesets, issue #22). Between two
// cunjing devices of v1.2.0 on, each side's cluster config (which still
// names every folder by its ID) declares in the folder's label an alias
// (its place in the cluster config: "0", "1", …) by which the peer names
// the folder in the messages it sends it. An older cunjing and stock
// Syncthing declare none and are sent folder IDs as before (a stock
// Syncthing's label is a name for its screens: a carrier's is never
// read as an alias).
const maxAlias = 8

// wireFolder is how messages to the peer name folder.
func (s *session) wireFolder(folder string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.aliasOut[folder]; ok {
		return a
	}
	return folder
}

// localFolder is the folder a message from the peer names as wire (an
// alias our cluster config declared, or the folder's ID).
func (s *session) localFolder(wire string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f, ok := s.aliasIn[wire]; ok {
		return f
	}
	return wire
}

// noteAliases keeps the aliases a peer's cluster config declared for the
// folders the two share (s.mu held): only a cunjing's of v1.2.0 on, and
// only those that cannot be taken for a folder ID (cj-…) and that no other
// folder declared too.
func (s *session) noteAliases(cc *protocol.ClusterConfig, mine map[string]bool) {
	if !s.short || s.peer.Role == identity.RoleCarrier {
		return
	}
	out := map[string]string{}
	count := map[string]int{}
	for _, f := range cc.Folders {
		count[f.Label]++
	}
	for _, f := range cc.Folders {
		a := f.Label
		if !mine[f.ID] || a == "" || len(a) > maxAlias || strings.HasPrefix(a, "cj-") || count[a] > 1 {
			continue
		}
		out[f.ID] = a
	}
	s.aliasOut = out
}

// run drives the session until the connection closes, ctx ends, or (once)
// both sides hold every file.
func (s *session) run(ctx context.Context, once bool) Result {
	start := time.Now()
	defer close(s.done)
	n := s.n
	n.mu.Lock()
	old := n.sessions[s.remote]
	n.sessions[s.remote] = s
	n.mu.Unlock()
	defer func() {
		n.mu.Lock()
		if n.sessions[s.remote] == s {
			delete(n.sessions, s.remote)
		}
		n.mu.Unlock()
	}()
	if old != nil {
		// The peer came back, so the old link is dead or superseded (often
		// before its reads noticed). Retire it and wait until it is gone:
		// what it received whole is then in the temp file, and the two
		// sessions never pull or import at the same time.
		// A session the peer ended itself (another program on the peer's
		// PC took the link over, sync/bep/linkturn) is given a moment to
		// end first: its close may still be on its way.
		t := time.NewTimer(endingGrace)
		select {
		case <-old.done:
		case <-t.C:
			old.retire()
			n.retired.Add(1)
			t.Reset(retireWait)
			select {
			case <-old.done:
			case <-t.C:
				n.e.Log().Warn("the replaced session has not ended; going on", "peer", s.peer.Name, "waited", retireWait.String())
			case <-ctx.Done():
			}
		case <-ctx.Done():
		}
		t.Stop()
	}
	res := Result{Peer: s.peer.DeviceID, Name: s.peer.Name}
	s.conn.Start()
	var cc *protocol.ClusterConfig
	err := retryBusy(ctx, func() (err error) { cc, err = s.clusterConfig(ctx); return err })
	if err != nil {
		s.conn.Close(err)
		res.Error, res.Err = err.Error(), err
		return res
	}
	s.conn.ClusterConfig(cc, nil)
	n.e.Log().Info("connected", "peer", s.peer.Name, "remote", s.conn.RemoteAddr().String())
	// Steps come when something arrives or is cut (wake), else on a
	// timer: every 5 s while the two are not complete, every 30 s once
	// they are and nothing moves (a held link idles cheaply).
	tick := time.NewTimer(stepBusy)
	defer tick.Stop()
	var werr error
	var apartSince time.Time // since when every file is across, the two apart, and nothing moving
	var quiet <-chan time.Time
	var noted [2]int64 // bytes in and out already noted (a held link notes its contact as it goes)
	lastNote := time.Now()
loop:
	for {
		select {
		case <-ctx.Done():
			werr = ctx.Err()
			break loop
		case <-s.conn.Closed():
			// Why (a peer's Close, hello.NotPairedReason) comes after.
			t := time.NewTimer(closedWait)
			select {
			case <-s.closedSeen:
			case <-t.C:
			}
			t.Stop()
			break loop
		case <-s.wake:
		case <-tick.C:
		case <-quiet:
		case <-s.yield:
			res.yielded = true
			n.e.Log().Info("another program on this PC takes the link over", "peer", s.peer.Name)
			break loop
		}
		quiet = nil
		before := s.progress.Load()
		st, err := s.step(ctx)
		if busy(err) {
			// The database was busy past its timeout: step again soon
			// rather than end the session (see busy).
			// A file pulled before the error may not be imported yet:
			// the next step sweeps every folder again (files already
			// imported are skipped unread).
			n.e.Log().Info("database busy; stepping again", "peer", s.peer.Name, "err", err)
			s.swept = map[string]bool{}
			s.progress.Add(1)
			if !tick.Stop() {
				select {
				case <-tick.C:
				default:
				}
			}
			tick.Reset(busyRetry)
			continue
		}
		if err != nil {
			werr = err
			break loop
		}
		if st.complete {
			res.Complete = true
		}
		if once && st.complete {
			break loop
		}
		if !tick.Stop() {
			select {
			case <-tick.C:
			default:
			}
		}
		if st.holding {
			// (A lingering held session can be complete: step to settle.)
			tick.Reset(max(stepSettle, st.settleIn))
		} else if st.complete && s.progress.Load() == before {
			tick.Reset(stepIdle)
			if time.Since(lastNote) >= time.Minute {
				// A held link is contact: say so now, not only when it ends.
				stats := s.conn.Statistics()
				in, out := max(stats.InBytesTotal-s.in.Made(), 0), stats.OutBytesTotal
				if err := n.e.Book().NotePeerContact(ctx, s.peer.DeviceID, s.path, in-noted[0], out-noted[1], ""); err != nil {
					n.e.Log().Warn("note contact", "err", err)
				} else {
					noted, lastNote = [2]int64{in, out}, time.Now()
				}
			}
		} else {
			tick.Reset(stepBusy)
		}
		if once && st.settled {
			// Every file is across, yet something keeps the two apart
			// (a refused changeset whose maker has not answered): a
			// quiet while gives the answer time to come, then say what.
			if s.progress.Load() != before || apartSince.IsZero() {
				apartSince = time.Now()
			} else if time.Since(apartSince) >= settleWait {
				res.Divergences = st.divergences
				break loop
			}
			quiet = time.After(settleWait / 4)
		} else {
			apartSince = time.Time{}
		}
	}
	closeWith := werr
	if closeWith == nil {
		closeWith = errSessionDone
		if res.yielded {
			closeWith = linkturn.ErrYielded
		}
	}
	s.conn.Close(closeWith)
	stats := s.conn.Statistics()
	s.mu.Lock()
	res.Pulled, res.Imported = s.pulled, s.imported
	if werr == nil && s.closedErr != nil && !res.Complete {
		werr = s.closedErr
	}
	s.mu.Unlock()
	// Not counting a Ping framing.Reader made up when the link failed.
	res.BytesIn, res.BytesOut = max(stats.InBytesTotal-s.in.Made(), 0), stats.OutBytesTotal
	res.Duration = time.Since(start)
	if werr != nil && !errors.Is(werr, context.Canceled) {
		res.Error, res.Err = werr.Error(), werr
	}
	// Note the contact with a fresh context: ctx may be what ended it.
	nctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := n.e.Book().NotePeerContact(nctx, s.peer.DeviceID, s.path, res.BytesIn-noted[0], res.BytesOut-noted[1], why.Stored(res.Err)); err != nil {
		n.e.Log().Warn("note contact", "err", err)
	}
	n.e.Log().Info("session ended", "peer", s.peer.Name, "pulled", res.Pulled, "in", res.BytesIn, "out", res.BytesOut,
		"took", res.Duration.Round(time.Millisecond).String(), "err", res.Error)
	return res
}

// closedWait bounds the wait, once a connection closed, for lib/protocol
// to say why (it waits for its dispatcher first).
const closedWait = 2 * time.Second

// How long a session waits between steps when nothing wakes it: while the
// two sides are not complete, and once they are and nothing moves.
const (
	stepBusy = 5 * time.Second
	stepIdle = 30 * time.Second
	// After a step that pulled files, the next comes this soon (or when
	// more arrives): if nothing more came, it announces them and the
	// receipt (step). holdMax bounds how long a peer that keeps sending
	// holds that back.
	stepSettle = 200 * time.Millisecond
	holdMax    = 10 * time.Second
	// lingerHeldDefault is a held dialled session's linger (session.linger): in
	// the county simulation a post took in its station's burst and, a few
	// seconds later, the county's news the station relayed, and
	// acknowledged each with a receipt (~450 B, an index entry both ways
	// and a request: ~850 B on the wire) (issue #22). A sync --once
	// session and the listening side do not linger: a once session ends
	// as soon as the two are complete.
	lingerHeldDefault = 8 * time.Second
)

// settleWait is how long a once session waits, every file across and
// nothing moving, for a known divergence to heal before it ends incomplete.
const settleWait = 3 * time.Second

// stepState is where a session stands after a step.
type stepState struct {
	settled     bool          // each side holds every file of the other
	complete    bool          // and nothing known keeps them apart
	divergences []string      // what does, in Chinese
	holding     bool          // files came and are not announced yet: step again soon
	settleIn    time.Duration // holding: step again after this (0: stepSettle)
}

// step announces new local files, pulls what the peer has and we lack,
// imports it, and reports whether both sides are complete: each holds
// every file of the other and nothing known keeps them apart (a changeset
// of the peer refused its place here, one waiting for a predecessor, a
// stream of ours taken up again and not cut since).
func (s *session) step(ctx context.Context) (stepState, error) {
	select {
	case <-s.ccSeen:
	default:
		return stepState{}, nil
	}
	e := s.n.e
	book := e.Book()
	s.mu.Lock()
	var folders []string
	for f := range s.folders {
		folders = append(folders, f)
	}
	s.mu.Unlock()
	sort.Strings(folders)
	complete := true
	// While the peer is sending (the last step pulled files), what we hold
	// and our receipt are not announced file by file: a step that pulls
	// nothing more says it all at once (settle, below).
	holding := !s.holdSince.IsZero()
	pulledStep, allSeen := false, true
	for _, f := range folders {
		if !s.swept[f] {
			// A file an earlier session pulled but never imported (it
			// died in between, or the PC lost power) is imported now,
			// before we tell the peer we hold it.
			if err := s.importFolder(ctx, f); err != nil {
				return stepState{}, err
			}
			// And a changeset we cut whose file never reached the folder
			// (killed between the two) is written now, or the peer
			// would never hear of it.
			if err := e.WriteOut(ctx, e.FolderDir(f), f); err != nil {
				return stepState{}, err
			}
			s.swept[f] = true
		}
		if cut, err := s.cutIfOwed(ctx); err != nil {
			return stepState{}, err
		} else if cut {
			complete = false // its files land in any folder: look again next step
		}
		if _, err := Scan(ctx, e, f); err != nil {
			return stepState{}, err
		}
		// (Held news is ours to tell, not the peer's to send: it does not
		// keep the two apart, and settle tells it at this step's end.)
		if !holding {
			if err := s.announce(ctx, f); err != nil {
				return stepState{}, err
			}
		}
		// How far we hold the peer's index, taken before its files are
		// listed: an index message stored in between (the dispatcher
		// does that while we work) then shows in the list, never only in
		// this number. Read after the list, the number could vouch for
		// files the list lacks, and the step would call the two complete
		// without pulling them. We know all the peer has once its index
		// reached the sequence its cluster config announced; stock
		// Syncthing sends no index at all for an empty folder, so an
		// announced 0 needs none.
		s.mu.Lock()
		seen, announcedMax := s.idxSeen[f], s.remoteMax[f]
		s.mu.Unlock()
		_, heldMax, err := book.BEPRemote(ctx, f, s.peer.DeviceID)
		if err != nil {
			return stepState{}, err
		}
		seen = (seen || announcedMax == 0) && heldMax >= announcedMax
		theirs, err := book.BEPRemoteFiles(ctx, f, s.peer.DeviceID)
		if err != nil {
			return stepState{}, err
		}
		if h := s.n.cfg.stepHook; h != nil {
			h(s, "listed", f)
		}
		mine, err := book.BEPFiles(ctx, f, 0)
		if err != nil {
			return stepState{}, err
		}
		have := map[string]bool{}
		for _, m := range mine {
			have[m.Name] = true
		}
		// Changesets before blobs, so a blob's changeset is there first.
		sort.SliceStable(theirs, func(i, j int) bool {
			return changeset.IsName(theirs[i].Name) && !changeset.IsName(theirs[j].Name)
		})
		pulledAny := false
		var overBudget error
		for _, t := range theirs {
			if t.Deleted || have[t.Name] || !entries.Wanted(t.Name) || s.notHeld[t.Name] {
				continue
			}
			if budget := s.n.pullBudget(); s.pulledBytes+t.Size > budget {
				// What came so far is imported below; the rest waits
				// for the next session.
				overBudget = fmt.Errorf("%s offers more than this session takes: at most %d bytes of files a session (pulled %d; %s is %d more); the rest comes in the next session", s.peer.Name, budget, s.pulledBytes, t.Name, t.Size)
				break
			}
			if err := s.pull(ctx, f, t); errors.Is(err, protocol.ErrNoSuchFile) && ctx.Err() == nil {
				// The peer lists a file it no longer holds: one it moved
				// into its quarantine (sync/quarantine: its index still
				// lists it, so it is not pulled again), or removed by hand.
				// The rest of the folder still comes; asked again next
				// session.
				e.Log().Warn("the peer lists a file it does not hold (moved into its quarantine, or removed): not pulled", "peer", s.peer.Name, "folder", f, "file", t.Name)
				if s.notHeld == nil {
					s.notHeld = map[string]bool{}
				}
				s.notHeld[t.Name] = true
				continue
			} else if err != nil {
				return stepState{}, fmt.Errorf("pull %s: %w", t.Name, err)
			}
			s.pulledBytes += t.Size
			if s.pulledNames == nil {
				s.pulledNames = map[string]bool{}
			}
			s.pulledNames[t.Name] = true
			pulledAny = true
			have[t.Name] = true
		}
		if pulledAny {
			s.progress.Add(1)
			if err := s.importFolder(ctx, f); err != nil {
				return stepState{}, err
			}
			// What the import owes the peer (a note about a changeset
			// refused its place, a stream taken up again) goes out with
			// the news that we hold the files.
			if cut, err := s.cutIfOwed(ctx); err != nil {
				return stepState{}, err
			} else if cut {
				complete = false
			}
			pulledStep = true
			if mine, err = book.BEPFiles(ctx, f, 0); err != nil {
				return stepState{}, err
			}
		}
		if overBudget != nil {
			return stepState{}, overBudget
		}
		theirNames := map[string]bool{}
		for _, t := range theirs {
			theirNames[t.Name] = true
		}
		for _, m := range mine {
			if !theirNames[m.Name] {
				// A changeset of ours we dropped when we took up our stream
				// after the peer's head need not reach it any more.
				if o, ok, err := book.Seen(ctx, m.Name); err != nil {
					return stepState{}, err
				} else if ok && o == syncbook.Superseded {
					continue
				}
				complete = false
			}
		}
		if !seen {
			complete = false
			allSeen = false
		}
	}
	if pulledStep {
		complete = false
		s.lastPull = time.Now()
		if s.holdSince.IsZero() {
			s.holdSince = s.lastPull
		}
	}
	// A held link this side dialled lingers after the last pull (linger).
	lingering := holding && !pulledStep && s.linger > 0 &&
		time.Since(s.lastPull) < s.linger && time.Since(s.holdSince) < holdMax
	// Settle once the peer's indexes are here and nothing more came (or
	// the peer has kept sending for a while): our receipt, new when what
	// we applied of the peer's streams changed, and then, with the news
	// that we hold the files, announced in one index update a folder. The
	// receipt goes out before or with the files it acknowledges, never
	// after: a peer that ends its session once it sees them here (SyncOnce)
	// has the receipt too. Receipts are ~450 B (format 2; ~1.7 KB in format
	// 1), and each is another index entry both ways and a request: one a
	// burst instead of one a file.
	// (A peer whose index never reaches what its cluster config announced
	// does not hold back the news of what it did send.)
	if (allSeen || holding) && (!pulledStep || time.Since(s.holdSince) >= holdMax) && !lingering {
		for _, f := range folders {
			write := e.WriteFolderReceipts
			if s.peer.Role != identity.RoleCarrier {
				write = e.WriteFolderReceiptsDirect
			}
			if err := write(ctx, f); err != nil {
				return stepState{}, err
			}
			if added, err := Scan(ctx, e, f); err != nil {
				return stepState{}, err
			} else if added {
				complete = false
			}
			if err := s.announce(ctx, f); err != nil {
				return stepState{}, err
			}
		}
		// Only now: a step that failed half way (a busy database) settles
		// again, receipts first, rather than announcing as it goes.
		s.holdSince = time.Time{}
	}
	out := stepState{settled: complete && len(folders) > 0, holding: !s.holdSince.IsZero()}
	if out.holding && s.linger > 0 {
		out.settleIn = min(s.linger-time.Since(s.lastPull), holdMax-time.Since(s.holdSince))
	}
	if out.settled {
		d, err := e.Divergences(ctx, s.peer.DeviceID)
		if err != nil {
			return stepState{}, err
		}
		out.divergences = d
		out.complete = len(d) == 0
	}
	return out, nil
}

// cutIfOwed cuts when an import owed the peer a changeset (see
// sync.Engine.CutOwed), and reports whether it did.
func (s *session) cutIfOwed(ctx context.Context) (bool, error) {
	if !s.n.e.CutOwed() {
		return false, nil
	}
	s.progress.Add(1)
	if _, err := s.n.e.Cut(ctx); err != nil {
		return false, err
	}
	s.n.newData()
	return true, nil
}

// importFolder imports what a folder holds and this device has not
// imported yet (files already seen are skipped unread).
func (s *session) importFolder(ctx context.Context, folder string) error {
	e := s.n.e
	r, err := e.ImportDir(ctx, "bep:"+s.peer.Name, e.FolderDir(folder), true)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // nothing has come in this folder yet
	}
	if err != nil {
		return fmt.Errorf("import folder %s: %w", folder, err)
	}
	s.mu.Lock()
	s.imported += r.Outcomes[cjsync.Applied] + r.Outcomes[cjsync.Own]
	s.mu.Unlock()
	return s.quarantine(ctx, folder, r)
}

// quarantine moves out of the folder the files that failed verification
// (sync/quarantine), counting those this session pulled against the peer;
// a peer paused for them ends the session.
func (s *session) quarantine(ctx context.Context, folder string, r cjsync.DirResult) error {
	e := s.n.e
	var bad []quarantine.File
	var notForUs []string
	var (
		over      int // referenced, past the peer's quarantine.ExcuseBound
		overBytes int64
	)
	for _, x := range r.Results {
		switch {
		case x.Outcome == cjsync.Rejected && quarantine.Counts(string(x.Kind)):
			bad = append(bad, quarantine.File{Name: x.File, Pulled: s.pulledNames[x.File]})
		case x.Outcome == cjsync.NotForUs && s.pulledNames[x.File]:
			// A blob a changeset applied here refers to was sealed
			// before this device paired (a release the station carries
			// down from the county, a post's scanned map): legitimate.
			// Asked after the whole folder's import, so its changeset,
			// cut again for this device, is in.
			// A stolen post PC could sign changesets naming any number
			// of hashes and send junk under those names: a device is
			// excused at most quarantine.ExcuseBound of them, a day's
			// and in all, whatever its sessions (the rest are counted).
			ok, size, err := s.exempt(ctx, folder, x.File)
			if err != nil {
				return err
			}
			if ok {
				continue
			}
			if size >= 0 {
				over++
				overBytes += size
			}
			notForUs = append(notForUs, x.File)
		}
	}
	if err := quarantine.NoteOverExcused(ctx, e.Book(), e.Log(), s.peer, over, overBytes); err != nil {
		return err
	}
	paused := false
	if len(bad) > 0 && !s.n.cfg.keepRefused {
		var err error
		if _, paused, err = quarantine.Sweep(ctx, e.Book(), e.Log(), e.Dir(), folder, s.peer, bad); err != nil {
			return err
		}
	}
	if len(notForUs) > 0 {
		bound := quarantine.NotForUsBound
		if s.n.cfg.notForUsBound.Files > 0 {
			bound = s.n.cfg.notForUsBound
		}
		_, p, err := quarantine.NoteNotForUs(ctx, e.Book(), e.Log(), e.Dir(), folder, s.peer, notForUs, bound, s.n.cfg.keepRefused)
		if err != nil {
			return err
		}
		paused = paused || p
	}
	if !paused {
		return nil
	}
	return quarantine.Paused(ctx, e.Book(), s.peer)
}

// exempt reports whether a blob addressed to others that this session
// pulled is excused: a changeset applied here refers to it
// (Store.BlobReferenced, by its index), within the peer's
// quarantine.ExcuseBound (syncbook.Book.Excuse: a day's by the book's
// clock, and in all since it was paired again), which counts it. A
// referenced one past the bound is not excused, and its size is returned
// (-1 for the others: not referenced, gone, not a file) for the log.
func (s *session) exempt(ctx context.Context, folder, name string) (ok bool, size int64, err error) {
	h, isBlob := changeset.BlobHash(name)
	if !isBlob {
		return false, -1, nil
	}
	bound := quarantine.ExcuseBound
	if s.n.cfg.exemptBound.DayFiles > 0 {
		bound = s.n.cfg.exemptBound
	}
	fi, err := os.Lstat(filepath.Join(s.n.e.FolderDir(folder), name))
	if err != nil || !fi.Mode().IsRegular() {
		return false, -1, nil // (NoteNotForUs skips it)
	}
	ref, err := s.n.e.Store().BlobReferenced(ctx, h)
	if err != nil || !ref {
		return false, -1, err
	}
	_, ok, err = s.n.e.Book().Excuse(ctx, s.peer.DeviceID, fi.Size(), bound)
	return ok, fi.Size(), err
}

// announce sends the peer our index of a folder: everything the first time
// unless it already holds our index up to some sequence, then only news.
func (s *session) announce(ctx context.Context, folder string) error {
	book := s.n.e.Book()
	s.mu.Lock()
	from, ok := s.sendFrom[folder]
	s.mu.Unlock()
	if !ok {
		return nil // its ClusterConfig has not told us what it holds yet
	}
	files, err := book.BEPFiles(ctx, folder, max(from, 0))
	if err != nil {
		return err
	}
	s.mu.Lock()
	first := !s.announced[folder]
	s.mu.Unlock()
	// The first update goes out even when empty: it tells the peer our
	// index is up to date, so it can tell "nothing new" from "not yet".
	if len(files) == 0 && from >= 0 && !first {
		return nil
	}
	// But an empty index to a cunjing peer that holds none of ours tells
	// it nothing our cluster config did not (a maximum sequence of 0
	// needs no index, as from stock Syncthing, which sends none): ~130 B a
	// folder a connection, on a post's link two of its three folders
	// at first (issue #22). One that holds some, of any index ID, gets
	// it: a full index replaces what it holds (a restored database).
	s.mu.Lock()
	none := s.heldNone[folder]
	s.mu.Unlock()
	if len(files) == 0 && from < 0 && none && s.peer.Role != identity.RoleCarrier {
		if _, seq, err := book.BEPFolder(ctx, folder); err != nil || seq == 0 {
			return err
		}
	}
	if h := s.n.cfg.stepHook; h != nil {
		h(s, "announce", folder)
	}
	self := shortSelf(s.n.e)
	var fis []protocol.FileInfo
	last := from
	for _, f := range files {
		fi, err := entries.ToFileInfo(f, self)
		if err != nil {
			return err
		}
		if s.peer.Role != identity.RoleCarrier {
			entries.Light(&fi)
		}
		fis = append(fis, fi)
		last = max(last, f.Sequence)
	}
	idx, seq, err := book.BEPFolder(ctx, folder)
	if err != nil {
		return err
	}
	// What the peer will hold of our index (a full index tells it seq),
	// recorded before it goes out: a peer that says it holds more than
	// this has an index from before a restore (see ClusterConfig).
	upTo := last
	if from < 0 {
		upTo = max(last, seq)
	}
	if err := book.NoteBEPAnnounced(ctx, folder, idx, upTo); err != nil {
		return err
	}
	// A long index goes in several messages, each well under what a
	// receiver takes (framing.MaxMessage): the first as before, the rest
	// as updates, each following the one before.
	batches := indexBatches(fis, s.n.indexBatch())
	if from < 0 {
		first := seq
		if len(batches) > 1 {
			first = maxSeq(batches[0])
		}
		if err := s.conn.Index(ctx, &protocol.Index{Folder: s.wireFolder(folder), Files: batches[0], LastSequence: first}); err != nil {
			return err
		}
		prev := first
		for i, b := range batches[1:] {
			upTo := maxSeq(b)
			if i == len(batches)-2 {
				upTo = max(upTo, seq)
			}
			if err := s.conn.IndexUpdate(ctx, &protocol.IndexUpdate{Folder: s.wireFolder(folder), Files: b, PrevSequence: prev, LastSequence: upTo}); err != nil {
				return err
			}
			prev = upTo
		}
		last = max(last, 0)
	} else {
		prev := from
		for i, b := range batches {
			upTo := maxSeq(b)
			if i == len(batches)-1 {
				upTo = last
			}
			if err := s.conn.IndexUpdate(ctx, &protocol.IndexUpdate{Folder: s.wireFolder(folder), Files: b, PrevSequence: prev, LastSequence: upTo}); err != nil {
				return err
			}
			prev = upTo
		}
	}
	s.mu.Lock()
	s.sendFrom[folder] = last
	s.announced[folder] = true
	s.mu.Unlock()
	return nil
}

// indexBatchBytes bounds the entries of one index message we send, by
// their approximate size: an eighth of what a receiver takes
// (framing.MaxMessage), so that even a folder of many large blobs (an
// entry carries ~40 B a block) never makes a message a peer refuses.
const indexBatchBytes = framing.MaxMessage / 8

// indexBatchFiles bounds the entries of one index message we send: ~1 MB
// of a post's usual entries.
const indexBatchFiles = 10_000

// indexBatches cuts an index into messages of at most files entries and
// about indexBatchBytes; always at least one (an empty index is news too).
func indexBatches(fis []protocol.FileInfo, files int) [][]protocol.FileInfo {
	var out [][]protocol.FileInfo
	start, size := 0, 0
	for i, fi := range fis {
		n := 128 + len(fi.Name) + 48*len(fi.Blocks)
		if i > start && (i-start >= files || size+n > indexBatchBytes) {
			out = append(out, fis[start:i])
			start, size = i, 0
		}
		size += n
	}
	return append(out, fis[start:])
}

// maxSeq is the highest sequence among fis (0 for none).
func maxSeq(fis []protocol.FileInfo) int64 {
	var m int64
	for _, fi := range fis {
		m = max(m, fi.Sequence)
	}
	return m
}

// pull fetches one file into a temporary file beside its final place,
// keeping blocks already there that verify (a resumed transfer), requesting
// the rest with at most MaxOutgoing requests in flight, checking each
// block's SHA-256, and renaming into place only when all of it verifies.
func (s *session) pull(ctx context.Context, folder string, f syncbook.BEPFile) error {
	if kind, most := entries.MaxSize(f.Name); f.Size > most {
		return fmt.Errorf("%d bytes; a %s is at most %d", f.Size, kind, most)
	}
	blocks, err := entries.Blocks(f)
	if err != nil {
		return err
	}
	dir := s.n.e.FolderDir(folder)
	tmp := filepath.Join(dir, safefile.TempPrefix+f.Name)
	fh, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer fh.Close()
	if st, err := fh.Stat(); err == nil && st.Size() > f.Size {
		if err := fh.Truncate(f.Size); err != nil {
			return err
		}
	}
	var missing []protocol.BlockInfo
	buf := make([]byte, f.BlockSize)
	for _, b := range blocks {
		n, _ := fh.ReadAt(buf[:b.Size], b.Offset)
		if n == b.Size {
			sum := sha256.Sum256(buf[:n])
			if bytes.Equal(sum[:], b.Hash) {
				continue // there from an earlier, cut transfer
			}
		}
		missing = append(missing, b)
	}
	// A cunjing peer is asked for a block in pieces, each kept (and noted
	// in a list beside the temporary file) as it arrives: a link that dies
	// mid-block then loses at most the pieces in flight, not the whole
	// 128 KiB block (a village link that drops every few tens of KB still
	// gets a file across). The block's SHA-256 is checked once all its
	// pieces are there. Stock Syncthing checks each request against the
	// block's hash, so a carrier is asked for whole blocks.
	pieced := s.peer.Role != identity.RoleCarrier
	have := pieces.New(tmp + ".have")
	if pieced {
		have.Load()
	}
	type item struct {
		b            protocol.BlockInfo
		offset, size int
	}
	var items []item
	for _, b := range missing {
		if !pieced || b.Size <= pieceSize {
			items = append(items, item{b, 0, b.Size})
			continue
		}
		for off := 0; off < b.Size; off += pieceSize {
			if !have.Has(b.Offset + int64(off)) {
				items = append(items, item{b, off, min(pieceSize, b.Size-off)})
			}
		}
	}
	// Requests are never cancelled through their context: lib/protocol's
	// Request, cancelled, returns ctx.Err() even when the block's response
	// is already waiting in its channel, and that block would have to come
	// again. When ctx ends, retiring the session ends the requests instead;
	// each then returns either its data or ErrClosed, and every block
	// delivered is written below before pull returns.
	reqCtx := context.WithoutCancel(ctx)
	stop := context.AfterFunc(ctx, s.retire)
	defer stop()
	wire := s.wireFolder(folder)
	sem := make(chan struct{}, s.n.cfg.MaxOutgoing)
	var wg gosync.WaitGroup
	var mu gosync.Mutex
	var firstErr error
	failed := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return firstErr != nil
	}
	// After a failure no new request starts, but those in flight are not
	// cancelled: a block that already arrived is kept for the resume.
	// A dead connection ends them anyway.
	for _, it := range items {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil || failed() {
			break
		}
		wg.Add(1)
		go func(it item) {
			defer func() { <-sem; wg.Done() }()
			b := it.b
			whole := it.offset == 0 && it.size == b.Size
			req := &protocol.Request{Folder: wire, Name: f.Name, Offset: b.Offset + int64(it.offset),
				Size: it.size, BlockNo: int(b.Offset / int64(f.BlockSize))}
			if whole && !pieced {
				// Stock Syncthing checks what it serves against the hash;
				// a cunjing peer serves the bytes asked for (Request) and
				// the hash is checked here, so it is 34 B a request for
				// nothing.
				req.Hash = b.Hash
			}
			data, err := s.conn.Request(reqCtx, req)
			if err != nil {
				err = fmt.Errorf("request block at %d: %w", req.Offset, err)
			} else if len(data) != it.size {
				err = fmt.Errorf("block at %d: %d bytes, asked for %d", req.Offset, len(data), it.size)
			} else if whole {
				if sum := sha256.Sum256(data); !bytes.Equal(sum[:], b.Hash) {
					err = fmt.Errorf("block at %d failed its SHA-256 check", b.Offset)
				}
			}
			if err == nil {
				if _, werr := fh.WriteAt(data, req.Offset); werr != nil {
					err = fmt.Errorf("keep block at %d: %w", req.Offset, werr)
				} else if !whole {
					have.Add(req.Offset)
				}
			}
			if err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		}(it)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err // what ended the requests, rather than the ErrClosed it caused
	}
	if firstErr != nil {
		return firstErr
	}
	// Each pieced block whole: its pieces together must make its hash.
	for _, b := range missing {
		if !pieced || b.Size <= pieceSize {
			continue
		}
		n, _ := fh.ReadAt(buf[:b.Size], b.Offset)
		if sum := sha256.Sum256(buf[:n]); n != b.Size || !bytes.Equal(sum[:], b.Hash) {
			have.Drop(b.Offset, b.Size)
			return fmt.Errorf("block at %d failed its SHA-256 check", b.Offset)
		}
	}
	if err := fh.Truncate(f.Size); err != nil {
		return err
	}
	if err := fh.Sync(); err != nil {
		return err
	}
	if err := fh.Close(); err != nil {
		return err
	}
	final := filepath.Join(dir, f.Name)
	if err := os.Rename(tmp, final); err != nil {
		return err
	}
	have.Remove()
	mt := time.Unix(0, f.ModifiedNs)
	_ = os.Chtimes(final, mt, mt) // cosmetic: keep the origin's time
	if _, _, err := s.n.e.Book().AddBEPFile(ctx, folder, syncbook.BEPFile{Name: f.Name, Size: f.Size, ModifiedNs: f.ModifiedNs,
		Version: f.Version, BlockSize: f.BlockSize, Blocks: f.Blocks}); err != nil {
		return err
	}
	s.mu.Lock()
	s.pulled++
	s.mu.Unlock()
	return nil
}

// pieceSize is how much of a block one request asks a cunjing peer for.
// A cut link loses the piece it split (and the ones after it in flight
// that did not come whole): 32 KiB pieces lost ~28 KB a cut in the county
// simulation, a 34 KB changeset's first piece most of the time; 8 KiB
// pieces lose ~1-4 KB. Each piece costs a request and a response header,
// ~200 B with TLS, so a 2 MB scan costs 2.3 % more wire than in 32 KiB
// pieces (1.031x against 1.008x): the right trade for links that drop
// every few tens of KB. A .have list from 32 KiB pieces still resumes
// (its offsets are pieces' offsets here; the rest comes again).
const pieceSize = 8 << 10

// Model callbacks (dispatcher goroutine: record and wake, never Request).

func (s *session) Index(_ protocol.Connection, idx *protocol.Index) error {
	return s.gotIndex(s.localFolder(idx.Folder), idx.Files, idx.LastSequence, true)
}

func (s *session) IndexUpdate(_ protocol.Connection, idx *protocol.IndexUpdate) error {
	return s.gotIndex(s.localFolder(idx.Folder), idx.Files, idx.LastSequence, false)
}

func (s *session) gotIndex(folder string, files []protocol.FileInfo, last int64, full bool) error {
	s.mu.Lock()
	ok := s.folders[folder]
	s.mu.Unlock()
	if !ok {
		return nil // a folder we do not share with this peer: ignore it
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var theirIdx uint64
	var bf []syncbook.BEPFile
	for _, fi := range files {
		// Entries we do not carry still advance how far we hold the
		// peer's index, or completeness would wait for them forever
		// (a peer need not set LastSequence).
		last = max(last, fi.Sequence)
		f, ok, err := entries.Remote(fi)
		if err != nil {
			s.n.e.Log().Warn("ignored a malformed index entry", "peer", s.peer.Name, "folder", folder, "err", err)
			continue
		}
		if ok {
			bf = append(bf, f)
		}
	}
	s.mu.Lock()
	theirIdx = s.theirIndexID(folder)
	s.mu.Unlock()
	// At most maxEntries files a folder: more than a post makes in
	// decades (a changeset a minute it worked, a receipt a session).
	held := 0
	if !full {
		if err := retryBusy(ctx, func() (err error) {
			held, err = s.n.e.Book().BEPRemoteCount(ctx, folder, s.peer.DeviceID)
			return err
		}); err != nil {
			return err
		}
	}
	if most := s.n.entryBudget(); held+len(bf) > most {
		keep := max(most-held, 0)
		s.n.e.Log().Warn("the peer announces more files in a folder than cunjing ever makes; the rest are not taken",
			"peer", s.peer.Name, "folder", folder, "announced", held+len(bf), "at most", most, "left out", len(bf)-keep)
		bf = bf[:keep]
	}
	if err := retryBusy(ctx, func() error {
		return s.n.e.Book().PutBEPRemote(ctx, folder, s.peer.DeviceID, theirIdx, bf, last, full)
	}); err != nil {
		return err
	}
	s.mu.Lock()
	s.idxSeen[folder] = true
	s.mu.Unlock()
	s.progress.Add(1)
	s.poke()
	return nil
}

// theirIndexID is the IndexID the peer announced for its own index of a
// folder in its last ClusterConfig (kept in remoteIdx).
func (s *session) theirIndexID(folder string) uint64 { return s.remoteIdx[folder] }

func (s *session) Request(_ protocol.Connection, req *protocol.Request) (protocol.RequestResponse, error) {
	folder := s.localFolder(req.Folder)
	s.mu.Lock()
	ok := s.folders[folder]
	s.mu.Unlock()
	if !ok || !entries.Wanted(req.Name) || req.Size < 0 || req.Size > protocol.MaxBlockSize || req.Offset < 0 {
		return nil, protocol.ErrNoSuchFile
	}
	s.sem <- struct{}{}
	defer func() { <-s.sem }()
	fh, err := os.Open(filepath.Join(s.n.e.FolderDir(folder), req.Name))
	if err != nil {
		return nil, protocol.ErrNoSuchFile
	}
	defer fh.Close()
	buf := make([]byte, req.Size)
	n, err := fh.ReadAt(buf, req.Offset)
	if err != nil && !errors.Is(err, io.EOF) || n != req.Size {
		return nil, protocol.ErrNoSuchFile
	}
	return response(buf), nil
}

type response []byte

func (r response) Data() []byte { return r }
func (response) Close()         {}
func (response) Wait()          {}

func (s *session) ClusterConfig(_ protocol.Connection, cc *protocol.ClusterConfig) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// What it records is the same however often it runs.
	return retryBusy(ctx, func() error { return s.clusterConfigIn(ctx, cc) })
}

func (s *session) clusterConfigIn(ctx context.Context, cc *protocol.ClusterConfig) error {
	fs, err := s.shared(ctx)
	if err != nil {
		return err
	}
	mine := map[string]bool{}
	for _, f := range fs {
		mine[f.ID] = true
	}
	me := s.n.e.Identity().DeviceID
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noteAliases(cc, mine)
	for _, f := range cc.Folders {
		if !mine[f.ID] || f.Paused {
			continue
		}
		s.folders[f.ID] = true
		myIdx, announced, err := s.n.e.Book().BEPAnnounced(ctx, f.ID)
		if err != nil {
			return err
		}
		from := int64(-1)
		for _, d := range f.Devices {
			switch d.ID {
			case me:
				if s.heldNone == nil {
					s.heldNone = map[string]bool{}
				}
				s.heldNone[f.ID] = d.MaxSequence == 0
				switch {
				case uint64(d.IndexID) == myIdx && d.MaxSequence > announced:
					// It holds more of our index than this database ever
					// announced: the database was restored from an older
					// backup, and the files added since (a scan of the
					// folder, new cuts) got sequences it thinks it has,
					// for other files. Comparing with our own sequence
					// would not do: a scan after the restore can have
					// passed the peer's already. A fresh IndexID makes it
					// take our index anew.
					if err := s.n.e.Book().ResetBEPIndex(ctx, f.ID); err != nil {
						return err
					}
					s.n.e.Log().Warn("the peer holds more of our index than we announced (restored from a backup?): sending it anew",
						"peer", s.peer.Name, "folder", f.ID, "theirs", d.MaxSequence, "announced", announced)
				case uint64(d.IndexID) == myIdx && d.MaxSequence > 0:
					// It holds our index up to MaxSequence: send only newer.
					from = d.MaxSequence
				}
			case s.remote:
				s.remoteIdx[f.ID] = uint64(d.IndexID)
				s.remoteMax[f.ID] = d.MaxSequence
			}
		}
		if _, sent := s.sendFrom[f.ID]; !sent {
			s.sendFrom[f.ID] = from
		}
	}
	s.ccOnce.Do(func() { close(s.ccSeen) })
	s.poke()
	return nil
}

func (s *session) Closed(_ protocol.Connection, err error) {
	if hello.Refused(err) {
		err = fmt.Errorf("%w: %v", ErrForgotten, err)
	}
	s.mu.Lock()
	s.closedErr = err
	s.mu.Unlock()
	s.closedOnce.Do(func() { close(s.closedSeen) })
	s.poke()
}

func (s *session) DownloadProgress(protocol.Connection, *protocol.DownloadProgress) error { return nil }
