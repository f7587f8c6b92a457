// Package ledgerfile owns a household ledger (台账) as a file: reading an
// .xlsx workbook (every sheet, merged cells, the 1904 date system) or a
// delimited text file (.csv, .txt, an ".xls" some systems write as text)
// in UTF-8, GBK/GB18030 or UTF-16 into tables of text cells, refusing an
// old .xls, a password-protected or damaged workbook with advice; finding
// each sheet's header row (a two-row header too) by how many known fields
// a row names, which the caller's Score says; and cleaning what a cell
// typed in WPS with a Chinese input method needs (CleanText). What the
// columns mean is store/ledger's.
package ledgerfile

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	textunicode "golang.org/x/text/encoding/unicode"
)

// Errors for files refused as a whole; test with errors.Is to show the
// right advice.
var (
	ErrXLS         = errors.New("this is an old .xls workbook: open it in Excel or WPS and save it as .xlsx (or .csv), then import that")
	ErrHTMLXLS     = errors.New("this .xls is a web page saved by another system: open it in Excel or WPS and save it as .xlsx, then import that")
	ErrPassword    = errors.New("the workbook is password-protected: open it in Excel or WPS, remove the password (文件→信息→保护工作簿), save it and import again")
	ErrDamaged     = errors.New("the file is damaged or incomplete (was it copied completely?)")
	ErrEncoding    = errors.New("the text file is neither UTF-8 nor GBK: save it from Excel or WPS as \"CSV UTF-8\"")
	ErrEmpty       = errors.New("the file has no rows to import")
	ErrTooLarge    = fmt.Errorf("the file is larger than 200 MB (1 GB unpacked) or has more than %d rows, %d columns or %d cells; split the ledger", maxRows, maxColumns, maxCells)
	ErrUnsupported = errors.New("unsupported file type: import .xlsx or .csv")
)

// maxFileSize bounds what is read into memory: a county's ledger is a few
// MB; anything far larger is a wrong file.
const maxFileSize = 200 << 20

// maxRows bounds the rows of a workbook (all its sheets) or text file, and maxUnpacked what
// a workbook may unpack to: a 1 MB workbook can hold 300 MB of one
// repeated row, which took minutes and 5 GB of memory to read. A township
// has tens of thousands of residents.
const (
	maxRows     = 200_000
	maxUnpacked = 1 << 30
)

// maxCells bounds the cells of the grid a read holds (rows × the
// columns used, over all sheets), and maxColumns one row's width (Excel's
// last column is XFD, the 16384th): a grid is as wide as its widest row,
// so one cell far to the right, or a line of a million commas, made a
// 300 KB file ask for 160 GB. 200,000 rows of 50 columns fit (a
// township's ledger has tens of thousands of rows of 20 to 40).
const (
	maxCells   = 10_000_000
	maxColumns = 16384
)

// maxTags bounds the elements of the parts of a workbook that excelize
// reads whole (every part but the sheets, which are read as a stream):
// each element costs memory (a shared string some 120 bytes), so a
// 620 KB workbook of 15 million one-letter shared strings, 255 MB of
// XML within the unpacked bound, took 97 s and 1.7 GB, and one of 1 GB
// would take 7 GB. 16 million elements are 4 million plain strings.
const maxTags = 16_000_000

// limits are the bounds one read holds to (tests make them small).
type limits struct {
	rows     int
	unpacked uint64
	cells    int
	tags     int // start and end tags of the parts read whole
}

// headerScan is how many rows from the top may hold titles before the header.
const headerScan = 20

// Score says how many distinct known fields a row of cells names: the
// row naming the most is the header.
type Score func(row []string) int

