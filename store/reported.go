package store

import (
	"context"
	"fmt"
)

// ReportedPost is a post whose records this device holds and reports on:
// at a station one of its posts (paired, or unpaired since: its records
// stay and count), at a county one a station brought up, at a post itself.
type ReportedPost struct {
	DeviceID string
	Name     string
	// Station is, at a county, the station that speaks for the post (its
	// device ID and name); "" elsewhere.
	Station, StationName string
}

// ReportedPosts lists the posts this device reports on (ReportedPost), by
// station and then as the pairing or profile names them. It is the one
// list the month report and the county's overview count over.
func (s *Store) ReportedPosts(ctx context.Context) ([]ReportedPost, error) {
	profiles, err := s.Posts(ctx)
	if err != nil {
		return nil, fmt.Errorf("posts reported on: %w", err)
	}
	prof := map[string]Post{}
	for _, p := range profiles {
		prof[p.ID] = p
	}
	switch s.role {
	case RolePost:
		name := s.device
		if p, ok := prof[s.device]; ok && p.Name != "" {
			name = p.Name
		}
		return []ReportedPost{{DeviceID: s.device, Name: name}}, nil
	case RoleStation:
		peers, err := s.book.Peers(ctx, true)
		if err != nil {
			return nil, fmt.Errorf("posts reported on: %w", err)
		}
		var out []ReportedPost
		for _, p := range peers {
			if p.Role == RolePost {
				out = append(out, ReportedPost{DeviceID: p.DeviceID, Name: p.Name})
			}
		}
		return out, nil
	}
	peers, err := s.book.Peers(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("posts reported on: %w", err)
	}
	stations := map[string]string{}
	for _, p := range peers {
		if p.Role == RoleStation {
			stations[p.DeviceID] = p.Name
		}
	}
	owners, err := s.book.TierOwners(ctx)
	if err != nil {
		return nil, fmt.Errorf("posts reported on: %w", err)
	}
	var out []ReportedPost
	for _, o := range owners {
		if _, isStation := stations[o.Owner]; isStation || o.Owner == s.device || prof[o.Owner].Role == RoleStation {
			continue
		}
		name := prof[o.Owner].Name
		if name == "" {
			name = o.Owner[:min(7, len(o.Owner))]
		}
		sn := stations[o.Station]
		if sn == "" {
			sn = o.Station[:min(7, len(o.Station))]
		}
		out = append(out, ReportedPost{DeviceID: o.Owner, Name: name, Station: o.Station, StationName: sn})
	}
	return out, nil
}
