package ledger

import (
	"errors"
	"fmt"
	"strings"

	"cunjing/store"
)

// ProblemKind says what is wrong with a skipped row in a stable word a
// screen can translate. The English Text of a Problem is for logs and the
// command line and may be reworded at any time; the kinds may not.
type ProblemKind string

// Problem kinds. A screen should show an unknown kind like ProblemOther.
const (
	ProblemBlank             ProblemKind = "blank"                // the row has no value at all
	ProblemNothing           ProblemKind = "nothing"              // values only in columns not imported
	ProblemNoName            ProblemKind = "no_name"              // an ID number or phone but no 姓名
	ProblemNoNameNoHousehold ProblemKind = "no_name_no_household" // neither a person nor a household
	ProblemNoHousehold       ProblemKind = "no_household"         // a person, but no household here or above
	ProblemNoOwner           ProblemKind = "no_owner"             // the household has no 户主, 地址 or known house
	ProblemVillage           ProblemKind = "village"              // the 村 is not one of the post's villages
	ProblemOtherDevice       ProblemKind = "other_device"         // the record belongs to another device
	ProblemIDExcel           ProblemKind = "id_excel"             // Excel stored the ID number as a number
	ProblemID                ProblemKind = "id"                   // the ID number is not valid
	ProblemPhone             ProblemKind = "phone"
	ProblemDate              ProblemKind = "date"
	ProblemDateNoDay         ProblemKind = "date_no_day" // a year and month only
	ProblemArea              ProblemKind = "area"
	ProblemYesNo             ProblemKind = "yes_no" // a 是否… column holds neither 是 nor 否
	ProblemChoice            ProblemKind = "choice" // not one of the field's values (性别, 房屋状态 …)
	ProblemOther             ProblemKind = "other"  // anything not classified above
)

// ProblemKinds lists every kind, so a screen's tests can check each has
// its words.
func ProblemKinds() []ProblemKind {
	return []ProblemKind{ProblemBlank, ProblemNothing, ProblemNoName, ProblemNoNameNoHousehold, ProblemNoHousehold,
		ProblemNoOwner, ProblemVillage, ProblemOtherDevice, ProblemIDExcel, ProblemID, ProblemPhone, ProblemDate,
		ProblemDateNoDay, ProblemArea, ProblemYesNo, ProblemChoice, ProblemOther}
}

// Problem is one reason a row is not imported.
type Problem struct {
	Kind   ProblemKind `json:"kind"`
	Column string      `json:"column,omitempty"` // the ledger column (or field label) it concerns
	Value  string      `json:"value,omitempty"`  // the offending text, as typed
	Text   string      `json:"text"`             // in English, for logs and the command line
}

// reasonOf is the English reason of a skipped row, one problem per column
// ("门牌号: …; 身份证号: …"): the `reason` scripts read from --json.
func reasonOf(ps []Problem) string {
	texts := make([]string, len(ps))
	for i, p := range ps {
		texts[i] = p.Text
	}
	return strings.Join(texts, "; ")
}

// problem is a row-level Problem that concerns no single column.
func problem(kind ProblemKind, value, format string, args ...any) []Problem {
	return []Problem{{Kind: kind, Value: value, Text: fmt.Sprintf(format, args...)}}
}

// badValue is a cell value that cannot be read. It carries the kind from
// where the value was checked, so the row's Problem says what is wrong
// without anyone reading the English.
type badValue struct {
	kind  ProblemKind
	value string
	msg   string
}

func (e *badValue) Error() string { return e.msg }

func valueErr(kind ProblemKind, value, format string, args ...any) error {
	return &badValue{kind: kind, value: value, msg: fmt.Sprintf(format, args...)}
}

// cellProblem is the Problem of column header's cell.
func cellProblem(header string, err error) Problem {
	p := Problem{Kind: ProblemOther, Column: header, Text: header + ": " + err.Error()}
	var bv *badValue
	if errors.As(err, &bv) {
		p.Kind, p.Value = bv.kind, bv.value
	}
	return p
}

// storeFields maps the record fields the store validates to the ledger
// field they come from and what kind of problem a refusal is. A household
// without an owner or village is the row's problem, not one column's
// (FieldIgnore: no column).
var storeFields = map[string]struct {
	field Field
	kind  ProblemKind
}{
	"households.village_id":     {FieldIgnore, ProblemVillage},
	"households.owner_name":     {FieldIgnore, ProblemNoOwner},
	"households.status":         {FieldStatus, ProblemChoice},
	"households.warning":        {FieldWarning, ProblemChoice},
	"households.area_m2":        {FieldArea, ProblemArea},
	"households.owner_phone":    {FieldOwnerPhone, ProblemPhone},
	"households.tenant_phone":   {FieldTenantPhone, ProblemPhone},
	"residents.name":            {FieldName, ProblemOther},
	"residents.id_number":       {FieldIDNumber, ProblemID},
	"residents.gender":          {FieldGender, ProblemChoice},
	"residents.census_status":   {FieldCensusStatus, ProblemChoice},
	"residents.float_level":     {FieldFloatLevel, ProblemChoice},
	"residents.birth_date":      {FieldBirthDate, ProblemDate},
	"residents.move_in":         {FieldMoveIn, ProblemDate},
	"residents.move_out":        {FieldMoveOut, ProblemDate},
	"residents.phone":           {FieldPhone, ProblemPhone},
	"residents.emergency_phone": {FieldEmergencyPhone, ProblemPhone},
}

// recordProblem is the Problem of a household or resident the store's
// validation refused (prefix names which, in the English text). It is
// classified by the refused field, never by the message's words.
func recordProblem(prefix string, err error) []Problem {
	p := Problem{Kind: ProblemOther, Text: prefix + err.Error()}
	var fe *store.FieldError
	if errors.As(err, &fe) {
		p.Value = fe.Value
		if f, ok := storeFields[fe.Table+"."+fe.Field]; ok {
			p.Kind, p.Column = f.kind, f.field.Label()
		}
	}
	return []Problem{p}
}

// WarningKind says what an imported row's warning is about, in a stable
// word a screen can translate (see ProblemKind).
type WarningKind string

// Warning kinds. A screen should show an unknown kind as a plain "check
// this row".
const (
	// WarnDiffers: a household or person field differs from what an
	// earlier row of the import said (Column, Value; Kept from row Ref).
	WarnDiffers WarningKind = "differs"
	// WarnMoves: a recorded person (Name) moves from household Household
	// to the row's household.
	WarnMoves WarningKind = "moves"
	// WarnTwice: a person (Name) is listed again in another household
	// than row Ref's (Household); row Ref's is kept.
	WarnTwice WarningKind = "twice"
	// WarnOtherDevice: the visit of date Value belongs to another device.
	WarnOtherDevice WarningKind = "other_device"
	// WarnVisitNoDate: 走访人 or 走访情况 without a 走访日期.
	WarnVisitNoDate WarningKind = "visit_no_date"
	// WarnIDGender, WarnIDBirth: 性别 or 出生日期 (Value) contradicts the
	// ID number, whose Kept wins.
	WarnIDGender WarningKind = "id_gender"
	WarnIDBirth  WarningKind = "id_birth"
)

// WarningKinds lists every warning kind.
func WarningKinds() []WarningKind {
	return []WarningKind{WarnDiffers, WarnMoves, WarnTwice, WarnOtherDevice, WarnVisitNoDate, WarnIDGender, WarnIDBirth}
}
