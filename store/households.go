package store

import (
	"context"
	"fmt"

	"cunjing/store/householdlist"
)

// Queries and checks the 住户 and 巡逻排班 screens need beyond the list
// queries in query.go.

// HouseholdsOfHouse lists the live households living in a house (usually
// one; a courtyard may hold several), so the map can open them.
func (s *Store) HouseholdsOfHouse(ctx context.Context, houseID string) ([]Household, error) {
	hs, err := live[Household](ctx, s, "AND house_id = ? ORDER BY owner_name, id", houseID)
	if err != nil {
		return nil, fmt.Errorf("households of house %s: %w", houseID, err)
	}
	return hs, nil
}

// HouseholdRowByID reads one household as the household list shows it
// (house number, how many residents, last visit), for a screen that opens
// a household it did not find through the list (householdlist.List.Row).
func (s *Store) HouseholdRowByID(ctx context.Context, id string) (HouseholdRow, error) {
	return householdlist.New(s.db, s.index).Row(ctx, id)
}
