package assets

import (
	"encoding/json"
	"errors"
	"math"
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
	// No figure ships as local: the station sets it (cunjing costs set).
	for _, it := range items {
		if it.Local || strings.Contains(it.Text, "本地") || strings.Contains(it.Text, "平均") {
			t.Errorf("shipped item presents a local figure: %+v", it)
		}
	}
}

// The wording faults issue #18 found stay fixed.
func TestCostItemWording(t *testing.T) {
	items, err := DefaultCostItems()
	if err != nil {
		t.Fatal(err)
	}
	find := func(f func(CostItem) bool) []CostItem {
		var out []CostItem
		for _, it := range items {
			if f(it) {
				out = append(out, it)
			}
		}
		return out
	}
	for _, it := range items {
		if it.Claim() && it.Source == "" {
			t.Errorf("claim without a source: %q", it.Text)
		}
	}
	// Art. 19 protects stopping an ongoing attack, not hitting back; 互殴 is
	// punished.
	for _, it := range find(func(c CostItem) bool { return c.Article == "第十九条" }) {
		if strings.Contains(it.Text, "还手") || strings.Contains(it.Text, "先动手") || !strings.Contains(it.Text, "制止") || !strings.Contains(it.Text, "正在进行的不法侵害") {
			t.Errorf("Art. 19 reads %q", it.Text)
		}
	}
	if len(find(func(c CostItem) bool {
		return strings.Contains(c.Text, "互相斗殴") && c.Article == "第五十一条"
	})) != 1 {
		t.Error("no line says 互相斗殴 is still punished")
	}
	// The 误工费 formula is court practice (法释〔2022〕14号), not 民法典 1179.
	for _, it := range items {
		if strings.Contains(it.Text, "÷") || strings.Contains(it.Text, "月收入") {
			t.Errorf("a formula on the board: %q", it.Text)
		}
		if strings.Contains(it.Source, "误工费按") && !strings.Contains(it.Source, "法释〔2022〕14号") {
			t.Errorf("误工费 calculation without 法释〔2022〕14号: %q", it.Source)
		}
	}
	// Art. 30 (old 26) 情节较重: detention is the main penalty, a fine may
	// be added; one line, so the fine does not read as the penalty.
	for _, art := range []string{"第三十条", "第二十六条"} {
		lines := find(func(c CostItem) bool { return c.Article == art })
		if len(lines) != 1 || lines[0].Unit != "日" || lines[0].AmountMin != 10 || lines[0].AmountMax != 15 || !strings.Contains(lines[0].Text, "拘留，可以并处罚款") {
			t.Errorf("%s: %+v", art, lines)
		}
	}
	// No compensation head is listed twice on the public-order tier, so the
	// calculator cannot count it twice.
	for _, head := range []string{"医疗费", "误工", "护理费", "交通费", "营养费", "住院伙食补助费", "残疾赔偿金"} {
		if n := len(find(func(c CostItem) bool {
			return c.Tier == TierPublicOrder && c.Grp == GroupEconomic && strings.Contains(c.Text, head)
		})); n > 1 {
			t.Errorf("%s on %d public-order economic lines", head, n)
		}
	}
	// In a criminal case 残疾赔偿金 is generally not awarded (2021 刑诉法解释 Art. 192).
	for _, it := range find(func(c CostItem) bool { return c.Tier == TierCriminal && c.Grp == GroupEconomic }) {
		if strings.Contains(it.Text, "残疾赔偿金") || it.Article != "第一百九十二条" || !strings.Contains(it.LawVersion, "法释〔2021〕1号") {
			t.Errorf("criminal compensation line: %+v", it)
		}
	}
}

func TestSourceProblem(t *testing.T) {
	for _, tc := range []struct {
		name string
		item CostItem
		bad  bool
	}{
		{"family line needs none", CostItem{Tier: TierPublicOrder, Grp: GroupFamily, Text: "一家老小担惊受怕"}, false},
		{"legal line without source", CostItem{Tier: TierPublicOrder, Grp: GroupLegal, Text: "拘留", Law: "治安管理处罚法", Article: "第五十一条"}, true},
		{"money without source", CostItem{Tier: TierPublicOrder, Grp: GroupEconomic, Text: "赔偿", AmountMin: 1, AmountMax: 2, Unit: "元"}, true},
		{"sourced", CostItem{Tier: TierPublicOrder, Grp: GroupEconomic, Text: "赔偿", Source: "派出所"}, false},
		{"local without amount", CostItem{Tier: TierPublicOrder, Grp: GroupEconomic, Text: "赔偿", Source: "派出所", Local: true}, true},
	} {
		if got := SourceProblem(tc.item) != ""; got != tc.bad {
			t.Errorf("%s: problem %v, want %v", tc.name, got, tc.bad)
		}
	}
	local := CostItem{Tier: TierPublicOrder, Grp: GroupEconomic, Text: "赔偿", AmountMin: 7000, AmountMax: 10000, Unit: "元", Local: true, CheckedOn: "2026-11-24"}
	if err := ValidateCostItem(local); err == nil || !strings.Contains(err.Error(), "source") {
		t.Errorf("a local figure without a source validated: %v", err)
	}
}

func TestLeafletClaimsSourced(t *testing.T) {
	ls, err := DefaultLeaflets()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		if u := UnsourcedClaims(l); len(u) > 0 {
			t.Errorf("%s: legal claims without a source: %q", l.Topic, u)
		}
		for _, s := range l.Sources {
			found := false
			for _, sec := range l.Sections {
				for _, p := range sec.Points {
					found = found || strings.Contains(p, s.Claim)
				}
			}
			if !found {
				t.Errorf("%s: source for %q, which no point says", l.Topic, s.Claim)
			}
		}
	}
	l := Leaflet{Sections: []Section{{Heading: "h", Points: []string{"打人要拘留"}}}}
	if len(UnsourcedClaims(l)) != 1 {
		t.Error("an unsourced 拘留 claim passed")
	}
}

// The JSON keys are the store's column names, one to one.
func TestCostItemJSONKeys(t *testing.T) {
	var raw []map[string]any
	if err := json.Unmarshal(costItemsJSON, &raw); err != nil {
		t.Fatal(err)
	}
	want := "amount_max amount_min article checked_on confirmed effective_date grp id law law_version local sort source text tier unit"
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
		{"NaN min", mod(func(c *CostItem) { c.AmountMin = math.NaN() }), "amount_min \"NaN\": not a finite number", false},
		{"NaN max", mod(func(c *CostItem) { c.AmountMax = math.NaN() }), "amount_max \"NaN\": not a finite number", false},
		{"Inf max", mod(func(c *CostItem) { c.AmountMax = math.Inf(1) }), "amount_max \"+Inf\": not a finite number", false},
		{"-Inf min", mod(func(c *CostItem) { c.AmountMin = math.Inf(-1) }), "amount_min \"-Inf\": not a finite number", false},
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
