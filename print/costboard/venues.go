package costboard

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"cunjing/print"
)

// Venue is a place a board hangs, as the batch needs it.
type Venue struct {
	Name string
	X, Y float64 // map position, same frame as the posts'
	// Contact, when set, is used as is; otherwise the nearest post's.
	Contact *print.Contact
}

// Post is a police post with its position, for choosing the nearest.
type Post struct {
	Contact print.Contact
	X, Y    float64
}

// ForVenues personalises base for each venue: its name and the
// nearest post's contact (by straight-line distance; ties go to the post
// listed first, so batches are reproducible).
func ForVenues(base Board, venues []Venue, posts []Post) ([]Board, error) {
	if len(venues) == 0 {
		return nil, errors.New("boards for venues: the venue list is empty")
	}
	out := make([]Board, len(venues))
	for i, v := range venues {
		if strings.TrimSpace(v.Name) == "" {
			return nil, fmt.Errorf("venue %d: no name", i+1)
		}
		b := base
		b.Venue = v.Name
		switch {
		case v.Contact != nil:
			b.Contact = *v.Contact
		case len(posts) > 0:
			best, bestD := 0, math.Inf(1)
			for j, p := range posts {
				if d := math.Hypot(p.X-v.X, p.Y-v.Y); d < bestD {
					best, bestD = j, d
				}
			}
			b.Contact = posts[best].Contact
		default:
			return nil, fmt.Errorf("venue %d (%s): no contact and no posts to choose from", i+1, v.Name)
		}
		out[i] = b
	}
	return out, nil
}
