package households

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/maps/numbering"
	"cunjing/store"
)

// householdActions are the buttons the household detail offers; nil
// hides them (a read-only detail).
type householdActions struct {
	edit, remove, addResident, addVisit, showOnMap func()
	history                                        func() // 修改记录
	editResident, removeResident, residentHistory  func(store.Resident)
	editVisit, removeVisit                         func(store.Visit)
}

// allCategories are every category a household or resident may carry, in
// the order the forms offer them.
func allCategories() []kit.Value {
	return append(append([]kit.Value(nil), kit.FilterCategories...), kit.OtherCategories...)
}

// actionsFor wires the detail's buttons to the forms.
func (h *Screen) actionsFor(row store.HouseholdRow, rs []store.Resident) *householdActions {
	a := &householdActions{
		edit:        func() { h.editHousehold(row.Household) },
		addResident: func() { h.editResident(row, store.Resident{Meta: h.newUnder(row), HouseholdID: row.ID}) },
		addVisit:    func() { h.editVisit(row, store.Visit{Meta: h.newUnder(row), HouseholdID: row.ID}) },
		remove: func() {
			what := fmt.Sprintf(lang.L("households.hh.deleteWhat"), householdName(row), len(rs))
			h.u.ConfirmDelete(what, func() { h.removeHousehold(row.ID) })
		},
		history:      func() { h.showHistory("households", row.ID, householdName(row)) },
		editResident: func(r store.Resident) { h.editResident(row, r) },
		residentHistory: func(r store.Resident) {
			h.showHistory("residents", r.ID, r.Name)
		},
		removeResident: func(r store.Resident) {
			h.u.ConfirmDelete(r.Name, func() { h.removeRecord(row.ID, &store.Resident{}, r.ID) })
		},
		editVisit: func(v store.Visit) { h.editVisit(row, v) },
		removeVisit: func(v store.Visit) {
			h.u.ConfirmDelete(kit.JoinNonEmpty(v.Date, v.Officer), func() { h.removeRecord(row.ID, &store.Visit{}, v.ID) })
		},
	}
	// 地图 is another area's; the window takes us there.
	if row.HouseID != "" {
		a.showOnMap = func() { h.u.ShowHouseOnMap(row.HouseID) }
	}
	return a
}

// householdName names a household the way the list heads it: "203号  王建国".
func householdName(row store.HouseholdRow) string {
	num := row.HouseNumber
	if num == "" {
		num = row.DoorNumber
	}
	if num == "" {
		return kit.JoinNonEmpty(row.OwnerName, row.Address)
	}
	return fmt.Sprintf(lang.L("households.title"), num, row.OwnerName)
}

// householdToolbar is the row of buttons above a household's details.
func householdToolbar(a *householdActions) fyne.CanvasObject {
	edit := widget.NewButtonWithIcon(lang.L("households.hh.edit"), theme.DocumentCreateIcon(), a.edit)
	addR := widget.NewButtonWithIcon(lang.L("households.hh.addResident"), theme.ContentAddIcon(), a.addResident)
	addV := widget.NewButtonWithIcon(lang.L("households.hh.addVisit"), theme.ContentAddIcon(), a.addVisit)
	del := widget.NewButtonWithIcon(lang.L("roster.delete"), theme.DeleteIcon(), a.remove)
	box := container.NewHBox(edit, addR, addV)
	if a.showOnMap != nil {
		box.Add(widget.NewButtonWithIcon(lang.L("households.hh.onMap"), theme.GridIcon(), a.showOnMap))
	}
	box.Add(widget.NewButtonWithIcon(lang.L("history.button"), theme.HistoryIcon(), a.history))
	box.Add(layout.NewSpacer())
	box.Add(del)
	return box
}

