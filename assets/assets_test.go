package assets

import (
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"testing"
)

func TestDefaultCostItemsFollowDomainFacts(t *testing.T) {
	items, err := DefaultCostItems()
	if err != nil {
		t.Fatal(err)
	}
	byArticle := map[string][]CostItem{}
	ids := map[string]bool{}
	for _, it := range items {
		byArticle[it.Law+it.Article] = append(byArticle[it.Law+it.Article], it)
		if ids[it.ID] {
			t.Errorf("duplicate id %s", it.ID)
		}
		ids[it.ID] = true
		if it.Tier == TierPublicOrder && RecordWording(it.Text) != "" {
			t.Errorf("record wording on public-order tier: %q", it.Text)
		}
	}
	// New Art. 51 amounts are "to confirm"; old Art. 43 is historical.
	for _, it := range byArticle["治安管理处罚法第五十一条"] {
		if it.Confirmed {
			t.Errorf("new Art. 51 item confirmed: %q", it.Text)
		}
		if it.EffectiveDate != "2026-01-01" {
			t.Errorf("new Art. 51 effective %s", it.EffectiveDate)
		}
	}
	want := []struct {
		article  string
		min, max float64
		unit     string
	}{
		{"治安管理处罚法第五十一条", 5, 10, "日"},
		{"治安管理处罚法第五十一条", 500, 1000, "元"},
		{"治安管理处罚法第五十一条", 10, 15, "日"},
		{"治安管理处罚法第五十一条", 1000, 2000, "元"},
		{"治安管理处罚法第四十三条", 200, 500, "元"},
		{"治安管理处罚法第四十三条", 500, 1000, "元"},
		{"刑法第二百三十四条", 0, 3, "年"},
		{"刑法第二百三十四条", 3, 10, "年"},
		{"刑法第二百三十四条", 10, 0, "年"},
		{"刑法第二百九十二条", 3, 10, "年"},
		{"刑法第二百九十三条", 0, 5, "年"},
		{"刑法第二百九十三条", 5, 10, "年"},
	}
	for _, w := range want {
		found := false
		for _, it := range byArticle[w.article] {
			found = found || (it.AmountMin == w.min && it.AmountMax == w.max && it.Unit == w.unit)
		}
		if !found {
			t.Errorf("no %s item %g–%g %s", w.article, w.min, w.max, w.unit)
		}
	}
	var local *CostItem
	for i, it := range items {
		if strings.Contains(it.Text, "平均赔偿") {
			local = &items[i]
		}
	}
	if local == nil || local.Confirmed || local.Grp != GroupEconomic {
		t.Errorf("local typical total must be an unconfirmed economic item: %+v", local)
	}
}

// The JSON keys are the store's column names, one to one.
func TestCostItemJSONKeys(t *testing.T) {
	var raw []map[string]any
	if err := json.Unmarshal(costItemsJSON, &raw); err != nil {
		t.Fatal(err)
	}
	want := "amount_max amount_min article checked_on confirmed effective_date grp id law law_version local sort text tier unit"
	for i, m := range raw {
		var keys []string
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if got := strings.Join(keys, " "); got != want {
			t.Fatalf("item %d keys %q, want %q", i, got, want)
		}
	}
}

