package households

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/uitest"
	"cunjing/store"
	"cunjing/store/clock/clocktest"
)

// openWang searches 203 and opens 王建国's household.
func openWang(t *testing.T, u *testEnv) (*Screen, store.HouseholdRow) {
	t.Helper()
	h := u.h
	h.search.SetText("203")
	h.schedule(0)
	u.Wait()
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.rows) != 1 || h.rows[0].OwnerName != "王建国" {
		t.Fatalf("search 203: %d rows", len(h.rows))
	}
	return h, h.rows[0]
}

func TestResidentIDValidatedAsTyped(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, _ := openHouseholds(t, s)
	h, row := openWang(t, u)
	h.editResident(row, store.Resident{HouseholdID: row.ID})
	e := openForm[*residentForm](t, h)
	cases := []struct{ typed, note string }{
		{"4405", "位数不够"},
		{"44052418800101001", "位数不够"},
		{"440524188001010014", "号码正确：男，1880-01-01 出生"},
		{"440524188001010015", "校验码错误"},
		{"440524188013010014", "日期错误"},
		{"44052418800101001A", "只能是数字"},
		{"4405241880010100141", "位数太多"},
		{"４４０５２４ １８８００１０１ ００１４", "号码正确"},
	}
	for _, c := range cases {
		e.id.SetText("")
		test.Type(e.id, c.typed)
		if !strings.Contains(e.idNote.Text, c.note) {
			t.Errorf("typed %q: note %q, want %q", c.typed, e.idNote.Text, c.note)
		}
	}
	e.id.SetText("11010519491231002x")
	if e.gender.Selected != "女" || e.birth.Text != "1949-12-31" || !e.birth.Disabled() {
		t.Errorf("derived gender %q, birth %q (disabled %v)", e.gender.Selected, e.birth.Text, e.birth.Disabled())
	}
	test.Type(e.name, "王小红")
	e.phone.SetText("12345")
	if !e.form.Err("phone").Visible() {
		t.Error("a bad phone is not flagged as typed")
	}
	e.save()
	u.Wait()
	if rs, _ := s.Residents(context.Background(), row.ID); len(rs) != 2 {
		t.Fatalf("saved with a bad phone: %d residents", len(rs))
	}
	e.phone.SetText("13912345678")
	e.relation.SetText("女")
	e.census.SetSelected("人户一致")
	e.save()
	u.Wait()
	rs, err := s.Residents(context.Background(), row.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got *store.Resident
	for i := range rs {
		if rs[i].Name == "王小红" {
			got = &rs[i]
		}
	}
	if got == nil || got.IDNumber != "11010519491231002X" || got.Gender != "女" || got.BirthDate != "1949-12-31" || got.CensusStatus != store.CensusConsistent {
		t.Fatalf("saved %+v", got)
	}
	if h.form != nil {
		t.Error("form still open after saving")
	}
	if txt := uitest.Joined(h.detail); !strings.Contains(txt, "王小红") {
		t.Errorf("detail lacks the new resident:\n%s", txt)
	}
}

// openForm is the form open in the detail pane.
func openForm[T any](t *testing.T, h *Screen) T {
	t.Helper()
	if h.form == nil {
		t.Fatal("no form open")
	}
	f, ok := h.form.Owner.(T)
	if !ok {
		t.Fatalf("the open form is a %T", h.form.Owner)
	}
	return f
}

func TestHouseholdFormPutsErrorsBesideFields(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, _ := openHouseholds(t, s)
	h := u.h
	h.editHousehold(store.Household{})
	e := openForm[*householdForm](t, h)
	e.save()
	if !e.form.Err("village_id").Visible() {
		t.Fatal("no village: no message beside the village")
	}
	e.village.SetSelected("西岭村")
	u.Wait()
	e.save()
	if msg := e.form.Err("owner_name"); !msg.Visible() || !strings.Contains(msg.Text, "至少要填一项") {
		t.Fatalf("empty household: owner message %q", msg.Text)
	}
	e.owner.SetText("赵六")
	e.ownerTel.SetText("0371-1234")
	e.area.SetText("一百")
	e.save()
	if !e.form.Err("owner_phone").Visible() || !e.form.Err("area_m2").Visible() {
		t.Fatal("bad phone and area not shown beside their fields")
	}
	e.ownerTel.SetText("0371-12345678")
	e.area.SetText("120.5")
	e.status.SetSelected("出租")
	e.tenant.SetText("外地租户")
	e.cats.SetSelected([]string{"出租屋", "党员"})
	e.warning.SetSelected("橙色")
	if len(e.houses) == 0 {
		t.Fatal("the village's houses were not offered")
	}
	e.house.SetSelectedIndex(1)
	e.save()
	u.Wait()
	rows, err := s.Households(context.Background(), store.HouseholdFilter{Query: "赵六"})
	if err != nil || len(rows) != 1 {
		t.Fatalf("saved household: %v %v", rows, err)
	}
	got := rows[0]
	if got.OwnerPhone != "037112345678" || got.AreaM2 != 120.5 || got.Status != store.StatusRented || got.Warning != store.WarnOrange ||
		strings.Join(got.Categories, ",") != "出租屋,党员" || got.HouseID == "" {
		t.Errorf("saved %+v", got)
	}
	if txt := uitest.Joined(h.detail); !strings.Contains(txt, "赵六") {
		t.Errorf("the new household is not shown:\n%s", txt)
	}
}

func TestVisitAndDeleteWithConfirmation(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, w := openHouseholds(t, s)
	h, row := openWang(t, u)
	h.editVisit(row, store.Visit{HouseholdID: row.ID})
	u.Wait()
	v := openForm[*visitForm](t, h)
	if v.officer.Text != "赵警官" {
		t.Errorf("officer not filled from the post: %q", v.officer.Text)
	}
	v.date.SetText("2026-13-01")
	v.save()
	if !v.form.Err("date").Visible() {
		t.Fatal("bad visit date not shown beside it")
	}
	v.date.SetText("2026-02-01")
	v.notes.SetText("独居老人已联系子女")
	v.save()
	u.Wait()
	vs, _ := s.Visits(context.Background(), row.ID)
	if len(vs) != 2 {
		t.Fatalf("%d visits", len(vs))
	}

	// Delete asks first; 取消 keeps everything.
	act := h.actionsFor(row, nil)
	act.remove()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no confirmation")
	}
	test.Tap(uitest.ButtonIn(top, "取消"))
	u.Wait()
	if rows, _ := s.Households(context.Background(), store.HouseholdFilter{Query: "203"}); len(rows) != 1 {
		t.Fatal("cancelled delete removed the household")
	}
	act.remove()
	top = w.Canvas().Overlays().Top()
	test.Tap(uitest.ButtonIn(top, "删除"))
	u.Wait()
	if rows, _ := s.Households(context.Background(), store.HouseholdFilter{Query: "203"}); len(rows) != 0 {
		t.Fatal("household still listed after delete")
	}
	// A tombstone: the record is still there, marked deleted, and so are
	// its residents.
	var hh store.Household
	if err := s.Get(context.Background(), &hh, row.ID); err != nil || !hh.Deleted {
		t.Fatalf("household after delete: %+v %v", hh.Meta, err)
	}
	if rs, _ := s.Residents(context.Background(), row.ID); len(rs) != 0 {
		t.Errorf("%d residents left live", len(rs))
	}
}

