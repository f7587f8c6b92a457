// Package record holds cunjing's synced domain records and the rules they
// are checked by: Meta (ID, owner, tombstone) and the Record interface,
// every record type of a synced table (posts, villages, maps, houses,
// households, residents, visits, the roster, patrols, venues, cost items,
// boards, notices, the audit log, holidays, emergencies, month approvals
// and requests, published servers, releases), each with its Validate, the
// table names in dump order (SyncedTables, New), and the checks of what a
// person types: ID numbers (NormaliseIDNumber, CheckIDNumber), phones,
// dates, masking an ID number for a role that may not see it (ShowID);
// and the SQL filter of a live record, spelt once (LiveSQL), with the
// error of a record that is not there (ErrNotFound).
//
// It is a pure leaf below store: no database, no cgo. Package store
// re-exports every name (store.House is record.House), builds its table
// registry from these structs by reflection, and is the only one that
// reads and writes them; Meta.Loaded, SetLoaded and RecordMeta are for it.
package record
