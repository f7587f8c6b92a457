package ledger

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"cunjing/store"
)

// ExportOptions choose what an export holds.
type ExportOptions struct {
	VillageID string // "" exports every village
	// ShowIDs writes ID numbers in full; otherwise they are masked
	// (1101**********002X). Pass store.CanSeeIDs(user's role).
	ShowIDs bool
}

// ExportSummary says what was written.
type ExportSummary struct {
	Households int `json:"households"`
	Residents  int `json:"residents"`
}

// residentColumns is the 居民台账 sheet: one row per person with the
// household's columns, headed with the labels Suggest maps back exactly,
// so an exported ledger imports again unchanged.
var residentColumns = []Field{
	FieldVillage, FieldDoor, FieldAddress, FieldOwnerName, FieldOwnerPhone, FieldHouseType, FieldHouseUse, FieldArea,
	FieldStructure, FieldStatus, FieldTenantName, FieldTenantPhone, FieldGridCell, FieldHHCats, FieldWarning, FieldHHNotes,
	FieldName, FieldRelation, FieldGender, FieldIDNumber, FieldBirthDate, FieldPhone, FieldHukouAddress, FieldCensusStatus,
	FieldOccupation, FieldReason, FieldMoveIn, FieldMoveOut, FieldCategories, FieldFloatLevel, FieldEmergencyContact,
	FieldEmergencyPhone, FieldNotes, FieldVisitDate,
}

// HouseFile is one household with everything a per-house sheet shows.
type HouseFile struct {
	Village     store.Village
	HouseNumber string // the number painted on the door
	Household   store.Household
	Residents   []store.Resident // head of household first
	Visits      []store.Visit    // newest first
}

// HouseFiles returns the households of a village in door-number order;
// with number set, only those at that number (a house may hold several
// households).
func HouseFiles(ctx context.Context, s *store.Store, villageID, number string) ([]HouseFile, error) {
	d, err := Data(ctx, s, []string{villageID}, nil)
	if err != nil {
		return nil, fmt.Errorf("house files: %w", err)
	}
	files := houseFiles(&d)
	if number == "" {
		return files, nil
	}
	want := cleanDoor(number)
	var out []HouseFile
	for _, f := range files {
		if cleanDoor(f.HouseNumber) == want || cleanDoor(f.Household.DoorNumber) == want {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("house %s: %w", number, store.ErrNotFound)
	}
	return out, nil
}

func houseFiles(d *LedgerData) []HouseFile {
	villages := map[string]store.Village{}
	for _, v := range d.Villages {
		villages[v.ID] = v
	}
	numbers := map[string]string{}
	for _, h := range d.Houses {
		numbers[h.ID] = h.Number
	}
	res := map[string][]store.Resident{}
	for _, r := range d.Residents {
		res[r.HouseholdID] = append(res[r.HouseholdID], r)
	}
	vis := map[string][]store.Visit{}
	for _, v := range d.Visits {
		vis[v.HouseholdID] = append(vis[v.HouseholdID], v)
	}
	out := make([]HouseFile, 0, len(d.Households))
	for _, h := range d.Households {
		n := numbers[h.HouseID]
		if n == "" {
			n = h.DoorNumber
		}
		out = append(out, HouseFile{Village: villages[h.VillageID], HouseNumber: n, Household: h, Residents: res[h.ID], Visits: vis[h.ID]})
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := &out[i], &out[j]
		if a.Village.Name != b.Village.Name {
			return a.Village.Name < b.Village.Name
		}
		if a.HouseNumber != b.HouseNumber {
			return doorLess(a.HouseNumber, b.HouseNumber)
		}
		return a.Household.OwnerName < b.Household.OwnerName
	})
	return out
}

// doorLess orders door numbers as people read them: 2 before 10, 203
// before 203-1, numbered before unnumbered.
func doorLess(a, b string) bool {
	na, ra := leadingInt(a)
	nb, rb := leadingInt(b)
	switch {
	case a == "" || b == "":
		return b == "" && a != ""
	case na != nb:
		return na < nb
	case ra != rb:
		return ra < rb
	}
	return false
}

func leadingInt(s string) (int, string) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return 1 << 30, s
	}
	n, err := strconv.Atoi(s[:i])
	if err != nil {
		return 1 << 30, s
	}
	return n, s[i:]
}

// Export writes the households and residents as an .xlsx workbook: the
// 居民台账 sheet (one row per person, importable again) and the 住户 sheet
// (one row per household).
func Export(ctx context.Context, s *store.Store, w io.Writer, opt ExportOptions) (ExportSummary, error) {
	var vids []string
	if opt.VillageID != "" {
		vids = []string{opt.VillageID}
	}
	d, err := Data(ctx, s, vids, nil)
	if err != nil {
		return ExportSummary{}, fmt.Errorf("export: %w", err)
	}
	return writeWorkbook(w, houseFiles(&d), opt.ShowIDs)
}

