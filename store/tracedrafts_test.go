package store

import (
	"bytes"
	"context"
	"errors"
	"testing"
)

// A village's draft is kept with its scan, replaced by the next one (the
// old scan goes), stays out of the change log and the dump, and leaves
// nothing behind when thrown away, except a scan a base map refers to.
func TestTraceDrafts(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, RolePost, nil)
	vil := &Village{Name: "张庄村"}
	if err := s.Save(ctx, vil); err != nil {
		t.Fatal(err)
	}
	var before bytes.Buffer
	if err := s.Dump(ctx, &before, ""); err != nil {
		t.Fatal(err)
	}
	changes := func() int {
		var n int
		if err := s.db.QueryRow("SELECT count(*) FROM changes").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	logged := changes()

	if _, err := s.TraceDraft(ctx, vil.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("no draft yet: %v", err)
	}
	for _, tc := range []struct {
		name string
		d    TraceDraft
	}{
		{"no village", TraceDraft{ImageHash: "a1", Proposal: []byte("{}")}},
		{"unknown village", TraceDraft{VillageID: "nope", ImageHash: "a1", Proposal: []byte("{}")}},
		{"no scan", TraceDraft{VillageID: vil.ID, Proposal: []byte("{}")}},
		{"no proposal", TraceDraft{VillageID: vil.ID, ImageHash: "a1"}},
	} {
		if err := s.SaveTraceDraft(ctx, tc.d, []byte("scan")); err == nil {
			t.Errorf("%s: saved", tc.name)
		}
	}
	if err := s.SaveTraceDraft(ctx, TraceDraft{VillageID: vil.ID, ImageHash: "a1", Source: "张庄村.jpg", Proposal: []byte(`{"houses":[]}`)}, []byte("scan one")); err != nil {
		t.Fatal(err)
	}
	if ids, err := s.TraceDraftVillages(ctx); err != nil || len(ids) != 1 || ids[0] != vil.ID {
		t.Fatalf("villages with a draft: %v, %v", ids, err)
	}
	d, err := s.TraceDraft(ctx, vil.ID)
	if err != nil || d.ImageHash != "a1" || d.Source != "张庄村.jpg" || string(d.Proposal) != `{"houses":[]}` || d.Made.IsZero() {
		t.Fatalf("draft %+v, %v", d, err)
	}
	if b, err := s.Blob(ctx, "a1"); err != nil || string(b) != "scan one" {
		t.Fatalf("scan %q, %v", b, err)
	}
	// A second trace replaces the draft; the first scan goes with it.
	if err := s.SaveTraceDraft(ctx, TraceDraft{VillageID: vil.ID, ImageHash: "b2", Proposal: []byte(`{"unread":1}`)}, []byte("scan two")); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.TraceDraft(ctx, vil.ID); d.ImageHash != "b2" || string(d.Proposal) != `{"unread":1}` {
		t.Fatalf("replaced draft %+v", d)
	}
	if ok, _ := s.HasBlob(ctx, "a1"); ok {
		t.Error("the replaced draft's scan stayed")
	}
	if n := changes(); n != logged {
		t.Errorf("drafts went into the change log: %d changes, was %d", n, logged)
	}
	var after bytes.Buffer
	if err := s.Dump(ctx, &after, ""); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before.Bytes(), after.Bytes()) {
		t.Error("a draft changed the dump")
	}
	// The scan the accepted base map refers to stays when the draft goes.
	if err := s.Save(ctx, &VillageMap{VillageID: vil.ID, Name: "扫描图", ImageHash: "b2", ImageW: 10, ImageH: 10, MetresPerPx: 0.2}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteTraceDraft(ctx, vil.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TraceDraft(ctx, vil.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted draft: %v", err)
	}
	if ids, err := s.TraceDraftVillages(ctx); err != nil || len(ids) != 0 {
		t.Fatalf("villages with a draft after deleting it: %v, %v", ids, err)
	}
	if ok, _ := s.HasBlob(ctx, "b2"); !ok {
		t.Error("the base map's scan went with the draft")
	}
	// A thrown-away draft takes its scan with it.
	if err := s.SaveTraceDraft(ctx, TraceDraft{VillageID: vil.ID, ImageHash: "c3", Proposal: []byte("{}")}, []byte("scan three")); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteTraceDraft(ctx, vil.ID); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.HasBlob(ctx, "c3"); ok {
		t.Error("a thrown-away draft's scan stayed")
	}
	if err := s.DeleteTraceDraft(ctx, vil.ID); err != nil {
		t.Errorf("deleting no draft: %v", err)
	}
}
