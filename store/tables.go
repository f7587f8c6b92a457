package store

import "cunjing/store/internal/table"

// The table registry is store/internal/table's (the record structs turned
// into tables and columns once, by reflection); these are its names as
// the change log, the merge, the dump and the typed lists use them.
type (
	tableInfo = table.Info
	column    = table.Column
)

var (
	tables           = table.Tables
	tableOf          = table.Of
	encodeValue      = table.Encode
	decodeValue      = table.Decode
	canonicalDecoded = table.CanonicalDecoded
	sqlValue         = table.SQLValue
	scanTargets      = table.ScanTargets
	finishScan       = table.FinishScan
	snapshot         = table.Snapshot
	placeholders     = table.Placeholders
)
