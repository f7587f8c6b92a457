package ledger

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"cunjing/store"
)

// Field is what a ledger column holds: one of the Field* constants, or
// FlagPrefix+category for a 是/否 column such as 是否党员.
type Field string

// Fields a column can be mapped to.
const (
	FieldIgnore Field = ""      // the column is not imported
	FieldExtra  Field = "extra" // kept in the resident's notes as "header：value"

	FieldVillage     Field = "village"
	FieldHouseholdNo Field = "household_no" // groups rows into households; not stored
	FieldDoor        Field = "door_number"
	FieldAddress     Field = "address"
	FieldHouseType   Field = "house_type"
	FieldHouseUse    Field = "house_use"
	FieldArea        Field = "area_m2"
	FieldStructure   Field = "structure"
	FieldOwnerName   Field = "owner_name"
	FieldOwnerPhone  Field = "owner_phone"
	FieldStatus      Field = "status"
	FieldTenantName  Field = "tenant_name"
	FieldTenantPhone Field = "tenant_phone"
	FieldGridCell    Field = "grid_cell"
	FieldHHCats      Field = "household_categories"
	FieldWarning     Field = "warning"
	FieldHHNotes     Field = "household_notes"

	FieldName             Field = "name"
	FieldIDNumber         Field = "id_number"
	FieldGender           Field = "gender"
	FieldBirthDate        Field = "birth_date"
	FieldPhone            Field = "phone"
	FieldHukouAddress     Field = "hukou_address"
	FieldRelation         Field = "relation"
	FieldCensusStatus     Field = "census_status"
	FieldOccupation       Field = "occupation"
	FieldReason           Field = "reason"
	FieldMoveIn           Field = "move_in"
	FieldMoveOut          Field = "move_out"
	FieldCategories       Field = "categories"
	FieldFloatLevel       Field = "float_level"
	FieldEmergencyContact Field = "emergency_contact"
	FieldEmergencyPhone   Field = "emergency_phone"
	FieldNotes            Field = "notes"

	FieldVisitDate    Field = "visit_date"
	FieldVisitOfficer Field = "visit_officer"
	FieldVisitNotes   Field = "visit_notes"

	// FlagPrefix + a category ("flag:党员") reads a 是/否 column into
	// that category of the resident.
	FlagPrefix = "flag:"
)

// FieldInfo describes a target field for the mapping screen.
type FieldInfo struct {
	Field Field
	Label string // Chinese label, as the export writes it in the header
	Group string // "household", "resident", "visit" or "other"
	// Multi fields may take several columns (their values are joined);
	// any other field takes at most one.
	Multi bool
}

