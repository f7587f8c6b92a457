//go:build !nogui

package app

import (
	"context"

	"cunjing/app/ui"
	"cunjing/store"
)

// createEmptyPost makes a new post (or station) database for the details
// typed on the first-run screen, with its first account.
func createEmptyPost(ctx context.Context, path string, p ui.NewPost) error {
	return createPost(ctx, path, store.Identity{Role: p.Role, Name: p.Name, Township: p.Township, Officer: p.Officer, Phone: p.Phone},
		p.Username, p.Password)
}

// importFirstLedger imports the ledger chosen on the first-run screen.
func importFirstLedger(ctx context.Context, path string, p ui.NewPost) (ui.LedgerSummary, error) {
	rep, err := importLedgerFile(ctx, path, p.Ledger, p.Village)
	if err != nil {
		return ui.LedgerSummary{}, err
	}
	return ui.LedgerSummary{Rows: rep.Rows, Added: rep.Added, Updated: rep.Updated, Unchanged: rep.Unchanged,
		Households: rep.HouseholdsAdded + rep.HouseholdsUpdated, Skipped: rep.Skipped}, nil
}
