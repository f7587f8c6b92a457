// Package ledger owns a post's household ledgers (台账) as files: reading
// .xlsx and .csv (UTF-8, GBK, UTF-16) ledgers with Chinese headers in any
// order (the file into tables of text cells is store/ledger/ledgerfile's;
// which row is the header and what its columns mean is the ledger's),
// suggesting and remembering a column mapping, normalising what
// officers type by hand, matching rows to the households and residents
// already recorded, and writing the whole post back out as .xlsx.
//
// An import is two steps so a screen can show what will happen before it
// happens: Preview reads the file, maps, validates and matches every row
// without saving anything, and Commit writes the plan in one transaction
// (after checking nothing changed underneath it). Rows it cannot take are
// reported one by one with the reason; a damaged or unsupported file is
// refused as a whole. Records are written only through the store API, so
// every field change lands in the change log and importing the same ledger
// twice logs nothing the second time.
package ledger
