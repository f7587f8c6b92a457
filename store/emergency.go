package store

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"
)

// Emergencies (issue #24): who inside a house needs help, and the post's
// log of emergency cards opened.

// LogEmergency records that an emergency card was opened for a house.
func (s *Store) LogEmergency(ctx context.Context, e *Emergency) error {
	if e.At == "" {
		e.At = s.wall().Format("2006-01-02 15:04:05")
	}
	if err := s.Save(ctx, e); err != nil {
		return fmt.Errorf("log emergency at %s: %w", e.Number, err)
	}
	return nil
}

// Emergencies lists the emergency log, newest first (at most limit; ≤ 0
// means 200).
func (s *Store) Emergencies(ctx context.Context, limit int) ([]Emergency, error) {
	if limit <= 0 {
		limit = 200
	}
	return live[Emergency](ctx, s, "ORDER BY at DESC, id LIMIT ?", limit)
}

// EmergencyPatrol turns a logged emergency into a patrol record (the
// incident, for the patrol log and the station's counts): dated at the
// emergency, by people (at least one name), at its house, with one
// finding holding text. It links the two and returns the patrol.
func (s *Store) EmergencyPatrol(ctx context.Context, emergencyID string, people []string, text string) (Patrol, error) {
	var p Patrol
	err := s.Update(ctx, func(tx *Tx) error {
		var e Emergency
		if err := tx.get(tables[e.Table()], emergencyID, reflect.ValueOf(&e)); err != nil {
			return fmt.Errorf("emergency %s: %w", emergencyID, err)
		}
		if e.PatrolID != "" {
			return fmt.Errorf("emergency at %s (%s) is already patrol record %s", e.Number, e.At, e.PatrolID)
		}
		at, err := time.ParseInLocation("2006-01-02 15:04:05", e.At, time.Local)
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
		p = Patrol{Date: at.Format("2006-01-02"), Start: at.Format("15:04"), People: people,
			Route: e.Number + "号（紧急）", Findings: string(f), Houses: []string{e.HouseID}, Notes: "由紧急卡记录：" + e.Query}
		if err := tx.Save(&p); err != nil {
			return err
		}
		e.PatrolID = p.ID
		return tx.Save(&e)
	})
	if err != nil {
		return Patrol{}, fmt.Errorf("turn emergency into a patrol record: %w", err)
	}
	return p, nil
}