func TestValidateCostItem(t *testing.T) {
	ok := CostItem{Tier: TierPublicOrder, Grp: GroupLegal, Text: "拘留", AmountMin: 5, AmountMax: 10, Unit: "日",
		Law: "治安管理处罚法", Article: "第五十一条", LawVersion: "2025年修订", EffectiveDate: "2026-01-01", CheckedOn: "2026-11-01"}
	mod := func(f func(*CostItem)) CostItem { c := ok; f(&c); return c }
	cases := []struct {
		name   string
		item   CostItem
		want   string
		sealed bool
	}{
		{"ok", ok, "", false},
		{"no text", mod(func(c *CostItem) { c.Text = "  " }), "text", false},
		{"bad tier", mod(func(c *CostItem) { c.Tier = "civil" }), "tier", false},
		{"bad group", mod(func(c *CostItem) { c.Grp = "x" }), "grp", false},
		{"inverted range", mod(func(c *CostItem) { c.AmountMin, c.AmountMax = 10, 5 }), "range", false},
		{"negative", mod(func(c *CostItem) { c.AmountMin = -1 }), "range", false},
		{"open-ended ok", mod(func(c *CostItem) { c.AmountMin, c.AmountMax = 10, 0 }), "", false},
		{"no unit", mod(func(c *CostItem) { c.Unit = "" }), "unit", false},
		{"bad checked", mod(func(c *CostItem) { c.CheckedOn = "2026-13-01" }), "checked_on", false},
		{"law without article", mod(func(c *CostItem) { c.Article, c.LawVersion = "", "" }), "article", false},
		{"sealed 案底", mod(func(c *CostItem) { c.Text = "打人会留案底" }), "sealed", true},
		{"sealed 政审", mod(func(c *CostItem) { c.Text = "影响子女政审" }), "sealed", true},
		{"sealed 前科", mod(func(c *CostItem) { c.Text = "有了前科" }), "sealed", true},
		{"criminal may", mod(func(c *CostItem) { c.Tier = TierCriminal; c.Text = "留下案底，影响子女政审" }), "", false},
		{"no law no date", mod(func(c *CostItem) { c.Law, c.Article, c.LawVersion, c.EffectiveDate = "", "", "", "" }), "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := ValidateCostItem(c.item)
			if c.want == "" {
				if err != nil {
					t.Fatalf("unexpected %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err %v, want containing %q", err, c.want)
			}
			if errors.Is(err, ErrSealedRecord) != c.sealed {
				t.Errorf("errors.Is(ErrSealedRecord) = %v", !c.sealed)
			}
		})
	}
}

func TestInForce(t *testing.T) {
	items, err := DefaultCostItems()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		day        string
		has, lacks string
	}{
		{"2026-11-24", "第五十一条", "第四十三条"},
		{"2026-01-01", "第五十一条", "第四十三条"},
		{"2025-12-31", "第四十三条", "第五十一条"},
	}
	for _, c := range cases {
		got, err := InForce(items, c.day)
		if err != nil {
			t.Fatal(err)
		}
		var arts []string
		crim, noLaw := 0, 0
		for _, it := range got {
			arts = append(arts, it.Article)
			if it.Tier == TierCriminal {
				crim++
			}
			if it.Law == "" {
				noLaw++
			}
		}
		all := strings.Join(arts, ",")
		if !strings.Contains(all, c.has) || strings.Contains(all, c.lacks) {
			t.Errorf("%s: articles %s; want %s without %s", c.day, all, c.has, c.lacks)
		}
		if crim == 0 || noLaw == 0 {
			t.Errorf("%s: dropped criminal (%d) or law-less (%d) lines", c.day, crim, noLaw)
		}
	}
	if _, err := InForce(items, "today"); err == nil {
		t.Error("bad day accepted")
	}
}

func TestSortItems(t *testing.T) {
	items := []CostItem{
		{Tier: TierCriminal, Grp: GroupLegal, Sort: 1},
		{Tier: TierPublicOrder, Grp: GroupFamily, Sort: 1},
		{Tier: TierPublicOrder, Grp: GroupLegal, Sort: 2},
		{Tier: TierPublicOrder, Grp: GroupLegal, Sort: 1},
		{Tier: TierPublicOrder, Grp: GroupEconomic, Sort: 0},
	}
	SortItems(items)
	var got []string
	for _, it := range items {
		got = append(got, it.Tier[:1]+it.Grp[:1]+string(rune('0'+it.Sort)))
	}
	if s := strings.Join(got, " "); s != "pl1 pl2 pe0 pf1 cl1" {
		t.Errorf("order %s", s)
	}
}

func TestDefaultLeaflets(t *testing.T) {
	for _, topic := range LeafletTopics {
		l, err := DefaultLeaflet(topic)
		if err != nil {
			t.Fatal(err)
		}
		if l.Title == "" || l.Remember == "" || len(l.Sections) < 3 {
			t.Errorf("%s: thin leaflet %+v", topic, l)
		}
		for _, s := range l.Sections {
			if s.Heading == "" || len(s.Points) == 0 {
				t.Errorf("%s: empty section %+v", topic, s)
			}
		}
	}
	if _, err := DefaultLeaflet("flood"); err == nil || !strings.Contains(err.Error(), "fire") {
		t.Errorf("unknown topic: %v", err)
	}
}