// withButtons puts small edit and delete buttons beside o, and a
// 修改记录 one when history is set.
func withButtons(o fyne.CanvasObject, edit, remove func(), history ...func()) fyne.CanvasObject {
	e := widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), edit)
	d := widget.NewButtonWithIcon("", theme.DeleteIcon(), remove)
	col := container.NewVBox(e, d)
	for _, f := range history {
		col.Add(widget.NewButtonWithIcon("", theme.HistoryIcon(), f))
	}
	return container.NewBorder(nil, nil, nil, col, o)
}

// openForm shows a form in the detail pane; 取消 goes back to the
// household (or the hint when there is none yet).
func (h *Screen) openForm(f *kit.EditForm) {
	h.form = f
	h.detail.Objects = []fyne.CanvasObject{f.Object()}
	h.detail.Refresh()
}

// backToDetail reloads the list and shows household id (none: the hint).
func (h *Screen) backToDetail(id string) {
	h.form = nil
	h.schedule(0)
	if id == "" {
		h.showHint()
		return
	}
	h.mu.Lock()
	h.selected = id
	h.mu.Unlock()
	var row store.HouseholdRow
	kit.Load(h.u, func(ctx context.Context) (err error) {
		row, err = h.u.Store().HouseholdRowByID(ctx, id)
		return err
	}, func() { h.showDetail(row) })
}

// OpenHouse shows the household living in a house (the map's 查看住户
// comes here). A house with nobody recorded opens a new household form
// for it; a house with several households shows the first and lists the
// others by searching its number.
func (h *Screen) OpenHouse(houseID string) {
	u := h.u
	var hs []store.Household
	var house store.House
	kit.Load(u, func(ctx context.Context) (err error) {
		if hs, err = u.Store().HouseholdsOfHouse(ctx, houseID); err != nil {
			return err
		}
		return u.Store().Get(ctx, &house, houseID)
	}, func() {
		switch len(hs) {
		case 0:
			h.editHousehold(store.Household{VillageID: house.VillageID, HouseID: house.ID, DoorNumber: house.Number})
		case 1:
			h.backToDetail(hs[0].ID)
		default:
			h.search.SetText(house.Number)
			h.backToDetail(hs[0].ID)
		}
	})
}

// saveValid saves a form's record once the form's own checks passed (ok)
// and the record validates, then shows household id's detail. It validates
// here so every problem shows at once next to its field before anything is
// written.
func (h *Screen) saveValid(f *kit.EditForm, ok bool, rec store.Record, id func() string) {
	if !ok {
		f.RevealProblem()
		return
	}
	if err := rec.Validate(); err != nil {
		h.u.SaveFailed(f, err)
		return
	}
	kit.Save(h.u, f, func(ctx context.Context) error { return h.u.Store().Save(ctx, rec) },
		func() { h.backToDetail(id()) })
}

// removeHousehold tombstones a household with its residents and visits,
// in one transaction.
func (h *Screen) removeHousehold(id string) {
	kit.Save(h.u, nil, func(ctx context.Context) error {
		return h.u.Store().Update(ctx, func(tx *store.Tx) error { return tx.DeleteHousehold(id) })
	}, func() {
		h.mu.Lock()
		h.selected = ""
		h.mu.Unlock()
		h.backToDetail("")
	})
}

func (h *Screen) removeRecord(householdID string, rec store.Record, id string) {
	kit.Save(h.u, nil, func(ctx context.Context) error {
		return h.u.Store().Update(ctx, func(tx *store.Tx) error { return tx.Delete(rec, id) })
	}, func() { h.backToDetail(householdID) })
}

// phoneEntry is an entry that says at once when what is typed is not a
// phone number.
func phoneEntry(f *kit.EditForm, field, label, text string) *kit.Entry {
	e := f.Entry(field, label, text)
	e.SetPlaceHolder(lang.L("households.hh.phoneHint"))
	check := func() bool {
		if s := strings.TrimSpace(e.Text); s != "" {
			if _, err := store.NormalisePhone(s); err != nil {
				f.SetError(field, lang.L("roster.err.phone"))
				return false
			}
		}
		f.SetError(field, "")
		return true
	}
	e.OnChanged = func(string) { check() }
	f.AddCheck(check)
	return e
}