// Table is one sheet of a ledger file as text cells.
type Table struct {
	Sheet      string   // sheet name; "" for a CSV file
	HeaderLine int      // 1-based row number of the header row in the file
	Headers    []string // one per column
	// Groups holds, per column, the merged cell above the header of a
	// two-row header ("户主信息" over "姓名" and "电话"), else "".
	Groups []string
	Rows   []Row // rows below the header, blank ones included
	// Date1904 is the workbook's date system (Excel serial day numbers).
	Date1904 bool
	// Score is how many distinct known fields the header row names; the
	// sheet with the highest score is the ledger (see Best).
	Score int
	// Filled counts data cells copied from a vertically merged cell (a
	// 门牌号 merged across a household's rows), for the preview to show.
	Filled int
}

// Row is one data row: its 1-based line (row number) in the file and its
// cells, one per header.
type Row struct {
	Line  int
	Cells []string
}

// Blank reports a row with nothing in it.
func (r Row) Blank() bool {
	for _, c := range r.Cells {
		if CleanText(c) != "" {
			return false
		}
	}
	return true
}

// ReadFile reads a ledger file (see Read).
func ReadFile(path string, score Score) ([]*Table, error) {
	data, err := readBounded(path, maxFileSize)
	if err != nil {
		return nil, err
	}
	return Read(filepath.Base(path), data, score)
}

// readBounded reads an ordinary file (a link to one is followed) of at
// most limit bytes. A device, a pipe or a folder is refused before it is
// opened (/dev/zero says its size is 0 and never ends; opening a pipe
// waits for a writer), and the read stops past limit (a file that grew
// after its size was read).
func readBounded(path string, limit int64) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("read ledger: %w", err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("read ledger %s: not a file (%s): %w", filepath.Base(path), st.Mode().Type(), ErrUnsupported)
	}
	if st.Size() > limit {
		return nil, ErrTooLarge
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read ledger: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read ledger %s: %w", filepath.Base(path), err)
	}
	if int64(len(data)) > limit {
		return nil, ErrTooLarge
	}
	return data, nil
}

var (
	cfbMagic  = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	zipMagic  = []byte("PK\x03\x04")
	encInfo16 = []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o\x00")
)

// Read parses a ledger: an .xlsx workbook (every sheet) or a delimited
// text file (.csv, .txt, or an ".xls" that some systems write as text) in
// UTF-8, GBK/GB18030 or UTF-16. The content decides, not the name: a
// ledger renamed by hand is still read, an .xls or encrypted workbook is
// refused with advice. score finds each sheet's header row.
func Read(name string, data []byte, score Score) ([]*Table, error) {
	return read(name, data, score, limits{rows: maxRows, unpacked: maxUnpacked, cells: maxCells, tags: maxTags})
}

func read(name string, data []byte, score Score, lim limits) ([]*Table, error) {
	if len(data) > maxFileSize {
		return nil, ErrTooLarge
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, ErrEmpty
	}
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case bytes.HasPrefix(data, cfbMagic):
		if bytes.Contains(data, encInfo16) {
			return nil, ErrPassword
		}
		return nil, ErrXLS
	case bytes.HasPrefix(data, zipMagic) || ext == ".xlsx" || ext == ".xlsm":
		return readXLSX(data, score, lim)
	case ext == ".xls" || ext == ".html" || ext == ".htm":
		head := strings.ToLower(string(data[:min(len(data), 512)]))
		if strings.Contains(head, "<html") || strings.Contains(head, "<table") || strings.Contains(head, "<?xml") {
			return nil, ErrHTMLXLS
		}
		if ext != ".xls" {
			return nil, ErrUnsupported
		}
	case ext == ".csv" || ext == ".txt" || ext == ".tsv" || ext == "":
	default:
		if !isText(data) {
			return nil, ErrUnsupported
		}
	}
	t, err := readCSV(data, score, lim)
	if err != nil {
		return nil, err
	}
	return []*Table{t}, nil
}

// isText is a cheap guess that data is a text table, not a binary file.
func isText(data []byte) bool {
	head := data[:min(len(data), 4096)]
	if _, ok := utf16WithoutBOM(head); ok {
		return true
	}
	return bytes.IndexByte(head, 0) < 0 || bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF})
}

