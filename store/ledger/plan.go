package ledger

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"cunjing/store"
)

// Action is what an import does with one row.
type Action string

// Row actions.
const (
	ActAdd       Action = "add"       // a new resident (or household, for a household-only row)
	ActUpdate    Action = "update"    // an existing record gets new values
	ActUnchanged Action = "unchanged" // everything the row says is already recorded
	ActMerged    Action = "merged"    // the same person (ID number) as an earlier row
	ActSkipped   Action = "skipped"   // not imported; see Problems
)

// RowResult is the outcome of one data row, for the preview table.
type RowResult struct {
	Row       int    `json:"row"`
	Action    Action `json:"action"`
	Household string `json:"household,omitempty"` // door number or address, and the head
	Name      string `json:"name,omitempty"`
	Reason    string `json:"reason,omitempty"` // skipped: why, in English
	// Problems is why a skipped row is, one per cause, for a screen to
	// say in its own words.
	Problems []Problem `json:"problems,omitempty"`
	Into     int       `json:"into,omitempty"` // merged: the row it merged into
}

// Skipped is a row not imported and why.
type Skipped struct {
	Row      int       `json:"row"`
	Reason   string    `json:"reason"` // in English, for logs and scripts
	Problems []Problem `json:"problems"`
}

// Merged is a row that named a person already given by an earlier row.
type Merged struct {
	Row  int `json:"row"`
	Into int `json:"into"`
}

// Warning is something imported the officer should check. Message is
// in English for logs and scripts; Kind and the fields it uses (see the
// WarningKind constants) are for a screen to say it in its own words.
type Warning struct {
	Row       int         `json:"row"`
	Message   string      `json:"message"`
	Kind      WarningKind `json:"kind"`
	Column    string      `json:"column,omitempty"`    // the field it concerns
	Value     string      `json:"value,omitempty"`     // what this row says
	Kept      string      `json:"kept,omitempty"`      // what is imported instead
	Ref       int         `json:"ref_row,omitempty"`   // the earlier row it refers to
	Name      string      `json:"name,omitempty"`      // the person it concerns
	Household string      `json:"household,omitempty"` // the other household
}

// Report sums up an import. Every data row is counted exactly once in
// Added, Updated, Unchanged, Merged or Skipped.
type Report struct {
	Rows              int       `json:"rows"`
	Added             int       `json:"added"`
	Updated           int       `json:"updated"`
	Unchanged         int       `json:"unchanged"`
	Merged            []Merged  `json:"merged"`
	Skipped           []Skipped `json:"skipped"`
	Warnings          []Warning `json:"warnings"`
	HouseholdsAdded   int       `json:"households_added"`
	HouseholdsUpdated int       `json:"households_updated"`
	VisitsAdded       int       `json:"visits_added"`
	VisitsUpdated     int       `json:"visits_updated"`
	// MaskedIDs counts rows whose ID number was masked (****, from a
	// masked export): those people were matched by name and keep the ID
	// number on record.
	MaskedIDs int  `json:"masked_ids"`
	Committed bool `json:"committed"`
}

// env is what planning needs to know about the importing device.
type env struct {
	device    string
	station   bool
	villageID string // for rows naming no village
}

type hhPlan struct {
	rec   store.Household
	orig  *store.Household // nil: new
	setBy map[string]int
	lead  int // first row of the household
	rows  int // rows imported into it
	label string
}

type resPlan struct {
	rec   store.Resident
	orig  *store.Resident
	hh    *hhPlan
	setBy map[string]int
	first int
}

type visitPlan struct {
	rec  store.Visit
	orig *store.Visit
	hh   *hhPlan
}

// planned is the outcome of matching parsed rows against the records.
type planned struct {
	rows       []RowResult
	report     Report
	households []*hhPlan
	residents  []*resPlan
	visits     []*visitPlan
}