func writeWorkbook(w io.Writer, files []HouseFile, showIDs bool) (sum ExportSummary, err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("export: %w", cerr)
		}
	}()
	const people, homes = "居民台账", "住户"
	if err := f.SetSheetName("Sheet1", people); err != nil {
		return sum, fmt.Errorf("export: %w", err)
	}
	if _, err := f.NewSheet(homes); err != nil {
		return sum, fmt.Errorf("export: %w", err)
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Border: []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}}})
	if err != nil {
		return sum, fmt.Errorf("export: %w", err)
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": ID numbers and phones stay text when edited
	if err != nil {
		return sum, fmt.Errorf("export: %w", err)
	}
	// Residents sheet.
	sw, err := f.NewStreamWriter(people)
	if err != nil {
		return sum, fmt.Errorf("export: %w", err)
	}
	for i, fld := range residentColumns {
		width := 10.0
		switch fld {
		case FieldIDNumber:
			width = 21
		case FieldAddress, FieldHukouAddress, FieldNotes, FieldHHNotes:
			width = 24
		case FieldPhone, FieldOwnerPhone, FieldTenantPhone, FieldEmergencyPhone, FieldBirthDate, FieldMoveIn, FieldMoveOut, FieldVisitDate:
			width = 13
		}
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return sum, fmt.Errorf("export: %w", err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return sum, fmt.Errorf("export: %w", err)
	}
	hdr := make([]any, len(residentColumns))
	for i, fld := range residentColumns {
		hdr[i] = excelize.Cell{Value: fld.Label(), StyleID: head}
	}
	if err := sw.SetRow("A1", hdr); err != nil {
		return sum, fmt.Errorf("export: %w", err)
	}
	line := 2
	for _, hf := range files {
		sum.Households++
		rs := hf.Residents
		if len(rs) == 0 {
			rs = []store.Resident{{}} // the household still gets its line
		}
		for _, r := range rs {
			if r.Name != "" {
				sum.Residents++
			}
			vals := make([]any, len(residentColumns))
			for i, fld := range residentColumns {
				v := exportValue(fld, &hf, &r, showIDs)
				if fld == FieldIDNumber || fld == FieldPhone || fld == FieldOwnerPhone || fld == FieldTenantPhone || fld == FieldEmergencyPhone {
					vals[i] = excelize.Cell{Value: v, StyleID: text}
				} else {
					vals[i] = v
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, line)
			if err := sw.SetRow(cell, vals); err != nil {
				return sum, fmt.Errorf("export row %d: %w", line, err)
			}
			line++
		}
	}
	if err := sw.Flush(); err != nil {
		return sum, fmt.Errorf("export: %w", err)
	}
	// Households sheet.
	sw, err = f.NewStreamWriter(homes)
	if err != nil {
		return sum, fmt.Errorf("export: %w", err)
	}
	cols := []string{"村", "门牌号", "地址", "户主姓名", "户主电话", "房屋状态", "人数", "户类别", "预警等级", "网格", "最近走访"}
	for i, wd := range []float64{10, 8, 24, 10, 13, 9, 6, 20, 9, 10, 12} {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return sum, fmt.Errorf("export: %w", err)
		}
	}
	hdr = make([]any, len(cols))
	for i, c := range cols {
		hdr[i] = excelize.Cell{Value: c, StyleID: head}
	}
	if err := sw.SetRow("A1", hdr); err != nil {
		return sum, fmt.Errorf("export: %w", err)
	}
	for i, hf := range files {
		h := &hf.Household
		last := ""
		if len(hf.Visits) > 0 {
			last = hf.Visits[0].Date
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, []any{hf.Village.Name, hf.HouseNumber, h.Address, h.OwnerName,
			excelize.Cell{Value: h.OwnerPhone, StyleID: text}, h.Status, len(hf.Residents), strings.Join(h.Categories, "、"), h.Warning, h.GridCell, last}); err != nil {
			return sum, fmt.Errorf("export household %d: %w", i+1, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return sum, fmt.Errorf("export: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return sum, fmt.Errorf("export: write: %w", err)
	}
	return sum, nil
}

func exportValue(f Field, hf *HouseFile, r *store.Resident, showIDs bool) any {
	h := &hf.Household
	if p := textOf(f, h, r); p != nil {
		return *p
	}
	switch f {
	case FieldVillage:
		return hf.Village.Name
	case FieldDoor:
		return hf.HouseNumber
	case FieldArea:
		if h.AreaM2 == 0 {
			return ""
		}
		return h.AreaM2
	case FieldHHCats:
		return strings.Join(h.Categories, "、")
	case FieldHHNotes:
		return h.Notes
	case FieldIDNumber:
		if showIDs || r.IDNumber == "" {
			return r.IDNumber
		}
		return store.MaskIDNumber(r.IDNumber)
	case FieldCategories:
		return strings.Join(r.Categories, "、")
	case FieldNotes:
		return r.Notes
	case FieldVisitDate:
		if len(hf.Visits) > 0 {
			return hf.Visits[0].Date
		}
	}
	return ""
}
