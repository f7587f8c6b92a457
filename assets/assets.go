// Package assets owns the reference data the app ships with: the default
// cost-of-fighting items a station publishes (with legal citations) and the
// default safety-leaflet texts. The data is embedded JSON so a station can
// export, edit and republish it; this package only decodes and validates it.
package assets

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

//go:embed costitems.json
var costItemsJSON []byte

//go:embed leaflets.json
var leafletsJSON []byte

// Tiers and groups of cost items, as stored.
const (
	TierPublicOrder = "public_order"
	TierCriminal    = "criminal"

	GroupLegal    = "legal"
	GroupEconomic = "economic"
	GroupFamily   = "family"
)

// CostItem is one line of a cost-of-fighting board. Field names match the
// store's cost_items columns one to one.
//
// Amounts: both zero means the line has no number; AmountMax zero with
// AmountMin above zero means "AmountMin or more" (e.g. 10年以上); AmountMin
// zero with AmountMax above zero means "up to AmountMax".
type CostItem struct {
	ID            string  `json:"id"`
	Tier          string  `json:"tier"`
	Grp           string  `json:"grp"`
	Text          string  `json:"text"`
	AmountMin     float64 `json:"amount_min"`
	AmountMax     float64 `json:"amount_max"`
	Unit          string  `json:"unit"`
	Law           string  `json:"law"`
	Article       string  `json:"article"`
	LawVersion    string  `json:"law_version"`
	EffectiveDate string  `json:"effective_date"`
	CheckedOn     string  `json:"checked_on"`
	Confirmed     bool    `json:"confirmed"`
	// Local marks an amount the station set from its own cases (e.g. what
	// fights here usually cost in compensation), not one read in a law.
	Local bool `json:"local"`
	Sort  int  `json:"sort"`
	// Source says where the claim comes from: the law's publication, a
	// court interpretation (法释〔2022〕14号), or who sets a local figure.
	// Every legal or money claim has one (SourceProblem).
	Source string `json:"source"`
}

// HasAmount reports whether the line carries a number.
func (c CostItem) HasAmount() bool { return c.AmountMin != 0 || c.AmountMax != 0 }

// DefaultCostItems decodes the embedded defaults. Every call returns a fresh
// slice the caller may modify.
func DefaultCostItems() ([]CostItem, error) {
	var items []CostItem
	if err := json.Unmarshal(costItemsJSON, &items); err != nil {
		return nil, fmt.Errorf("decode embedded cost items: %w", err)
	}
	for i, it := range items {
		if err := ValidateCostItem(it); err != nil {
			return nil, fmt.Errorf("embedded cost item %d (%s): %w", i, it.ID, err)
		}
		if p := SourceProblem(it); p != "" {
			return nil, fmt.Errorf("embedded cost item %d (%s): %s", i, it.ID, p)
		}
	}
	return items, nil
}

// Claim reports whether an item makes a legal or money claim: it carries
// an amount, cites a law, or sits in the legal or economic group. Family
// lines ("一家老小担惊受怕") make none.
func (c CostItem) Claim() bool {
	return c.HasAmount() || c.Law != "" || c.Grp == GroupLegal || c.Grp == GroupEconomic
}

// SourceProblem says what is missing for a claim to be sourced, or "": a
// legal or money claim needs a Source (and a cited law its article); a
// local figure needs a Source naming who set it, and it stays 待核实 until
// the station confirms it. Items stored before sources existed fail this
// without failing ValidateCostItem, so the designer can warn instead of
// refusing to print.
func SourceProblem(c CostItem) string {
	switch {
	case c.Claim() && strings.TrimSpace(c.Source) == "":
		return "a legal or money claim needs a source (the law's publication, a court interpretation, or who set the figure)"
	case c.Local && !c.HasAmount():
		return "a local figure needs its amount"
	}
	return ""
}