// fieldTable is in export column order; the first alias is the label.
var fieldTable = []struct {
	FieldInfo
	aliases []string
}{
	{FieldInfo{FieldVillage, "村", "household", false}, []string{"村", "所属村", "行政村", "村名", "村庄", "所在村", "村委会", "自然村"}},
	{FieldInfo{FieldHouseholdNo, "户号", "household", false}, []string{"户号", "户编号", "家庭编号", "户籍编号", "户代码"}},
	{FieldInfo{FieldDoor, "门牌号", "household", false}, []string{"门牌号", "门牌", "门牌号码", "门号", "房号", "楼牌号", "户门牌号"}},
	{FieldInfo{FieldAddress, "地址", "household", false}, []string{"地址", "现住址", "居住地址", "现居住地址", "详细地址", "住址", "实际居住地址", "房屋地址", "现居地址"}},
	{FieldInfo{FieldOwnerName, "户主姓名", "household", false}, []string{"户主姓名", "户主", "房主", "房主姓名", "业主", "业主姓名", "房屋所有人", "产权人"}},
	{FieldInfo{FieldOwnerPhone, "户主电话", "household", false}, []string{"户主电话", "户主联系电话", "房主电话", "房主联系电话", "业主电话", "户主手机"}},
	{FieldInfo{FieldHouseType, "房屋类型", "household", false}, []string{"房屋类型", "房屋类别", "建筑类型"}},
	{FieldInfo{FieldHouseUse, "房屋用途", "household", false}, []string{"房屋用途", "用途", "使用用途"}},
	{FieldInfo{FieldArea, "面积", "household", false}, []string{"面积", "房屋面积", "建筑面积", "住房面积", "面积(平方米)", "面积(㎡)"}},
	{FieldInfo{FieldStructure, "房屋结构", "household", false}, []string{"房屋结构", "结构", "建筑结构"}},
	{FieldInfo{FieldStatus, "房屋状态", "household", false}, []string{"房屋状态", "居住状态", "使用状态", "使用情况", "房屋使用情况", "自住/出租"}},
	{FieldInfo{FieldTenantName, "承租人", "household", false}, []string{"承租人", "承租人姓名", "租户", "租户姓名", "租住人"}},
	{FieldInfo{FieldTenantPhone, "承租人电话", "household", false}, []string{"承租人电话", "承租人联系电话", "租户电话", "租户联系电话"}},
	{FieldInfo{FieldGridCell, "网格", "household", false}, []string{"网格", "所属网格", "网格号", "网格编号", "网格名称"}},
	{FieldInfo{FieldHHCats, "户类别", "household", true}, []string{"户类别", "户类型", "家庭类别", "家庭类型", "户别", "户属性"}},
	{FieldInfo{FieldWarning, "预警等级", "household", false}, []string{"预警等级", "预警", "预警颜色", "风险等级", "管控等级", "红橙绿"}},
	{FieldInfo{FieldHHNotes, "户备注", "household", true}, []string{"户备注", "家庭备注", "住户备注"}},

	{FieldInfo{FieldName, "姓名", "resident", false}, []string{"姓名", "居民姓名", "人员姓名", "成员姓名", "家庭成员", "名字"}},
	{FieldInfo{FieldRelation, "与户主关系", "resident", false}, []string{"与户主关系", "关系", "家庭关系", "与户主的关系", "称谓"}},
	{FieldInfo{FieldGender, "性别", "resident", false}, []string{"性别"}},
	{FieldInfo{FieldIDNumber, "身份证号", "resident", false}, []string{"身份证号", "身份证号码", "公民身份号码", "证件号码", "身份证", "居民身份证号码", "证件号", "身份号码"}},
	{FieldInfo{FieldBirthDate, "出生日期", "resident", false}, []string{"出生日期", "出生年月", "出生年月日", "生日", "出生时间"}},
	{FieldInfo{FieldPhone, "联系电话", "resident", false}, []string{"联系电话", "电话", "手机", "手机号", "手机号码", "联系方式", "电话号码", "本人电话", "联系手机"}},
	{FieldInfo{FieldHukouAddress, "户籍地址", "resident", false}, []string{"户籍地址", "户籍地", "户口所在地", "户籍所在地", "户籍地详址", "户口地址"}},
	{FieldInfo{FieldCensusStatus, "人户状态", "resident", false}, []string{"人户状态", "人户关系", "人户一致情况", "人户情况", "人户分离情况"}},
	{FieldInfo{FieldOccupation, "职业", "resident", false}, []string{"职业", "工作单位", "工作", "职业/工作单位", "就业情况", "服务处所"}},
	{FieldInfo{FieldReason, "居住事由", "resident", false}, []string{"居住事由", "暂住事由", "来本地事由", "居住原因"}},
	{FieldInfo{FieldMoveIn, "迁入日期", "resident", false}, []string{"迁入日期", "入住日期", "迁入时间", "入住时间", "居住起始日期", "来本地日期"}},
	{FieldInfo{FieldMoveOut, "迁出日期", "resident", false}, []string{"迁出日期", "迁出时间", "离开日期"}},
	{FieldInfo{FieldCategories, "人员类别", "resident", true}, []string{"人员类别", "人员类型", "类别", "特殊人群", "重点人员类别", "标签", "人员属性", "关注类别"}},
	{FieldInfo{FieldFloatLevel, "流动人口等级", "resident", false}, []string{"流动人口等级", "流动人口分级", "流动人员等级"}},
	{FieldInfo{FieldEmergencyContact, "紧急联系人", "resident", false}, []string{"紧急联系人", "紧急联系人姓名"}},
	{FieldInfo{FieldEmergencyPhone, "紧急联系电话", "resident", false}, []string{"紧急联系电话", "紧急联系人电话", "紧急联系方式"}},
	{FieldInfo{FieldNotes, "备注", "resident", true}, []string{"备注", "说明", "其他", "情况说明"}},

	{FieldInfo{FieldVisitDate, "走访日期", "visit", false}, []string{"走访日期", "最近走访", "走访时间", "最近走访日期", "入户走访日期"}},
	{FieldInfo{FieldVisitOfficer, "走访人", "visit", false}, []string{"走访人", "走访民警", "走访人员"}},
	{FieldInfo{FieldVisitNotes, "走访情况", "visit", true}, []string{"走访情况", "走访记录", "走访内容"}},
}

