package record

import (
	"encoding/json"
	"errors"
	"strings"

	"cunjing/store/schedule"
)

// Meta is embedded in every synced record. ID is a UUIDv7 made where the
// record is born; Owner is the device ID of the post or station that owns
// it; Deleted is the tombstone (nothing synced is ever hard-deleted).
type Meta struct {
	ID      string `db:"id"`
	Owner   string `db:"owner"`
	Deleted bool   `db:"deleted"`
	// loaded holds every field as it was read from the database, so Save
	// writes only what the user changed since: a field that sync changed
	// meanwhile is not overwritten with the stale value of an open form.
	loaded []string
}

// RecordMeta is the record's Meta, for the store that reads and writes
// it through the Record interface.
func (m *Meta) RecordMeta() *Meta { return m }

// Loaded is every field as the store last read or wrote it (Save writes
// only what changed since); SetLoaded is the store's, after a read or a
// write. Neither is a field, so neither is stored, synced or encoded.
func (m *Meta) Loaded() []string { return m.loaded }

// SetLoaded keeps fields as what was read (see Loaded).
func (m *Meta) SetLoaded(fields []string) { m.loaded = fields }

// LiveSQL is the SQL condition that a row of a synced table is a live
// record, not a tombstone: "deleted = 0", or of the table named alias in a
// join ("h.deleted = 0"). It is the one spelling of the live filter in
// store and its sub-packages (store.Live lists live records with it).
func LiveSQL(alias string) string {
	if alias == "" {
		return "deleted = 0"
	}
	return alias + ".deleted = 0"
}

// ErrNotFound is a record (or a draft) that is not there (store.ErrNotFound).
var ErrNotFound = errors.New("record not found")

// Record is implemented by every synced domain record.
type Record interface {
	RecordMeta() *Meta
	// Table is the SQL table and change-log table name.
	Table() string
	// Validate normalises the record in place (ID numbers, phones) and
	// returns a *FieldError naming the first bad field.
	Validate() error
}

// Roles a device can have.
const (
	RolePost    = "post"
	RoleStation = "station"
	// RoleCounty is the county bureau (县公安局) above the stations: it
	// pairs with stations only, receives what each holds of its posts and
	// publishes down through them.
	RoleCounty = "county"
)

// Above says whether a device of role a is the one directly above one of
// role b in the tree (station over post, county over station): the one
// below dials the one above, sends its records up to it and takes its
// publications from it.
func Above(a, b string) bool {
	return (a == RoleStation && b == RolePost) || (a == RoleCounty && b == RoleStation)
}

// Publishes says whether a role publishes reference data down the tree
// (cost items, templates, notices, holidays): stations and the county.
func Publishes(role string) bool { return role == RoleStation || role == RoleCounty }

// Post is a device's public profile: a village police post, a township
// station or the county. Its ID is the device ID, so the station knows whose data is whose.
type Post struct {
	Meta
	Role     string `db:"role"`
	Name     string `db:"name"`
	Township string `db:"township"`
	Officer  string `db:"officer"`
	Phone    string `db:"phone"`
	Address  string `db:"address"`
}

func (*Post) Table() string { return "posts" }
func (p *Post) Validate() error {
	if strings.TrimSpace(p.Name) == "" {
		return fieldErr("posts", "name", "", "required")
	}
	if !oneOf(p.Role, RolePost, RoleStation, RoleCounty) {
		return fieldErr("posts", "role", p.Role, "must be post, station or county")
	}
	return normPhoneField("posts", "phone", &p.Phone)
}

// Village is one administrative village served by a post.
type Village struct {
	Meta
	Name     string `db:"name"`
	Township string `db:"township"`
	Notes    string `db:"notes"`
}

func (*Village) Table() string { return "villages" }
func (v *Village) Validate() error {
	if strings.TrimSpace(v.Name) == "" {
		return fieldErr("villages", "name", "", "required")
	}
	return nil
}

