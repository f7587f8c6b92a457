package record

import (
	"time"
)

// MsgFuture is the FieldError message of a value later than now by the
// store's clock: a resident born after today, a patrol logged as done
// before it ended.
const MsgFuture = "is later than now"

// CheckedAtNow is a record with a check that needs the store's clock
// (Validate has none); Save runs it after Validate.
type CheckedAtNow interface {
	ValidateAt(now time.Time) error
}

// ValidateAt refuses an ID number whose birth date is after today.
func (r *Resident) ValidateAt(now time.Time) error {
	if r.IDNumber == "" {
		return nil
	}
	if IDBirthAfter(r.IDNumber, now) {
		return fieldErr("residents", "id_number", r.IDNumber, MsgFuture)
	}
	return nil
}

// ValidateAt is CheckDone.
func (p *Patrol) ValidateAt(now time.Time) error { return p.CheckDone(now) }

// CheckDone refuses a patrol that ends (or, without an end, starts) later
// than now: patrols are a log of patrols done, not a plan. Save checks it
// with the store's clock; a form checks it first with the window's.
func (p *Patrol) CheckDone(now time.Time) error {
	at, field := p.End, "end"
	if at == "" {
		at, field = p.Start, "start"
	}
	day, err := time.ParseInLocation("2006-01-02", p.Date, now.Location())
	if err != nil {
		return nil // Validate said so
	}
	if day.After(now) {
		return fieldErr("patrols", "date", p.Date, MsgFuture)
	}
	if at == "" {
		return nil
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", p.Date+" "+at, now.Location())
	if err != nil {
		return nil
	}
	if p.End != "" && p.Start != "" && p.End < p.Start {
		t = t.AddDate(0, 0, 1) // a night patrol ends the next morning
	}
	if t.After(now) {
		return fieldErr("patrols", field, at, MsgFuture)
	}
	return nil
}

// IDBirthAfter reports whether the birth date in an ID number (18
// characters, or 15) is after the day of now: a typo, or a number not
// yet issued.
func IDBirthAfter(id string, now time.Time) bool {
	s := normaliseDigits(id)
	if len(s) == 15 {
		s = s[:6] + "19" + s[6:] + "0"
	}
	if len(s) != 18 {
		return false
	}
	b, err := time.Parse("20060102", s[6:14])
	if err != nil {
		return false
	}
	y, m, d := now.Date()
	return b.After(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}
