-- 0022: when changes of other devices arrived here. One row per applied
-- changeset that added to the change log: the change-log numbers
-- (changes.seq) it added and this PC's clock then. The station's month
-- report counts a post's changes in the month they reached the station,
-- so a post whose clock is months off cannot move them (sync: NoteArrival).
-- Local bookkeeping, never synced; a change applied before this migration
-- has no row and counts by its stamp as before.
CREATE TABLE IF NOT EXISTS change_arrivals (
  seq_to     INTEGER PRIMARY KEY,
  seq_from   INTEGER NOT NULL,
  arrived_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS change_arrivals_by_time ON change_arrivals (arrived_ms);