// VillageMap is the base layer of a village map: a scanned drawing stored
// as a content-addressed blob, and how it is placed in local metres.
type VillageMap struct {
	Meta
	VillageID   string  `db:"village_id"`
	Name        string  `db:"name"`
	ImageHash   string  `db:"image_hash"`
	ImageW      int64   `db:"image_w"`
	ImageH      int64   `db:"image_h"`
	MetresPerPx float64 `db:"metres_per_px"`
	OffsetX     float64 `db:"offset_x"`
	OffsetY     float64 `db:"offset_y"`
	Opacity     float64 `db:"opacity"`
}

func (*VillageMap) Table() string { return "village_maps" }
func (m *VillageMap) Validate() error {
	if err := finite("village_maps", num{"metres_per_px", m.MetresPerPx}, num{"offset_x", m.OffsetX}, num{"offset_y", m.OffsetY}, num{"opacity", m.Opacity}); err != nil {
		return err
	}
	if m.VillageID == "" {
		return fieldErr("village_maps", "village_id", "", "required")
	}
	if m.MetresPerPx < 0 {
		return fieldErr("village_maps", "metres_per_px", "", "must not be negative")
	}
	if m.Opacity < 0 || m.Opacity > 1 {
		return fieldErr("village_maps", "opacity", "", "must be between 0 and 1")
	}
	return nil
}

// House is a numbered building footprint on a village map. Number is the
// number painted on the door; History lists the numbers it had before, so an
// old number still finds it and is never given to another house.
type House struct {
	Meta
	VillageID string   `db:"village_id"`
	Number    string   `db:"number"`
	History   []string `db:"history"`
	Kind      string   `db:"kind"`     // house, courtyard, plot
	Geometry  string   `db:"geometry"` // JSON polygon in local metres
	Floors    int64    `db:"floors"`
	Notes     string   `db:"notes"`
}

func (*House) Table() string { return "houses" }
func (h *House) Validate() error {
	if h.VillageID == "" {
		return fieldErr("houses", "village_id", "", "required")
	}
	if !oneOf(h.Kind, "house", "courtyard", "plot") {
		return fieldErr("houses", "kind", h.Kind, "must be house, courtyard or plot")
	}
	if h.Floors < 0 {
		return fieldErr("houses", "floors", "", "must not be negative")
	}
	return nil
}

// Feature is any other thing drawn on a village map: a lane or road (a
// polyline with a width), a landmark (a point with a kind) or a label.
type Feature struct {
	Meta
	VillageID string  `db:"village_id"`
	Kind      string  `db:"kind"` // lane, road, entrance, pond, well, hydrant, school, committee, shop, clinic, label, ...
	Name      string  `db:"name"`
	Geometry  string  `db:"geometry"` // JSON in local metres
	WidthM    float64 `db:"width_m"`
	Attrs     string  `db:"attrs"` // JSON object of extra attributes
}

func (*Feature) Table() string { return "features" }
func (f *Feature) Validate() error {
	if err := finite("features", num{"width_m", f.WidthM}); err != nil {
		return err
	}
	if f.VillageID == "" {
		return fieldErr("features", "village_id", "", "required")
	}
	if strings.TrimSpace(f.Kind) == "" {
		return fieldErr("features", "kind", "", "required")
	}
	if f.WidthM < 0 {
		return fieldErr("features", "width_m", "", "must not be negative")
	}
	return nil
}

// Household categories tracked by village police (see domain-facts.md).
const (
	CatKey           = "重点户"
	CatRental        = "出租屋"
	CatFloating      = "流动人口"
	CatElderly       = "留守老人"
	CatChild         = "留守儿童"
	CatAlone         = "独居"
	CatParty         = "党员"
	CatGrid          = "网格员"
	CatWubao         = "五保户"
	WarnRed          = "红"
	WarnOrange       = "橙"
	WarnGreen        = "绿"
	StatusOwn        = "自住"
	StatusRented     = "出租"
	StatusEmpty      = "空置"
	CensusConsistent = "人户一致"
	CensusAway       = "人在户不在"
	CensusAbsent     = "户在人不在"
)