// utf16WithoutBOM tells UTF-16 that some systems export without a
// byte-order mark: text (UTF-8, GBK) holds no NUL byte, while a table's
// commas, tabs, digits and line ends in UTF-16 are a NUL and the
// character, the NUL first in big-endian and second in little-endian. So
// NULs in the head all on one side of their pairs, and in many of the
// pairs, decide; anything else (a binary file) is not taken for text.
func utf16WithoutBOM(data []byte) (textunicode.Endianness, bool) {
	head := data[:min(len(data), 4096)&^1]
	var even, odd int
	for i, b := range head {
		if b != 0 {
			continue
		}
		if i%2 == 0 {
			even++
		} else {
			odd++
		}
	}
	pairs := len(head) / 2
	order := textunicode.LittleEndian
	switch {
	case pairs < 8: // not even a header line
		return order, false
	case even == 0 && odd*4 >= pairs:
	case odd == 0 && even*4 >= pairs:
		order = textunicode.BigEndian
	default:
		return order, false
	}
	// And it reads as text: no control character but tab and line ends.
	out, err := textunicode.UTF16(order, textunicode.IgnoreBOM).NewDecoder().Bytes(head)
	if err != nil || bytes.ContainsRune(out, utf8.RuneError) || bytes.ContainsFunc(out, func(r rune) bool { return r < 0x20 && r != '\t' && r != '\r' && r != '\n' }) {
		return order, false
	}
	return order, true
}

// Best returns the table that looks most like a ledger (nil if none has a
// recognisable header).
func Best(tables []*Table) *Table {
	var best *Table
	for _, t := range tables {
		if len(t.Headers) == 0 {
			continue
		}
		if best == nil || t.Score > best.Score {
			best = t
		}
	}
	return best
}

func readXLSX(data []byte, score Score, lim limits) (tables []*Table, err error) {
	// A workbook is outside data: a decoder panic on a crafted or
	// damaged file must become a refusal, not a crash.
	defer func() {
		if r := recover(); r != nil {
			tables, err = nil, fmt.Errorf("%w: %v", ErrDamaged, r)
		}
	}()
	if err := checkUnpacked(data, lim); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: int64(lim.unpacked)})
	if err != nil {
		switch {
		case errors.Is(err, zip.ErrFormat), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, zip.ErrChecksum):
			return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
		case errors.Is(err, excelize.ErrWorkbookFileFormat), errors.Is(err, excelize.ErrWorkbookPassword):
			return nil, ErrPassword
		}
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	defer f.Close()
	props, err := f.GetWorkbookProps()
	if err != nil {
		return nil, fmt.Errorf("%w: workbook properties: %v", ErrDamaged, err)
	}
	date1904 := props.Date1904 != nil && *props.Date1904
	var out []*Table
	// The rows bound is the workbook's: sixteen sheets of 190,000 rows
	// each are as many rows as one sheet of 3 million.
	// So is the cells bound, once for the cells read and once for the
	// tables made of them.
	left, gridLeft, tableLeft := lim.rows, lim.cells, lim.cells
	parts := sheetParts(data)
	for _, sheet := range f.GetSheetList() {
		rows, cells, err := sheetRows(f, sheet, left, gridLeft)
		if err != nil {
			return nil, err
		}
		left -= len(rows)
		gridLeft -= cells
		spans, err := sheetMerges(data, parts[strings.ToLower(sheet)], lim.cells)
		if err != nil {
			return nil, fmt.Errorf("sheet %q: %w", sheet, err)
		}
		t, err := buildTable(rows, spans, score, tableLeft)
		if err != nil {
			return nil, fmt.Errorf("sheet %q: %w", sheet, err)
		}
		tableLeft -= len(t.Headers) * len(t.Rows)
		t.Sheet = sheet
		t.Date1904 = date1904
		out = append(out, t)
	}
	if Best(out) == nil {
		return nil, ErrEmpty
	}
	return out, nil
}

