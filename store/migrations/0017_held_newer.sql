-- 0017: changes held aside for a newer version (issue #22: new versions
-- carried down the tree). A station is upgraded before its posts, a county
-- before its stations; a change of a table or field this version does not
-- know (a newer one added it) is kept here instead of refusing the whole
-- changeset, and merged when an upgraded cunjing opens the file (store/
-- held.go). Local: never synced, never cut into a changeset, not dumped.
-- One row per change, keyed like the change log, so a changeset that comes
-- twice holds its changes once; origin is the device whose changeset
-- brought it, file that changeset's name, held_ms when it was held (this
-- device's clock); problem says why it could not be merged after an
-- upgrade (a value the new schema refuses), '' while it waits.
CREATE TABLE IF NOT EXISTS held_newer (
  tbl TEXT NOT NULL,
  field TEXT NOT NULL,
  rec TEXT NOT NULL,
  hlc TEXT NOT NULL,
  value TEXT NOT NULL,
  base TEXT NOT NULL DEFAULT '',
  origin TEXT NOT NULL DEFAULT '',
  file TEXT NOT NULL DEFAULT '',
  held_ms INTEGER NOT NULL DEFAULT 0,
  problem TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (tbl, field, rec, hlc)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS held_newer_by_origin ON held_newer (origin, problem, held_ms);
