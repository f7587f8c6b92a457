package kit

import (
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2/lang"

	"cunjing/store"
)

// A value is a word stored in the database (always Chinese, because the
// records are shared with Chinese-only stations) together with the message
// key that shows it in the UI language.
type Value struct {
	V   string
	Key string
}

// FilterCategories are the categories the household filter offers, in the
// order officers count them.
var FilterCategories = []Value{
	{store.CatKey, "cat.key"}, {store.CatRental, "cat.rental"}, {store.CatFloating, "cat.floating"},
	{store.CatElderly, "cat.elderly"}, {store.CatChild, "cat.child"}, {store.CatAlone, "cat.alone"},
}

// OtherCategories are shown translated where they appear but are not
// filters (the brief's filter list is the six above).
var OtherCategories = []Value{
	{store.CatParty, "cat.party"}, {store.CatGrid, "cat.grid"}, {store.CatWubao, "cat.wubao"},
}

var Warnings = []Value{{store.WarnRed, "warn.red"}, {store.WarnOrange, "warn.orange"}, {store.WarnGreen, "warn.green"}}

// StatusValues, CensusValues and GenderValues are the choices the
// household and resident forms offer.
var (
	StatusValues = []Value{{store.StatusOwn, "status.own"}, {store.StatusRented, "status.rented"}, {store.StatusEmpty, "status.empty"}}
	CensusValues = []Value{{store.CensusConsistent, "census.consistent"}, {store.CensusAway, "census.away"}, {store.CensusAbsent, "census.absent"}}
	GenderValues = []Value{{"男", "gender.male"}, {"女", "gender.female"}}
)

// Words are the other stored words Show translates.
var Words = slices.Concat(StatusValues, CensusValues, GenderValues)

// Show translates a stored word for display; unknown words (free text such
// as a relation typed by the officer) are shown as they are.
func Show(v string) string {
	for _, list := range [][]Value{FilterCategories, OtherCategories, Warnings, Words} {
		for _, x := range list {
			if x.V == v {
				return lang.L(x.Key)
			}
		}
	}
	return v
}

// ShowList translates and joins a list of stored words.
func ShowList(vs []string) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = Show(v)
	}
	return strings.Join(out, lang.L("list.sep"))
}

// PersonCategories are a resident's categories as the resident form
// offers them: the household's 重点户 is 重点人员 on a person (the stored
// word is the same).
func PersonCategories() []Value {
	out := append(append([]Value(nil), FilterCategories...), OtherCategories...)
	for i := range out {
		if out[i].V == store.CatKey {
			out[i].Key = "cat.keyPerson"
		}
	}
	return out
}

// ShowPersonList is ShowList for a resident's categories: 重点人员, not
// 重点户.
func ShowPersonList(vs []string) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = Show(v)
		if v == store.CatKey {
			out[i] = lang.L("cat.keyPerson")
		}
	}
	return strings.Join(out, lang.L("list.sep"))
}

// JoinNonEmpty joins the non-empty parts with the list separator.
func JoinNonEmpty(parts ...string) string {
	return JoinWith(lang.L("list.sep"), parts...)
}

// JoinDistinct is JoinWith leaving out a part said before: a post named
// 护学岗 of the kind 护学岗 reads 护学岗, not 护学岗 · 护学岗.
func JoinDistinct(sep string, parts ...string) string {
	seen := map[string]bool{}
	var keep []string
	for _, p := range parts {
		k := strings.TrimSpace(p)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		keep = append(keep, p)
	}
	return strings.Join(keep, sep)
}

func JoinWith(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}

// FloatLevel describes a floating-population level (红/橙/黄/蓝).
func FloatLevel(level string) string {
	if level == "" {
		return ""
	}
	return lang.L("res.floatLevel") + level
}

// Codes are the English code words some records store (kinds, tiers,
// groups); each has a message key "<group>.<code>".
var Codes = map[string][]string{
	"shift":       {"patrol", "market", "school_gate", "duty"},
	"tier":        {"public_order", "criminal"},
	"grp":         {"legal", "economic", "family"},
	"house":       {"house", "courtyard", "plot"},
	"feature":     {"lane", "road", "entrance", "pond", "well", "hydrant", "school", "committee", "shop", "clinic", "restaurant", "label"},
	"print":       {"board", "leaflet", "cards", "roster", "map", "sheet"},
	"role":        {"post", "station", "county"},
	"boards.tpl":  {"table", "calculator", "poster"},
	"boards.size": {"a4", "a3", "60x90", "90x120"},
	"table": {"posts", "villages", "village_maps", "houses", "features", "households", "residents", "visits",
		"teams", "members", "shift_rules", "patrols", "venues", "cost_items", "board_templates", "print_records", "notices"},
}

// CodeWord shows a stored code word in the UI language; codes this version
// does not know (a newer peer's, or free text) are shown as they are.
func CodeWord(group, v string) string {
	for _, c := range Codes[group] {
		if c == v {
			return lang.L(group + "." + v)
		}
	}
	return v
}

// SizeText writes a byte count the way people read it.
func SizeText(n int64) string {
	switch {
	case n < 1024:
		return strconv.FormatInt(n, 10) + " B"
	case n < 1024*1024:
		return strconv.FormatInt(n/1024, 10) + " KB"
	}
	return strconv.FormatFloat(float64(n)/(1024*1024), 'f', 1, 64) + " MB"
}

// SafeFileName turns a title into a PDF's file name Windows accepts.
func SafeFileName(parts ...string) string { return SafeFileNameExt(".pdf", parts...) }

// SafeFileNameExt turns a title into a file name Windows accepts, ending
// in ext (".txt"): one extension, never "….pdf.txt".
func SafeFileNameExt(ext string, parts ...string) string {
	name := JoinWith("-", parts...)
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`<>:"/\|?*`, r) || r < 32 {
			return '_'
		}
		return r
	}, name)
	if name == "" {
		name = "cunjing"
	}
	return name + ext
}