// radio is a horizontal choice of stored words, "" allowed when none is
// picked.
func radio(vals []kit.Value, cur string) *widget.RadioGroup {
	opts := make([]string, len(vals))
	for i, v := range vals {
		opts[i] = lang.L(v.Key)
	}
	r := widget.NewRadioGroup(opts, nil)
	r.Horizontal = true
	for _, v := range vals {
		if v.V == cur {
			r.SetSelected(lang.L(v.Key))
		}
	}
	return r
}

func radioValue(r *widget.RadioGroup, vals []kit.Value) string {
	for _, v := range vals {
		if lang.L(v.Key) == r.Selected {
			return v.V
		}
	}
	return ""
}

// categoryChecks ticks the stored categories among cats (allCategories
// for a household, kit.PersonCategories for a resident).
func categoryChecks(cats []kit.Value, cur []string) *kit.MultiCheck {
	var opts, on []string
	for _, c := range cats {
		opts = append(opts, lang.L(c.Key))
		for _, x := range cur {
			if x == c.V {
				on = append(on, lang.L(c.Key))
			}
		}
	}
	g := kit.NewMultiCheck(opts, 5, nil)
	g.Selected = on
	g.Refresh()
	return g
}

// checkedCategories reads the ticks back, keeping stored categories the
// form does not offer (a newer version's, or the station's).
func checkedCategories(cats []kit.Value, g *kit.MultiCheck, old []string) []string {
	on := map[string]bool{}
	for _, s := range g.Selected {
		on[s] = true
	}
	known := map[string]bool{}
	var out []string
	for _, c := range cats {
		known[c.V] = true
		if on[lang.L(c.Key)] {
			out = append(out, c.V)
		}
	}
	for _, x := range old {
		if !known[x] {
			out = append(out, x)
		}
	}
	return out
}

// householdForm is the form of one household.
type householdForm struct {
	h    *Screen
	rec  store.Household
	form *kit.EditForm

	village   *widget.Select
	house     *widget.Select
	address   *kit.Entry
	door      *kit.Entry
	houseType *kit.SelectEntry
	houseUse  *kit.SelectEntry
	area      *kit.Entry
	structure *widget.SelectEntry
	owner     *kit.Entry
	ownerTel  *kit.Entry
	status    *widget.RadioGroup
	tenant    *kit.Entry
	tenantTel *kit.Entry
	grid      *kit.Entry
	cats      *kit.MultiCheck
	warning   *widget.RadioGroup
	notes     *kit.Entry

	villages []store.Village
	houses   []store.House // of the chosen village
}

