package ledger

import (
	"strings"
	"testing"
)

func TestParseDate(t *testing.T) {
	cases := []struct {
		in, want string
		bad      bool
	}{
		{"2024.3.5", "2024-03-05", false},
		{"2024年3月5日", "2024-03-05", false},
		{"２０２４年３月５日", "2024-03-05", false},
		{"2024/03/05", "2024-03-05", false},
		{"2024-3-5", "2024-03-05", false},
		{"20240305", "2024-03-05", false},
		{"2024-03-05 00:00:00", "2024-03-05", false},
		{"45356", "2024-03-05", false},      // Excel serial
		{"45356.5", "2024-03-05", false},    // serial with a time
		{"29221", "1980-01-01", false},      // serial
		{"1949.10.1.", "1949-10-01", false}, // trailing dot
		{"", "", false},
		{"2024.3", "", true},      // no day
		{"2024年3月", "", true},     // no day
		{"1960-2-30", "", true},   // not a real date
		{"80.3.5", "", true},      // two-digit year
		{"2024", "", true},        // a year
		{"不详", "", true},          // unknown
		{"99999999999", "", true}, // far out of range
	}
	for _, c := range cases {
		got, err := parseDate(c.in, false)
		if (err != nil) != c.bad || got != c.want {
			t.Errorf("parseDate(%q) = %q, %v; want %q, bad=%v", c.in, got, err, c.want, c.bad)
		}
	}
	if got, _ := parseDate("43894", true); got != "2024-03-05" {
		t.Errorf("1904 serial 43894 = %s, want 2024-03-05", got)
	}
}

func TestParseIDNumber(t *testing.T) {
	cases := []struct {
		in, want string
		masked   bool
		errFrag  string
	}{
		{"11010519491231002x", "11010519491231002X", false, ""},
		{"１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X", false, ""},
		{" 110105 19491231 002X ", "11010519491231002X", false, ""},
		{"'11010519491231002X", "11010519491231002X", false, ""},
		{`="11010519491231002X"`, "11010519491231002X", false, ""},
		{"110105491231002", "11010519491231002X", false, ""}, // 15-digit
		{"1101**********002X", "", true, ""},
		{"", "", false, ""},
		{"11010519491231002Y", "", false, "ID number"},
		{"110105194912310000", "", false, "rounded"},
		{"1.10105194912310E+17", "", false, "as a number"},
		{"12345", "", false, "18 characters"},
	}
	for _, c := range cases {
		got, masked, err := parseIDNumber(c.in)
		if got != c.want || masked != c.masked || (c.errFrag == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.errFrag)) {
			t.Errorf("parseIDNumber(%q) = %q, %v, %v; want %q, %v, error containing %q", c.in, got, masked, err, c.want, c.masked, c.errFrag)
		}
	}
}

func TestParsePhones(t *testing.T) {
	cases := []struct {
		in, first, rest string
		bad             bool
	}{
		{"138 1234 5678", "13812345678", "", false},
		{"+86-138-1234-5678", "13812345678", "", false},
		{"13812345678/0371-6123456", "13812345678", "03716123456", false},
		{"13812345678，13912345678、13812345678", "13812345678", "13912345678", false},
		{"１３８１２３４５６７８", "13812345678", "", false},
		{"12345", "", "", true},
		{"无", "", "", true},
	}
	for _, c := range cases {
		first, rest, err := parsePhones(c.in)
		if first != c.first || strings.Join(rest, ",") != c.rest || (err != nil) != c.bad {
			t.Errorf("parsePhones(%q) = %q, %q, %v", c.in, first, rest, err)
		}
	}
}

func TestCleaning(t *testing.T) {
	for in, want := range map[string]string{"张 三": "张三", " 李\u3000四 ": "李四", "John  Smith": "John Smith", "阿卜杜·热合曼": "阿卜杜·热合曼"} {
		if got := cleanName(in); got != want {
			t.Errorf("cleanName(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"２０３号": "203", " 203-1 ": "203-1", "附1": "附1"} {
		if got := cleanDoor(in); got != want {
			t.Errorf("cleanDoor(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]float64{"120": 120, "120.5㎡": 120.5, "８０平方米": 80, "1,200 平米": 1200} {
		if got, err := parseArea(in); err != nil || got != want {
			t.Errorf("parseArea(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if got := strings.Join(parseCategories("中共党员、留守老人，空巢老人; 低保户 无"), "|"); got != "党员|留守老人|低保户" {
		t.Errorf("parseCategories = %q", got)
	}
}

func TestGuessHeaders(t *testing.T) {
	cases := []struct{ group, header string }{
		{"", "身份证号码（18位）"}, {"", "*姓名"}, {"", "联系电话："}, {"户主信息", "姓名"}, {"户主信息", "联系电话"},
		{"承租人", "电话"}, {"", "户主联系电话"}, {"", "是否党员"}, {"", "是否留守儿童"}, {"", "序号"}, {"", "民族"},
		{"", "现居住地址"}, {"", "户籍地详址"}, {"紧急联系人", "姓名"}, {"走访情况", "日期"},
	}
	want := []Field{FieldIDNumber, FieldName, FieldPhone, FieldOwnerName, FieldOwnerPhone, FieldTenantPhone, FieldOwnerPhone,
		Field(FlagPrefix + "党员"), Field(FlagPrefix + "留守儿童"), FieldIgnore, FieldExtra, FieldAddress, FieldHukouAddress,
		FieldEmergencyContact, FieldVisitDate}
	for i, c := range cases {
		if got := guess(c.group, c.header); got != want[i] {
			t.Errorf("guess(%q, %q) = %q, want %q", c.group, c.header, got, want[i])
		}
	}
}

func TestMappingJSON(t *testing.T) {
	ts, err := Read("a.csv", []byte(" 姓名 ,门牌号,民族\n张三,1,汉\n"))
	if err != nil {
		t.Fatal(err)
	}
	tb := ts[0]
	m := Suggest(tb)
	data, err := MarshalMapping(m)
	if err != nil {
		t.Fatal(err)
	}
	back, err := UnmarshalMapping(data)
	if err != nil || !back.Fits(tb) {
		t.Fatalf("round trip: %v, fits=%v", err, back.Fits(tb))
	}
	// Padding does not change the fingerprint; another column does.
	if Fingerprint([]string{"姓名", "门牌号", "民族"}) != m.Fingerprint {
		t.Error("padding changed the fingerprint")
	}
	if Fingerprint([]string{"姓名", "门牌号"}) == m.Fingerprint {
		t.Error("a different header row has the same fingerprint")
	}
	if _, err := UnmarshalMapping([]byte(`{"fingerprint":"x","headers":["a"],"fields":["no_such_field"]}`)); err == nil {
		t.Error("an unknown field was accepted")
	}
}