// ignoredHeaders are columns that are derived or positional: a 序号 must not
// land in the notes, or renumbering the ledger would change every record.
var ignoredHeaders = map[string]bool{"序号": true, "编号": true, "No": true, "NO": true, "no": true, "年龄": true, "周岁": true, "人数": true, "家庭人口": true, "人口数": true, "选择": true}

// Fields lists every target a column can be mapped to, in export order,
// followed by FieldExtra and one flag field per known category.
func Fields() []FieldInfo {
	out := make([]FieldInfo, 0, len(fieldTable)+12)
	for _, f := range fieldTable {
		out = append(out, f.FieldInfo)
	}
	out = append(out, FieldInfo{FieldExtra, "其他（记入备注）", "other", true})
	for _, c := range flagCategories {
		out = append(out, FieldInfo{Field(FlagPrefix + c), "是否" + c, "resident", false})
	}
	return out
}

var flagCategories = []string{"党员", "留守老人", "留守儿童", "独居", "五保户", "重点户", "出租屋", "流动人口", "网格员"}

// fieldIndex is fieldTable by field.
var fieldIndex = func() map[Field]FieldInfo {
	m := make(map[Field]FieldInfo, len(fieldTable))
	for _, t := range fieldTable {
		m[t.Field] = t.FieldInfo
	}
	return m
}()

func fieldInfo(f Field) (FieldInfo, bool) {
	if fi, ok := fieldIndex[f]; ok {
		return fi, true
	}
	if f == FieldExtra {
		return FieldInfo{FieldExtra, "其他（记入备注）", "other", true}, true
	}
	if c, ok := strings.CutPrefix(string(f), FlagPrefix); ok && c != "" {
		return FieldInfo{f, "是否" + c, "resident", false}, true
	}
	return FieldInfo{}, false
}

// Label is the Chinese label of a field (the export's header).
func (f Field) Label() string {
	if fi, ok := fieldInfo(f); ok {
		return fi.Label
	}
	return string(f)
}

var headerNoise = regexp.MustCompile(`[\s*＊:：]+|[（(][^）)]*[）)]`)

// cleanHeader reduces a header cell to what identifies it: no spaces,
// asterisks (required marks), colons or parenthesised hints.
func cleanHeader(h string) string {
	return headerNoise.ReplaceAllString(cleanText(h), "")
}

var aliasIndex = func() map[string]Field {
	m := map[string]Field{}
	for _, f := range fieldTable {
		for _, a := range f.aliases {
			m[cleanHeader(a)] = f.Field
		}
	}
	return m
}()

