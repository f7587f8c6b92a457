// Package admit is the ownership rule of sync's receive path: which
// changes of a verified changeset its origin may make here (Split), by
// the roles of the two devices and the owners of the records the changes
// touch, and which tables a station publishes to its posts (Published).
// It sits below sync's root, which applies what it admits.
package admit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"cunjing/store"
	"cunjing/store/syncbook"
)

// Sender is who sent a changeset and who receives it: this device (Self)
// and its role, the changeset's origin and the origin's role.
type Sender struct {
	Self, Role         string
	Origin, OriginRole string
}

// Published are the tables a station's broadcast (and the county's
// records relayed to every post) carries: what it publishes for all.
// Anything else it owns (an emergency card, a print record, an audit
// entry, a household entered there) names a person or place of one post
// and stays there (ARCHITECTURE.md, "Whose record a station makes").
var Published = map[string]bool{"posts": true, "cost_items": true, "board_templates": true, "notices": true,
	"holidays": true, "net_servers": true, "releases": true, "month_approvals": true}

// Split splits a changeset's changes into the indexes of those its
// origin may make and descriptions of those it may not, and counts the
// kept ones by record owner. A post writes only records it owns; a station
// writes its own records and its posts' (here: this post's) records, and
// carries its county's down to its posts; to its county, a station writes
// its own records and its posts' (each post is claimed by the first
// station that brings its records; syncbook.NoteTierOwners); a county
// writes only its own. A record's owner is its stored owner, or for a
// record not yet known the owner its first change in this changeset names.
//
// At a post, a station's or county's own record of a table no station
// publishes (an older station's broadcast carried every record it owned)
// is neither kept nor refused: it is Withheld (ARCHITECTURE.md, "What
// older stations left at a post"), as is a later change of a record
// withheld before (syncbook.IsWithheld), which names no owner.
func Split(ctx context.Context, tx *store.Tx, s Sender, b *store.Batch) (Verdict, error) {
	keep, bad, counts, withheld, err := split(ctx, tx, s, b)
	return Verdict{Keep: keep, Refused: bad, Counts: counts, Withheld: withheld}, err
}

// Verdict is what Split found of a changeset's changes.
type Verdict struct {
	Keep    []int          // indexes of the changes to apply
	Refused []string       // descriptions of those the ownership rule refuses
	Counts  map[string]int // the kept changes per record owner
	// Withheld are the indexes of changes of other devices' records a
	// post does not keep (not refused: no one is at fault here).
	Withheld []int
}

