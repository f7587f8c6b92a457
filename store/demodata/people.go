package demodata

import (
	"fmt"
	"math/rand"
	"strings"
	"time"

	"cunjing/store"
)

// Name parts weighted roughly like a north China plain village, where a few
// clans make up most households.
var (
	surnames     = []string{"王", "王", "王", "李", "李", "张", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "孙", "马", "朱", "胡", "郭", "高", "宋", "郑"}
	maleGiven    = []string{"建国", "建军", "国强", "志刚", "海涛", "伟", "磊", "军", "勇", "强", "明", "超", "浩然", "子轩", "宇航", "俊杰", "德福", "长江", "保田", "金山", "永生", "振华", "新民", "春生"}
	femaleGiven  = []string{"秀英", "桂兰", "玉兰", "淑珍", "丽", "静", "敏", "燕", "艳", "娟", "欣怡", "梓涵", "雨涵", "佳怡", "春梅", "秋菊", "凤英", "翠花", "海燕", "红霞", "晓丽"}
	occupations  = []string{"务农", "务农", "务农", "外出务工", "外出务工", "个体经营", "教师", "司机", "建筑工", "村干部"}
	floatReasons = []string{"务工", "经商", "投亲靠友", "租房居住"}
	// areaCodes are real county codes of one Henan prefecture, so the demo's
	// ID numbers look like the ledgers officers know.
	areaCodes = []string{"410526", "410527", "410522", "410523"}
)

// Age rules of the demo's households (TestDemoRealistic checks them).
const (
	// minParentGap is how much older than a child each parent is at least;
	// the test's rule is 16, the generator keeps to a plausible 20.
	minParentGap = 20
	// minMarryAge is the legal marrying age for men (民法典 Art. 1047);
	// the generator uses it for both spouses.
	minMarryAge = 22
)

type person struct {
	name   string
	male   bool
	birth  time.Time
	idNo   string
	phone  string
	rel    string
	occ    string
	census string
}

func randomName(rng *rand.Rand, surname string, male bool) string {
	if male {
		return surname + maleGiven[rng.Intn(len(maleGiven))]
	}
	return surname + femaleGiven[rng.Intn(len(femaleGiven))]
}

// synthID makes a structurally valid ID number (real check character) for a
// synthetic person; the sequence digits keep it unique in the demo.
func synthID(rng *rand.Rand, birth time.Time, male bool, seq int) string {
	area := areaCodes[rng.Intn(len(areaCodes))]
	s := seq % 500
	n := s*2 + 1 // odd: male
	if !male {
		n = s * 2
	}
	body := fmt.Sprintf("%s%s%03d", area, birth.Format("20060102"), n%1000)
	c, err := store.IDCheckChar(body)
	if err != nil {
		return ""
	}
	return body + string(c)
}

