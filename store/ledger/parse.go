package ledger

import (
	"fmt"
	"strings"

	"cunjing/store"
)

// Entry is one ledger row, mapped and normalised. Only the fields the row
// gives are set; an import never blanks a field the ledger leaves empty.
type Entry struct {
	Line        int
	Village     string // village name, when the ledger has a 村 column
	HouseholdNo string
	Household   store.Household // VillageID is not set here
	Resident    store.Resident  // Name "" means a household-only row
	Visit       store.Visit     // Date "" means no visit
	// Key groups rows into households: rows with the same key are one
	// household (see Parse for how rows without household columns join
	// the household above them).
	Key      string
	MaskedID bool      // the ID number was masked (****); match by name
	Warnings []Warning // imported, but the officer should know
	// Skip is why the row is not imported: one Problem per column it
	// cannot read, or one about the row as a whole; empty if it is
	// imported.
	Skip []Problem
}

// Parse maps and normalises every data row of t. A row with any value it
// cannot read is skipped whole, with every problem named, so nothing is
// half-imported; blank rows are reported as skipped too.
func Parse(t *Table, m Mapping) ([]Entry, error) {
	if len(m.Fields) != len(t.Headers) {
		return nil, fmt.Errorf("the mapping has %d columns, the table %d", len(m.Fields), len(t.Headers))
	}
	if err := m.Check(); err != nil {
		return nil, err
	}
	out := make([]Entry, 0, len(t.Rows))
	for _, row := range t.Rows {
		out = append(out, parseRow(t, m, row))
	}
	group(out)
	ownerPhone := false
	for _, f := range m.Fields {
		ownerPhone = ownerPhone || f == FieldOwnerPhone
	}
	if !ownerPhone {
		// Without a 户主电话 column, the head's own phone is the
		// household's phone.
		for i := range out {
			if e := &out[i]; len(e.Skip) == 0 && e.Resident.Relation == "户主" && e.Resident.Name == e.Household.OwnerName {
				e.Household.OwnerPhone = e.Resident.Phone
			}
		}
	}
	return out, nil
}