func (h *Screen) editHousehold(hh store.Household) {
	if hh.ID == "" && h.enteredAtPost() {
		return
	}
	h.mu.Lock()
	villages := h.villages
	h.mu.Unlock()
	e := &householdForm{h: h, rec: hh, form: kit.NewEditForm(), villages: villages}
	f := e.form
	f.Owner = e
	f.Title(hh.ID, kit.JoinNonEmpty(hh.OwnerName, hh.Address), "households.hh.newTitle", "households.hh.editTitle")
	var vnames []string
	for _, v := range villages {
		vnames = append(vnames, v.Name)
	}
	e.village = kit.NewSelect(vnames, func(string) { e.loadHouses() })
	f.Add("village_id", lang.L("households.hh.village"), e.village)
	e.house = kit.NewSelect([]string{lang.L("households.hh.noHouse")}, nil)
	f.Add("house_id", lang.L("households.hh.house"), e.house)
	e.address = f.Entry("address", lang.L("hh.address"), hh.Address)
	e.door = f.Entry("door_number", lang.L("hh.door"), hh.DoorNumber)
	e.houseType = kit.NewSelectEntry(strings.Split(lang.L("households.hh.houseTypes"), "、"))
	e.houseType.SetText(hh.HouseType)
	e.houseUse = kit.NewSelectEntry(strings.Split(lang.L("households.hh.houseUses"), "、"))
	e.houseUse.SetText(hh.HouseUse)
	f.Add("house_type", lang.L("households.hh.typeUse"), container.NewGridWithColumns(2, e.houseType, e.houseUse))
	e.area = kit.NewEntry()
	if hh.AreaM2 > 0 {
		e.area.SetText(strconv.FormatFloat(hh.AreaM2, 'f', -1, 64))
	}
	e.area.SetPlaceHolder(lang.L("households.hh.areaHint"))
	f.Add("area_m2", lang.L("households.hh.area"), e.area)
	e.structure = f.SelectEntry("structure", lang.L("households.hh.structure"), strings.Split(lang.L("households.hh.structures"), "、"), hh.Structure)
	e.owner = f.Entry("owner_name", lang.L("households.hh.owner"), hh.OwnerName)
	e.ownerTel = phoneEntry(f, "owner_phone", lang.L("hh.phone"), hh.OwnerPhone)
	e.status = radio(kit.StatusValues, hh.Status)
	f.Add("status", lang.L("hh.status"), e.status)
	e.tenant = f.Entry("tenant_name", lang.L("hh.tenant"), hh.TenantName)
	e.tenantTel = phoneEntry(f, "tenant_phone", lang.L("households.hh.tenantPhone"), hh.TenantPhone)
	e.grid = f.Entry("grid_cell", lang.L("hh.grid"), hh.GridCell)
	e.cats = categoryChecks(allCategories(), hh.Categories)
	f.Add("categories", lang.L("map.categories"), e.cats)
	e.warning = radio(kit.Warnings, hh.Warning)
	f.Add("warning", lang.L("households.hh.warning"), container.NewHBox(e.warning,
		widget.NewButton(lang.L("households.hh.noWarning"), func() { e.warning.SetSelected("") })))
	e.notes = f.MultiLineEntry("notes", lang.L("hh.notes"), hh.Notes)
	f.AddButtons(func() { h.backToDetail(hh.ID) }, e.save)

	for i, v := range villages {
		if v.ID == hh.VillageID {
			e.village.SetSelectedIndex(i)
		}
	}
	if e.village.SelectedIndex() < 0 && len(villages) == 1 {
		e.village.SetSelectedIndex(0)
	}
	h.openForm(f)
}

// loadHouses offers the chosen village's houses by number.
func (e *householdForm) loadHouses() {
	i := e.village.SelectedIndex()
	if i < 0 {
		return
	}
	vid := e.villages[i].ID
	var hs []store.House
	kit.Load(e.h.u, func(ctx context.Context) (err error) {
		hs, err = e.h.u.Store().Houses(ctx, vid)
		return err
	}, func() {
		if e.village.SelectedIndex() != i {
			return // another village was chosen meanwhile
		}
		e.houses = hs
		opts := []string{lang.L("households.hh.noHouse")}
		sel := 0
		for j, x := range hs {
			opts = append(opts, fmt.Sprintf(lang.L("households.hh.houseNumber"), x.Number))
			if x.ID == e.rec.HouseID {
				sel = j + 1
			}
		}
		e.house.Options = opts
		e.house.SetSelectedIndex(sel)
		e.house.Refresh()
	})
}

