package costboard

import (
	"fmt"
	"strings"

	"cunjing/print"
)

// Template is a board design.
type Template string

const (
	// TemplateTable is the tiered table: every cost with amount and basis.
	TemplateTable Template = "table"
	// TemplateCalculator adds up what one punch costs, like a receipt.
	TemplateCalculator Template = "calculator"
	// TemplatePoster shows a few big numbers and the slogan.
	TemplatePoster Template = "poster"
)

// Templates lists the board templates in menu order.
func Templates() []Template { return []Template{TemplateTable, TemplateCalculator, TemplatePoster} }

// ParseTemplate reads a template name; "" is the table.
func ParseTemplate(s string) (Template, error) {
	in := Template(strings.ToLower(strings.TrimSpace(s)))
	if in == "" {
		return TemplateTable, nil
	}
	for _, t := range Templates() {
		if in == t {
			return t, nil
		}
	}
	return "", fmt.Errorf("template %q: want table, calculator or poster", s)
}

// ParseTile reads the --tile flag: "" for one sheet, "a4" to tile onto A4.
func ParseTile(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return false, nil
	case "a4":
		return true, nil
	}
	return false, fmt.Errorf("tile %q: only a4 is supported", s)
}

// Layout says how boards are put on paper.
type Layout struct {
	Template Template
	Size     print.Size
	// TileA4 splits each board onto A4 sheets with overlap, glue marks and
	// an assembly index, for an office printer. Otherwise a board size is
	// one page with bleed and crop marks for a print shop and a paper size
	// is one plain page.
	TileA4 bool
	// Marks adds bleed and crop marks to paper sizes too.
	Marks bool
	// RequireConfirmed refuses to print amounts the station has not yet
	// confirmed (final runs); otherwise they print marked 待核实.
	RequireConfirmed bool
}