// Household is one household in a house (一标三实: the house and its use).
type Household struct {
	Meta
	VillageID   string   `db:"village_id"`
	HouseID     string   `db:"house_id"`
	Address     string   `db:"address"`
	DoorNumber  string   `db:"door_number"`
	HouseType   string   `db:"house_type"`
	HouseUse    string   `db:"house_use"`
	AreaM2      float64  `db:"area_m2"`
	Structure   string   `db:"structure"`
	OwnerName   string   `db:"owner_name"`
	OwnerPhone  string   `db:"owner_phone"`
	Status      string   `db:"status"`
	TenantName  string   `db:"tenant_name"`
	TenantPhone string   `db:"tenant_phone"`
	GridCell    string   `db:"grid_cell"`
	Categories  []string `db:"categories"`
	Warning     string   `db:"warning"`
	Notes       string   `db:"notes"`
}

func (*Household) Table() string { return "households" }
func (h *Household) Validate() error {
	if err := finite("households", num{"area_m2", h.AreaM2}); err != nil {
		return err
	}
	if h.VillageID == "" {
		return fieldErr("households", "village_id", "", "required")
	}
	if strings.TrimSpace(h.OwnerName) == "" && strings.TrimSpace(h.Address) == "" && h.HouseID == "" {
		return fieldErr("households", "owner_name", "", "a household needs an owner, an address or a house")
	}
	if !oneOf(h.Status, StatusOwn, StatusRented, StatusEmpty) {
		return fieldErr("households", "status", h.Status, "must be 自住, 出租 or 空置")
	}
	if !oneOf(h.Warning, WarnRed, WarnOrange, WarnGreen) {
		return fieldErr("households", "warning", h.Warning, "must be 红, 橙 or 绿")
	}
	if h.AreaM2 < 0 {
		return fieldErr("households", "area_m2", "", "must not be negative")
	}
	if err := normPhoneField("households", "owner_phone", &h.OwnerPhone); err != nil {
		return err
	}
	return normPhoneField("households", "tenant_phone", &h.TenantPhone)
}

// Resident is one person living in (or registered to) a household.
type Resident struct {
	Meta
	HouseholdID      string   `db:"household_id"`
	Name             string   `db:"name"`
	IDNumber         string   `db:"id_number"`
	Gender           string   `db:"gender"`
	BirthDate        string   `db:"birth_date"`
	Phone            string   `db:"phone"`
	HukouAddress     string   `db:"hukou_address"`
	Relation         string   `db:"relation"`
	CensusStatus     string   `db:"census_status"`
	Occupation       string   `db:"occupation"`
	Reason           string   `db:"reason"`
	MoveIn           string   `db:"move_in"`
	MoveOut          string   `db:"move_out"`
	Categories       []string `db:"categories"`
	FloatLevel       string   `db:"float_level"` // 红/橙/黄/蓝 for floating population
	EmergencyContact string   `db:"emergency_contact"`
	EmergencyPhone   string   `db:"emergency_phone"`
	Notes            string   `db:"notes"`
	// Disabled (残疾) and Mobility (行动不便, 卧床; "" walks unaided) say
	// who needs carrying out in an emergency (migration 0010). Health
	// data: shown by role (ResidentNeeds).
	Disabled bool   `db:"disabled"`
	Mobility string `db:"mobility"`
}