// checkUnpacked refuses a workbook whose parts unpack to more than
// lim.unpacked (the sizes its zip directory declares, which archive/zip
// holds each part to), before anything is unpacked; then one whose parts
// read whole hold more than lim.tags tags ('<'), counted as they unpack.
func checkUnpacked(data []byte, lim limits) error {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	var total uint64
	for _, f := range z.File {
		total += f.UncompressedSize64
		if f.UncompressedSize64 > lim.unpacked || total > lim.unpacked {
			return ErrTooLarge
		}
	}
	tags := 0
	buf := make([]byte, 64<<10)
	for _, f := range z.File {
		name := strings.ToLower(f.Name)
		if strings.HasPrefix(name, "xl/worksheets/") && !strings.HasPrefix(name, "xl/worksheets/_rels/") {
			continue // read as a stream, row by row (sheetRows)
		}
		if ext := path.Ext(name); ext != ".xml" && ext != ".rels" && ext != ".vml" {
			continue // pictures and the like are kept as bytes, not parsed
		}
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("%w: %s: %v", ErrDamaged, f.Name, err)
		}
		for {
			n, err := rc.Read(buf)
			tags += bytes.Count(buf[:n], []byte{'<'})
			if tags > lim.tags {
				rc.Close()
				return fmt.Errorf("%w: %s holds more than %d elements", ErrTooLarge, f.Name, lim.tags/2)
			}
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				rc.Close()
				return fmt.Errorf("%w: %s: %v", ErrDamaged, f.Name, err)
			}
		}
		rc.Close()
	}
	return nil
}

// sheetRows is a sheet's cells as text, row by row (as excelize's GetRows:
// empty rows between kept, empty rows at the end dropped), read as a
// stream and refused with ErrTooLarge past limit rows or cellLimit cells
// (a row is as long as its last cell: one in column XFD makes it 16384):
// GetRows holds every row before anyone can count them, and drops a row
// it cannot read. cells is how many it holds.
func sheetRows(f *excelize.File, sheet string, limit, cellLimit int) (out [][]string, cells int, err error) {
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, 0, fmt.Errorf("%w: sheet %q: %v", ErrDamaged, sheet, err)
	}
	cur, last := 0, 0
	for it.Next() {
		cur++
		row, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			_ = it.Close() // the row's error is the one to report
			return nil, 0, fmt.Errorf("%w: sheet %q row %d: %v", ErrDamaged, sheet, cur, err)
		}
		if len(row) == 0 {
			continue
		}
		if cur > limit {
			_ = it.Close() // refused whatever closing says
			// The row's number is said: a stray cell far down a short
			// ledger is told apart from a ledger that is too long.
			return nil, 0, fmt.Errorf("%w: sheet %q has cells in row %d", ErrTooLarge, sheet, cur)
		}
		if cells += len(row); cells > cellLimit {
			_ = it.Close()
			return nil, 0, fmt.Errorf("%w: sheet %q has more than %d cells by row %d (its row %d reaches column %d)", ErrTooLarge, sheet, cellLimit, cur, cur, len(row))
		}
		for ; last < cur-1; last++ {
			out = append(out, nil)
		}
		out = append(out, row)
		last = cur
	}
	if err := it.Error(); err != nil {
		_ = it.Close()
		return nil, 0, fmt.Errorf("%w: sheet %q: %v", ErrDamaged, sheet, err)
	}
	if err := it.Close(); err != nil {
		return nil, 0, fmt.Errorf("sheet %q: %w", sheet, err)
	}
	return out, cells, nil
}

// span is a merged range, 0-based and inclusive.
type span struct{ r1, c1, r2, c2 int }