func TestOpenHouseholdFromAHouse(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, _ := openHouseholds(t, s)
	ctx := context.Background()
	h203 := houseNumbered(t, s, "东河村", "203")
	u.h.OpenHouse(h203.ID)
	u.Wait()
	h := u.h
	if txt := uitest.Joined(h.detail); !strings.Contains(txt, "203号  王建国") {
		t.Errorf("detail:\n%s", txt)
	}
	// A house with nobody recorded opens the form for it.
	empty := &store.House{VillageID: h203.VillageID, Number: "88", Kind: "house"}
	if err := s.Save(ctx, empty); err != nil {
		t.Fatal(err)
	}
	u.h.OpenHouse(empty.ID)
	u.Wait()
	e := openForm[*householdForm](t, h)
	if h.form == nil || e.door.Text != "88" || e.village.Selected != "东河村" || !strings.Contains(e.house.Selected, "88") {
		t.Fatalf("form for an empty house: door %q village %q house %q", e.door.Text, e.village.Selected, e.house.Selected)
	}
}

// 查看住户和居民 from the map opens the household of a house far down the
// list too: the list's first page, loaded after, did not hold it and put
// 在左边点一户 over the household just opened.
func TestOpenHouseholdBeyondTheFirstPage(t *testing.T) {
	s := uitest.Fixture(t, firstPage+10)
	u, _ := openHouseholds(t, s)
	for _, tc := range []struct{ number, owner string }{
		{"1000", "赵000"},
		{fmt.Sprint(1000 + firstPage + 9), fmt.Sprintf("赵%03d", firstPage+9)},
	} {
		u.h.OpenHouse(houseNumbered(t, s, "西岭村", tc.number).ID)
		u.Wait()
		if txt := uitest.Joined(u.h.detail); !strings.Contains(txt, tc.owner) || strings.Contains(txt, "在左边点一户") {
			t.Errorf("house %s: the detail shows\n%s", tc.number, txt)
		}
	}
}