func (*Resident) Table() string { return "residents" }
func (r *Resident) Validate() error {
	if strings.TrimSpace(r.Name) == "" {
		return fieldErr("residents", "name", "", "required")
	}
	r.Name = strings.TrimSpace(r.Name)
	if r.IDNumber != "" {
		id, err := NormaliseIDNumber(r.IDNumber)
		if err != nil {
			return fieldErr("residents", "id_number", r.IDNumber, err.Error())
		}
		r.IDNumber = id
		birth, _ := IDBirthDate(id) // validated by NormaliseIDNumber
		r.BirthDate = birth.Format("2006-01-02")
		r.Gender = IDGender(id)
	}
	if !oneOf(r.Gender, "男", "女") {
		return fieldErr("residents", "gender", r.Gender, "must be 男 or 女")
	}
	if !oneOf(r.CensusStatus, CensusConsistent, CensusAway, CensusAbsent) {
		return fieldErr("residents", "census_status", r.CensusStatus, "must be 人户一致, 人在户不在 or 户在人不在")
	}
	if !oneOf(r.Mobility, MobilityImpaired, MobilityBedridden) {
		return fieldErr("residents", "mobility", r.Mobility, "must be 行动不便 or 卧床")
	}
	if !oneOf(r.FloatLevel, "红", "橙", "黄", "蓝") {
		return fieldErr("residents", "float_level", r.FloatLevel, "must be 红, 橙, 黄 or 蓝")
	}
	for _, f := range []struct{ name, v string }{{"birth_date", r.BirthDate}, {"move_in", r.MoveIn}, {"move_out", r.MoveOut}} {
		if !validDate(f.v) {
			return fieldErr("residents", f.name, f.v, "must be a date YYYY-MM-DD")
		}
	}
	if err := normPhoneField("residents", "phone", &r.Phone); err != nil {
		return err
	}
	return normPhoneField("residents", "emergency_phone", &r.EmergencyPhone)
}

// Visit is one 走访 to a household.
type Visit struct {
	Meta
	HouseholdID string `db:"household_id"`
	Date        string `db:"date"`
	Officer     string `db:"officer"`
	Notes       string `db:"notes"`
	FollowUp    string `db:"follow_up"`
}

func (*Visit) Table() string { return "visits" }
func (v *Visit) Validate() error {
	if v.HouseholdID == "" {
		return fieldErr("visits", "household_id", "", "required")
	}
	if v.Date == "" || !validDate(v.Date) {
		return fieldErr("visits", "date", v.Date, "must be a date YYYY-MM-DD")
	}
	return nil
}

// Member roles on a patrol team.
var MemberRoles = []string{"民警", "辅警", "村警", "网格员", "志愿者", "治保主任"}

// Team is a patrol team of mixed roles.
type Team struct {
	Meta
	Name      string `db:"name"`
	VillageID string `db:"village_id"`
	Notes     string `db:"notes"`
}

func (*Team) Table() string { return "teams" }
func (t *Team) Validate() error {
	if strings.TrimSpace(t.Name) == "" {
		return fieldErr("teams", "name", "", "required")
	}
	return nil
}

// Member is a person on a team. Leave holds date ranges "2026-12-01..2026-12-05"
// (or single dates) when the member is not available.
type Member struct {
	Meta
	TeamID string   `db:"team_id"`
	Name   string   `db:"name"`
	Role   string   `db:"role"`
	Phone  string   `db:"phone"`
	Leave  []string `db:"leave"`
	Notes  string   `db:"notes"`
	// Off is the member's regular days off as they were set over time
	// (固定休息, migration 0023): "2026-12-06:3" — weekdays (1 Monday …
	// 7 Sunday) off from that day on, in order of their days
	// (schedule.ParseWeekdaysOff; store/rosterdata.SaveKeepingPast keeps
	// the days before an edit as they were).
	Off []string `db:"off"`
}

func (*Member) Table() string { return "members" }
func (m *Member) Validate() error {
	if strings.TrimSpace(m.Name) == "" {
		return fieldErr("members", "name", "", "required")
	}
	if m.TeamID == "" {
		return fieldErr("members", "team_id", "", "required")
	}
	if m.Role == "" || !oneOf(m.Role, MemberRoles...) {
		return fieldErr("members", "role", m.Role, "must be one of "+strings.Join(MemberRoles, ", "))
	}
	for _, l := range m.Leave {
		from, to, ok := strings.Cut(l, "..")
		if !ok {
			to = from
		}
		if from == "" || !validDate(from) || !validDate(to) || to < from {
			return fieldErr("members", "leave", l, "must be YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD")
		}
	}
	if _, err := schedule.ParseWeekdaysOff(m.Off); err != nil {
		return fieldErr("members", "off", strings.Join(m.Off, " "), "must be YYYY-MM-DD:1,3 (weekdays 1 Monday … 7 Sunday), in order of their days")
	}
	return normPhoneField("members", "phone", &m.Phone)
}