// sealedWords are record-related phrases that must not appear on the
// public-order tier: 治安管理处罚法 (2025) Art. 136 seals public-order
// violation records, so telling people a fine "leaves a record" or "hurts
// the children's political review" is wrong. They stay allowed on the
// criminal tier.
var sealedWords = []string{"案底", "政审", "犯罪记录", "违法记录", "前科", "档案", "留底", "留案"}

// RecordWording returns the first sealed-record phrase found in text, or "".
func RecordWording(text string) string {
	for _, w := range sealedWords {
		if strings.Contains(text, w) {
			return w
		}
	}
	return ""
}

// ValidationError names the field of a cost item that is wrong.
type ValidationError struct {
	Field, Value, Problem string
}

func (e *ValidationError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("cost item %s: %s", e.Field, e.Problem)
	}
	return fmt.Sprintf("cost item %s %q: %s", e.Field, e.Value, e.Problem)
}

// ErrSealedRecord is wrapped by ValidateCostItem when a public-order line
// speaks of records.
var ErrSealedRecord = errors.New("public-order records are sealed (治安管理处罚法 Art. 136): no record wording on this tier")

// ValidateCostItem checks one item the way the store (on write) and the
// board designer (before printing) must: known tier and group, text,
// a sane amount range with a unit, dates, and the sealing rule.
func ValidateCostItem(c CostItem) error {
	if strings.TrimSpace(c.Text) == "" {
		return &ValidationError{"text", "", "required"}
	}
	if c.Tier != TierPublicOrder && c.Tier != TierCriminal {
		return &ValidationError{"tier", c.Tier, "must be public_order or criminal"}
	}
	if c.Grp != GroupLegal && c.Grp != GroupEconomic && c.Grp != GroupFamily {
		return &ValidationError{"grp", c.Grp, "must be legal, economic or family"}
	}
	// NaN passes every comparison below and Inf prints as "+Inf元".
	for _, a := range []struct {
		field string
		v     float64
	}{{"amount_min", c.AmountMin}, {"amount_max", c.AmountMax}} {
		if math.IsNaN(a.v) || math.IsInf(a.v, 0) {
			return &ValidationError{a.field, fmt.Sprint(a.v), "not a finite number"}
		}
	}
	if c.AmountMin < 0 || c.AmountMax < 0 || (c.AmountMax != 0 && c.AmountMax < c.AmountMin) {
		return &ValidationError{"amount_max", fmt.Sprint(c.AmountMax), fmt.Sprintf("range must satisfy 0 ≤ min (%g) ≤ max, or max 0 for open-ended", c.AmountMin)}
	}
	if c.HasAmount() && strings.TrimSpace(c.Unit) == "" {
		return &ValidationError{"unit", "", "an amount needs a unit (元, 日, 年 …)"}
	}
	if c.Tier == TierPublicOrder {
		if w := RecordWording(c.Text); w != "" {
			return fmt.Errorf("cost item text %q contains %q: %w", c.Text, w, ErrSealedRecord)
		}
	}
	for _, f := range []struct{ name, v string }{{"effective_date", c.EffectiveDate}, {"checked_on", c.CheckedOn}} {
		if f.v == "" && f.name == "effective_date" && c.Law == "" {
			continue // lines without a law (family worry, local totals) have no date
		}
		if _, err := time.Parse(time.DateOnly, f.v); err != nil {
			return &ValidationError{f.name, f.v, "must be a date YYYY-MM-DD"}
		}
	}
	if c.Law != "" && (c.Article == "" && c.LawVersion == "") {
		return &ValidationError{"article", "", "a cited law needs an article or version"}
	}
	if c.Local && strings.TrimSpace(c.Source) == "" {
		return &ValidationError{"source", "", "a local figure needs a source: who set it, from which cases"}
	}
	return nil
}