func (e *householdForm) save() {
	f := e.form
	ok := f.Recheck()
	r := e.rec
	if i := e.village.SelectedIndex(); i >= 0 {
		r.VillageID = e.villages[i].ID
	} else {
		f.SetError("village_id", lang.L("roster.err.required"))
		ok = false
	}
	r.HouseID = ""
	if i := e.house.SelectedIndex(); i > 0 && i-1 < len(e.houses) {
		r.HouseID = e.houses[i-1].ID
	}
	r.Address = strings.TrimSpace(e.address.Text)
	// As the ledger import stores it: plain digits, no 号 (the screens
	// add it: "205号  赵六"), so 205 finds it.
	r.DoorNumber = strings.TrimSuffix(numbering.Normalize(e.door.Text), "号")
	r.HouseType = strings.TrimSpace(e.houseType.Text)
	r.HouseUse = strings.TrimSpace(e.houseUse.Text)
	r.AreaM2 = 0
	if s := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(e.area.Text), "平方米")); s != "" {
		a, err := strconv.ParseFloat(strings.TrimSuffix(s, "㎡"), 64)
		// ParseFloat also reads NaN and Inf: no area (SQLite stores NaN
		// as NULL, which the column refuses).
		if err != nil || a < 0 || math.IsNaN(a) || math.IsInf(a, 0) {
			f.SetError("area_m2", lang.L("households.hh.areaBad"))
			ok = false
		}
		r.AreaM2 = a
	}
	r.Structure = strings.TrimSpace(e.structure.Text)
	r.OwnerName = strings.TrimSpace(e.owner.Text)
	r.OwnerPhone = strings.TrimSpace(e.ownerTel.Text)
	r.Status = radioValue(e.status, kit.StatusValues)
	r.TenantName = strings.TrimSpace(e.tenant.Text)
	r.TenantPhone = strings.TrimSpace(e.tenantTel.Text)
	r.GridCell = strings.TrimSpace(e.grid.Text)
	r.Categories = checkedCategories(allCategories(), e.cats, e.rec.Categories)
	r.Warning = radioValue(e.warning, kit.Warnings)
	r.Notes = strings.TrimSpace(e.notes.Text)
	e.h.saveValid(f, ok, &r, func() string { return r.ID })
}

// residentForm is the form of one resident.
type residentForm struct {
	h       *Screen
	row     store.HouseholdRow
	rec     store.Resident
	form    *kit.EditForm
	showIDs bool

	name      *kit.Entry
	id        *kit.Entry
	idNote    *widget.Label
	gender    *widget.RadioGroup
	birth     *kit.Entry
	phone     *kit.Entry
	hukou     *kit.Entry
	relation  *widget.SelectEntry
	census    *widget.RadioGroup
	job       *kit.Entry
	reason    *kit.Entry
	moveIn    *kit.Entry
	moveOut   *kit.Entry
	cats      *kit.MultiCheck
	float     *widget.Select
	disabled  *widget.Check  // 残疾; nil when the role may not see it
	mobility  *widget.Select // 行动不便, 卧床
	emergency *kit.Entry
	emerTel   *kit.Entry
	notes     *kit.Entry
}

var floatLevels = []string{"红", "橙", "黄", "蓝"}

// mobilityValues are the stored words of Resident.Mobility, "" first.
var mobilityValues = []string{"", store.MobilityImpaired, store.MobilityBedridden}

// addNeeds adds 残疾 and 行动 (who must be helped out in an emergency,
// issue #24). They are health data, shown like ID numbers: a role that
// may not see full ID numbers sees only whether help is needed, and the
// stored values stay as they are.
func (e *residentForm) addNeeds(r store.Resident) {
	f := e.form
	if !e.showIDs {
		word := lang.L("emergency.res.noHelp")
		if r.Disabled || r.Mobility != "" {
			word = lang.L("emergency.res.needsHelp")
		}
		f.Add("mobility", lang.L("emergency.res.needs"), container.NewVBox(widget.NewLabel(word), kit.LowLabel(lang.L("emergency.res.hidden"))))
		return
	}
	e.disabled = widget.NewCheck(lang.L("emergency.res.disabled"), nil)
	e.disabled.SetChecked(r.Disabled)
	e.mobility = kit.NewSelect([]string{lang.L("emergency.res.walks"), lang.L("emergency.res.impaired"), lang.L("emergency.res.bedridden")}, nil)
	e.mobility.SetSelectedIndex(0)
	for i, m := range mobilityValues {
		if m == r.Mobility && m != "" {
			e.mobility.SetSelectedIndex(i)
		}
	}
	f.Add("mobility", lang.L("emergency.res.needs"), container.NewHBox(e.disabled, kit.WholeSelect(e.mobility)))
}