// ShiftRule is a recurring duty. Spec is the schedule package's JSON
// calendar spec (daily, market days, weekdays, branch days, every N days);
// Windows the times of day ("07:00-08:00、16:30-17:30"; an end at or before
// the start runs overnight, so "08:00-08:00" is a 24-hour duty); People the
// member IDs who stand (all of them, or Rotate of them in turn).
type ShiftRule struct {
	Meta
	TeamID    string   `db:"team_id"`
	Name      string   `db:"name"`
	Kind      string   `db:"kind"` // patrol, market, school_gate, duty
	Spec      string   `db:"spec"`
	Windows   string   `db:"windows"`
	People    []string `db:"people"`
	Rotate    int64    `db:"rotate"`
	MinPeople int64    `db:"min_people"`
	ValidFrom string   `db:"valid_from"`
	ValidTo   string   `db:"valid_to"`
	Notes     string   `db:"notes"`
	// Holidays is the rule's holiday policy ("keep", or what to skip:
	// public, school, spring); "" is its kind's default (holidays.go).
	Holidays string `db:"holidays"`
	// Versions is who the rule put on duty before edits changed it, as the
	// JSON of []schedule.Version (migration 0021; "" none): an edit of who
	// stands applies from its day on (store/rosterdata.SaveKeepingPast).
	Versions string `db:"versions"`
}

func (*ShiftRule) Table() string { return "shift_rules" }
func (r *ShiftRule) Validate() error {
	if strings.TrimSpace(r.Name) == "" {
		return fieldErr("shift_rules", "name", "", "required")
	}
	if strings.TrimSpace(r.Spec) == "" {
		return fieldErr("shift_rules", "spec", "", "required")
	}
	if strings.TrimSpace(r.Windows) == "" {
		return fieldErr("shift_rules", "windows", "", "required")
	}
	if r.MinPeople < 0 || r.Rotate < 0 {
		return fieldErr("shift_rules", "min_people", "", "must not be negative")
	}
	if !validDate(r.ValidFrom) || !validDate(r.ValidTo) || (r.ValidTo != "" && r.ValidTo < r.ValidFrom) {
		return fieldErr("shift_rules", "valid_to", r.ValidTo, "must be a date not before valid_from")
	}
	if r.Rotate > 0 && r.ValidFrom == "" {
		return fieldErr("shift_rules", "valid_from", "", "a rotation needs a start date to count turns from")
	}
	if err := validHolidayPolicy(r.Holidays, r.Kind); err != nil {
		return fieldErr("shift_rules", "holidays", r.Holidays, err.Error())
	}
	if r.Versions != "" {
		var vs []schedule.Version
		if err := json.Unmarshal([]byte(r.Versions), &vs); err != nil {
			return fieldErr("shift_rules", "versions", r.Versions, "must be a JSON list of earlier versions")
		}
	}
	return nil
}

// ShiftException changes the roster on some days: a public holiday, the
// Spring Festival break, a swap. Spec is the schedule package's JSON
// exception (without its id).
type ShiftException struct {
	Meta
	Name string `db:"name"`
	Spec string `db:"spec"`
}

func (*ShiftException) Table() string { return "shift_exceptions" }
func (e *ShiftException) Validate() error {
	if strings.TrimSpace(e.Name) == "" {
		return fieldErr("shift_exceptions", "name", "", "required")
	}
	if strings.TrimSpace(e.Spec) == "" {
		return fieldErr("shift_exceptions", "spec", "", "required")
	}
	return nil
}

// Patrol is one patrol actually done (from a planned slot or ad hoc).
type Patrol struct {
	Meta
	TeamID   string   `db:"team_id"`
	RuleID   string   `db:"rule_id"`
	Date     string   `db:"date"`
	Start    string   `db:"start"`
	End      string   `db:"end"`
	People   []string `db:"people"`
	Route    string   `db:"route"`
	Findings string   `db:"findings"` // JSON list of {category, text}
	Houses   []string `db:"houses"`
	Venues   []string `db:"venues"`
	Notes    string   `db:"notes"`
	// BoardsPosted are the venues where the patrol put up a board;
	// BoardsChecked those whose board it checked (still up, legible).
	BoardsPosted  []string `db:"boards_posted"`
	BoardsChecked []string `db:"boards_checked"`
}