func split(ctx context.Context, tx *store.Tx, s Sender, b *store.Batch) ([]int, []string, map[string]int, []int, error) {
	origin, role := s.Origin, s.OriginRole
	self, me := s.Self, s.Role
	newOwner := map[[2]string]string{}
	counties := map[string]bool{} // counties named in this changeset
	for i := range b.Len() {
		c := b.Change(i)
		if c.Field == "owner" {
			k := [2]string{c.Table, c.Record}
			if _, ok := newOwner[k]; !ok {
				var v string
				if err := json.Unmarshal([]byte(c.Value), &v); err == nil {
					newOwner[k] = v
				}
			}
		}
		if c.Table == "posts" && c.Field == "role" && c.Value == `"`+store.RoleCounty+`"` {
			counties[c.Record] = true
		}
	}
	// Stored owners, looked up in batches per table (a post's first upload
	// names thousands of records).
	ids := map[string][]string{}
	listed := map[[2]string]bool{}
	for i := range b.Len() {
		c := b.Change(i)
		k := [2]string{c.Table, c.Record}
		if !listed[k] {
			listed[k] = true
			ids[c.Table] = append(ids[c.Table], c.Record)
		}
	}
	owners := make(map[[2]string]string, len(listed))
	for table, recs := range ids {
		// A record of a table a newer version added exists here only as
		// held changes: its owner is the one they name.
		lookup := tx.RecordOwners
		if !store.KnownTable(table) {
			lookup = tx.HeldOwners
		}
		stored, err := lookup(table, recs)
		if err != nil {
			return nil, nil, nil, nil, err
		}
		for _, r := range recs {
			k := [2]string{table, r}
			owners[k] = stored[r]
			if owners[k] == "" {
				owners[k] = newOwner[k]
			}
			if owners[k] == "" {
				// A record unknown here whose changes do not name its owner
				// is one whose creation this device lost (restored from an
				// older backup) or has yet to receive: it can only be one
				// the origin may write without being its owner's maker, so
				// a post's own, or (at a post) a station's correction of
				// this post's. Its creation, with its owner, follows.
				switch {
				case role == store.RolePost:
					owners[k] = origin
				case role == store.RoleStation && me == store.RolePost:
					owners[k] = self
				}
			}
		}
	}
	// At a post: the counties its station may carry records of.
	if role == store.RoleStation && me == store.RolePost {
		known, err := tx.DevicesOfRole(store.RoleCounty)
		if err != nil {
			return nil, nil, nil, nil, err
		}
		for id := range known {
			counties[id] = true
		}
	}
	// At a post: the records of unpublished tables withheld before.
	var before map[[2]string]bool
	if role == store.RoleStation && me == store.RolePost {
		before = map[[2]string]bool{}
		for table, recs := range ids {
			if Published[table] || !store.KnownTable(table) {
				continue
			}
			w, err := tx.SyncBook().IsWithheld(ctx, table, recs)
			if err != nil {
				return nil, nil, nil, nil, err
			}
			for r := range w {
				before[[2]string{table, r}] = true
			}
		}
	}
	// At a county: which station speaks for each owner, and the paired
	// devices (none of them a post this station may speak for).
	var speaker map[string]string
	if role == store.RoleStation && me == store.RoleCounty {
		set := map[string]bool{}
		for _, o := range owners {
			set[o] = true
		}
		list := make([]string, 0, len(set))
		for o := range set {
			list = append(list, o)
		}
		var err error
		if speaker, err = tx.SyncBook().OwnerStations(ctx, list); err != nil {
			return nil, nil, nil, nil, err
		}
		for _, o := range list {
			if _, claimed := speaker[o]; claimed || o == "" {
				continue
			}
			switch _, err := tx.SyncBook().Peer(ctx, o); {
			case err == nil, o == self:
				speaker[o] = o // a paired device (or this one) speaks for itself
			case !errors.Is(err, syncbook.ErrNotFound):
				return nil, nil, nil, nil, err
			}
		}
	}
	ownerJSON := map[string]string{}
	keep := make([]int, 0, b.Len())
	counts := map[string]int{}
	var bad []string
	var withheld []int
	for i := range b.Len() {
		c := b.Change(i)
		owner := owners[[2]string{c.Table, c.Record}]
		// A station's (or its county's) own record of a table no station
		// publishes: an older station sent it to every post. A table
		// this version does not know is a newer version's, which
		// publishes it (a newer station sends no other): held as before.
		if before != nil && !Published[c.Table] && store.KnownTable(c.Table) &&
			(before[[2]string{c.Table, c.Record}] || (owner != self && (owner == origin || counties[owner]))) {
			withheld = append(withheld, i)
			continue
		}
		why := ""
		if c.Field == "owner" && owner != "" {
			j, ok := ownerJSON[owner]
			if !ok {
				j = mustJSON(owner)
				ownerJSON[owner] = j
			}
			if c.Value != j {
				why = "the owner of a record cannot change"
			}
		}
		switch {
		case why != "":
		case owner == "":
			why = "record is unknown and the changeset does not say who owns it"
		case b.Origin(i) != origin && b.Origin(i) != owner:
			// A relayed change (changeset.Relays) is the record owner's
			// own, or the sender's.
			why = "a relayed change must be made by the record's owner"
		case c.Table == "posts" && c.Record != owner:
			why = "a device profile must be owned by that device"
		case origin == self:
		case role == store.RolePost && owner != origin:
			why = "a post may only write its own records"
		case role == store.RoleCounty && owner != origin:
			why = "a county may only write its own records"
		case role == store.RoleStation && me == store.RoleCounty:
			if s, ok := speaker[owner]; ok && s != origin {
				why = "the records of a device another station or the county speaks for"
			}
		case role == store.RoleStation && owner != origin && owner != self && !counties[owner]:
			why = "a station may only write its own and this post's records, and carry its county's"
		case role != store.RolePost && role != store.RoleStation && role != store.RoleCounty:
			why = "device role " + role + " may not write records"
		}
		if why != "" {
			bad = append(bad, fmt.Sprintf("%s %s.%s: %s", c.Table, c.Record, c.Field, why))
			continue
		}
		keep = append(keep, i)
		counts[owner]++
	}
	return keep, bad, counts, withheld, nil
}

func mustJSON(s string) string {
	b, _ := json.Marshal(s) // strings always marshal
	return string(b)
}