// buildTable finds the header row and turns the grid into a Table. Merged
// cells hold their value only in the top-left cell; in the header rows it
// is spread over the whole range (so a two-row header reads right), in the
// data rows only down the first column (a door number merged over a
// household's rows belongs to each of them; a note merged across columns
// does not belong to the other columns).
//
// The data rows are cut to the columns used (the last with a header or a
// cell in it) before they are copied, and refused with ErrTooLarge past
// cellLimit cells: a header of 16384 columns over 200,000 rows is a grid
// of 3 billion cells.
func buildTable(grid [][]string, spans []span, headerScore Score, cellLimit int) (*Table, error) {
	width := 0
	for _, r := range grid {
		width = max(width, len(r))
	}
	for _, s := range spans {
		width = max(width, s.c2+1)
	}
	// top is the first rows with merges spread both ways, for finding
	// the header; fromH marks cells filled from a horizontal merge.
	topN := min(len(grid), headerScan)
	top := make([][]string, topN)
	fromH := make([][]int, topN) // span width when filled horizontally
	fromV := make([]bool, topN)  // row has a cell filled from a merge above
	for i := range top {
		top[i] = make([]string, width)
		copy(top[i], grid[i])
		fromH[i] = make([]int, width)
	}
	for _, s := range spans {
		if s.r1 >= topN {
			continue
		}
		v := cell(grid, s.r1, s.c1)
		for r := s.r1; r <= min(s.r2, topN-1); r++ {
			for c := s.c1; c <= s.c2; c++ {
				top[r][c] = v
				if s.c2 > s.c1 {
					fromH[r][c] = s.c2 - s.c1 + 1
				}
				if r > s.r1 {
					fromV[r] = true
				}
			}
		}
	}
	h, score := -1, 1
	for i, row := range top {
		if sc := headerScore(row); sc > score {
			h, score = i, sc
		}
	}
	// A two-row header: the columns without sub-headers are merged down
	// into the lower row, which is the one that names every column.
	if h >= 0 && h+1 < topN && fromV[h+1] && headerScore(top[h+1]) >= score {
		h++
		score = headerScore(top[h])
	}
	t := &Table{}
	if h < 0 {
		// No recognisable header: take the first non-empty row so the
		// user can map the columns by hand.
		for i, row := range top {
			if !(Row{Cells: row}).Blank() {
				h, score = i, 0
				break
			}
		}
		if h < 0 {
			return t, nil
		}
	}
	t.HeaderLine, t.Score = h+1, score
	t.Headers = make([]string, width)
	t.Groups = make([]string, width)
	used := 0
	for c := 0; c < width; c++ {
		t.Headers[c] = CleanText(top[h][c])
		if h > 0 && fromH[h-1][c] > 0 && fromH[h-1][c]*5 < width*4 {
			if g := CleanText(top[h-1][c]); g != t.Headers[c] {
				t.Groups[c] = g
			}
		}
	}
	// The columns used: a merge below the header fills only its first
	// column from its top-left cell, which is a cell of the grid, so the
	// grid's cells say it.
	for c := 0; c < width; c++ {
		if t.Headers[c] != "" {
			used = c + 1
		}
	}
	for _, row := range grid[h+1:] {
		for c := len(row) - 1; c >= used; c-- {
			if CleanText(row[c]) != "" {
				used = c + 1
				break
			}
		}
	}
	if n := len(grid) - h - 1; n > 0 && used > cellLimit/n {
		return nil, fmt.Errorf("%w: %d columns × %d rows is more than %d cells", ErrTooLarge, used, n, cellLimit)
	}
	data := make([][]string, 0, len(grid)-h-1)
	for r := h + 1; r < len(grid); r++ {
		row := make([]string, used)
		copy(row, grid[r])
		data = append(data, row)
	}
	for _, s := range spans {
		if s.r1 <= h || s.r2 == s.r1 || s.c1 >= used {
			continue
		}
		v := cell(grid, s.r1, s.c1)
		for r := s.r1 + 1; r <= s.r2 && r-h-1 < len(data); r++ {
			if data[r-h-1][s.c1] == "" && v != "" {
				data[r-h-1][s.c1] = v
				t.Filled++
			}
		}
	}
	t.Headers = t.Headers[:used]
	t.Groups = t.Groups[:used]
	for i, row := range data {
		t.Rows = append(t.Rows, Row{Line: h + 2 + i, Cells: row})
	}
	// Trailing blank rows are formatting, not data.
	for len(t.Rows) > 0 && t.Rows[len(t.Rows)-1].Blank() {
		t.Rows = t.Rows[:len(t.Rows)-1]
	}
	return t, nil
}

