// Package store owns cunjing's local SQLite database: the schema and its
// numbered migrations, the domain records and their validation, the queries
// the screens need, and the mergeable change log.
//
// Every synced record lives in a typed table (for queries) and every write to
// it is also appended, field by field, to the change log in the same
// transaction. The change log is the unit of sync: Apply merges changes from
// other devices per field, last writer wins by hybrid logical clock, and keeps
// the value that lost a concurrent edit in the conflicts table. Because the
// typed tables are a pure function of the set of changes, replicas that have
// seen the same changes in any order dump byte-identically (see Dump).
//
// Concerns with a room of their own live in sub-packages. Below this one
// (it imports them; they never import it, and get what they need through
// a narrow interface): the sync engine's bookkeeping in the same database
// (peers, changesets cut and received, receipts, the BEP index), which is
// never synced, is store/syncbook, reached by Store.SyncBook and
// Tx.SyncBook; the search index (its tables and triggers, the queue worked
// off in every write transaction, the search itself behind Store.Search)
// is store/searchindex; the per-post counts of the dashboards and the
// month report, handed out by Store.PostCounts, are store/postcounts; the
// encrypted backup file (.cjbak) is store/cjbak. Above
// it, using its exported API only: backups (make, rotate, restore, the
// backup key) are store/backup, over Store.WriteCopy, VerifyFile and
// Store.BackupKey here; what the roster reads and keeps (schedule input,
// the holiday calendar, patrol figures) is store/rosterdata, over List and
// Live here. Trace drafts of scanned maps (store/tracedrafts) are local to
// this PC and never synced.
package store