func (*Patrol) Table() string { return "patrols" }
func (p *Patrol) Validate() error {
	if p.Date == "" || !validDate(p.Date) {
		return fieldErr("patrols", "date", p.Date, "must be a date YYYY-MM-DD")
	}
	if len(p.People) == 0 {
		return fieldErr("patrols", "people", "", "at least one person")
	}
	return nil
}

// Venue is a place where boards hang: shop, clinic, restaurant, school gate,
// village committee.
type Venue struct {
	Meta
	VillageID string  `db:"village_id"`
	Kind      string  `db:"kind"`
	Name      string  `db:"name"`
	Address   string  `db:"address"`
	Contact   string  `db:"contact"`
	Phone     string  `db:"phone"`
	Staff     int64   `db:"staff"`
	X         float64 `db:"x"`
	Y         float64 `db:"y"`
}

func (*Venue) Table() string { return "venues" }
func (v *Venue) Validate() error {
	if err := finite("venues", num{"x", v.X}, num{"y", v.Y}); err != nil {
		return err
	}
	if strings.TrimSpace(v.Name) == "" {
		return fieldErr("venues", "name", "", "required")
	}
	return normPhoneField("venues", "phone", &v.Phone)
}

// CostItem is one line of a cost-of-fighting board, published by the
// station with its legal citation (see domain-facts.md).
type CostItem struct {
	Meta
	Tier          string  `db:"tier"` // public_order, criminal
	Grp           string  `db:"grp"`  // legal, economic, family
	Text          string  `db:"text"`
	AmountMin     float64 `db:"amount_min"`
	AmountMax     float64 `db:"amount_max"`
	Unit          string  `db:"unit"`
	Law           string  `db:"law"`
	Article       string  `db:"article"`
	LawVersion    string  `db:"law_version"`
	EffectiveDate string  `db:"effective_date"`
	CheckedOn     string  `db:"checked_on"`
	Confirmed     bool    `db:"confirmed"`
	Local         bool    `db:"local"`
	Sort          int64   `db:"sort"`
	// Source names where a claim comes from beyond Law/Article: a court
	// interpretation, or who sets a local figure (migration 0006).
	Source string `db:"source"`
}

func (*CostItem) Table() string { return "cost_items" }
func (c *CostItem) Validate() error {
	if err := finite("cost_items", num{"amount_min", c.AmountMin}, num{"amount_max", c.AmountMax}); err != nil {
		return err
	}
	if strings.TrimSpace(c.Text) == "" {
		return fieldErr("cost_items", "text", "", "required")
	}
	if !oneOf(c.Tier, "public_order", "criminal") || c.Tier == "" {
		return fieldErr("cost_items", "tier", c.Tier, "must be public_order or criminal")
	}
	if !oneOf(c.Grp, "legal", "economic", "family") || c.Grp == "" {
		return fieldErr("cost_items", "grp", c.Grp, "must be legal, economic or family")
	}
	if c.AmountMin < 0 || (c.AmountMax != 0 && c.AmountMax < c.AmountMin) {
		return fieldErr("cost_items", "amount_max", "", "range must satisfy 0 ≤ min ≤ max")
	}
	if c.Tier == "public_order" {
		// 治安管理处罚法 (2025) Art. 136 seals public-order records. The
		// same list as assets.RecordWording (store may not import assets).
		for _, w := range SealedWords {
			if strings.Contains(c.Text, w) {
				return fieldErr("cost_items", "text", c.Text, "public-order records are sealed (Art. 136): no record wording ("+w+") on this tier")
			}
		}
	}
	for _, f := range []struct{ name, v string }{{"effective_date", c.EffectiveDate}, {"checked_on", c.CheckedOn}} {
		if !validDate(f.v) {
			return fieldErr("cost_items", f.name, f.v, "must be a date YYYY-MM-DD")
		}
	}
	return nil
}

