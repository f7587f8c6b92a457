package store

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
)

// FuzzApplyChange feeds arbitrary change records (as a carrier could
// deliver them after the signature check) to Apply: it must never panic,
// and a rejected batch must leave the database as it was.
func FuzzApplyChange(f *testing.F) {
	f.Add(`{"t":"villages","r":"v1","f":"name","v":"\"张庄\"","h":"1764000000000-000000-DEV"}`)
	f.Add(`{"t":"residents","r":"r1","f":"categories","v":"[\"留守老人\"]","h":"1764000000000-000001-DEV","b":"1764000000000-000000-DEV"}`)
	f.Add(`{"t":"cost_items","r":"c","f":"amount_min","v":"1e309","h":"1764000000000-000000-D"}`)
	f.Add(`{"t":"houses","r":"h","f":"deleted","v":"true","h":"9999999999999-999999-D"}`)
	f.Add(`{"t":"patrols","r":"p","f":"drone_track","v":"{\"km\":3}","h":"1764000000000-000000-D"}`)
	f.Add(`{"t":"flood_points","r":"f","f":"name","v":"\"桥头\"","h":"1764000000000-000000-D","b":"1763000000000-000000-D"}`)
	f.Add(`{"t":"sqlite_master","r":"f","f":"sql","v":"\"x\"","h":"1764000000000-000000-D"}`)
	s := newTestStore(f, RolePost, nil)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, raw string) {
		var c Change
		if err := json.Unmarshal([]byte(raw), &c); err != nil {
			return
		}
		before := dumpOf(t, s)
		_, err := s.Apply(ctx, []Change{c, {Table: "nope"}})
		if err == nil {
			t.Fatal("a batch with an unknown table was accepted")
		}
		if dumpOf(t, s) != before {
			t.Fatal("rejected batch changed the database")
		}
		if _, err := s.Apply(ctx, []Change{c}); err != nil {
			return
		}
		// A change of a table or field this version does not know is
		// held aside by Apply (held.go): Validate says so, typed.
		if err := ValidateChange(c); err != nil && !errors.Is(err, ErrUnknownSchema) {
			t.Fatalf("Apply accepted a change Validate rejects: %v", err)
		}
	})
}

// FuzzParseHLC: any string either fails or round-trips.
func FuzzParseHLC(f *testing.F) {
	f.Add("1764000000000-000000-DEV")
	f.Add("")
	f.Add("0000000000000-000000-")
	f.Fuzz(func(t *testing.T, s string) {
		h, err := ParseHLC(s)
		if err != nil {
			return
		}
		if h.String() != s {
			t.Fatalf("round trip %q -> %q", s, h.String())
		}
	})
}