func TestAuxiliaryCannotSeeOrChangeIDs(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, _ := openHouseholds(t, s)
	u.Settings().SetRole(kit.RoleAuxiliary)
	h, row := openWang(t, u)
	rs, err := s.Residents(context.Background(), row.ID)
	if err != nil {
		t.Fatal(err)
	}
	h.editResident(row, rs[0])
	e := openForm[*residentForm](t, h)
	txt := uitest.Joined(e.form.Object())
	if strings.Contains(txt, uitest.WangID) || !strings.Contains(txt, store.MaskIDNumber(uitest.WangID)) {
		t.Fatalf("auxiliary sees:\n%s", txt)
	}
	e.phone.SetText("13800000000")
	e.save()
	u.Wait()
	var got store.Resident
	if err := s.Get(context.Background(), &got, rs[0].ID); err != nil {
		t.Fatal(err)
	}
	if got.IDNumber != uitest.WangID || got.Phone != "13800000000" {
		t.Errorf("after an auxiliary's edit: ID %q phone %q", got.IDNumber, got.Phone)
	}
}

// idBornOn is a valid ID number (check character and all) of a man born
// on day.
func idBornOn(t *testing.T, day time.Time) string {
	t.Helper()
	s17 := "410526" + day.Format("20060102") + "123"
	c, err := store.IDCheckChar(s17)
	if err != nil {
		t.Fatal(err)
	}
	return s17 + string(c)
}

func TestResidentBornAfterTodayRefused(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, _ := openHouseholds(t, s)
	h, row := openWang(t, u)
	h.editResident(row, store.Resident{HouseholdID: row.ID})
	e := openForm[*residentForm](t, h)
	// A person is 重点人员; 重点户 is the household (#19, one term per concept).
	if opts := strings.Join(e.cats.Options, " "); !strings.Contains(opts, "重点人员") || strings.Contains(opts, "重点户") {
		t.Errorf("resident categories offered: %s", opts)
	}
	future := idBornOn(t, clocktest.Today(t).AddDate(0, 6, 0))
	test.Type(e.id, future)
	if !strings.Contains(e.idNote.Text, "晚于今天") {
		t.Errorf("typed an ID born in half a year: note %q", e.idNote.Text)
	}
	test.Type(e.name, "赵未来")
	e.relation.SetText("子")
	e.census.SetSelected("人户一致")
	e.save()
	u.Wait()
	if msg := e.form.Err("id_number"); !msg.Visible() || !strings.Contains(msg.Text, "晚于今天") {
		t.Errorf("saving it says %q", msg.Text)
	}
	rs, err := s.Residents(context.Background(), row.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Name == "赵未来" {
			t.Errorf("saved a resident born after today: %+v", r)
		}
	}
}

