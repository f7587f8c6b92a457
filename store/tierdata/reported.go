package tierdata

import (
	"context"
	"cunjing/store"
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
func ReportedPosts(ctx context.Context, s *store.Store) ([]ReportedPost, error) {
	profiles, err := s.Posts(ctx)
	if err != nil {
		return nil, fmt.Errorf("posts reported on: %w", err)
	}
	prof := map[string]store.Post{}
	for _, p := range profiles {
		prof[p.ID] = p
	}
	switch s.Role() {
	case store.RolePost:
		name := s.DeviceID()
		if p, ok := prof[s.DeviceID()]; ok && p.Name != "" {
			name = p.Name
		}
		return []ReportedPost{{DeviceID: s.DeviceID(), Name: name}}, nil
	case store.RoleStation:
		peers, err := s.SyncBook().Peers(ctx, true)
		if err != nil {
			return nil, fmt.Errorf("posts reported on: %w", err)
		}
		var out []ReportedPost
		for _, p := range peers {
			if p.Role == store.RolePost {
				out = append(out, ReportedPost{DeviceID: p.DeviceID, Name: p.Name})
			}
		}
		return out, nil
	}
	peers, err := s.SyncBook().Peers(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("posts reported on: %w", err)
	}
	stations := map[string]string{}
	for _, p := range peers {
		if p.Role == store.RoleStation {
			stations[p.DeviceID] = p.Name
		}
	}
	owners, err := s.SyncBook().TierOwners(ctx)
	if err != nil {
		return nil, fmt.Errorf("posts reported on: %w", err)
	}
	var out []ReportedPost
	for _, o := range owners {
		if _, isStation := stations[o.Owner]; isStation || o.Owner == s.DeviceID() || prof[o.Owner].Role == store.RoleStation {
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