// SealedWords are record-related phrases a public-order cost item may not
// use: those records are sealed, so "留案底/影响政审" would be untrue there.
var SealedWords = []string{"案底", "政审", "犯罪记录", "违法记录", "前科", "档案", "留底", "留案"}

// BoardTemplate is a board design published by the station.
type BoardTemplate struct {
	Meta
	Name   string   `db:"name"`
	Layout string   `db:"layout"` // table, calculator, poster
	Title  string   `db:"title"`
	Slogan string   `db:"slogan"`
	Items  []string `db:"items"` // cost item IDs in order
	Size   string   `db:"size"`
	Notes  string   `db:"notes"`
}

func (*BoardTemplate) Table() string { return "board_templates" }
func (b *BoardTemplate) Validate() error {
	if strings.TrimSpace(b.Name) == "" {
		return fieldErr("board_templates", "name", "", "required")
	}
	return nil
}

// PrintRecord says what was printed for which venue and when, so the
// station can count boards per venue.
type PrintRecord struct {
	Meta
	Kind      string `db:"kind"` // board, leaflet, cards, roster, map, sheet
	VenueID   string `db:"venue_id"`
	Template  string `db:"template"`
	Size      string `db:"size"`
	Copies    int64  `db:"copies"`
	PrintedAt string `db:"printed_at"`
	By        string `db:"by"`
}

func (*PrintRecord) Table() string { return "print_records" }
func (p *PrintRecord) Validate() error {
	if strings.TrimSpace(p.Kind) == "" {
		return fieldErr("print_records", "kind", "", "required")
	}
	return nil
}

// Notice is a message published by the station to its posts.
type Notice struct {
	Meta
	Title       string `db:"title"`
	Body        string `db:"body"`
	PublishedAt string `db:"published_at"`
}

func (*Notice) Table() string { return "notices" }
func (n *Notice) Validate() error {
	if strings.TrimSpace(n.Title) == "" {
		return fieldErr("notices", "title", "", "required")
	}
	return nil
}

func normPhoneField(table, field string, v *string) error {
	if strings.TrimSpace(*v) == "" {
		*v = ""
		return nil
	}
	p, err := NormalisePhone(*v)
	if err != nil {
		return fieldErr(table, field, *v, err.Error())
	}
	*v = p
	return nil
}

// New returns an empty record for a table name (the store's Apply and
// Dump work by table name), or nil for a table that is not synced.
func New(table string) Record {
	switch table {
	case "posts":
		return &Post{}
	case "villages":
		return &Village{}
	case "village_maps":
		return &VillageMap{}
	case "village_georefs":
		return &VillageGeoref{}
	case "houses":
		return &House{}
	case "features":
		return &Feature{}
	case "households":
		return &Household{}
	case "residents":
		return &Resident{}
	case "visits":
		return &Visit{}
	case "teams":
		return &Team{}
	case "members":
		return &Member{}
	case "shift_rules":
		return &ShiftRule{}
	case "shift_exceptions":
		return &ShiftException{}
	case "patrols":
		return &Patrol{}
	case "venues":
		return &Venue{}
	case "cost_items":
		return &CostItem{}
	case "board_templates":
		return &BoardTemplate{}
	case "print_records":
		return &PrintRecord{}
	case "notices":
		return &Notice{}
	case "net_servers":
		return &NetServer{}
	case "releases":
		return &Release{}
	case "audit":
		return &AuditEntry{}
	case "holidays":
		return &Holiday{}
	case "emergencies":
		return &Emergency{}
	case "month_approvals":
		return &MonthApproval{}
	case "month_requests":
		return &MonthRequest{}
	}
	return nil
}

// SyncedTables lists every synced table in dump order.
var SyncedTables = []string{
	"posts", "villages", "village_maps", "village_georefs", "houses", "features", "households",
	"residents", "visits", "teams", "members", "shift_rules", "shift_exceptions", "patrols",
	"venues", "cost_items", "board_templates", "print_records", "notices", "audit",
	"holidays", "emergencies", "month_approvals", "month_requests", "net_servers",
	"releases",
}