func cell(grid [][]string, r, c int) string {
	if r < len(grid) && c < len(grid[r]) {
		return grid[r][c]
	}
	return ""
}

// decodeText returns data as UTF-8: a BOM decides, else valid UTF-8 is
// taken as is, else it must decode as GB18030 (a superset of GBK, what
// Excel and WPS write for "CSV" on a Chinese Windows).
func decodeText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		dec := textunicode.UTF16(textunicode.LittleEndian, textunicode.UseBOM).NewDecoder()
		out, err := dec.Bytes(data)
		if err != nil {
			return "", fmt.Errorf("%w: %v", ErrEncoding, err)
		}
		return string(out), nil
	}
	if order, ok := utf16WithoutBOM(data); ok {
		out, err := textunicode.UTF16(order, textunicode.IgnoreBOM).NewDecoder().Bytes(data)
		if err != nil {
			return "", fmt.Errorf("%w: %v", ErrEncoding, err)
		}
		return string(out), nil
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	// UTF-8 cut inside its last character: a truncated copy, not GBK.
	for cut := 1; cut <= 3 && cut < len(data); cut++ {
		if utf8.Valid(data[:len(data)-cut]) && !utf8.FullRune(data[len(data)-cut:]) && bytes.ContainsFunc(data, func(r rune) bool { return r > 0x7f }) {
			return "", fmt.Errorf("%w: the text ends inside a character", ErrDamaged)
		}
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrEncoding, err)
	}
	if bytes.ContainsRune(out, utf8.RuneError) {
		line := 1 + bytes.Count(out[:bytes.IndexRune(out, utf8.RuneError)], []byte("\n"))
		return "", fmt.Errorf("%w (undecodable bytes on line %d)", ErrEncoding, line)
	}
	return string(out), nil
}

func readCSV(data []byte, score Score, lim limits) (*Table, error) {
	text, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = sniffDelimiter(text)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var grid [][]string
	cells := 0
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
		}
		if len(grid) >= lim.rows {
			return nil, ErrTooLarge
		}
		if len(rec) > maxColumns {
			return nil, fmt.Errorf("%w: line %d has %d columns (a sheet has at most %d)", ErrTooLarge, len(grid)+1, len(rec), maxColumns)
		}
		if cells += len(rec); cells > lim.cells {
			return nil, fmt.Errorf("%w: more than %d cells by line %d", ErrTooLarge, lim.cells, len(grid)+1)
		}
		grid = append(grid, rec)
	}
	t, err := buildTable(grid, nil, score, lim.cells)
	if err != nil {
		return nil, err
	}
	if len(t.Headers) == 0 {
		return nil, ErrEmpty
	}
	return t, nil
}

// sniffDelimiter picks comma, tab or semicolon by what the first
// non-empty lines use most.
func sniffDelimiter(text string) rune {
	counts := map[rune]int{}
	lines := 0
	for _, line := range strings.SplitN(text, "\n", 6) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		lines++
		inQuote := false
		for _, c := range line {
			switch {
			case c == '"':
				inQuote = !inQuote
			case !inQuote && (c == ',' || c == '\t' || c == ';' || c == '，'):
				counts[c]++
			}
		}
	}
	best, n := ',', 0
	for _, c := range []rune{',', '\t', ';'} {
		if counts[c] > n {
			best, n = c, counts[c]
		}
	}
	return best
}