// index is LedgerData arranged for matching.
type index struct {
	villageByName map[string]string
	houseByDoor   map[string]string // village|number → house ID
	houseNumber   map[string]string // house ID → number
	hhByDoorOwner map[string]*store.Household
	hhByAddrOwner map[string]*store.Household
	hhByDoor      map[string][]*store.Household
	hhByOwner     map[string][]*store.Household
	hhByID        map[string]*store.Household
	resByID       map[string]*store.Resident // ID number →
	resByHH       map[string][]*store.Resident
	visitsByHH    map[string][]*store.Visit
}

func newIndex(d *LedgerData) *index {
	ix := &index{
		villageByName: map[string]string{}, houseByDoor: map[string]string{}, houseNumber: map[string]string{},
		hhByDoorOwner: map[string]*store.Household{}, hhByAddrOwner: map[string]*store.Household{},
		hhByDoor: map[string][]*store.Household{}, hhByOwner: map[string][]*store.Household{}, hhByID: map[string]*store.Household{},
		resByID: map[string]*store.Resident{}, resByHH: map[string][]*store.Resident{}, visitsByHH: map[string][]*store.Visit{},
	}
	for _, v := range d.Villages {
		n := strings.ReplaceAll(cleanText(v.Name), " ", "")
		if _, dup := ix.villageByName[n]; !dup {
			ix.villageByName[n] = v.ID
		}
	}
	for _, h := range d.Houses {
		ix.houseNumber[h.ID] = h.Number
		for _, n := range append([]string{h.Number}, h.History...) {
			k := h.VillageID + "|" + cleanDoor(n)
			if _, dup := ix.houseByDoor[k]; !dup || n == h.Number {
				ix.houseByDoor[k] = h.ID
			}
		}
	}
	for i := range d.Households {
		h := &d.Households[i]
		ix.hhByID[h.ID] = h
		door, owner := effectiveDoor(h, ix.houseNumber), cleanName(h.OwnerName)
		if door != "" && owner != "" {
			setFirst(ix.hhByDoorOwner, h.VillageID+"|"+door+"|"+owner, h)
		}
		if a := cleanText(h.Address); a != "" && owner != "" {
			setFirst(ix.hhByAddrOwner, h.VillageID+"|"+a+"|"+owner, h)
		}
		if door != "" {
			ix.hhByDoor[h.VillageID+"|"+door] = append(ix.hhByDoor[h.VillageID+"|"+door], h)
		}
		if owner != "" {
			ix.hhByOwner[h.VillageID+"|"+owner] = append(ix.hhByOwner[h.VillageID+"|"+owner], h)
		}
	}
	for i := range d.Residents {
		r := &d.Residents[i]
		if r.IDNumber != "" {
			setFirst(ix.resByID, r.IDNumber, r)
		}
		ix.resByHH[r.HouseholdID] = append(ix.resByHH[r.HouseholdID], r)
	}
	for i := range d.Visits {
		v := &d.Visits[i]
		ix.visitsByHH[v.HouseholdID] = append(ix.visitsByHH[v.HouseholdID], v)
	}
	return ix
}

// effectiveDoor is a household's door number, or the number of the house
// it is linked to (households recorded on the map often leave the door
// number to the house).
func effectiveDoor(h *store.Household, houseNumber map[string]string) string {
	if d := cleanDoor(h.DoorNumber); d != "" {
		return d
	}
	return cleanDoor(houseNumber[h.HouseID])
}

func setFirst[T any](m map[string]*T, k string, v *T) {
	if _, ok := m[k]; !ok {
		m[k] = v
	}
}

// planner carries the state of one planning pass.
type planner struct {
	env        env
	ix         *index
	out        *planned
	hhByKey    map[string]*hhPlan // existing household ID or new-household key →
	resByIDNum map[string]*resPlan
	resByOrig  map[string]*resPlan
	newByHH    map[*hhPlan][]*resPlan
	visitByKey map[string]*visitPlan
	results    map[int]*RowResult
	warnings   []Warning
}