// InForce keeps, for each cited law, only the lines of the newest version
// in force on day (YYYY-MM-DD), so a board printed after a revision takes
// effect never shows the superseded amounts, and one printed before it
// does not show amounts not yet in force. Lines citing no law are kept.
// Order is preserved.
func InForce(items []CostItem, day string) ([]CostItem, error) {
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return nil, fmt.Errorf("in-force day %q: must be YYYY-MM-DD", day)
	}
	latest := map[string]string{}
	for _, it := range items {
		if it.Law == "" || it.EffectiveDate > day {
			continue
		}
		if it.EffectiveDate > latest[it.Law] {
			latest[it.Law] = it.EffectiveDate
		}
	}
	var out []CostItem
	for _, it := range items {
		if it.Law == "" || it.EffectiveDate == latest[it.Law] {
			out = append(out, it)
		}
	}
	return out, nil
}

// SortItems orders items as a board reads: public-order before criminal,
// then legal, economic, family, then by Sort.
func SortItems(items []CostItem) {
	tier := map[string]int{TierPublicOrder: 0, TierCriminal: 1}
	grp := map[string]int{GroupLegal: 0, GroupEconomic: 1, GroupFamily: 2}
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if tier[a.Tier] != tier[b.Tier] {
			return tier[a.Tier] < tier[b.Tier]
		}
		if grp[a.Grp] != grp[b.Grp] {
			return grp[a.Grp] < grp[b.Grp]
		}
		return a.Sort < b.Sort
	})
}

// Leaflet is the editable text of a safety leaflet.
type Leaflet struct {
	Topic    string    `json:"topic"` // fire, theft, fraud, drowning
	Title    string    `json:"title"`
	Subtitle string    `json:"subtitle"`
	Sections []Section `json:"sections"`
	Remember string    `json:"remember"` // one line printed large on the cover
	// Sources back the leaflet's legal claims: each names a claim (a part
	// of a point's text) and where it comes from.
	Sources []ClaimSource `json:"sources,omitempty"`
}

// ClaimSource is the source of one claim a text makes.
type ClaimSource struct {
	Claim  string `json:"claim"`  // a substring of the point that makes it
	Source string `json:"source"` // law and article, or the authority
}

// legalWords mark a point that makes a legal claim and so needs a source.
var legalWords = []string{"犯罪", "违法", "罚款", "拘留", "判刑", "不会打电话办案", "96110"}

// UnsourcedClaims lists the points of l that make a legal claim no entry
// of l.Sources covers.
func UnsourcedClaims(l Leaflet) []string {
	var out []string
	for _, sec := range l.Sections {
		for _, p := range sec.Points {
			legal := false
			for _, w := range legalWords {
				legal = legal || strings.Contains(p, w)
			}
			if !legal {
				continue
			}
			covered := false
			for _, src := range l.Sources {
				covered = covered || (src.Claim != "" && strings.Contains(p, src.Claim) && strings.TrimSpace(src.Source) != "")
			}
			if !covered {
				out = append(out, p)
			}
		}
	}
	return out
}

// Section is a heading with its advice points.
type Section struct {
	Heading string   `json:"heading"`
	Points  []string `json:"points"`
}

// LeafletTopics are the topics with default texts, in menu order.
var LeafletTopics = []string{"fire", "theft", "fraud", "drowning"}

// DefaultLeaflets decodes the embedded leaflet texts (fresh copies).
func DefaultLeaflets() ([]Leaflet, error) {
	var ls []Leaflet
	if err := json.Unmarshal(leafletsJSON, &ls); err != nil {
		return nil, fmt.Errorf("decode embedded leaflets: %w", err)
	}
	return ls, nil
}

// DefaultLeaflet returns the default text for one topic.
func DefaultLeaflet(topic string) (Leaflet, error) {
	ls, err := DefaultLeaflets()
	if err != nil {
		return Leaflet{}, err
	}
	for _, l := range ls {
		if l.Topic == topic {
			return l, nil
		}
	}
	return Leaflet{}, fmt.Errorf("no leaflet for topic %q (have %s)", topic, strings.Join(LeafletTopics, ", "))
}
