-- 0019: drafts of traced village maps (issue #23). `cunjing map trace`
-- without --dry-run, and the map editor's 从扫描图识别, keep what they
-- found on a scan here until the officer accepts it in the editor: one
-- draft per village, local to this PC. Local bookkeeping: never synced, not
-- dumped. The scan itself is a blob (blobs, by content hash), which ships
-- only once a record (the accepted base map) refers to it. proposal is the
-- JSON of maps/trace.Draft, opaque to the store.
CREATE TABLE IF NOT EXISTS trace_drafts (
  village_id TEXT PRIMARY KEY,
  image_hash TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  made_ms INTEGER NOT NULL DEFAULT 0,
  proposal BLOB NOT NULL
) WITHOUT ROWID;