// plan matches parsed rows to the records in d. It is a pure function of
// its inputs, so Commit can run it again inside the write transaction and
// write exactly what the preview showed.
func plan(entries []Entry, d *LedgerData, e env) *planned {
	p := &planner{
		env: e, ix: newIndex(d), out: &planned{},
		hhByKey: map[string]*hhPlan{}, resByIDNum: map[string]*resPlan{}, resByOrig: map[string]*resPlan{},
		newByHH: map[*hhPlan][]*resPlan{}, visitByKey: map[string]*visitPlan{}, results: map[int]*RowResult{},
	}
	p.out.rows = make([]RowResult, len(entries))
	for i := range entries {
		if entries[i].MaskedID && len(entries[i].Skip) == 0 {
			p.out.report.MaskedIDs++
		}
		p.out.rows[i] = RowResult{Row: entries[i].Line, Name: entries[i].Resident.Name}
		p.results[entries[i].Line] = &p.out.rows[i]
		p.warnings = append(p.warnings, entries[i].Warnings...)
	}
	// Rows of one household, in file order of their first row.
	var keys []string
	groups := map[string][]*Entry{}
	for i := range entries {
		en := &entries[i]
		if len(en.Skip) > 0 {
			p.skip(en.Line, en.Skip)
			continue
		}
		if _, ok := groups[en.Key]; !ok {
			keys = append(keys, en.Key)
		}
		groups[en.Key] = append(groups[en.Key], en)
	}
	for _, k := range keys {
		p.household(groups[k])
	}
	p.finish()
	return p.out
}

func (p *planner) skip(line int, why []Problem) {
	r := p.results[line]
	r.Action, r.Reason, r.Problems = ActSkipped, reasonOf(why), why
}

func (p *planner) skipAll(es []*Entry, why []Problem) {
	for _, e := range es {
		p.skip(e.Line, why)
	}
}

// villageOf is the village ID of a row, or why it has none.
func (p *planner) villageOf(e *Entry) (string, []Problem) {
	if e.Village == "" {
		if p.env.villageID == "" {
			return "", problem(ProblemVillage, "", "the row names no village and no village was chosen for the import")
		}
		return p.env.villageID, nil
	}
	if id, ok := p.ix.villageByName[e.Village]; ok {
		return id, nil
	}
	why := problem(ProblemVillage, e.Village, "unknown village %q: create it first (or correct the 村 column)", e.Village)
	why[0].Column = FieldVillage.Label()
	return "", why
}

func (p *planner) mayWrite(owner string) bool {
	return owner == "" || owner == p.env.device || p.env.station
}

// household plans one household's rows.
func (p *planner) household(es []*Entry) {
	first := es[0]
	vid, why := p.villageOf(first)
	if why != nil {
		p.skipAll(es, why)
		return
	}
	door, addr, owner := first.Household.DoorNumber, first.Household.Address, first.Household.OwnerName
	ex := p.matchHousehold(vid, door, addr, owner, es)
	var hp *hhPlan
	key := vid + "|" + first.Key
	if ex != nil {
		key = ex.ID
	}
	if hp = p.hhByKey[key]; hp == nil {
		hp = &hhPlan{setBy: map[string]int{}, lead: first.Line}
		if ex != nil {
			if !p.mayWrite(ex.Owner) {
				p.skipAll(es, problem(ProblemOtherDevice, describe(ex), "household %s belongs to another device (%s)", describe(ex), ex.Owner))
				return
			}
			orig := *ex
			hp.orig, hp.rec = &orig, *ex
			hp.rec.Categories = append([]string(nil), ex.Categories...)
		} else {
			hp.rec = store.Household{VillageID: vid}
		}
	}
	// The household fields of every row, first row first; a later row
	// that disagrees is reported, not silently taken.
	try := hp.rec
	try.Categories = append([]string(nil), hp.rec.Categories...)
	setBy := cloneMap(hp.setBy)
	for _, e := range es {
		p.mergeHousehold(&try, setBy, e)
	}
	if hp.orig != nil && hp.orig.DoorNumber == "" && try.DoorNumber == cleanDoor(p.ix.houseNumber[hp.orig.HouseID]) {
		try.DoorNumber = "" // the house already carries that number
	}
	if try.HouseID == "" && try.DoorNumber != "" {
		try.HouseID = p.ix.houseByDoor[vid+"|"+try.DoorNumber]
	}
	check := try
	if err := check.Validate(); err != nil {
		p.skipAll(es, recordProblem("household: ", err))
		return
	}
	hp.rec, hp.setBy = check, setBy
	if p.hhByKey[key] == nil {
		p.hhByKey[key] = hp
		p.out.households = append(p.out.households, hp)
	}
	hp.label = describe(&hp.rec)
	for _, e := range es {
		p.results[e.Line].Household = hp.label
		if e.Resident.Name == "" {
			p.results[e.Line].Action = ActUnchanged // settled in finish
			hp.rows++
		} else {
			p.resident(hp, e)
		}
		if e.Visit.Date != "" && p.results[e.Line].Action != ActSkipped {
			p.visit(hp, e)
		}
	}
}

