package store

import (
	"context"
	"fmt"
	"time"
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
// a household it did not find through the list.
func (s *Store) HouseholdRowByID(ctx context.Context, id string) (HouseholdRow, error) {
	var row HouseholdRow
	if err := s.Get(ctx, &row.Household, id); err != nil {
		return row, err
	}
	err := s.db.QueryRowContext(ctx, `SELECT
	  coalesce((SELECT number FROM houses WHERE id = ?), ''),
	  (SELECT count(*) FROM residents r WHERE r.household_id = ? AND r.deleted = 0),
	  coalesce((SELECT max(date) FROM visits v WHERE v.household_id = ? AND v.deleted = 0), '')`,
		row.HouseID, id, id).Scan(&row.HouseNumber, &row.Residents, &row.LastVisit)
	if err != nil {
		return row, fmt.Errorf("household %s: %w", id, err)
	}
	return row, nil
}

// IDProblem says what is wrong with a typed ID number, in a form a screen
// can turn into plain words while the officer is still typing.
type IDProblem int

// ID number problems, in the order CheckIDNumber looks for them.
const (
	IDOK          IDProblem = iota // valid (or empty: the number is optional)
	IDShort                        // fewer than 18 characters (or 15) so far
	IDLong                         // more than 18 characters
	IDBadChar                      // a character that is not a digit (X only last)
	IDBadDate                      // the birth date in it does not exist or is out of range
	IDBadCheck                     // the last character does not match: a typo somewhere
	IDFutureBirth                  // valid, but the birth date in it is after today (CheckIDNumberAt)
)

// CheckIDNumberAt is CheckIDNumber that also refuses a birth date after
// the day of now (the store's or the window's clock), as Save does.
func CheckIDNumberAt(raw string, now time.Time) (id string, problem IDProblem) {
	id, problem = CheckIDNumber(raw)
	if id != "" && IDBirthAfter(id, now) {
		return "", IDFutureBirth
	}
	return id, problem
}

// CheckIDNumber normalises raw like NormaliseIDNumber and says what is
// wrong with it, if anything. An empty number is IDOK with an empty id.
// It never disagrees with NormaliseIDNumber: id is non-empty exactly when
// NormaliseIDNumber accepts raw.
func CheckIDNumber(raw string) (id string, problem IDProblem) {
	s := normaliseDigits(raw)
	if s == "" {
		return "", IDOK
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && !(c == 'X' && i == 17) {
			return "", IDBadChar
		}
	}
	switch {
	case len(s) > 18:
		return "", IDLong
	case len(s) != 18 && len(s) != 15:
		return "", IDShort
	}
	if len(s) == 18 {
		if _, err := IDBirthDate(s); err != nil {
			return "", IDBadDate
		}
	} else if _, err := IDBirthDate(s[:6] + "19" + s[6:] + "0"); err != nil {
		return "", IDBadDate
	}
	id, err := NormaliseIDNumber(s)
	if err != nil {
		return "", IDBadCheck
	}
	return id, IDOK
}