func parseRow(t *Table, m Mapping, row Row) Entry {
	e := Entry{Line: row.Line}
	if row.Blank() {
		e.Skip = problem(ProblemBlank, "", "blank row")
		return e
	}
	var problems []Problem
	var notes, hhNotes, visitNotes, extras, catsHH []string
	anyValue := false
	hh, r := &e.Household, &e.Resident
	for i, f := range m.Fields {
		if f == FieldIgnore || i >= len(row.Cells) {
			continue
		}
		raw := row.Cells[i]
		v := cleanText(raw)
		if v == "" {
			continue
		}
		anyValue = true
		header := t.Headers[i]
		if header == "" {
			header = fmt.Sprintf("column %d", i+1)
		}
		bad := func(err error) { problems = append(problems, cellProblem(header, err)) }
		phone := func(dst *string, notesTo *[]string) {
			p, rest, err := parsePhones(raw)
			if err != nil {
				bad(err)
				return
			}
			*dst = p
			if len(rest) > 0 {
				*notesTo = append(*notesTo, header+"（其他）："+strings.Join(rest, "、"))
			}
		}
		date := func(dst *string) {
			d, err := parseDate(raw, t.Date1904)
			if err != nil {
				bad(err)
				return
			}
			*dst = d
		}
		enumVal := func(en enum, dst *string) {
			x, err := en.parse(raw)
			if err != nil {
				bad(err)
				return
			}
			*dst = x
		}
		switch f {
		case FieldExtra:
			extras = append(extras, header+"："+v)
			if strings.Contains(header, "政治面貌") && strings.Contains(v, "党员") {
				r.Categories = addCategory(r.Categories, store.CatParty)
			}
		case FieldVillage:
			e.Village = strings.ReplaceAll(v, " ", "")
		case FieldHouseholdNo:
			e.HouseholdNo = strings.ReplaceAll(v, " ", "")
		case FieldDoor:
			hh.DoorNumber = cleanDoor(raw)
		case FieldArea:
			a, err := parseArea(raw)
			if err != nil {
				bad(err)
			}
			hh.AreaM2 = a
		case FieldHHCats:
			for _, c := range parseCategories(raw) {
				catsHH = addCategory(catsHH, c)
			}
		case FieldHHNotes:
			hhNotes = append(hhNotes, v)
		case FieldIDNumber:
			id, masked, err := parseIDNumber(raw)
			if err != nil {
				bad(err)
			}
			r.IDNumber, e.MaskedID = id, masked
		case FieldCategories:
			for _, c := range parseCategories(raw) {
				r.Categories = addCategory(r.Categories, c)
			}
		case FieldNotes:
			notes = append(notes, v)
		case FieldVisitDate:
			date(&e.Visit.Date)
		case FieldVisitOfficer:
			e.Visit.Officer = cleanName(raw)
		case FieldVisitNotes:
			visitNotes = append(visitNotes, v)
		// The columns kept in one text field (textOf), by how a cell is read.
		case FieldAddress, FieldHouseType, FieldHouseUse, FieldStructure, FieldGridCell, FieldHukouAddress, FieldOccupation, FieldReason:
			*textOf(f, hh, r) = v
		case FieldOwnerName, FieldTenantName, FieldName, FieldEmergencyContact:
			*textOf(f, hh, r) = cleanName(raw)
		case FieldRelation:
			r.Relation = cleanRelation(raw)
		case FieldOwnerPhone, FieldTenantPhone:
			phone(textOf(f, hh, r), &hhNotes)
		case FieldPhone, FieldEmergencyPhone:
			phone(textOf(f, hh, r), &notes)
		case FieldBirthDate, FieldMoveIn, FieldMoveOut:
			date(textOf(f, hh, r))
		case FieldStatus, FieldWarning, FieldGender, FieldCensusStatus, FieldFloatLevel:
			enumVal(enumOf[f], textOf(f, hh, r))
		default:
			cat, ok := strings.CutPrefix(string(f), FlagPrefix)
			if !ok || cat == "" {
				bad(fmt.Errorf("unknown field %q", f))
				continue
			}
			yes, err := parseYes(raw)
			if err != nil {
				bad(err)
			} else if yes {
				r.Categories = addCategory(r.Categories, cat)
			}
		}
	}
	if len(problems) > 0 {
		e.Skip = problems
		return e
	}
	if !anyValue {
		e.Skip = problem(ProblemNothing, "", "nothing in the imported columns")
		return e
	}
	hh.Categories = catsHH
	if r.Name == "" {
		// A household-only row: its notes belong to the household.
		hhNotes = append(hhNotes, notes...)
		hhNotes = append(hhNotes, extras...)
		notes, extras = nil, nil
		if len(r.Categories) > 0 {
			for _, c := range r.Categories {
				hh.Categories = addCategory(hh.Categories, c)
			}
			r.Categories = nil
		}
		if r.IDNumber != "" || r.Phone != "" {
			e.Skip = problem(ProblemNoName, "", "the row has an ID number or phone but no 姓名")
			return e
		}
	}
	r.Notes = strings.Join(append(notes, extras...), "；")
	hh.Notes = strings.Join(hhNotes, "；")
	e.Visit.Notes = strings.Join(visitNotes, "；")
	if e.Visit.Date == "" && (e.Visit.Officer != "" || e.Visit.Notes != "") {
		e.Warnings = append(e.Warnings, Warning{Row: e.Line, Kind: WarnVisitNoDate, Column: columnOf(t, m, FieldVisitDate),
			Message: "visit details without a 走访日期 are not imported as a visit"})
		e.Visit = store.Visit{}
	}
	if r.Name != "" && r.Relation == "" && r.Name == hh.OwnerName {
		r.Relation = "户主"
	}
	if r.IDNumber != "" {
		if g := store.IDGender(r.IDNumber); r.Gender != "" && r.Gender != g {
			e.Warnings = append(e.Warnings, idMismatch(t, m, e.Line, WarnIDGender, FieldGender, r.Gender, g))
		}
		if b, err := store.IDBirthDate(r.IDNumber); err == nil && r.BirthDate != "" && r.BirthDate != b.Format("2006-01-02") {
			e.Warnings = append(e.Warnings, idMismatch(t, m, e.Line, WarnIDBirth, FieldBirthDate, r.BirthDate, b.Format("2006-01-02")))
		}
	}
	return e
}