// 残疾 and 行动 are edited in the resident form by an officer; an
// auxiliary sees only 需协助 and a save keeps what is stored.
func TestResidentNeedsByRole(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, _ := openHouseholds(t, s)
	h, row := openWang(t, u)
	ctx := context.Background()
	liu := func() store.Resident {
		t.Helper()
		rs, err := s.Residents(ctx, row.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.Name == "刘桂兰" {
				return r
			}
		}
		t.Fatal("no 刘桂兰")
		return store.Resident{}
	}
	u.Settings().SetRole(kit.RoleOfficer)
	h.editResident(row, liu())
	e := openForm[*residentForm](t, h)
	if e.disabled == nil || e.mobility == nil {
		t.Fatal("an officer cannot edit 残疾 and 行动")
	}
	e.disabled.SetChecked(true)
	e.mobility.SetSelected("卧床")
	e.census.SetSelected("人户一致")
	e.save()
	u.Wait()
	if r := liu(); !r.Disabled || r.Mobility != store.MobilityBedridden {
		t.Fatalf("saved %+v", r)
	}

	u.Settings().SetRole(kit.RoleAuxiliary)
	h.editResident(row, liu())
	e = openForm[*residentForm](t, h)
	if e.disabled != nil || e.mobility != nil {
		t.Fatal("an auxiliary can edit health data")
	}
	if txt := uitest.Joined(e.form.Object()); !strings.Contains(txt, "需协助") || strings.Contains(txt, "卧床") {
		t.Errorf("the auxiliary's form shows:\n%s", txt)
	}
	e.notes.SetText("走访时在家")
	e.save()
	u.Wait()
	if r := liu(); !r.Disabled || r.Mobility != store.MobilityBedridden || r.Notes != "走访时在家" {
		t.Fatalf("an auxiliary's save changed the needs: %+v", r)
	}
}

// The chosen 行动 shows whole beside 残疾: the select was as wide as its
// placeholder 请选择, so 行动自如 and 行动不便 both read 行动….
func TestResidentMobilityShownWhole(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, w := openHouseholds(t, s)
	h, row := openWang(t, u)
	u.Settings().SetRole(kit.RoleOfficer)
	h.editResident(row, store.Resident{HouseholdID: row.ID})
	e := openForm[*residentForm](t, h)
	for _, pick := range []string{"行动自如", "行动不便", "卧床"} {
		e.mobility.SetSelected(pick)
		w.Content().Refresh()
		if cut := uitest.CutSelects(w.Content()); len(cut) > 0 {
			t.Errorf("picked %s: %q", pick, cut)
		}
	}
}

// 保存 at the foot of the resident form with a wrong 身份证号 at its head
// brings the problem into sight: the red line showed above, out of the
// pane, and 保存 seemed to do nothing.
func TestSaveShowsTheProblemOutOfSight(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, w := openHouseholds(t, s)
	h, row := openWang(t, u)
	h.editResident(row, store.Resident{HouseholdID: row.ID})
	e := openForm[*residentForm](t, h)
	var sc *kit.FormScroll
	uitest.Walk(w.Content(), func(o fyne.CanvasObject) {
		if f, ok := o.(*kit.FormScroll); ok && uitest.InTree(f, e.form.Object()) != nil {
			sc = f
		}
	})
	if sc == nil {
		t.Fatal("the form is in no scroll")
	}
	sc.Scroll.Refresh() // lays the opened form out, as the window's next frame does
	for _, tc := range []struct{ name, id string }{
		{"王小红", "41052219900101123"}, // 17 digits: the form's own check
		{"", "110105194912310021"},   // no name: required
	} {
		e.name.SetText(tc.name)
		e.id.SetText(tc.id)
		sc.Scroll.ScrollToOffset(fyne.NewPos(0, sc.Scroll.Content.Size().Height-sc.Scroll.Size().Height))
		if sc.Scroll.Offset.Y < 100 {
			t.Fatalf("the form is not longer than its pane: nothing to scroll (pane %v, form %v, min %v)", sc.Scroll.Size(), sc.Scroll.Content.Size(), sc.Scroll.Content.MinSize())
		}
		e.save()
		u.Wait()
		// One red line says what is wrong with the number, not two.
		if shown := uitest.Shown(e.form.Object()); tc.name != "" && (strings.Count(shown, "位数不够") != 1 || strings.Contains(shown, "身份证号不对")) {
			t.Errorf("under 身份证号:\n%s", shown)
		}
		d := fyne.CurrentApp().Driver()
		var field fyne.CanvasObject = e.id
		if tc.name == "" {
			field = e.name
		}
		top := d.AbsolutePositionForObject(field).Y - d.AbsolutePositionForObject(sc.Scroll).Y
		if top < 0 || top > sc.Scroll.Size().Height {
			t.Errorf("%s: after 保存 the field with the problem is %.0f px from the pane's top (pane %.0f high)", tc.name+tc.id, top, sc.Scroll.Size().Height)
		}
	}
	if rs, _ := s.Residents(context.Background(), row.ID); len(rs) != row.Residents {
		t.Errorf("saved with problems: %d residents, were %d", len(rs), row.Residents)
	}
}

