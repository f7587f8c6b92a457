package search

import (
	"sort"
	"strings"

	"cunjing/maps/numbering"
)

// Hit is one thing found: a household in a house, a house with no
// household, a household with no house, or (on the map) a landmark.
type Hit struct {
	VillageID   string
	HouseID     string // "" for a household not on the map, or a landmark
	HouseholdID string // "" for an empty house, or a landmark
	ResidentID  string // the person who matched, when it was a resident
	LandmarkID  string
	Number      string // the house's current number (the door number when it is not on the map)
	// Name is the person who matched when a resident did, else the
	// householder; a landmark's name.
	Name  string
	Match Match
}

// Less orders hits best first: by Match, then house number (2 < 10 <
// 10-1), name and IDs, so equal queries list equal results.
func Less(a, b Hit) bool {
	if a.Match != b.Match {
		return a.Match < b.Match
	}
	if c := numbering.Compare(a.Number, b.Number); c != 0 {
		return c < 0
	}
	if a.Name != b.Name {
		return a.Name < b.Name
	}
	if a.HouseID != b.HouseID {
		return a.HouseID < b.HouseID
	}
	if a.HouseholdID != b.HouseholdID {
		return a.HouseholdID < b.HouseholdID
	}
	return a.LandmarkID < b.LandmarkID
}

// Sort sorts hits best first.
func Sort(hits []Hit) { sort.SliceStable(hits, func(i, j int) bool { return Less(hits[i], hits[j]) }) }

// Houses keeps the best hit of each house (and every landmark), in order;
// households with no house are dropped. hits must be sorted.
func Houses(hits []Hit) []Hit {
	seen := map[string]bool{}
	var out []Hit
	for _, h := range hits {
		switch {
		case h.LandmarkID != "":
			out = append(out, h)
		case h.HouseID != "" && !seen[h.HouseID]:
			seen[h.HouseID] = true
			out = append(out, h)
		}
	}
	return out
}

// Households keeps the best hit of each household, in order; empty houses
// and landmarks are dropped. hits must be sorted.
func Households(hits []Hit) []Hit {
	seen := map[string]bool{}
	var out []Hit
	for _, h := range hits {
		if h.HouseholdID != "" && !seen[h.HouseholdID] {
			seen[h.HouseholdID] = true
			out = append(out, h)
		}
	}
	return out
}

// LandmarkMatches: a landmark is found by any part of its name (东水塘 by
// 水塘); landmarks are few and live in the map, not the index.
func (p Plan) LandmarkMatches(name string) bool {
	return p.Landmark != "" && name != "" && strings.Contains(name, p.Landmark)
}
