package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"cunjing/app/ui/uitest"
	"cunjing/store"
	"cunjing/store/clock/clocktest"
	cjsync "cunjing/sync"
	"cunjing/sync/exchange"
)

// A household opened at the station is written in the audit log (who
// looked at whose personal data): the entry names a person of one post
// (203 王建国), so it is that post's record and reaches that post alone.
// Left to the store it was the station's own, sent in its broadcast to
// every post of the township.
func TestStationAuditOfAHouseholdIsThePosts(t *testing.T) {
	ctx := context.Background()
	post, stn, postEngine, stnEngine := uitest.StationWithPost(t)
	other, _, err := cjsync.Init(ctx, filepath.Join(t.TempDir(), "other.db"),
		store.Identity{Role: store.RolePost, Name: "西岭警务室", Township: "城关镇"}, store.Options{Now: clocktest.Clock(t), BackupWorkFactor: 10})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	otherEngine, err := cjsync.New(ctx, other, cjsync.Options{})
	if err != nil {
		t.Fatal(err)
	}
	uitest.PairEngines(t, stnEngine, otherEngine)

	u, w := newTestUI(t, stn)
	u.SearchHouseholds("王建国")
	u.Wait()
	if uitest.ButtonIn(w.Content(), "添加居民") == nil {
		t.Fatalf("the household is not open:\n%s", uitest.Shown(w.Content()))
	}
	var seen *store.AuditEntry
	log, err := stn.AuditLog(ctx, "", 50)
	if err != nil {
		t.Fatal(err)
	}
	for i := range log {
		if log[i].Action == store.AuditView && strings.Contains(log[i].Subject, "王建国") {
			seen = &log[i]
		}
	}
	if seen == nil {
		t.Fatalf("opening the household left no audit entry: %+v", log)
	}
	if seen.Owner != post.DeviceID() {
		t.Errorf("the audit entry is %q's, want the household's post %q", seen.Owner, post.DeviceID())
	}
	stick := t.TempDir()
	for _, e := range []*cjsync.Engine{stnEngine, postEngine, otherEngine} {
		if _, err := exchange.Once(ctx, e, stick); err != nil {
			t.Fatal(err)
		}
	}
	var at store.AuditEntry
	if err := post.Get(ctx, &at, seen.ID); err != nil {
		t.Errorf("the post does not hold the station's look at its household: %v", err)
	}
	if err := other.Get(ctx, &at, seen.ID); err == nil {
		t.Errorf("another post received the audit entry naming 王建国: %+v", at)
	}
}

// A print or export made at the station is in its audit log
// (kit.Env.Audit): contact cards name people in the subject. No one post
// is known to own it, so it is the station's own record, and the station's
// broadcast does not carry its audit log: it stays at the station, where
// before it went to every post of the township.
func TestStationPrintAuditStaysAtTheStation(t *testing.T) {
	ctx := context.Background()
	post, stn, postEngine, stnEngine := uitest.StationWithPost(t)
	u, _ := newTestUI(t, stn)
	if err := u.Audit(ctx, store.AuditPrint, "联系卡 王建国", "/tmp/联系卡.pdf"); err != nil {
		t.Fatal(err)
	}
	log, err := stn.AuditLog(ctx, stn.DeviceID(), 50)
	if err != nil {
		t.Fatal(err)
	}
	var id string
	for _, e := range log {
		if e.Action == store.AuditPrint && e.Subject == "联系卡 王建国" {
			id = e.ID
		}
	}
	if id == "" {
		t.Fatalf("the print left no audit entry of the station's: %+v", log)
	}
	stick := t.TempDir()
	for _, e := range []*cjsync.Engine{stnEngine, postEngine} {
		if _, err := exchange.Once(ctx, e, stick); err != nil {
			t.Fatal(err)
		}
	}
	var at store.AuditEntry
	if err := post.Get(ctx, &at, id); err == nil {
		t.Errorf("the post received the station's audit entry naming 王建国: %+v", at)
	}
}