// "NaN" and "Inf" parse as floats but are no area: the form says so beside
// the field instead of saving a household whose 面积 SQLite cannot hold.
func TestHouseholdAreaNotANumberRefused(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, _ := openHouseholds(t, s)
	h := u.h
	for _, typed := range []string{"NaN", "nan", "Inf", "+Inf", "-inf", "1e400"} {
		h.editHousehold(store.Household{})
		e := openForm[*householdForm](t, h)
		e.village.SetSelected("西岭村")
		u.Wait()
		e.owner.SetText("面积" + typed)
		e.area.SetText(typed)
		e.save()
		u.Wait()
		if !e.form.Err("area_m2").Visible() {
			t.Errorf("area %q: no message beside 面积", typed)
		}
		rows, err := s.Households(context.Background(), store.HouseholdFilter{Query: "面积" + typed})
		if err != nil || len(rows) != 0 {
			t.Errorf("area %q saved: %d rows, %v", typed, len(rows), err)
		}
	}
}

// The age the ID number's note shows is whole years on the clock's day:
// on a birthday the person is a year older, also across 29 February and
// leap years (a day-of-year comparison was off by one after February).
func TestAgeOnBirthday(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	cases := []struct {
		birth, now string
		want       int
	}{
		{"2000-03-01", "2026-03-01", 26}, // born in a leap year, birthday in a common one
		{"2000-03-01", "2026-02-28", 25},
		{"2001-03-01", "2024-02-29", 22}, // the day before the 23rd birthday, in a leap year
		{"2001-03-01", "2024-03-01", 23},
		{"2000-02-29", "2026-02-28", 25},
		{"2000-02-29", "2026-03-01", 26},
		{"1990-12-31", "2024-12-31", 34},
		{"1990-12-31", "2024-12-30", 33},
	}
	for _, c := range cases {
		if got := age(day(c.birth), day(c.now)); got != c.want {
			t.Errorf("born %s, on %s: age %d, want %d", c.birth, c.now, got, c.want)
		}
	}
}

// 保存 tapped twice (a double click, or again on a slow PC) saves one new
// household, resident or visit: each tap saved the form's record afresh,
// so a double click made two households of the same family.
func TestDoubleSaveSavesOnce(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, _ := openHouseholds(t, s)
	h, row := openWang(t, u)
	ctx := context.Background()
	h.editHousehold(store.Household{})
	e := openForm[*householdForm](t, h)
	e.village.SetSelected("西岭村")
	u.Wait()
	e.owner.SetText("孙双击")
	e.save()
	e.save()
	u.Wait()
	if rows, _ := s.Households(ctx, store.HouseholdFilter{Query: "孙双击"}); len(rows) != 1 {
		t.Errorf("two taps on 保存 saved %d households", len(rows))
	}
	rs, _ := s.Residents(ctx, row.ID)
	h.editResident(row, store.Resident{HouseholdID: row.ID})
	r := openForm[*residentForm](t, h)
	r.name.SetText("王双击")
	r.gender.SetSelected("男")
	r.census.SetSelected("人户一致")
	r.save()
	r.save()
	u.Wait()
	if after, _ := s.Residents(ctx, row.ID); len(after) != len(rs)+1 {
		t.Errorf("two taps on 保存 added %d residents", len(after)-len(rs))
	}
	vs, _ := s.Visits(ctx, row.ID)
	h.editVisit(row, store.Visit{HouseholdID: row.ID})
	v := openForm[*visitForm](t, h)
	v.save()
	v.save()
	u.Wait()
	if after, _ := s.Visits(ctx, row.ID); len(after) != len(vs)+1 {
		t.Errorf("two taps on 保存 added %d visits", len(after)-len(vs))
	}
}