func synthPhone(rng *rand.Rand) string {
	prefixes := []string{"135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "182", "187", "188", "199"}
	return fmt.Sprintf("%s%08d", prefixes[rng.Intn(len(prefixes))], rng.Intn(100000000))
}

func birthAt(rng *rand.Rand, today time.Time, age int) time.Time {
	return today.AddDate(-age, 0, -rng.Intn(365))
}

// household makes the people of one household: a couple (or a widow(er)),
// maybe parents, children; some households are left-behind elderly or
// children whose parents work in the city, some are tenants from outside.
func makeHousehold(rng *rand.Rand, today time.Time, seq *int, rental bool) (people []person, cats []string) {
	next := func() int { *seq++; return *seq }
	surname := surnames[rng.Intn(len(surnames))]
	kind := rng.Intn(100)
	add := func(p person) { people = append(people, p) }
	mk := func(male bool, age int, rel string, sur string) person {
		b := birthAt(rng, today, age)
		p := person{name: randomName(rng, sur, male), male: male, birth: b, rel: rel, census: store.CensusConsistent}
		p.idNo = synthID(rng, b, male, next())
		if age >= 18 && age < 75 && rng.Intn(10) < 8 {
			p.phone = synthPhone(rng)
		}
		switch {
		case age < 18:
			p.occ = "学生"
		case age >= 65:
			p.occ = []string{"务农", "务农", "退休"}[rng.Intn(3)]
		default:
			p.occ = occupations[rng.Intn(len(occupations))]
		}
		return p
	}
	// Ages follow what a household register shows: spouses a few years
	// apart and both of marrying age, every child at least minParentGap
	// years younger than both parents (so ≥ 16, the rule the demo test
	// checks), a head's parents as much older than the head.
	spouseAge := func(head int) int { return max(minMarryAge, head-6+rng.Intn(9)) }
	childAges := func(n, youngestParent, lo, hi int) []int {
		hi = min(hi, youngestParent-minParentGap)
		var ages []int
		for i := 0; i < n && hi >= lo; i++ {
			ages = append(ages, lo+rng.Intn(hi-lo+1))
		}
		return ages
	}
	switch {
	case rental:
		// Tenants: floating population, registered elsewhere.
		age := 22 + rng.Intn(25)
		head := mk(true, age, "户主", surname)
		head.occ = floatReasons[rng.Intn(len(floatReasons))]
		head.census = store.CensusAway
		add(head)
		if rng.Intn(2) == 0 {
			w := mk(false, spouseAge(age), "配偶", surnames[rng.Intn(len(surnames))])
			w.census = store.CensusAway
			add(w)
		}
		cats = append(cats, store.CatRental, store.CatFloating)
	case kind < 12:
		// Left-behind elderly living alone.
		old := mk(rng.Intn(2) == 0, 68+rng.Intn(20), "户主", surname)
		add(old)
		cats = append(cats, store.CatElderly, store.CatAlone)
	case kind < 22:
		// Grandparents raising grandchildren; the son works away.
		gpAge := 60 + rng.Intn(12)
		gmAge := spouseAge(gpAge)
		add(mk(true, gpAge, "户主", surname))
		add(mk(false, gmAge, "配偶", surnames[rng.Intn(len(surnames))]))
		sonAge := min(gpAge, gmAge) - minParentGap - 4 - rng.Intn(6) // ≥ 25: room for a grandchild of 4
		son := mk(true, sonAge, "子", surname)
		son.occ, son.census = "外出务工", store.CensusAbsent
		add(son)
		for _, a := range childAges(1+rng.Intn(2), sonAge, 4, 14) {
			add(mk(rng.Intn(2) == 0, a, "孙子女", surname))
		}
		cats = append(cats, store.CatChild, store.CatElderly)
	default:
		headAge := 30 + rng.Intn(35)
		wifeAge := spouseAge(headAge)
		add(mk(true, headAge, "户主", surname))
		add(mk(false, wifeAge, "配偶", surnames[rng.Intn(len(surnames))]))
		for _, a := range childAges(rng.Intn(3), min(headAge, wifeAge), 1, 20) {
			add(mk(rng.Intn(2) == 0, a, "子女", surname))
		}
		if rng.Intn(4) == 0 {
			// The head's father or mother, 26 to 36 years older, at most 92.
			if top := min(headAge+minParentGap+16, 92); top >= headAge+minParentGap+6 {
				add(mk(rng.Intn(2) == 0, headAge+minParentGap+6+rng.Intn(top-headAge-minParentGap-6+1), "父母", surname))
			}
		}
	}
	if rng.Intn(25) == 0 {
		cats = append(cats, store.CatKey)
	}
	if rng.Intn(12) == 0 {
		cats = append(cats, store.CatParty)
	}
	if rng.Intn(40) == 0 {
		cats = append(cats, store.CatWubao)
	}
	return people, cats
}

func warningFor(rng *rand.Rand, cats []string) string {
	joined := strings.Join(cats, ",")
	switch {
	case strings.Contains(joined, store.CatKey):
		return store.WarnRed
	case strings.Contains(joined, store.CatFloating) || strings.Contains(joined, store.CatAlone):
		if rng.Intn(3) == 0 {
			return store.WarnRed
		}
		return store.WarnOrange
	case rng.Intn(10) == 0:
		return store.WarnOrange
	}
	return store.WarnGreen
}