func describe(h *store.Household) string {
	place := h.DoorNumber
	if place == "" {
		place = h.Address
	}
	if h.OwnerName == "" {
		return place
	}
	return strings.TrimSpace(place + " " + h.OwnerName)
}

func cloneMap(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// matchHousehold finds the recorded household a group of rows is: same
// door and head, same address and head, the household a listed person's
// ID number is recorded in, or the only household at that door.
func (p *planner) matchHousehold(vid, door, addr, owner string, es []*Entry) *store.Household {
	ix := p.ix
	if door != "" && owner != "" {
		if h := ix.hhByDoorOwner[vid+"|"+door+"|"+owner]; h != nil {
			return h
		}
	}
	if addr != "" && owner != "" {
		if h := ix.hhByAddrOwner[vid+"|"+addr+"|"+owner]; h != nil {
			return h
		}
	}
	for _, e := range es {
		if e.Resident.IDNumber == "" {
			continue
		}
		if r := ix.resByID[e.Resident.IDNumber]; r != nil {
			if h := ix.hhByID[r.HouseholdID]; h != nil && h.VillageID == vid &&
				(owner == "" || h.OwnerName == "" || cleanName(h.OwnerName) == owner) &&
				(door == "" || effectiveDoor(h, ix.houseNumber) == "" || effectiveDoor(h, ix.houseNumber) == door) {
				return h
			}
		}
	}
	if door != "" {
		if hs := ix.hhByDoor[vid+"|"+door]; len(hs) == 1 && (owner == "" || hs[0].OwnerName == "") {
			return hs[0]
		}
	}
	if door == "" && addr == "" && owner != "" {
		if hs := ix.hhByOwner[vid+"|"+owner]; len(hs) == 1 {
			return hs[0]
		}
	}
	return nil
}

// setStr sets *dst to v unless v is empty or an earlier row of this
// import already set the field to something else (then it warns).
func (p *planner) setStr(setBy map[string]int, line int, label string, dst *string, v string) {
	if v == "" {
		return
	}
	prev, seen := setBy[label]
	if *dst == v {
		if !seen {
			setBy[label] = line
		}
		return
	}
	if seen && prev != line {
		p.warnings = append(p.warnings, Warning{Row: line, Kind: WarnDiffers, Column: label, Value: v, Kept: *dst, Ref: prev,
			Message: fmt.Sprintf("%s %q differs from row %d (%q); kept row %d's", label, v, prev, *dst, prev)})
		return
	}
	*dst = v
	setBy[label] = line
}

// mergeText is setStr for each of fields, text columns (textOf) of the
// household h or the resident r, from row e, under the column's label.
func (p *planner) mergeText(setBy map[string]int, e *Entry, h *store.Household, r *store.Resident, fields ...Field) {
	for _, f := range fields {
		if v := *textOf(f, &e.Household, &e.Resident); v != "" {
			p.setStr(setBy, e.Line, f.Label(), textOf(f, h, r), v)
		}
	}
}

// addNotes: the first row of this import that has notes replaces what
// is recorded (the ledger is the newer word); later rows about the same
// record add theirs.
func (p *planner) addNotes(setBy map[string]int, line int, label string, dst *string, v string) {
	if v == "" {
		return
	}
	if _, seen := setBy[label]; !seen {
		*dst = v
		setBy[label] = line
		return
	}
	for _, part := range strings.Split(v, "；") {
		if !strings.Contains(*dst, part) {
			*dst += "；" + part
		}
	}
}

func (p *planner) mergeHousehold(h *store.Household, setBy map[string]int, e *Entry) {
	src, l := &e.Household, e.Line
	p.setStr(setBy, l, "门牌号", &h.DoorNumber, src.DoorNumber)
	p.mergeText(setBy, e, h, nil, FieldAddress, FieldOwnerName, FieldOwnerPhone, FieldHouseType, FieldHouseUse)
	if src.AreaM2 > 0 {
		a := fmt.Sprint(h.AreaM2)
		p.setStr(setBy, l, "面积", &a, fmt.Sprint(src.AreaM2))
		if a == fmt.Sprint(src.AreaM2) {
			h.AreaM2 = src.AreaM2
		}
	}
	p.mergeText(setBy, e, h, nil, FieldStructure, FieldStatus, FieldTenantName, FieldTenantPhone, FieldGridCell, FieldWarning)
	p.addNotes(setBy, l, "户备注", &h.Notes, src.Notes)
	for _, c := range src.Categories {
		h.Categories = addCategory(h.Categories, c)
	}
	// A person's category marks the household on the map and in the
	// household list (a 留守老人 household, a 党员 household).
	for _, c := range e.Resident.Categories {
		h.Categories = addCategory(h.Categories, c)
	}
}

func (p *planner) mergeResident(r *store.Resident, setBy map[string]int, e *Entry) {
	src, l := &e.Resident, e.Line
	p.mergeText(setBy, e, nil, r, FieldName)
	p.setStr(setBy, l, "身份证号", &r.IDNumber, src.IDNumber)
	if src.IDNumber == "" && r.IDNumber == "" {
		// Without an ID number, which the store derives them from.
		p.mergeText(setBy, e, nil, r, FieldGender, FieldBirthDate)
	}
	p.mergeText(setBy, e, nil, r, FieldPhone, FieldHukouAddress, FieldRelation, FieldCensusStatus, FieldOccupation, FieldReason,
		FieldMoveIn, FieldMoveOut, FieldFloatLevel, FieldEmergencyContact, FieldEmergencyPhone)
	p.addNotes(setBy, l, "备注", &r.Notes, src.Notes)
	for _, c := range src.Categories {
		r.Categories = addCategory(r.Categories, c)
	}
}

// resident plans one person row of household hp.
func (p *planner) resident(hp *hhPlan, e *Entry) {
	res := p.results[e.Line]
	src := &e.Resident
	var rp *resPlan
	if src.IDNumber != "" {
		if prev := p.resByIDNum[src.IDNumber]; prev != nil {
			rp = prev
		} else if ex := p.ix.resByID[src.IDNumber]; ex != nil {
			rp = p.existing(ex)
		}
	}
	if rp == nil {
		rp = p.byName(hp, e)
	}
	if rp != nil && !p.mayWrite(rp.rec.Owner) {
		p.skip(e.Line, problem(ProblemOtherDevice, rp.rec.Name, "resident %s belongs to another device (%s)", rp.rec.Name, rp.rec.Owner))
		return
	}
	isNew := rp == nil
	if isNew {
		rp = &resPlan{hh: hp, setBy: map[string]int{}}
	}
	try := rp.rec
	try.Categories = append([]string(nil), rp.rec.Categories...)
	setBy := cloneMap(rp.setBy)
	p.mergeResident(&try, setBy, e)
	if err := try.Validate(); err != nil {
		p.skip(e.Line, recordProblem("resident: ", err))
		return
	}
	rp.rec, rp.setBy = try, setBy
	if rp.first == 0 {
		if rp.orig != nil && (hp.orig == nil || rp.orig.HouseholdID != hp.orig.ID) {
			from := p.labelOf(rp.orig.HouseholdID)
			p.warnings = append(p.warnings, Warning{Row: e.Line, Kind: WarnMoves, Name: try.Name, Household: from,
				Message: fmt.Sprintf("%s moves from household %s to %s", try.Name, from, hp.label)})
		}
		rp.hh = hp
	} else if rp.hh != hp {
		p.warnings = append(p.warnings, Warning{Row: e.Line, Kind: WarnTwice, Name: try.Name, Household: rp.hh.label, Ref: rp.first,
			Message: fmt.Sprintf("%s is also listed in household %s (row %d); kept row %d's household", try.Name, rp.hh.label, rp.first, rp.first)})
	}
	hp.rows++
	if rp.first != 0 {
		res.Action, res.Into = ActMerged, rp.first
		return
	}
	rp.first = e.Line
	if isNew {
		p.out.residents = append(p.out.residents, rp)
		p.newByHH[hp] = append(p.newByHH[hp], rp)
	}
	if rp.rec.IDNumber != "" {
		p.resByIDNum[rp.rec.IDNumber] = rp
	}
}

func (p *planner) labelOf(hhID string) string {
	if h := p.ix.hhByID[hhID]; h != nil {
		return describe(h)
	}
	return hhID
}

// existing wraps a recorded resident in a plan (once per import).
func (p *planner) existing(ex *store.Resident) *resPlan {
	if rp := p.resByOrig[ex.ID]; rp != nil {
		return rp
	}
	orig := *ex
	rp := &resPlan{rec: *ex, orig: &orig, setBy: map[string]int{}}
	rp.rec.Categories = append([]string(nil), ex.Categories...)
	p.resByOrig[ex.ID] = rp
	p.out.residents = append(p.out.residents, rp)
	return rp
}

// byName matches a row to a person of the household recorded without
// the ID number the row gives (or a row without an ID number to a
// recorded person), by name and, when both have one, birth date. Each
// recorded person is claimed once per import, so two people of the same
// name without ID numbers stay two.
func (p *planner) byName(hp *hhPlan, e *Entry) *resPlan {
	src := &e.Resident
	fits := func(r *store.Resident) bool {
		if cleanName(r.Name) != src.Name {
			return false
		}
		if src.IDNumber != "" && r.IDNumber != "" && r.IDNumber != src.IDNumber {
			return false
		}
		return src.BirthDate == "" || r.BirthDate == "" || src.BirthDate == r.BirthDate
	}
	if hp.orig != nil {
		for _, r := range p.ix.resByHH[hp.orig.ID] {
			if !fits(r) {
				continue
			}
			if claimed := p.resByOrig[r.ID]; claimed != nil && claimed.first != 0 {
				continue
			}
			return p.existing(r)
		}
	}
	return nil
}

// visit plans the row's visit (one per household and date).
func (p *planner) visit(hp *hhPlan, e *Entry) {
	k := fmt.Sprintf("%p|%s", hp, e.Visit.Date)
	vp := p.visitByKey[k]
	if vp == nil {
		vp = &visitPlan{hh: hp, rec: store.Visit{Date: e.Visit.Date}}
		if hp.orig != nil {
			for _, v := range p.ix.visitsByHH[hp.orig.ID] {
				if v.Date == e.Visit.Date && (e.Visit.Officer == "" || v.Officer == "" || v.Officer == e.Visit.Officer) {
					orig := *v
					vp.rec, vp.orig = *v, &orig
					break
				}
			}
		}
		if vp.orig != nil && !p.mayWrite(vp.orig.Owner) {
			p.warnings = append(p.warnings, Warning{Row: e.Line, Kind: WarnOtherDevice, Column: FieldVisitDate.Label(), Value: e.Visit.Date,
				Message: "the visit of " + e.Visit.Date + " belongs to another device; not changed"})
			return
		}
		p.visitByKey[k] = vp
		p.out.visits = append(p.out.visits, vp)
	}
	if e.Visit.Officer != "" && vp.rec.Officer == "" {
		vp.rec.Officer = e.Visit.Officer
	}
	if e.Visit.Notes != "" && !strings.Contains(vp.rec.Notes, e.Visit.Notes) {
		vp.rec.Notes = strings.TrimPrefix(vp.rec.Notes+"；"+e.Visit.Notes, "；")
	}
}

// finish links residents to households, decides every row's action and
// counts the report.
func (p *planner) finish() {
	hhChanged := map[*hhPlan]bool{}
	for _, hp := range p.out.households {
		hhChanged[hp] = hp.orig == nil || !sameHousehold(&hp.rec, hp.orig)
	}
	resChanged := map[*resPlan]bool{}
	for _, rp := range p.out.residents {
		if rp.hh == nil {
			continue // matched but every row of it was skipped
		}
		rp.rec.HouseholdID = rp.hh.rec.ID
		resChanged[rp] = rp.orig == nil || !sameResident(&rp.rec, rp.orig)
	}
	leads := map[int]*hhPlan{}
	for _, hp := range p.out.households {
		leads[hp.lead] = hp
	}
	firsts := map[int]*resPlan{}
	for _, rp := range p.out.residents {
		if rp.first != 0 {
			firsts[rp.first] = rp
		}
	}
	for i := range p.out.rows {
		row := &p.out.rows[i]
		if row.Action == ActSkipped || row.Action == ActMerged {
			continue
		}
		hp, rp := leads[row.Row], firsts[row.Row]
		switch {
		case rp != nil && rp.orig == nil:
			row.Action = ActAdd
		case rp != nil && resChanged[rp]:
			row.Action = ActUpdate
		case hp != nil && hp.orig == nil && rp == nil:
			row.Action = ActAdd
		case hp != nil && hhChanged[hp]:
			row.Action = ActUpdate
		default:
			row.Action = ActUnchanged
		}
	}
	rep := &p.out.report
	rep.Rows = len(p.out.rows)
	for _, row := range p.out.rows {
		switch row.Action {
		case ActAdd:
			rep.Added++
		case ActUpdate:
			rep.Updated++
		case ActUnchanged:
			rep.Unchanged++
		case ActMerged:
			rep.Merged = append(rep.Merged, Merged{Row: row.Row, Into: row.Into})
		case ActSkipped:
			rep.Skipped = append(rep.Skipped, Skipped{Row: row.Row, Reason: row.Reason, Problems: row.Problems})
		}
	}
	for _, hp := range p.out.households {
		switch {
		case hp.rows == 0:
		case hp.orig == nil:
			rep.HouseholdsAdded++
		case hhChanged[hp]:
			rep.HouseholdsUpdated++
		}
	}
	for _, vp := range p.out.visits {
		switch {
		case vp.orig == nil:
			rep.VisitsAdded++
		case !reflect.DeepEqual(vp.rec, *vp.orig):
			rep.VisitsUpdated++
		}
	}
	sort.SliceStable(p.warnings, func(i, j int) bool { return p.warnings[i].Row < p.warnings[j].Row })
	// The JSON report lists none as [], not null.
	rep.Merged, rep.Skipped, rep.Warnings = orEmpty(rep.Merged), orEmpty(rep.Skipped), orEmpty(p.warnings)
}

// orEmpty is s, or an empty slice for nil.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func sameHousehold(a, b *store.Household) bool {
	x, y := *a, *b
	x.Categories, y.Categories = nilIfEmpty(x.Categories), nilIfEmpty(y.Categories)
	return reflect.DeepEqual(x, y)
}

func sameResident(a, b *store.Resident) bool {
	x, y := *a, *b
	x.Categories, y.Categories = nilIfEmpty(x.Categories), nilIfEmpty(y.Categories)
	return reflect.DeepEqual(x, y)
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}