// idMismatch warns that a row's 性别 or 出生日期 contradicts its ID
// number, which the store derives them from.
func idMismatch(t *Table, m Mapping, line int, kind WarningKind, f Field, typed, fromID string) Warning {
	return Warning{Row: line, Kind: kind, Column: columnOf(t, m, f), Value: typed, Kept: fromID,
		Message: fmt.Sprintf("%s %s does not match the ID number (%s); the ID number wins", f.Label(), typed, fromID)}
}

// columnOf is the header of the column mapped to f, so a warning names
// the column as the officer's ledger heads it; the field's label if none.
func columnOf(t *Table, m Mapping, f Field) string {
	for i, mf := range m.Fields {
		if mf == f && i < len(t.Headers) && t.Headers[i] != "" {
			return t.Headers[i]
		}
	}
	return f.Label()
}

// group gives every row its household key. A row that names no household
// (no 户号, 门牌号, 地址 or 户主姓名: members listed under their head, or
// cells merged down the household) joins the household of the row above;
// a head of household's own row names the household after them.
func group(es []Entry) {
	var prev *Entry
	for i := range es {
		e := &es[i]
		if len(e.Skip) > 0 {
			continue
		}
		hh := &e.Household
		named := e.HouseholdNo != "" || hh.DoorNumber != "" || hh.Address != "" || hh.OwnerName != ""
		if !named && e.Resident.Name == "" {
			e.Skip = problem(ProblemNoNameNoHousehold, "", "no 姓名 and no household (门牌号, 地址 or 户主姓名)")
			continue
		}
		if !named {
			if prev == nil {
				e.Skip = problem(ProblemNoHousehold, "", "no household: the row gives no 门牌号, 地址 or 户主姓名, and no row above it does")
				continue
			}
			if e.Village == "" {
				e.Village = prev.Village
			}
			e.HouseholdNo = prev.HouseholdNo
			hh.DoorNumber, hh.Address, hh.OwnerName = prev.Household.DoorNumber, prev.Household.Address, prev.Household.OwnerName
		}
		if hh.OwnerName == "" && e.Resident.Relation == "户主" {
			hh.OwnerName = e.Resident.Name
		}
		if hh.OwnerName == "" && prev != nil && e.HouseholdNo == "" && e.Village == prev.Village &&
			hh.DoorNumber == prev.Household.DoorNumber && hh.Address == prev.Household.Address {
			hh.OwnerName = prev.Household.OwnerName
		}
		if e.Resident.Name != "" && e.Resident.Relation == "" && e.Resident.Name == hh.OwnerName {
			e.Resident.Relation = "户主"
		}
		e.Key = householdKey(e)
		prev = e
	}
	// Members listed before their head have no owner yet: join them to
	// the one household at that door that has one.
	owners := map[string][]string{}
	for _, e := range es {
		if len(e.Skip) == 0 && e.HouseholdNo == "" && e.Household.OwnerName != "" {
			k := placeKey(&e)
			if !contains(owners[k], e.Key) {
				owners[k] = append(owners[k], e.Key)
			}
		}
	}
	for i := range es {
		e := &es[i]
		if len(e.Skip) == 0 && e.HouseholdNo == "" && e.Household.OwnerName == "" {
			if ks := owners[placeKey(e)]; len(ks) == 1 {
				e.Key = ks[0]
				e.Household.OwnerName = ks[0][strings.LastIndexByte(ks[0], '|')+1:]
			}
		}
	}
}

func placeKey(e *Entry) string {
	if e.Household.DoorNumber != "" {
		return e.Village + "|d:" + e.Household.DoorNumber
	}
	return e.Village + "|a:" + e.Household.Address
}

func householdKey(e *Entry) string {
	if e.HouseholdNo != "" {
		return e.Village + "|n:" + e.HouseholdNo
	}
	return placeKey(e) + "|" + e.Household.OwnerName
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