// CleanText turns full-width ASCII into half-width, drops zero-width and
// control characters, trims and collapses runs of spaces: what a cell
// typed in WPS with a Chinese input method usually needs.
func CleanText(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r >= '！' && r <= '～':
			r = r - '！' + '!'
		case r == '\u3000' || r == '\u00a0':
			r = ' '
		case r == '\u200b' || r == '\ufeff' || r == '\u200c' || r == '\u200d':
			continue
		}
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// sheetParts maps each sheet's name (lower case, as excelize matches
// them) to its part in the workbook's zip, by the workbook and its
// relationships; a sheet it cannot place is left out (its merges are then
// not read).
func sheetParts(data []byte) map[string]string {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil
	}
	read := func(name string, v any) bool {
		for _, f := range z.File {
			if strings.EqualFold(f.Name, name) {
				rc, err := f.Open()
				if err != nil {
					return false
				}
				defer rc.Close()
				return xml.NewDecoder(rc).Decode(v) == nil
			}
		}
		return false
	}
	type rel struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	}
	var rels struct {
		Rel []rel `xml:"Relationship"`
	}
	target := func(base, t string) string {
		if strings.HasPrefix(t, "/") {
			return strings.TrimPrefix(t, "/")
		}
		return path.Clean(path.Join(path.Dir(base), t))
	}
	wb := "xl/workbook.xml"
	if read("_rels/.rels", &rels) {
		for _, r := range rels.Rel {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				wb = target("", r.Target)
			}
		}
	}
	var book struct {
		Sheets []struct {
			Name  string     `xml:"name,attr"`
			Attrs []xml.Attr `xml:",any,attr"`
		} `xml:"sheets>sheet"`
	}
	rels.Rel = nil
	if !read(wb, &book) || !read(path.Join(path.Dir(wb), "_rels", path.Base(wb)+".rels"), &rels) {
		return nil
	}
	byID := map[string]string{}
	for _, r := range rels.Rel {
		byID[r.ID] = target(wb, r.Target)
	}
	out := map[string]string{}
	for _, sh := range book.Sheets {
		for _, a := range sh.Attrs {
			if a.Name.Local == "id" && a.Name.Space != "" {
				if p, ok := byID[a.Value]; ok {
					out[strings.ToLower(sh.Name)] = p
				}
			}
		}
	}
	return out
}

// sheetMerges reads the merged ranges of the sheet part name as a stream
// (excelize's GetMergeCells reads the whole sheet, and fixes up rows that
// give no number in time growing with the square of their count: a
// 60 KB workbook of 200,000 empty rows took a minute), at most limit.
func sheetMerges(data []byte, name string, limit int) ([]span, error) {
	if name == "" {
		return nil, nil
	}
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	var part *zip.File
	for _, f := range z.File {
		if strings.EqualFold(f.Name, name) {
			part = f
		}
	}
	if part == nil {
		return nil, nil
	}
	rc, err := part.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	var spans []span
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			return spans, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%w: merged cells: %v", ErrDamaged, err)
		}
		el, ok := tok.(xml.StartElement)
		if !ok || el.Name.Local != "mergeCell" {
			continue
		}
		for _, a := range el.Attr {
			if a.Name.Local != "ref" {
				continue
			}
			from, to, _ := strings.Cut(a.Value, ":")
			if to == "" {
				to = from
			}
			c1, r1, err1 := excelize.CellNameToCoordinates(from)
			c2, r2, err2 := excelize.CellNameToCoordinates(to)
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("%w: bad merged range %s", ErrDamaged, a.Value)
			}
			if len(spans) >= limit {
				return nil, fmt.Errorf("%w: more than %d merged ranges", ErrTooLarge, limit)
			}
			spans = append(spans, span{min(r1, r2) - 1, min(c1, c2) - 1, max(r1, r2) - 1, max(c1, c2) - 1})
		}
	}
}