// guess maps one header (group is the merged cell above it, if any).
func guess(group, header string) Field {
	h := cleanHeader(header)
	g := cleanHeader(group)
	if h == "" {
		return FieldIgnore
	}
	if ignoredHeaders[h] {
		return FieldIgnore
	}
	// A two-row header: "户主信息" over "姓名", "电话"; "承租人" over "电话".
	if g != "" {
		for _, prefix := range []string{"户主", "房主", "业主"} {
			if strings.Contains(g, prefix) {
				switch {
				case strings.Contains(h, "姓名") || h == "名字":
					return FieldOwnerName
				case strings.Contains(h, "电话") || strings.Contains(h, "手机"):
					return FieldOwnerPhone
				}
			}
		}
		if strings.Contains(g, "承租") || strings.Contains(g, "租户") {
			switch {
			case strings.Contains(h, "姓名"):
				return FieldTenantName
			case strings.Contains(h, "电话") || strings.Contains(h, "手机"):
				return FieldTenantPhone
			}
		}
		if strings.Contains(g, "紧急") {
			switch {
			case strings.Contains(h, "电话") || strings.Contains(h, "手机"):
				return FieldEmergencyPhone
			case strings.Contains(h, "姓名") || strings.Contains(h, "联系人"):
				return FieldEmergencyContact
			}
		}
		if strings.Contains(g, "走访") {
			switch {
			case strings.Contains(h, "日期") || strings.Contains(h, "时间"):
				return FieldVisitDate
			case strings.Contains(h, "人") || strings.Contains(h, "民警"):
				return FieldVisitOfficer
			case strings.Contains(h, "情况") || strings.Contains(h, "内容") || strings.Contains(h, "记录"):
				return FieldVisitNotes
			}
		}
		if f, ok := aliasIndex[g+h]; ok {
			return f
		}
	}
	if f, ok := aliasIndex[h]; ok {
		return f
	}
	if c, ok := strings.CutPrefix(h, "是否"); ok {
		if a, ok := categoryAliases[c]; ok {
			return Field(FlagPrefix + a)
		}
		for _, fc := range flagCategories {
			if c == fc {
				return Field(FlagPrefix + c)
			}
		}
	}
	switch {
	case strings.Contains(h, "身份证") || strings.Contains(h, "身份号码"):
		return FieldIDNumber
	case strings.Contains(h, "紧急") && (strings.Contains(h, "电话") || strings.Contains(h, "手机")):
		return FieldEmergencyPhone
	case strings.Contains(h, "紧急"):
		return FieldEmergencyContact
	case (strings.Contains(h, "户主") || strings.Contains(h, "房主")) && (strings.Contains(h, "电话") || strings.Contains(h, "手机")):
		return FieldOwnerPhone
	case strings.Contains(h, "承租") && (strings.Contains(h, "电话") || strings.Contains(h, "手机")):
		return FieldTenantPhone
	case strings.Contains(h, "电话") || strings.Contains(h, "手机"):
		return FieldPhone
	case strings.Contains(h, "门牌"):
		return FieldDoor
	case strings.Contains(h, "户籍") || strings.Contains(h, "户口"):
		return FieldHukouAddress
	case strings.Contains(h, "住址") || strings.Contains(h, "地址"):
		return FieldAddress
	case strings.Contains(h, "出生"):
		return FieldBirthDate
	case strings.Contains(h, "走访") && (strings.Contains(h, "日期") || strings.Contains(h, "时间")):
		return FieldVisitDate
	case strings.Contains(h, "备注"):
		return FieldNotes
	}
	return FieldExtra
}

// Mapping says what each column of a ledger holds. The UI stores it (as
// JSON, keyed by Fingerprint) so the next ledger with the same header row
// maps itself.
type Mapping struct {
	Fingerprint string   `json:"fingerprint"`
	Headers     []string `json:"headers"`
	Fields      []Field  `json:"fields"`
}

