package record

import (
	"errors"
	"testing"
)

func TestNormaliseIDNumber(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"11010519491231002X", "11010519491231002X", true},
		{"11010519491231002x", "11010519491231002X", true},
		{"440524188001010014", "440524188001010014", true},
		{"１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X", true}, // full-width
		{" 110105 19491231 002X ", "11010519491231002X", true},
		{"110105491231002", "11010519491231002X", true}, // 15-digit upgraded
		{"110105194912310021", "", false},               // wrong check char
		{"11010519491331002X", "", false},               // month 13
		{"1101051949123100", "", false},                 // too short
		{"", "", false},
		{"11010519491231002Y", "", false},
		{"A1010519491231002X", "", false},
	}
	for _, tt := range tests {
		got, err := NormaliseIDNumber(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("NormaliseIDNumber(%q) err = %v, want ok=%v", tt.in, err, tt.ok)
			continue
		}
		if got != tt.want {
			t.Errorf("NormaliseIDNumber(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalisePhone(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"13812345678", "13812345678", true},
		{"+86 138-1234-5678", "13812345678", true},
		{"8613812345678", "13812345678", true},
		{"0371-12345678", "037112345678", true},
		{"010 1234567", "0101234567", true},
		{"110", "110", true},
		{"12812345678", "", false},
		{"1381234567", "", false},
		{"abc", "", false},
	}
	for _, tt := range tests {
		got, err := NormalisePhone(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("NormalisePhone(%q) = %q, %v; want %q ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestResidentValidateDerivesFromID(t *testing.T) {
	r := &Resident{Name: " 王秀英 ", IDNumber: "11010519491231002x", Phone: "138 1234 5678"}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	if r.IDNumber != "11010519491231002X" || r.Gender != "女" || r.BirthDate != "1949-12-31" || r.Phone != "13812345678" || r.Name != "王秀英" {
		t.Fatalf("not normalised: %+v", r)
	}
}

func TestValidateNamesField(t *testing.T) {
	tests := []struct {
		rec   Record
		field string
	}{
		{&Resident{}, "name"},
		{&Resident{Name: "张三", IDNumber: "110105194912310021"}, "id_number"},
		{&Resident{Name: "张三", Phone: "12345"}, "phone"},
		{&Resident{Name: "张三", MoveIn: "2024.3.5"}, "move_in"},
		{&Household{VillageID: "v", OwnerName: "张三", Warning: "紫"}, "warning"},
		{&Household{VillageID: "v", OwnerName: "张三", Status: "借住"}, "status"},
		{&Household{OwnerName: "张三"}, "village_id"},
		{&Member{TeamID: "t", Name: "李四", Role: "队长"}, "role"},
		{&Member{TeamID: "t", Name: "李四", Role: "辅警", Leave: []string{"2026-12-05..2026-12-01"}}, "leave"},
		{&CostItem{Tier: "public_order", Grp: "family", Text: "留下案底，影响子女政审"}, "text"},
		{&CostItem{Tier: "public_order", Grp: "family", Text: "留下违法记录"}, "text"},
		{&CostItem{Tier: "public_order", Grp: "family", Text: "有前科影响就业"}, "text"},
		{&CostItem{Tier: "criminal", Grp: "legal", Text: "罚款", AmountMin: 10, AmountMax: 5}, "amount_max"},
		{&Patrol{Date: "2026-12-01"}, "people"},
		{&Village{}, "name"},
	}
	for _, tt := range tests {
		err := tt.rec.Validate()
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tt.field {
			t.Errorf("%T: err = %v, want a FieldError on %s", tt.rec, err, tt.field)
		}
	}
}

func TestMaskIDNumber(t *testing.T) {
	if got := MaskIDNumber("14010219800101123X"); got != "1401**********123X" {
		t.Fatalf("got %s", got)
	}
}

func FuzzNormaliseIDNumber(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "110105491231002", "１１０", "", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := NormaliseIDNumber(s)
		if err != nil {
			return
		}
		again, err := NormaliseIDNumber(id)
		if err != nil || again != id {
			t.Fatalf("not idempotent: %q -> %q -> %q (%v)", s, id, again, err)
		}
	})
}

func TestCheckIDNumber(t *testing.T) {
	cases := []struct {
		raw, id string
		want    IDProblem
	}{
		{"", "", IDOK},
		{"11010519491231002X", "11010519491231002X", IDOK},
		{"110105 19491231 002x", "11010519491231002X", IDOK},
		{"１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X", IDOK},
		{"440524188001010014", "440524188001010014", IDOK},
		{"1101051949", "", IDShort},
		{"11010519491231002", "", IDShort},
		{"11010519491231002X1", "", IDLong},
		{"11010519491231002Y", "", IDBadChar},
		{"1101X519491231002X", "", IDBadChar},
		{"王建国", "", IDBadChar},
		{"110105194913310021", "", IDBadDate}, // month 13
		{"110105194902300025", "", IDBadDate}, // 30 February
		{"110105194912310021", "", IDBadCheck},
		{"110105491231002", "11010519491231002X", IDOK}, // 15-digit, upgraded
		{"110105491331002", "", IDBadDate},
	}
	for _, c := range cases {
		id, p := CheckIDNumber(c.raw)
		if id != c.id || p != c.want {
			t.Errorf("CheckIDNumber(%q) = %q, %d; want %q, %d", c.raw, id, p, c.id, c.want)
		}
	}
}

// FuzzCheckIDNumber: the live check on the resident form must agree with
// the validation Save applies, or the form would call a number good that
// then fails to save (or the reverse).
func FuzzCheckIDNumber(f *testing.F) {
	for _, s := range []string{"", "11010519491231002X", "110105491231002", "11010519491231002x ", "1", "110105194913310021", "ＸＸ", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		id, p := CheckIDNumber(raw)
		want, err := NormaliseIDNumber(raw)
		switch {
		case normaliseDigits(raw) == "":
			if id != "" || p != IDOK {
				t.Fatalf("empty %q: %q %d", raw, id, p)
			}
		case err == nil:
			if id != want || p != IDOK {
				t.Fatalf("%q: Normalise accepts %q, Check says %q %d", raw, want, id, p)
			}
		default:
			if id != "" || p == IDOK {
				t.Fatalf("%q: Normalise refuses (%v), Check says %q %d", raw, err, id, p)
			}
		}
	})
}