func (h *Screen) editResident(row store.HouseholdRow, r store.Resident) {
	e := &residentForm{h: h, row: row, rec: r, form: kit.NewEditForm(), showIDs: h.u.SeesFullIDs()}
	f := e.form
	f.Owner = e
	title := fmt.Sprintf(lang.L("households.res.newTitle"), householdName(row))
	if r.ID != "" {
		title = fmt.Sprintf(lang.L("households.res.editTitle"), r.Name)
	}
	f.AddRow(kit.TitleHeading(title))
	e.name = f.Entry("name", lang.L("households.res.name"), r.Name)

	e.id = kit.NewEntry()
	e.idNote = widget.NewLabel("")
	e.idNote.Wrapping = fyne.TextWrapWord
	if e.showIDs || r.IDNumber == "" {
		e.id.SetText(r.IDNumber)
		e.id.SetPlaceHolder(lang.L("households.res.idHint"))
		e.id.OnChanged = func(string) { e.checkID() }
		f.Add("id_number", lang.L("households.res.id"), container.NewVBox(e.id, e.idNote))
	} else {
		// Auxiliary police may not see the number: it stays as stored.
		f.Add("id_number", lang.L("households.res.id"), container.NewVBox(widget.NewLabel(store.MaskIDNumber(r.IDNumber)), kit.LowLabel(lang.L("households.res.idHidden"))))
	}
	e.gender = radio(kit.GenderValues, r.Gender)
	f.Add("gender", lang.L("households.res.gender"), e.gender)
	e.birth = f.Entry("birth_date", lang.L("households.res.birth"), r.BirthDate)
	e.birth.SetPlaceHolder(lang.L("households.res.birthHint"))
	e.phone = phoneEntry(f, "phone", lang.L("households.res.phone"), r.Phone)
	e.hukou = f.Entry("hukou_address", lang.L("households.res.hukou"), r.HukouAddress)
	e.relation = f.SelectEntry("relation", lang.L("households.res.relation"), strings.Split(lang.L("households.res.relations"), "、"), r.Relation)
	e.census = radio(kit.CensusValues, r.CensusStatus)
	f.Add("census_status", lang.L("households.res.census"), e.census)
	e.job = f.Entry("occupation", lang.L("households.res.job"), r.Occupation)
	e.reason = f.Entry("reason", lang.L("households.res.reason"), r.Reason)
	e.reason.SetPlaceHolder(lang.L("households.res.reasonHint"))
	e.moveIn, e.moveOut = kit.NewEntry(), kit.NewEntry()
	e.moveIn.SetText(r.MoveIn)
	e.moveOut.SetText(r.MoveOut)
	e.moveIn.SetPlaceHolder(lang.L("households.res.moveInHint"))
	e.moveOut.SetPlaceHolder(lang.L("households.res.moveOutHint"))
	f.Add("move_in", lang.L("households.res.moves"), container.NewGridWithColumns(2, e.moveIn, e.moveOut))
	f.ShowUnder("move_out", "move_in") // one row, one message
	e.cats = categoryChecks(kit.PersonCategories(), r.Categories)
	f.Add("categories", lang.L("map.categories"), e.cats)
	e.float = kit.NewSelect(append([]string{lang.L("households.res.notFloating")}, floatLevels...), nil)
	e.float.SetSelectedIndex(0)
	for i, l := range floatLevels {
		if l == r.FloatLevel {
			e.float.SetSelectedIndex(i + 1)
		}
	}
	f.Add("float_level", lang.L("households.res.float"), e.float)
	e.addNeeds(r)
	e.emergency = f.Entry("emergency_contact", lang.L("households.res.emergency"), r.EmergencyContact)
	e.emerTel = phoneEntry(f, "emergency_phone", lang.L("households.res.emergencyPhone"), r.EmergencyPhone)
	e.notes = f.MultiLineEntry("notes", lang.L("hh.notes"), r.Notes)
	f.AddButtons(func() { h.backToDetail(row.ID) }, e.save)
	e.checkID()
	h.openForm(f)
}