// Fingerprint identifies a header row regardless of cell padding, so the
// same ledger template, exported again next month, finds its mapping.
func Fingerprint(headers []string) string {
	h := sha256.New()
	for _, c := range headers {
		h.Write([]byte(cleanHeader(c)))
		h.Write([]byte{0x1f})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Suggest maps each header (and the merged group cell above it, when the
// table has a two-row header) to a field. A field that fits a second
// column too goes to FieldExtra, so the second column's data is kept.
func Suggest(t *Table) Mapping {
	m := Mapping{Fingerprint: Fingerprint(t.Headers), Headers: append([]string(nil), t.Headers...), Fields: make([]Field, len(t.Headers))}
	used := map[Field]bool{}
	for i, h := range t.Headers {
		group := ""
		if i < len(t.Groups) {
			group = t.Groups[i]
		}
		f := guess(group, h)
		if fi, ok := fieldInfo(f); ok && !fi.Multi && f != FieldIgnore {
			if used[f] {
				f = FieldExtra
			}
			used[f] = true
		}
		m.Fields[i] = f
	}
	return m
}

// Fits reports whether a remembered mapping belongs to this table.
func (m Mapping) Fits(t *Table) bool {
	return m.Fingerprint == Fingerprint(t.Headers) && len(m.Fields) == len(t.Headers)
}

// Check reports a mapping the import cannot run with: unknown fields, a
// single field on two columns, or no column naming a person or household.
func (m Mapping) Check() error {
	used := map[Field]int{}
	for i, f := range m.Fields {
		if f == FieldIgnore {
			continue
		}
		fi, ok := fieldInfo(f)
		if !ok {
			return fmt.Errorf("column %d: unknown field %q", i+1, f)
		}
		if prev, dup := used[f]; dup && !fi.Multi {
			return fmt.Errorf("columns %d and %d are both mapped to %s", prev+1, i+1, fi.Label)
		}
		used[f] = i
	}
	_, name := used[FieldName]
	_, owner := used[FieldOwnerName]
	if !name && !owner {
		return fmt.Errorf("no column is mapped to 姓名 or 户主姓名")
	}
	return nil
}

// MarshalMapping and UnmarshalMapping are the mapping's stored form.
func MarshalMapping(m Mapping) ([]byte, error) { return json.Marshal(m) }

// UnmarshalMapping reads a stored mapping and checks it.
func UnmarshalMapping(data []byte) (Mapping, error) {
	var m Mapping
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("read column mapping: %w", err)
	}
	if len(m.Headers) != len(m.Fields) {
		return m, fmt.Errorf("read column mapping: %d headers but %d fields", len(m.Headers), len(m.Fields))
	}
	if err := m.Check(); err != nil {
		return m, fmt.Errorf("read column mapping: %w", err)
	}
	return m, nil
}

// textOf is the text field of the household h or the resident r that
// column f is kept in, nil for a column kept otherwise (the village, the
// door, the area, a list of categories, notes, the ID number, the visit).
// parseRow writes through it and exportValue reads through it, so each
// column is kept in one place both ways.
func textOf(f Field, h *store.Household, r *store.Resident) *string {
	switch f {
	case FieldAddress:
		return &h.Address
	case FieldHouseType:
		return &h.HouseType
	case FieldHouseUse:
		return &h.HouseUse
	case FieldStructure:
		return &h.Structure
	case FieldOwnerName:
		return &h.OwnerName
	case FieldOwnerPhone:
		return &h.OwnerPhone
	case FieldStatus:
		return &h.Status
	case FieldTenantName:
		return &h.TenantName
	case FieldTenantPhone:
		return &h.TenantPhone
	case FieldGridCell:
		return &h.GridCell
	case FieldWarning:
		return &h.Warning
	case FieldName:
		return &r.Name
	case FieldRelation:
		return &r.Relation
	case FieldGender:
		return &r.Gender
	case FieldBirthDate:
		return &r.BirthDate
	case FieldPhone:
		return &r.Phone
	case FieldHukouAddress:
		return &r.HukouAddress
	case FieldCensusStatus:
		return &r.CensusStatus
	case FieldOccupation:
		return &r.Occupation
	case FieldReason:
		return &r.Reason
	case FieldMoveIn:
		return &r.MoveIn
	case FieldMoveOut:
		return &r.MoveOut
	case FieldFloatLevel:
		return &r.FloatLevel
	case FieldEmergencyContact:
		return &r.EmergencyContact
	case FieldEmergencyPhone:
		return &r.EmergencyPhone
	}
	return nil
}
