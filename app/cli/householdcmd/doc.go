// Package householdcmd holds the commands of the households area:
// importing and exporting household ledgers (.xlsx/.csv) and printing
// per-building resident sheets.
package householdcmd