// checkID validates the ID number on every keystroke and, once it is
// whole, shows the gender and birth date it holds (and fills them in).
func (e *residentForm) checkID() (ok bool) {
	if !e.showIDs && e.rec.IDNumber != "" {
		return true
	}
	raw := e.id.Text
	id, p := store.CheckIDNumberAt(raw, e.h.u.Now())
	e.idNote.Importance = widget.DangerImportance
	msg := ""
	switch p {
	case store.IDShort:
		msg = lang.L("households.res.idShort")
	case store.IDLong:
		msg = lang.L("households.res.idLong")
	case store.IDBadChar:
		msg = lang.L("households.res.idBadChar")
	case store.IDBadDate:
		msg = lang.L("households.res.idBadDate")
	case store.IDBadCheck:
		msg = lang.L("households.res.idBadCheck")
	case store.IDFutureBirth:
		msg = lang.L("roster.err.idFuture")
	}
	e.form.SetError("id_number", "")
	if id == "" {
		kit.ShowWrapped(e.idNote, msg)
		e.gender.Enable()
		e.birth.Enable()
		return p == store.IDOK
	}
	birth, _ := store.IDBirthDate(id) // CheckIDNumber checked it
	gender := store.IDGender(id)
	e.gender.SetSelected(lang.L(map[string]string{"男": "gender.male", "女": "gender.female"}[gender]))
	e.birth.SetText(birth.Format("2006-01-02"))
	// Gender and birth date come from the number: typing them again could
	// only disagree with it.
	e.gender.Disable()
	e.birth.Disable()
	e.idNote.Importance = widget.SuccessImportance
	kit.ShowWrapped(e.idNote, fmt.Sprintf(lang.L("households.res.idOK"), gender, birth.Format("2006-01-02"), age(birth, e.h.u.Now())))
	return true
}

// age is whole years on now's day: a year more on the birthday's month
// and day (day of year would be a day off after February in leap years).
func age(birth, now time.Time) int {
	a := now.Year() - birth.Year()
	if now.Month() < birth.Month() || now.Month() == birth.Month() && now.Day() < birth.Day() {
		a--
	}
	return max(a, 0)
}

