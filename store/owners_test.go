package store

import (
	"context"
	"testing"
)

// RecordOwners answers like RecordOwner for every id, across batches.
func TestRecordOwnersBatches(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, RolePost, nil)
	v := &Village{Name: "村"}
	if err := s.Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	var recs []Record
	for range ownerBatch + 10 {
		recs = append(recs, &Household{VillageID: v.ID, OwnerName: "户"})
	}
	if err := s.Save(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	ids := []string{"no-such-record"}
	for _, r := range recs {
		ids = append(ids, r.(*Household).ID)
	}
	err := s.Update(ctx, func(tx *Tx) error {
		got, err := tx.RecordOwners("households", ids)
		if err != nil {
			return err
		}
		if len(got) != len(recs) {
			t.Errorf("%d owners for %d records", len(got), len(recs))
		}
		for _, id := range ids {
			want, exists, err := tx.RecordOwner("households", id)
			if err != nil {
				return err
			}
			if o, ok := got[id]; ok != exists || o != want {
				t.Errorf("%s: batch says %q/%v, single %q/%v", id, o, ok, want, exists)
			}
		}
		if _, err := tx.RecordOwners("no_table", ids); err == nil {
			t.Error("unknown table accepted")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
