package ledger

import (
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"cunjing/store"
	"cunjing/store/ledger/ledgerfile"
	"cunjing/store/record"
)

// cleanText is what every cell needs (ledgerfile.CleanText).
func cleanText(s string) string { return ledgerfile.CleanText(s) }

// cleanName also removes spaces between Chinese characters ("张 三"):
// officers pad two-character names to line them up with three-character ones.
func cleanName(s string) string {
	s = cleanText(s)
	if !strings.ContainsFunc(s, isHan) {
		return s
	}
	return strings.ReplaceAll(s, " ", "")
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// cleanDoor normalises a door number as painted: "２０３号" → "203".
func cleanDoor(s string) string {
	s = strings.ReplaceAll(cleanText(s), " ", "")
	s = strings.TrimSuffix(s, "号")
	return s
}

var dateSep = strings.NewReplacer("年", "-", "月", "-", "日", "", "号", "", ".", "-", "/", "-", "\\", "-", "－", "-")

// parseDate reads the dates ledgers hold: 2024.3.5, 2024年3月5日,
// 2024/03/05, 2024-3-5, 20240305, "2024-03-05 00:00:00" and Excel serial
// numbers (what a date cell holds under its format). It returns
// YYYY-MM-DD. A year and month alone is an error: inventing a day would
// make up data.
func parseDate(raw string, date1904 bool) (string, error) {
	s := strings.ReplaceAll(cleanText(raw), " ", "T")
	if i := strings.IndexByte(s, 'T'); i > 0 {
		s = s[:i]
	}
	if s == "" {
		return "", nil
	}
	if allDigits(s) && len(s) == 8 {
		s = s[:4] + "-" + s[4:6] + "-" + s[6:]
	} else if f, err := strconv.ParseFloat(s, 64); err == nil {
		// Serials below 10000 (before 1927) are more likely a bare year
		// or a typo than a date cell.
		if f < 10000 || f > 80000 || math.IsNaN(f) {
			return "", valueErr(ProblemDate, raw, "%q is not a date", raw)
		}
		return serialDate(f, date1904), nil
	}
	s = strings.Trim(dateSep.Replace(s), "-")
	parts := strings.Split(s, "-")
	if len(parts) == 2 {
		return "", valueErr(ProblemDateNoDay, raw, "%q has no day", raw)
	}
	if len(parts) != 3 {
		return "", valueErr(ProblemDate, raw, "%q is not a date", raw)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || p == "" {
			return "", valueErr(ProblemDate, raw, "%q is not a date", raw)
		}
		n[i] = v
	}
	if n[0] < 1880 || n[0] > 2100 {
		return "", valueErr(ProblemDate, raw, "%q: year %d is out of range (write four digits)", raw, n[0])
	}
	t := time.Date(n[0], time.Month(n[1]), n[2], 0, 0, 0, 0, time.UTC)
	if t.Year() != n[0] || int(t.Month()) != n[1] || t.Day() != n[2] {
		return "", valueErr(ProblemDate, raw, "%q is not a real date", raw)
	}
	return t.Format("2006-01-02"), nil
}

// serialDate converts an Excel day serial. Excel's 1900 system counts a
// 29 February 1900 that never was, so serials from 61 on are one day ahead.
func serialDate(f float64, date1904 bool) string {
	days := int(math.Floor(f))
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return base.AddDate(0, 0, days).Format("2006-01-02")
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

var sciNumber = regexp.MustCompile(`^\d(\.\d+)?[eE]\+?\d+$`)

// parseIDNumber normalises an ID number cell. A masked number (from a
// masked export) is reported as masked so the row can still be matched by
// name; a number Excel stored as a float has lost its last digits.
func parseIDNumber(raw string) (id string, masked bool, err error) {
	s := strings.TrimPrefix(cleanText(raw), "'")
	if strings.HasPrefix(s, "=\"") && strings.HasSuffix(s, "\"") {
		s = s[2 : len(s)-1]
	}
	if s == "" {
		return "", false, nil
	}
	if strings.Contains(s, "*") {
		return "", true, nil
	}
	if sciNumber.MatchString(s) {
		return "", false, valueErr(ProblemIDExcel, raw, "ID number %q was stored by Excel as a number and lost its last digits; format the column as text and type it again", raw)
	}
	id, err = record.NormaliseIDNumber(s)
	if err != nil {
		if len(s) == 18 && allDigits(s) && strings.HasSuffix(s, "000") {
			return "", false, valueErr(ProblemIDExcel, raw, "ID number %q: %v (Excel may have rounded it: format the column as text)", raw, err)
		}
		return "", false, valueErr(ProblemID, raw, "ID number %q: %v", raw, err)
	}
	return id, false, nil
}

var phoneSplit = regexp.MustCompile(`[、,，;；/|]+|\s{2,}|\s+(?:或|和)\s*`)

// parsePhones normalises a phone cell, which may hold several numbers
// ("138xxxxxxxx/0371xxxxxxx"): the first is the phone, the rest go to the
// notes so nothing typed is lost.
func parsePhones(raw string) (first string, rest []string, err error) {
	s := cleanText(raw)
	if s == "" {
		return "", nil, nil
	}
	for i, part := range phoneSplit.Split(s, -1) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		p, perr := store.NormalisePhone(part)
		if perr != nil {
			return "", nil, valueErr(ProblemPhone, part, "phone %q: %v", part, perr)
		}
		if i == 0 || first == "" {
			first = p
		} else if p != first {
			rest = append(rest, p)
		}
	}
	return first, rest, nil
}

var areaUnits = strings.NewReplacer("平方米", "", "平米", "", "㎡", "", "m²", "", "M²", "", "m2", "", "M2", "", "平", "", "米", "", ",", "")

func parseArea(raw string) (float64, error) {
	s := strings.ReplaceAll(areaUnits.Replace(cleanText(raw)), " ", "")
	if s == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, valueErr(ProblemArea, raw, "area %q is not a number of square metres", raw)
	}
	return math.Round(f*100) / 100, nil
}

