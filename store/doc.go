// Package store owns cunjing's local SQLite database: the schema and its
// numbered migrations, the typed tables of the domain records, the writes
// and their change log, the merge, the queries the screens need, and the
// database file itself (open, checks, copies for backups).
//
// Every synced record lives in a typed table (for queries) and every write to
// it is also appended, field by field, to the change log in the same
// transaction. The change log is the unit of sync: Apply merges changes from
// other devices per field, last writer wins by hybrid logical clock, and keeps
// the value that lost a concurrent edit in the conflicts table. Because the
// typed tables are a pure function of the set of changes, replicas that have
// seen the same changes in any order dump byte-identically (see Dump).
//
// The root keeps what every write and merge goes through: open.go (the
// file), write.go (Save, Update, the change log), merge.go (Apply,
// conflicts), held.go (changes of a newer version held and merged),
// approval.go (the entry points of the monthly approval), owners.go,
// query.go (the typed lists), blobs, the backup key and copies (copy.go),
// the audit log. Concerns with a room of their own live in sub-packages,
// each saying what it owns.
//
// Below the root (it imports them; they never import it and get what they
// need through a narrow interface: a database handle, a write transaction,
// an update function, the clock): store/record, the synced records, their
// validation and the one live-record filter (LiveSQL), whose names the
// root re-exports for its users (store.House is record.House);
// store/internal/table, the table registry built from them and the typed
// reads; store/change, a field change, its HLC and the clock that issues
// it; store/migrations, the schema's history; store/dbfile, the checks
// that a file is a database of ours; store/syncbook, the sync engine's
// bookkeeping (Store.SyncBook, Tx.SyncBook); store/searchindex, the search
// index (Store.Search); store/postcounts, the counts of dashboards
// (Store.PostCounts, Counts); store/householdlist, the household list
// (Store.Households …); store/heldnewer, the table of changes held for a
// newer version (Store.HeldNewer, Tx.HeldOwners); store/approval, the
// monthly approval and its lock, over the write transaction
// (Store.ApproveMonth …, Tx.HoldLateEdits, Tx.Save's lock); store/history,
// the change log read for people (Store.History, NumbersChangedAt);
// store/accounts, the PC's local accounts (Store.AddUser, Login …);
// store/tracedrafts, the drafts of traced maps (Store.TraceDraft …);
// store/dump, the canonical dump (Store.Dump); store/winlock, the
// one-window lock; store/cjbak, the backup file.
//
// Above it, using its exported API only (typed records through List and
// Live, which take SQL and which only store/ may call): store/mapdata, a
// village map as records and its georeference; store/rosterdata, what the
// roster reads and keeps; store/tierdata, posts reported on and what a
// station publishes down; store/emergencylog, the emergency cards opened;
// store/backup, backups; store/ledger, household ledgers; store/demodata,
// the demo post. app/arch_test.go (TestStoreLayers) holds every package
// under store to its side.
package store
