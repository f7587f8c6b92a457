package ui

import (
	"strings"

	"fyne.io/fyne/v2/lang"

	"cunjing/store"
)

// A value is a word stored in the database (always Chinese, because the
// records are shared with Chinese-only stations) together with the message
// key that shows it in the UI language.
type value struct {
	v   string
	key string
}

// filterCategories are the categories the household filter offers, in the
// order officers count them.
var filterCategories = []value{
	{store.CatKey, "cat.key"}, {store.CatRental, "cat.rental"}, {store.CatFloating, "cat.floating"},
	{store.CatElderly, "cat.elderly"}, {store.CatChild, "cat.child"}, {store.CatAlone, "cat.alone"},
}

// otherCategories are shown translated where they appear but are not
// filters (the brief's filter list is the six above).
var otherCategories = []value{
	{store.CatParty, "cat.party"}, {store.CatGrid, "cat.grid"}, {store.CatWubao, "cat.wubao"},
}

var warnings = []value{{store.WarnRed, "warn.red"}, {store.WarnOrange, "warn.orange"}, {store.WarnGreen, "warn.green"}}

var words = []value{
	{store.StatusOwn, "status.own"}, {store.StatusRented, "status.rented"}, {store.StatusEmpty, "status.empty"},
	{store.CensusConsistent, "census.consistent"}, {store.CensusAway, "census.away"}, {store.CensusAbsent, "census.absent"},
	{"男", "gender.male"}, {"女", "gender.female"},
}

// show translates a stored word for display; unknown words (free text such
// as a relation typed by the officer) are shown as they are.
func show(v string) string {
	for _, list := range [][]value{filterCategories, otherCategories, warnings, words} {
		for _, x := range list {
			if x.v == v {
				return lang.L(x.key)
			}
		}
	}
	return v
}

// showList translates and joins a list of stored words.
func showList(vs []string) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = show(v)
	}
	return strings.Join(out, lang.L("list.sep"))
}

// joinNonEmpty joins the non-empty parts with the list separator.
func joinNonEmpty(parts ...string) string {
	return joinWith(lang.L("list.sep"), parts...)
}

func joinWith(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}

// floatLevel describes a floating-population level (红/橙/黄/蓝).
func floatLevel(level string) string {
	if level == "" {
		return ""
	}
	return lang.L("res.floatLevel") + level
}

// codes are the English code words some records store (kinds, tiers,
// groups); each has a message key "<group>.<code>".
var codes = map[string][]string{
	"shift":   {"patrol", "market", "school_gate", "duty"},
	"tier":    {"public_order", "criminal"},
	"grp":     {"legal", "economic", "family"},
	"house":   {"house", "courtyard", "plot"},
	"feature": {"lane", "road", "entrance", "pond", "well", "hydrant", "school", "committee", "shop", "clinic", "restaurant", "label"},
	"print":   {"board", "leaflet", "cards", "roster", "map", "sheet"},
	"role":    {"post", "station"},
	"table": {"posts", "villages", "village_maps", "houses", "features", "households", "residents", "visits",
		"teams", "members", "shift_rules", "patrols", "venues", "cost_items", "board_templates", "print_records", "notices"},
}

// codeWord shows a stored code word in the UI language; codes this version
// does not know (a newer peer's, or free text) are shown as they are.
func codeWord(group, v string) string {
	for _, c := range codes[group] {
		if c == v {
			return lang.L(group + "." + v)
		}
	}
	return v
}