var catSplit = regexp.MustCompile(`[、,，;；/|\s]+`)

// categoryAliases maps what ledgers write to the store's category names.
var categoryAliases = map[string]string{
	"中共党员": store.CatParty, "党员": store.CatParty, "预备党员": store.CatParty,
	"五保": store.CatWubao, "五保户": store.CatWubao, "五保对象": store.CatWubao,
	"重点户": store.CatKey, "重点家庭": store.CatKey,
	"出租屋": store.CatRental, "出租户": store.CatRental, "出租房": store.CatRental,
	"流动人口": store.CatFloating, "流动人员": store.CatFloating, "外来人口": store.CatFloating,
	"留守老人": store.CatElderly, "空巢老人": store.CatElderly,
	"留守儿童": store.CatChild,
	"独居":   store.CatAlone, "独居老人": store.CatAlone,
	"网格员": store.CatGrid,
}

func parseCategories(raw string) []string {
	var out []string
	for _, c := range catSplit.Split(cleanText(raw), -1) {
		if c == "" || c == "无" || c == "否" || c == "-" {
			continue
		}
		if a, ok := categoryAliases[c]; ok {
			c = a
		}
		out = addCategory(out, c)
	}
	return out
}

func addCategory(cats []string, c string) []string {
	for _, x := range cats {
		if x == c {
			return cats
		}
	}
	return append(cats, c)
}

// parseYes reads a 是否… column.
func parseYes(raw string) (bool, error) {
	switch strings.ToLower(cleanText(raw)) {
	case "是", "有", "√", "✓", "y", "yes", "1", "true", "★":
		return true, nil
	case "", "否", "无", "不是", "×", "n", "no", "0", "false", "-", "/":
		return false, nil
	}
	return false, valueErr(ProblemYesNo, raw, "%q is not 是 or 否", raw)
}

// enum maps the spellings ledgers use to one of the store's values.
type enum struct {
	what   string
	values map[string]string
}

func (e enum) parse(raw string) (string, error) {
	s := strings.ReplaceAll(cleanText(raw), " ", "")
	if s == "" {
		return "", nil
	}
	if v, ok := e.values[strings.ToLower(s)]; ok {
		return v, nil
	}
	return "", valueErr(ProblemChoice, raw, "%s %q is not one of %s", e.what, raw, e.list())
}

func (e enum) list() string {
	seen := map[string]bool{}
	var out []string
	for _, v := range e.values {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

var (
	genderEnum = enum{"gender", map[string]string{"男": "男", "男性": "男", "m": "男", "male": "男", "女": "女", "女性": "女", "f": "女", "female": "女"}}
	statusEnum = enum{"house status", map[string]string{
		"自住": store.StatusOwn, "自用": store.StatusOwn, "自居": store.StatusOwn, "居住": store.StatusOwn,
		"出租": store.StatusRented, "租赁": store.StatusRented, "出租房": store.StatusRented, "出租屋": store.StatusRented,
		"空置": store.StatusEmpty, "空房": store.StatusEmpty, "闲置": store.StatusEmpty, "空闲": store.StatusEmpty,
	}}
	warningEnum = enum{"warning colour", map[string]string{
		"红": store.WarnRed, "红色": store.WarnRed, "橙": store.WarnOrange, "橙色": store.WarnOrange,
		"绿": store.WarnGreen, "绿色": store.WarnGreen,
	}}
	censusEnum = enum{"census status", map[string]string{
		"人户一致": store.CensusConsistent, "人在户在": store.CensusConsistent, "一致": store.CensusConsistent,
		"人在户不在": store.CensusAway, "户不在人在": store.CensusAway,
		"户在人不在": store.CensusAbsent, "人不在户在": store.CensusAbsent,
	}}
	floatEnum = enum{"floating level", map[string]string{
		"红": "红", "红色": "红", "橙": "橙", "橙色": "橙", "黄": "黄", "黄色": "黄", "蓝": "蓝", "蓝色": "蓝",
	}}
)

// enumOf is the words a column of one of a few words takes.
var enumOf = map[Field]enum{FieldStatus: statusEnum, FieldWarning: warningEnum, FieldGender: genderEnum,
	FieldCensusStatus: censusEnum, FieldFloatLevel: floatEnum}

// relationAliases maps spellings of 与户主关系 to the usual words.
var relationAliases = map[string]string{"本人": "户主", "户主本人": "户主", "自己": "户主", "之妻": "妻子", "妻": "妻子", "之夫": "丈夫", "夫": "丈夫", "配偶": "配偶"}

func cleanRelation(raw string) string {
	s := strings.ReplaceAll(cleanText(raw), " ", "")
	if a, ok := relationAliases[s]; ok {
		return a
	}
	return s
}
