package ledger

// A ledger file read into tables of text cells is store/ledger/ledgerfile's;
// the ledger says which row is the header (headerScore: the fields it
// knows). Its errors for files refused as a whole are ledgerfile's (test
// with errors.Is to show the right advice).

import "cunjing/store/ledger/ledgerfile"

type (
	// Table is one sheet of a ledger file as text cells.
	Table = ledgerfile.Table
	// Row is one data row of a Table.
	Row = ledgerfile.Row
)

// Read parses a ledger (ledgerfile.Read), finding each sheet's header by
// the fields it names.
func Read(name string, data []byte) ([]*Table, error) {
	return ledgerfile.Read(name, data, headerScore)
}

// ReadFile reads a ledger file (see Read).
func ReadFile(path string) ([]*Table, error) { return ledgerfile.ReadFile(path, headerScore) }

// Best returns the table that looks most like a ledger (nil if none has a
// recognisable header).
func Best(tables []*Table) *Table { return ledgerfile.Best(tables) }

// headerScore counts the distinct known fields a row names.
func headerScore(row []string) int {
	seen := map[Field]bool{}
	for _, c := range row {
		if f := guess("", c); f != FieldIgnore && f != FieldExtra {
			seen[f] = true
		}
	}
	return len(seen)
}
