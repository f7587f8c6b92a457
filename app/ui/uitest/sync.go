package uitest

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"fyne.io/fyne/v2"

	"cunjing/app/ui/kit"
	"cunjing/store"
	"cunjing/store/clock/clocktest"
	cjsync "cunjing/sync"
	"cunjing/sync/exchange"
	"cunjing/sync/identity"
	"cunjing/sync/synctest"
)

// SyncPair makes a post with a village and a house, and its station, each
// with a real sync identity, both on the tests' clock (clocktest.Clock, as
// the window's Env): what the station notes of an arrival is on the same
// clock its screens reckon freshness by, on any date datecheck sets.
func SyncPair(t *testing.T) (post, stn *store.Store, stnEngine *cjsync.Engine) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	now := clocktest.Clock(t)
	post, _, err := cjsync.Init(ctx, filepath.Join(dir, "post.db"),
		store.Identity{Role: store.RolePost, Name: "东河警务室", Township: "城关镇", Officer: "赵警官", Phone: "13900001111"}, store.Options{Now: now, BackupWorkFactor: 10})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { post.Close() })
	stn, _, err = cjsync.Init(ctx, filepath.Join(dir, "station.db"),
		store.Identity{Role: store.RoleStation, Name: "城关派出所", Township: "城关镇", Officer: "刘所长"}, store.Options{Now: now, BackupWorkFactor: 10})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stn.Close() })
	v := &store.Village{Name: "东河村", Township: "城关镇"}
	if err := post.Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	h := &store.House{VillageID: v.ID, Number: "203", Kind: "house", Geometry: `[{"x":0,"y":0},{"x":9,"y":0},{"x":9,"y":9}]`}
	if err := post.Save(ctx, h); err != nil {
		t.Fatal(err)
	}
	if err := post.Save(ctx, &store.Household{VillageID: v.ID, HouseID: h.ID, OwnerName: "王建国", Warning: store.WarnRed,
		Categories: []string{store.CatKey}}); err != nil {
		t.Fatal(err)
	}
	if stnEngine, err = cjsync.New(ctx, stn, cjsync.Options{}); err != nil {
		t.Fatal(err)
	}
	return post, stn, stnEngine
}

// PairingCode is e's own pairing code.
func PairingCode(t *testing.T, e *cjsync.Engine) identity.Code {
	t.Helper()
	var self store.Post
	if err := e.Store().Get(context.Background(), &self, e.Self()); err != nil {
		t.Fatal(err)
	}
	c, err := e.Identity().Code(self.Name, e.Store().Role(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// PairEngines pairs two devices both ways, as two officers who read each
// other's codes.
func PairEngines(t *testing.T, a, b *cjsync.Engine) {
	t.Helper()
	ctx := context.Background()
	if _, err := a.Pair(ctx, PairingCode(t, b)); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Pair(ctx, PairingCode(t, a)); err != nil {
		t.Fatal(err)
	}
}

// PairedPost is SyncPair with the post's engine too, the two paired both
// ways.
func PairedPost(t *testing.T) (post, stn *store.Store, postEngine, stnEngine *cjsync.Engine) {
	t.Helper()
	post, stn, stnEngine = SyncPair(t)
	postEngine, err := cjsync.New(context.Background(), post, cjsync.Options{})
	if err != nil {
		t.Fatal(err)
	}
	PairEngines(t, postEngine, stnEngine)
	return post, stn, postEngine, stnEngine
}

// StationWithPost is PairedPost after one stick trip: the post wrote its
// changes to a stick (同步's exchange tab does this) and the station read
// it, so the post's village, house and household are at the station.
func StationWithPost(t *testing.T) (post, stn *store.Store, postEngine, stnEngine *cjsync.Engine) {
	t.Helper()
	post, stn, postEngine, stnEngine = PairedPost(t)
	stick := t.TempDir()
	for _, e := range []*cjsync.Engine{postEngine, stnEngine} {
		if _, err := exchange.Once(context.Background(), e, stick); err != nil {
			t.Fatal(err)
		}
	}
	return post, stn, postEngine, stnEngine
}

// SyncEnv is NewEnv with what the shell adds for 同步 and the station's
// tabs: the sync engine, opened once, and a count of Published calls.
type SyncEnv struct {
	*kit.Env
	mu        sync.Mutex
	eng       *cjsync.Engine
	engErr    error
	Publishes int // calls of Published
	// Ver is what Version says ("0.1.0" when empty).
	Ver string
}

// Version is Ver, or 0.1.0.
func (e *SyncEnv) Version() string {
	if e.Ver == "" {
		return "0.1.0"
	}
	return e.Ver
}

// NewSyncEnv is the environment of a headless window over s.
func NewSyncEnv(t testing.TB, s *store.Store) (*SyncEnv, fyne.Window) {
	t.Helper()
	env, w := NewEnv(t, s)
	return &SyncEnv{Env: env}, w
}

// Engine opens the store's sync engine once.
func (e *SyncEnv) Engine(ctx context.Context) (*cjsync.Engine, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.eng == nil && e.engErr == nil {
		e.eng, e.engErr = cjsync.New(ctx, e.Store(), cjsync.Options{})
	}
	return e.eng, e.engErr
}

// Published counts the calls.
func (e *SyncEnv) Published() { e.Publishes++ }

// CountyWithStation is StationWithPost a tier up: a county paired with
// the station, after the station's next stick trip to it, so the post's
// records are at the county under the station.
func CountyWithStation(t *testing.T) (county *store.Store, countyEngine *cjsync.Engine) {
	t.Helper()
	ctx := context.Background()
	_, _, _, stnEngine := StationWithPost(t)
	countyEngine = synctest.Device(t, store.RoleCounty, "城关县公安局")
	PairEngines(t, stnEngine, countyEngine)
	stick := t.TempDir()
	for _, e := range []*cjsync.Engine{stnEngine, countyEngine} {
		if _, err := exchange.Once(ctx, e, stick); err != nil {
			t.Fatal(err)
		}
	}
	return countyEngine.Store(), countyEngine
}