// A door number typed with 号 ("205号", as people write it) is stored as
// the ledger import stores it, without: it showed as "205号号  赵六" and
// searching 205 did not find the household.
func TestDoorNumberWithHao(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, _ := openHouseholds(t, s)
	h := u.h
	h.editHousehold(store.Household{})
	e := openForm[*householdForm](t, h)
	e.village.SetSelected("西岭村")
	u.Wait()
	e.owner.SetText("赵门牌")
	e.door.SetText("２０５号")
	e.save()
	u.Wait()
	rows, err := s.Households(context.Background(), store.HouseholdFilter{Query: "赵门牌"})
	if err != nil || len(rows) != 1 {
		t.Fatalf("saved %v %v", rows, err)
	}
	if rows[0].DoorNumber != "205" {
		t.Errorf("door number stored as %q, want 205", rows[0].DoorNumber)
	}
	if got := householdName(rows[0]); strings.Contains(got, "号号") {
		t.Errorf("the household is headed %q", got)
	}
}

// Ctrl+E (紧急) with the cursor in a field of the household form reaches
// the window, which opens the emergency card: the form's entries took
// every shortcut and dropped the ones they did not know.
func TestEmergencyShortcutFromAFormField(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, w := openHouseholds(t, s)
	opened := 0
	w.Canvas().AddShortcut(kit.EmergencyShortcut, func(fyne.Shortcut) { opened++ })
	u.h.editHousehold(store.Household{})
	e := openForm[*householdForm](t, u.h)
	for _, tc := range []struct {
		name  string
		field fyne.CanvasObject
	}{
		{"门牌", e.door},
		{"户主", e.owner},
		{"户主电话", e.ownerTel},
		{"面积", e.area},
		{"房屋类型", e.houseType},
		{"结构", e.structure},
		{"备注", e.notes},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := opened
			uitest.Focus(t, w, tc.field)
			uitest.PressShortcut(w, kit.EmergencyShortcut)
			if opened != before+1 {
				t.Errorf("Ctrl+E in %s: the window heard it %d times, want once", tc.name, opened-before)
			}
		})
	}
}

// A household form half filled stays as it was when the screen is shown
// again (after 紧急, Ctrl+E, or another area): the list's reload put the
// hint over it, and what was typed was lost (seen in the real window).
func TestAFormSurvivesTheScreenShownAgain(t *testing.T) {
	u, _ := openHouseholds(t, uitest.Fixture(t, 0))
	h := u.h
	h.editHousehold(store.Household{})
	e := openForm[*householdForm](t, h)
	test.Type(e.owner, "赵六")
	h.Refresh()
	u.Wait()
	if h.form == nil || !strings.Contains(uitest.Joined(h.detail), "赵六") {
		t.Fatalf("the form went when the screen was shown again:\n%s", uitest.Joined(h.detail))
	}
	// A search that finds one household opens it, but not over a form
	// (a click on the household does).
	h.Search("203")
	u.Wait()
	if h.form == nil || !strings.Contains(uitest.Joined(h.detail), "赵六") {
		t.Fatalf("a search put a household over the form:\n%s", uitest.Joined(h.detail))
	}
}

// The birth date's placeholder is an example of a birth date, in the one
// form the field takes (YYYY-MM-DD), before the screen's today: it was the
// roster's 例如 2026-12-01, a date to patrol on.
func TestBirthDatePlaceholderIsABirthDate(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, _ := openHouseholds(t, s)
	h, row := openWang(t, u)
	h.editResident(row, store.Resident{HouseholdID: row.ID})
	e := openForm[*residentForm](t, h)
	ph := e.birth.PlaceHolder
	fields := strings.Fields(ph)
	if len(fields) == 0 {
		t.Fatalf("birth date placeholder is empty")
	}
	day, err := time.Parse("2006-01-02", fields[len(fields)-1])
	if err != nil {
		t.Fatalf("birth date placeholder %q does not end in a date the field takes: %v", ph, err)
	}
	if now := h.u.Now(); now.Year()-day.Year() < 16 {
		t.Errorf("birth date placeholder %q: a grown resident's birth date is decades before %s", ph, now.Format("2006-01-02"))
	}
}

// houseNumbered is the house numbered number in the village named village
// (the test fails when there is none).
func houseNumbered(t *testing.T, s *store.Store, village, number string) store.House {
	t.Helper()
	ctx := context.Background()
	v, err := s.VillageByName(ctx, village)
	if err != nil {
		t.Fatal(err)
	}
	houses, err := s.Houses(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range houses {
		if h.Number == number {
			return h
		}
	}
	t.Fatalf("no house %s in %s", number, village)
	return store.House{}
}
