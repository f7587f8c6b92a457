// Package printlog records a print of what belongs to a post — a village's
// map sheet, its door plates, a roster — for the CLI and the window alike
// (Save). A print record names no village or post, so at a station the
// owner is found from what was printed: the print of one post's village
// or roster is that post's record, as an emergency card or a board's
// print for a post's house or venue is (store's aboutOwner): it goes to
// that post alone, counts among its prints, and the station keeps no copy
// of its own that its broadcast could carry. It sits above store's root.
package printlog

import (
	"context"
	"errors"
	"fmt"

	"cunjing/store"
)

// Save records the print rec of the records ids of table (the village a
// map sheet or door plates show; the teams a roster shows). At a station,
// when they all belong to one post, rec becomes that post's; otherwise,
// and at a post or county, it is this device's. A rec with an owner set
// keeps it.
func Save(ctx context.Context, st *store.Store, rec *store.PrintRecord, table string, ids ...string) error {
	if rec.Owner == "" && st.Role() == store.RoleStation {
		owner, err := onePost(ctx, st, table, ids)
		if err != nil {
			return err
		}
		rec.Owner = owner
	}
	return st.Save(ctx, rec)
}

// onePost is the post that owns every record of ids ("" when none are
// given, they are not all one owner's, or the owner is no post).
func onePost(ctx context.Context, st *store.Store, table string, ids []string) (string, error) {
	owner := ""
	for _, id := range ids {
		o, ok, err := st.RecordOwner(ctx, table, id)
		if err != nil {
			return "", fmt.Errorf("whose print: %w", err)
		}
		if !ok || (owner != "" && o != owner) {
			return "", nil
		}
		owner = o
	}
	if owner == "" || owner == st.DeviceID() {
		return "", nil
	}
	var p store.Post
	switch err := st.Get(ctx, &p, owner); {
	case errors.Is(err, store.ErrNotFound):
		return "", nil // a device with no profile here
	case err != nil:
		return "", fmt.Errorf("whose print: %w", err)
	case p.Role != store.RolePost:
		return "", nil
	}
	return owner, nil
}

// SaveRoster records the print rec of the duty table of owner's roster
// (app/dutytable.BuildOf; owner "": every live team of this database, as
// dutytable.Build shows them). At a station, a duty table of one post's
// teams is that post's record; otherwise this device's.
func SaveRoster(ctx context.Context, st *store.Store, rec *store.PrintRecord, owner string) error {
	teams, err := store.Live[store.Team](ctx, st, "")
	if err != nil {
		return fmt.Errorf("whose print: %w", err)
	}
	var ids []string
	for _, t := range teams {
		if owner == "" || t.Owner == owner {
			ids = append(ids, t.ID)
		}
	}
	return Save(ctx, st, rec, "teams", ids...)
}
