// Package emergencylog is the post's log of emergency cards opened (issue
// #24): an entry per card (Log, List; the store.Emergency record, synced
// like the post's other records) and turning one into a patrol record
// (ToPatrol). Who inside a house needs help is store.ResidentNeeds. It sits
// above store and uses its exported API only.
package emergencylog

import (
	"context"
	"cunjing/store"
	"cunjing/store/clock"
	"encoding/json"
	"fmt"
	"strings"
)

// Log records that an emergency card was opened for a house. At a station,
// a card for a house of one of its posts is that post's record (the store
// gives it the house's owner): it names a person and a place of that post,
// so it goes to that post alone; one for a house no post owns stays the
// station's, which its broadcast does not carry.
func Log(ctx context.Context, s *store.Store, e *store.Emergency) error {
	if e.At == "" {
		e.At = clock.In(s.Now()).Format("2006-01-02 15:04:05")
	}
	if err := s.Save(ctx, e); err != nil {
		return fmt.Errorf("log emergency at %s: %w", e.Number, err)
	}
	return nil
}

// List lists the emergency log, newest first (at most limit; ≤ 0
// means 200).
func List(ctx context.Context, s *store.Store, limit int) ([]store.Emergency, error) {
	if limit <= 0 {
		limit = 200
	}
	return store.Live[store.Emergency](ctx, s, "ORDER BY at DESC, id LIMIT ?", limit)
}

// ToPatrol turns a logged emergency into a patrol record (the
// incident, for the patrol log and the station's counts): dated at the
// emergency, by people (at least one name), at its house, with one
// finding holding text. It links the two and returns the patrol.
func ToPatrol(ctx context.Context, s *store.Store, emergencyID string, people []string, text string) (store.Patrol, error) {
	var p store.Patrol
	err := s.Update(ctx, func(tx *store.Tx) error {
		var e store.Emergency
		if err := tx.Get(&e, emergencyID); err != nil {
			return fmt.Errorf("emergency %s: %w", emergencyID, err)
		}
		if e.PatrolID != "" {
			return fmt.Errorf("emergency at %s (%s) is already patrol record %s", e.Number, e.At, e.PatrolID)
		}
		at, err := clock.Parse("2006-01-02 15:04:05", e.At)
		if err != nil {
			return fmt.Errorf("emergency %s: %w", e.ID, err)
		}
		f, err := json.Marshal([]struct {
			Category string `json:"category"`
			Text     string `json:"text"`
		}{{"其他", strings.TrimSpace(text)}})
		if err != nil {
			return err
		}
		p = store.Patrol{Meta: store.Meta{Owner: patrolOwner(s, e)}, Date: at.Format("2006-01-02"), Start: at.Format("15:04"), People: people,
			Route: e.Number + "号（紧急）", Findings: string(f), Houses: []string{e.HouseID}, Notes: "由紧急卡记录：" + e.Query}
		if err := tx.Save(&p); err != nil {
			return err
		}
		e.PatrolID = p.ID
		return tx.Save(&e)
	})
	if err != nil {
		return store.Patrol{}, fmt.Errorf("turn emergency into a patrol record: %w", err)
	}
	return p, nil
}

// patrolOwner is whose patrol record a card becomes: at a station, the
// card's post (the incident is that post's, counted with its patrols);
// everywhere else this device's ("").
func patrolOwner(s *store.Store, e store.Emergency) string {
	if s.Role() == store.RoleStation {
		return e.Owner
	}
	return ""
}
