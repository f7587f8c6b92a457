-- 0024: a blob's references found by index. A received blob addressed to
-- another device is let through the quarantine only when a change held
-- here refers to it (sync/bep; store.BlobReferenced), and that lookup
-- read the whole change log each time: 85 ms a blob at 500,000 changes,
-- which a hostile peer could ask for over and over. Only the rows of a
-- field naming a blob (…hash) are indexed. Local, never synced.
CREATE INDEX IF NOT EXISTS changes_blob_refs ON changes (value) WHERE field LIKE '%hash';
