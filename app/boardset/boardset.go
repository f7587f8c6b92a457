// Package boardset owns turning what the store holds (the station's cost
// items, the posts and their venues) into the boards, leaflets and cards
// the print package lays out. The window (app/ui) and the command line
// (app) share it, so a board printed from either reads the same; it has no
// UI of its own, so it builds without a display.
package boardset

import (
	"context"
	"fmt"
	"strings"
	"time"

	"cunjing/assets"
	"cunjing/print"
	"cunjing/print/costboard"
	"cunjing/store"
)

// Data is what boards are made of, read from one store.
type Data struct {
	Self   store.Post // this device's profile
	Posts  []store.Post
	Items  []store.CostItem
	Venues []store.Venue
}

// Load reads the profile, posts, cost items and venues.
func Load(ctx context.Context, s *store.Store) (Data, error) {
	var d Data
	if err := s.Get(ctx, &d.Self, s.DeviceID()); err != nil {
		return d, fmt.Errorf("read own profile: %w", err)
	}
	var err error
	if d.Posts, err = s.Posts(ctx); err != nil {
		return d, fmt.Errorf("read posts: %w", err)
	}
	if d.Items, err = s.CostItems(ctx); err != nil {
		return d, fmt.Errorf("read cost items: %w", err)
	}
	d.Items = Nearest(d.Items, d.Posts)
	if d.Venues, err = s.Venues(ctx); err != nil {
		return d, fmt.Errorf("read venues: %w", err)
	}
	return d, nil
}

// Nearest keeps the cost items of the nearest publisher that has any: a
// station's own set replaces its county's (the county's set reaches a
// post through the station as well), so a board never lists an item
// twice. Items of other owners (a post's, a station's) are all kept;
// only a county's give way. profiles are the devices' profiles, whose role
// says which owner is a county.
func Nearest(items []store.CostItem, profiles []store.Post) []store.CostItem {
	county := map[string]bool{}
	for _, p := range profiles {
		if p.Role == store.RoleCounty {
			county[p.ID] = true
		}
	}
	others := false
	for _, c := range items {
		if !county[c.Owner] {
			others = true
			break
		}
	}
	if !others {
		return items
	}
	out := items[:0:0]
	for _, c := range items {
		if !county[c.Owner] {
			out = append(out, c)
		}
	}
	return out
}

// AssetItem converts a stored cost item into what the layouts take.
func AssetItem(c store.CostItem) assets.CostItem {
	return assets.CostItem{
		ID: c.ID, Tier: c.Tier, Grp: c.Grp, Text: c.Text, AmountMin: c.AmountMin, AmountMax: c.AmountMax,
		Unit: c.Unit, Law: c.Law, Article: c.Article, LawVersion: c.LawVersion, EffectiveDate: c.EffectiveDate,
		CheckedOn: c.CheckedOn, Confirmed: c.Confirmed, Local: c.Local, Sort: int(c.Sort), Source: c.Source,
	}
}

// InForce is the items as the layouts take them, keeping for each law only
// the version in force on day (a revision never mixes with the text it
// replaced).
func (d Data) InForce(day time.Time) ([]assets.CostItem, error) {
	all := make([]assets.CostItem, len(d.Items))
	for i, c := range d.Items {
		all[i] = AssetItem(c)
	}
	out, err := assets.InForce(all, day.Format("2006-01-02"))
	if err != nil {
		return nil, fmt.Errorf("cost items in force: %w", err)
	}
	return out, nil
}

// Contact is a post's public contact as boards and cards print it.
func Contact(p store.Post) print.Contact {
	return print.Contact{Post: p.Name, Officer: p.Officer, Phone: p.Phone, Address: p.Address, Station: p.Township}
}

// VenueContact is the contact printed on a venue's board: the post that
// recorded the venue (at a station every post has its own venues), else
// this device's.
func (d Data) VenueContact(v store.Venue) print.Contact {
	for _, p := range d.Posts {
		if p.ID == v.Owner && p.Role != store.RoleStation {
			return Contact(p)
		}
	}
	return Contact(d.Self)
}

// Boards personalises base for each venue: its name and its post's
// contact (keeping base's QR choice).
func (d Data) Boards(base costboard.Board, venues []store.Venue) ([]costboard.Board, error) {
	if len(venues) == 0 {
		return nil, fmt.Errorf("boards for venues: the venue list is empty")
	}
	pv := make([]costboard.Venue, len(venues))
	for i, v := range venues {
		c := d.VenueContact(v)
		c.QR = base.Contact.QR
		if c.Officer == "" && c.Phone == "" && c.Post == "" {
			c = base.Contact
		}
		pv[i] = costboard.Venue{Name: strings.TrimSpace(v.Name), X: v.X, Y: v.Y, Contact: &c}
	}
	return costboard.ForVenues(base, pv, nil)
}

// Records are the print records of one board per venue (one record with
// no venue when venues is empty).
func Records(kind, template, size string, venues []store.Venue, copies int) []store.PrintRecord {
	if len(venues) == 0 {
		return []store.PrintRecord{{Kind: kind, Template: template, Size: size, Copies: int64(copies)}}
	}
	out := make([]store.PrintRecord, len(venues))
	for i, v := range venues {
		out[i] = store.PrintRecord{Kind: kind, VenueID: v.ID, Template: template, Size: size, Copies: int64(copies)}
	}
	return out
}

// CardContacts are the contacts a card sheet carries: this post's, or at a
// station every post's (each post's officer hands out their own).
func (d Data) CardContacts() []print.Contact {
	if d.Self.Role != store.RoleStation {
		return []print.Contact{Contact(d.Self)}
	}
	var out []print.Contact
	for _, p := range d.Posts {
		if p.Role == store.RolePost && (p.Officer != "" || p.Phone != "") {
			out = append(out, Contact(p))
		}
	}
	if len(out) == 0 {
		out = append(out, Contact(d.Self))
	}
	return out
}

// StoreItem converts a shipped default item into a record a station
// publishes (a fresh ID; the amounts stay unconfirmed until checked).
func StoreItem(a assets.CostItem) store.CostItem {
	return store.CostItem{
		Tier: a.Tier, Grp: a.Grp, Text: a.Text, AmountMin: a.AmountMin, AmountMax: a.AmountMax,
		Unit: a.Unit, Law: a.Law, Article: a.Article, LawVersion: a.LawVersion, EffectiveDate: a.EffectiveDate,
		CheckedOn: a.CheckedOn, Confirmed: a.Confirmed, Local: a.Local, Sort: int64(a.Sort), Source: a.Source,
	}
}
