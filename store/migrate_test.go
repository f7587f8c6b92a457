package store

import (
	"bytes"
	"context"
	"database/sql"
	"strings"
	"testing"
)

// TestMigrationNumbersOrigins: a database from before migration 0004 (the
// change log naming its origin by device ID) is rebuilt with numbered
// origins and loses nothing: the same dump, the same changes to cut in the
// same order from the same sequence numbers, each origin's newest change,
// and new changes continue the sequence.
func TestMigrationNumbersOrigins(t *testing.T) {
	ctx := context.Background()
	post := newTestStore(t, RolePost, nil)
	other := newTestStore(t, RolePost, nil)
	v := &Village{Name: "老村"}
	if err := post.Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		h := &Household{VillageID: v.ID, OwnerName: "户主" + string(rune('甲'+i)), Warning: WarnGreen}
		if err := post.Save(ctx, h); err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 {
			h.Notes = "走访"
			if err := post.Save(ctx, h); err != nil {
				t.Fatal(err)
			}
		}
	}
	ov := &Village{Name: "邻村"}
	if err := other.Save(ctx, ov); err != nil {
		t.Fatal(err)
	}
	theirs, _, err := other.ChangesSince(ctx, other.DeviceID(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := post.Apply(ctx, theirs); err != nil {
		t.Fatal(err)
	}

	var before bytes.Buffer
	if err := post.Dump(ctx, &before, ""); err != nil {
		t.Fatal(err)
	}
	mineBefore, lastBefore, err := post.ChangesSince(ctx, post.DeviceID(), 5, 1000)
	if err != nil {
		t.Fatal(err)
	}
	path := post.Path()
	post.Close()

	// Put the change log back in its schema-3 shape, as an older cunjing
	// left it.
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE TABLE changes_v3 (seq INTEGER PRIMARY KEY AUTOINCREMENT, origin TEXT NOT NULL, hlc TEXT NOT NULL,
		  tbl TEXT NOT NULL, rec TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, base TEXT NOT NULL DEFAULT '',
		  UNIQUE (tbl, rec, field, hlc))`,
		`INSERT INTO changes_v3 SELECT c.seq, o.device, c.hlc, c.tbl, c.rec, c.field, c.value, c.base
		  FROM changes c JOIN origins o ON o.n = c.origin ORDER BY c.seq`,
		`DROP TABLE changes`,
		`DROP TABLE origins`,
		`ALTER TABLE changes_v3 RENAME TO changes`,
		`CREATE INDEX changes_by_origin ON changes (origin, seq)`, // (0024's changes_blob_refs went with the table)
		// and what 0005 added
		`ALTER TABLE sync_peers DROP COLUMN clock_ms`,
		`ALTER TABLE sync_peers DROP COLUMN clock_at`,
		`ALTER TABLE sync_peers DROP COLUMN clock_by`,
		`ALTER TABLE sync_out DROP COLUMN change_seq`,
		`DROP TABLE sync_notes`,
		`DROP TABLE sync_rebased`,
		// and without what later migrations added, since they run again
		`DROP TABLE holidays`,        // 0006
		`DROP TABLE village_georefs`, // 0007
		`ALTER TABLE shift_rules DROP COLUMN holidays`,
		`ALTER TABLE cost_items DROP COLUMN source`,
		`DROP TABLE sync_receipts_in`,                    // 0008
		`DROP TABLE sync_receipts_out`,                   // 0008
		`ALTER TABLE bep_folders DROP COLUMN announced`,  // 0009
		`ALTER TABLE residents DROP COLUMN disabled`,     // 0010
		`ALTER TABLE residents DROP COLUMN mobility`,     // 0010
		`DROP TABLE emergencies`,                         // 0010
		`ALTER TABLE sync_rejects DROP COLUMN kind`,      // 0011
		`DROP INDEX households_by_owner`,                 // 0012
		`DROP INDEX houses_by_owner`,                     // 0012
		`DROP INDEX residents_by_owner`,                  // 0012
		`DROP TABLE month_approvals`,                     // 0012
		`DROP TABLE month_requests`,                      // 0012
		`ALTER TABLE patrols DROP COLUMN boards_posted`,  // 0013
		`ALTER TABLE patrols DROP COLUMN boards_checked`, // 0013
		`DROP TABLE net_servers`,                         // 0014
		`DROP TABLE releases`,                            // 0015
		`ALTER TABLE sync_peers DROP COLUMN last_path`,   // 0016
		`DROP TABLE held_newer`,                          // 0017
		`DROP TABLE tier_owners`,                         // 0018
		`DROP TABLE trace_drafts`,                        // 0019
		`DROP INDEX sync_in_waiting`,                     // 0020
		`ALTER TABLE shift_rules DROP COLUMN versions`,   // 0021
		`DROP TABLE change_arrivals`,                     // 0022
		`ALTER TABLE members DROP COLUMN off`,            // 0023
		`PRAGMA user_version = 3`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var textOrigins int
	if err := db.QueryRow("SELECT count(*) FROM changes WHERE typeof(origin) = 'text'").Scan(&textOrigins); err != nil || textOrigins == 0 {
		t.Fatalf("the schema-3 change log was not rebuilt: %d text origins, %v", textOrigins, err)
	}
	db.Close()

	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("open schema 3: %v", err)
	}
	defer s.Close()
	var after bytes.Buffer
	if err := s.Dump(ctx, &after, ""); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before.Bytes(), after.Bytes()) {
		t.Fatalf("dump changed by the migration:\n%s\n---\n%s", before.String(), after.String())
	}
	mineAfter, lastAfter, err := s.ChangesSince(ctx, s.DeviceID(), 5, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if lastAfter != lastBefore || len(mineAfter) != len(mineBefore) || len(mineAfter) < 40 {
		t.Fatalf("own changes after seq 5: %d up to %d before, %d up to %d after", len(mineBefore), lastBefore, len(mineAfter), lastAfter)
	}
	for i := range mineAfter {
		if mineAfter[i] != mineBefore[i] {
			t.Fatalf("change %d: %+v became %+v", i, mineBefore[i], mineAfter[i])
		}
	}
	for _, dev := range []string{s.DeviceID(), other.DeviceID()} {
		all, err := s.PostCounts().StatsByOwner(ctx, "", "")
		if err != nil {
			t.Fatal(err)
		}
		st := all[dev]
		var want string
		if err := s.db.QueryRowContext(ctx, "SELECT max(hlc) FROM changes WHERE substr(hlc, 22) = ?", dev).Scan(&want); err != nil {
			t.Fatal(err)
		}
		if st.LastChange != want || want == "" {
			t.Fatalf("newest change of %s: %q, want %q", dev, st.LastChange, want)
		}
	}
	// New changes continue the sequence after the migrated ones.
	v.Name = "老村（新）"
	if err := s.Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	next, last, err := s.ChangesSince(ctx, s.DeviceID(), lastAfter, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(next) != 1 || last <= lastAfter || next[0].Field != "name" {
		t.Fatalf("after the migration a save logged %+v at %d (migrated up to %d)", next, last, lastAfter)
	}
	all, err := s.PostCounts().StatsByOwner(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	st := all[s.DeviceID()]
	if st.LastChange != next[0].HLC {
		t.Fatalf("newest change %q, want the save's %q", st.LastChange, next[0].HLC)
	}
}

// TestBlobReferencedUsesItsIndex: the quarantine's question "does a change
// here name this blob" is answered by the index (migration 0024), not by
// reading the whole change log.
func TestBlobReferencedUsesItsIndex(t *testing.T) {
	s := newTestStore(t, RolePost, nil)
	rows, err := s.db.Query("EXPLAIN QUERY PLAN SELECT EXISTS (SELECT 1 FROM changes "+blobRefWhere+")", `"x"`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(plan, "; "); !strings.Contains(got, "changes_blob_refs") {
		t.Errorf("the blob lookup does not use changes_blob_refs: %s", got)
	}
}