func (e *residentForm) save() {
	f := e.form
	ok := f.Recheck()
	r := e.rec
	if !e.checkID() {
		ok = false
		msg := lang.L("roster.err.idNumber")
		if _, p := store.CheckIDNumberAt(e.id.Text, e.h.u.Now()); p == store.IDFutureBirth {
			msg = lang.L("roster.err.idFuture")
		}
		if e.idNote.Visible() && e.idNote.Text != "" {
			// What the as-you-type note says (位数不够 …), once: under it
			// the general 身份证号不对 said the same a second time.
			msg = e.idNote.Text
			kit.ShowWrapped(e.idNote, "")
		}
		f.SetError("id_number", msg)
	}
	r.Name = strings.TrimSpace(e.name.Text)
	if r.Name == "" {
		f.SetError("name", lang.L("roster.err.required"))
		ok = false
	}
	if e.showIDs || e.rec.IDNumber == "" {
		r.IDNumber, _ = store.CheckIDNumber(e.id.Text)
	}
	r.Gender = radioValue(e.gender, kit.GenderValues)
	r.BirthDate = strings.TrimSpace(e.birth.Text)
	r.Phone = strings.TrimSpace(e.phone.Text)
	r.HukouAddress = strings.TrimSpace(e.hukou.Text)
	r.Relation = strings.TrimSpace(e.relation.Text)
	r.CensusStatus = radioValue(e.census, kit.CensusValues)
	r.Occupation = strings.TrimSpace(e.job.Text)
	r.Reason = strings.TrimSpace(e.reason.Text)
	r.MoveIn = strings.TrimSpace(e.moveIn.Text)
	r.MoveOut = strings.TrimSpace(e.moveOut.Text)
	r.Categories = checkedCategories(kit.PersonCategories(), e.cats, e.rec.Categories)
	r.FloatLevel = ""
	if i := e.float.SelectedIndex(); i > 0 {
		r.FloatLevel = floatLevels[i-1]
	}
	if e.disabled != nil {
		r.Disabled = e.disabled.Checked
		r.Mobility = mobilityValues[max(0, e.mobility.SelectedIndex())]
	}
	r.EmergencyContact = strings.TrimSpace(e.emergency.Text)
	r.EmergencyPhone = strings.TrimSpace(e.emerTel.Text)
	r.Notes = strings.TrimSpace(e.notes.Text)
	hid := e.row.ID
	e.h.saveValid(f, ok, &r, func() string { return hid })
}

// visitForm records one 走访.
type visitForm struct {
	h       *Screen
	rec     store.Visit
	form    *kit.EditForm
	date    *kit.Entry
	officer *kit.Entry
	notes   *kit.Entry
	follow  *kit.Entry
}

func (h *Screen) editVisit(row store.HouseholdRow, v store.Visit) {
	e := &visitForm{h: h, rec: v, form: kit.NewEditForm()}
	f := e.form
	f.Owner = e
	f.AddRow(kit.TitleHeading(fmt.Sprintf(lang.L("households.visit.title"), householdName(row))))
	if v.Date == "" {
		v.Date = h.u.Now().Format("2006-01-02")
	}
	e.date = f.Entry("date", lang.L("households.visit.date"), v.Date)
	e.officer = f.Entry("officer", lang.L("households.visit.officer"), v.Officer)
	e.notes = f.MultiLineEntry("notes", lang.L("households.visit.notes"), v.Notes)
	e.notes.SetMinRowsVisible(4)
	e.notes.SetPlaceHolder(lang.L("households.visit.notesHint"))
	e.follow = f.Entry("follow_up", lang.L("households.visit.follow"), v.FollowUp)
	e.follow.SetPlaceHolder(lang.L("households.visit.followHint"))
	f.AddButtons(func() { h.backToDetail(row.ID) }, e.save)
	if v.Officer == "" {
		h.u.GoBG(func(ctx context.Context) {
			var p store.Post
			err := h.u.Store().Get(ctx, &p, h.u.Store().DeviceID())
			h.u.Do(func() {
				if err == nil && e.officer.Text == "" {
					e.officer.SetText(p.Officer)
				}
			})
		})
	}
	h.openForm(f)
}

func (e *visitForm) save() {
	e.form.ClearErrors()
	r := e.rec
	r.Date = strings.TrimSpace(e.date.Text)
	r.Officer = strings.TrimSpace(e.officer.Text)
	r.Notes = strings.TrimSpace(e.notes.Text)
	r.FollowUp = strings.TrimSpace(e.follow.Text)
	hid := r.HouseholdID
	e.h.saveValid(e.form, true, &r, func() string { return hid })
}

// newUnder is the Meta of a resident or visit added to household row: at
// a station it is the household's post's (a station may write its posts'
// records), so it goes to that post alone (cj-post-<ID>) and the post's
// officer can change it. Left to the store it was the station's own,
// sent in its broadcast to every post and never changeable there.
func (h *Screen) newUnder(row store.HouseholdRow) store.Meta {
	if !h.atStation {
		return store.Meta{}
	}
	return store.Meta{Owner: row.Household.Owner}
}
