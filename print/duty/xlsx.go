package duty

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// WriteXLSX writes t as a workbook: sheet 值班表 with the same rows and
// columns as the PDF (market days filled yellow, conflict cells red), and
// sheet 联系人 with names, roles and phones.
func WriteXLSX(w io.Writer, t Table) (err error) {
	if err := t.validate(); err != nil {
		return err
	}
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("duty xlsx: close: %w", cerr)
		}
	}()
	const sheet = "值班表"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("duty xlsx: %w", err)
	}
	cols := t.columns()
	hasNotes := false
	for _, d := range t.Days {
		hasNotes = hasNotes || len(d.Notes) > 0
	}
	head := []any{"日期", "星期", "农历", "集"}
	for _, c := range cols {
		a, b := c.heading()
		head = append(head, a+"\n"+b)
	}
	if hasNotes {
		head = append(head, "备注")
	}
	set := func(sh string, row int, vals []any) error {
		cell, err := excelize.CoordinatesToCellName(1, row)
		if err != nil {
			return err
		}
		return f.SetSheetRow(sh, cell, &vals)
	}
	if err := f.SetCellValue(sheet, "A1", t.Title+" "+t.Period); err != nil {
		return fmt.Errorf("duty xlsx: %w", err)
	}
	if err := set(sheet, 2, head); err != nil {
		return fmt.Errorf("duty xlsx: header: %w", err)
	}
	wrap := &excelize.Alignment{WrapText: true, Vertical: "center", Horizontal: "center"}
	headStyle, err := f.NewStyle(&excelize.Style{Alignment: wrap, Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E1E8F0"}}})
	if err != nil {
		return fmt.Errorf("duty xlsx: %w", err)
	}
	plain, err := f.NewStyle(&excelize.Style{Alignment: wrap})
	if err != nil {
		return fmt.Errorf("duty xlsx: %w", err)
	}
	market, err := f.NewStyle(&excelize.Style{Alignment: wrap, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF3BF"}}})
	if err != nil {
		return fmt.Errorf("duty xlsx: %w", err)
	}
	alert, err := f.NewStyle(&excelize.Style{Alignment: wrap, Font: &excelize.Font{Color: "BE1E1E"}})
	if err != nil {
		return fmt.Errorf("duty xlsx: %w", err)
	}
	alertMarket, err := f.NewStyle(&excelize.Style{Alignment: wrap, Font: &excelize.Font{Color: "BE1E1E"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF3BF"}}})
	if err != nil {
		return fmt.Errorf("duty xlsx: %w", err)
	}
	last, err := excelize.CoordinatesToCellName(len(head), 2)
	if err != nil {
		return fmt.Errorf("duty xlsx: %w", err)
	}
	if err := f.SetCellStyle(sheet, "A2", last, headStyle); err != nil {
		return fmt.Errorf("duty xlsx: %w", err)
	}
	for i, d := range t.Days {
		row := i + 3
		vals := []any{d.Date.Format("2006-01-02"), "周" + weekdayCN[d.Date.Weekday()], d.Lunar, ""}
		if d.Market {
			vals[3] = "集"
		}
		var alerts []bool
		for _, c := range cols {
			s, a := cell(d, c, func(s string) string { return s })
			if a {
				s += " *"
			}
			vals = append(vals, s)
			alerts = append(alerts, a)
		}
		if hasNotes {
			vals = append(vals, strings.Join(d.Notes, "、"))
		}
		if err := set(sheet, row, vals); err != nil {
			return fmt.Errorf("duty xlsx: row %d: %w", row, err)
		}
		for c := range vals {
			style := plain
			isAlert := c >= 4 && c-4 < len(alerts) && alerts[c-4]
			switch {
			case isAlert && d.Market:
				style = alertMarket
			case isAlert:
				style = alert
			case d.Market:
				style = market
			}
			name, err := excelize.CoordinatesToCellName(c+1, row)
			if err != nil {
				return fmt.Errorf("duty xlsx: %w", err)
			}
			if err := f.SetCellStyle(sheet, name, name, style); err != nil {
				return fmt.Errorf("duty xlsx: %w", err)
			}
		}
	}
	if err := f.SetColWidth(sheet, "A", "C", 12); err != nil {
		return fmt.Errorf("duty xlsx: %w", err)
	}
	if len(head) > 4 {
		from, _ := excelize.ColumnNumberToName(5)
		to, _ := excelize.ColumnNumberToName(len(head))
		if err := f.SetColWidth(sheet, from, to, 22); err != nil {
			return fmt.Errorf("duty xlsx: %w", err)
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: 2, TopLeftCell: "B3", ActivePane: "bottomRight"}); err != nil {
		return fmt.Errorf("duty xlsx: %w", err)
	}
	const people = "联系人"
	if _, err := f.NewSheet(people); err != nil {
		return fmt.Errorf("duty xlsx: %w", err)
	}
	if err := set(people, 1, []any{"姓名", "角色", "电话"}); err != nil {
		return fmt.Errorf("duty xlsx: %w", err)
	}
	for i, p := range t.Contacts {
		// Phones as text: a number would lose a leading 0 of a landline.
		if err := set(people, i+2, []any{p.Name, p.Role, p.Phone}); err != nil {
			return fmt.Errorf("duty xlsx: contact %d: %w", i, err)
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("duty xlsx: write: %w", err)
	}
	return nil
}
