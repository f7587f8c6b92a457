package demodata

import (
	"fmt"
	"math/rand"
	"time"

	"cunjing/store"
)

// teamPlan is one patrol team of mixed roles, as posts actually run them:
// the post's officer or an auxiliary leads, village police, grid workers,
// the head of security (治保主任) and volunteers fill the rest.
type teamPlan struct {
	name  string
	roles []string
}

var teamPlans = []teamPlan{
	{"第一巡逻队", []string{"民警", "辅警", "村警", "网格员", "志愿者"}},
	// The first dutyPeople take the post's 24-hour duty in turn; the rest
	// patrol the market.
	{"第二巡逻队", []string{"辅警", "辅警", "村警", "治保主任", "网格员", "志愿者", "志愿者"}},
	{"护学岗", []string{"民警", "辅警", "村警", "志愿者"}},
}

// dutyPeople is how many of the second team stand the 24-hour duty.
const dutyPeople = 3

func makeTeams(rng *rand.Rand, villageID string, seq *int) ([]*store.Team, [][]*store.Member) {
	var teams []*store.Team
	var members [][]*store.Member
	taken := map[string]bool{} // one post, one name per person: a roster must not read like a double booking
	for _, tp := range teamPlans {
		t := &store.Team{Name: tp.name, VillageID: villageID}
		teams = append(teams, t)
		var ms []*store.Member
		for _, role := range tp.roles {
			*seq++
			male := rng.Intn(3) > 0
			name := randomName(rng, surnames[rng.Intn(len(surnames))], male)
			for taken[name] {
				name = randomName(rng, surnames[rng.Intn(len(surnames))], male)
			}
			taken[name] = true
			ms = append(ms, &store.Member{Name: name, Role: role, Phone: synthPhone(rng)})
		}
		members = append(members, ms)
	}
	return teams, members
}

// leaveFor gives a member a few days of leave in the demo month, so the
// roster has something real to flag.
func leaveFor(rng *rand.Rand, month time.Time) []string {
	if rng.Intn(4) != 0 {
		return nil
	}
	from := month.AddDate(0, 0, rng.Intn(25))
	to := from.AddDate(0, 0, 1+rng.Intn(3))
	return []string{from.Format("2006-01-02") + ".." + to.Format("2006-01-02")}
}

var findingCategories = []string{"消防隐患", "治安隐患", "交通安全", "矛盾纠纷", "可疑人员", "防溺水", "反诈宣传"}

var findingTexts = map[string][]string{
	"消防隐患": {"电动车在楼道充电，已劝离", "柴草堆靠近灶房，已提醒清理", "私拉电线，已告知村电工"},
	"治安隐患": {"村西废品站夜间无人看管", "小卖部门锁损坏，已提醒更换"},
	"交通安全": {"三轮车载人，已劝导", "学校门口车辆乱停，已疏导"},
	"矛盾纠纷": {"两户因宅基地边界争执，已约村调解员", "邻里因排水沟口角，现场调解"},
	"可疑人员": {"两名外地人挨户推销保健品，已核查身份"},
	"防溺水":  {"坑塘边护栏松动，已报村委", "发现儿童在坑塘边玩耍，已劝离并告知家长"},
	"反诈宣传": {"向老人讲解冒充客服退款诈骗", "发放反诈宣传单二十份"},
}

type finding struct {
	Category string `json:"category"`
	Text     string `json:"text"`
}

func randomFindings(rng *rand.Rand) []finding {
	if rng.Intn(3) == 0 {
		return nil
	}
	var out []finding
	for i := 0; i < 1+rng.Intn(2); i++ {
		c := findingCategories[rng.Intn(len(findingCategories))]
		texts := findingTexts[c]
		out = append(out, finding{c, texts[rng.Intn(len(texts))]})
	}
	return out
}

func fmtHM(h, m int) string { return fmt.Sprintf("%02d:%02d", h, m) }
