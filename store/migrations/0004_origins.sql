-- 0004: the change log names the device that made a change by a small
-- number local to this database.
--
-- A device ID is 63 characters. Every change carried it in origin, again
-- inside its HLC, and a third time in the origin index: on a station
-- holding a township's posts that was a third of the change log. The HLC
-- keeps the device (it orders concurrent edits and travels with the
-- change); origin becomes a number that is never synced.
CREATE TABLE origins (
  n        INTEGER PRIMARY KEY,
  device   TEXT NOT NULL UNIQUE,
  -- the newest change of this device held here: how fresh a post's data
  -- is, without reading its changes
  last_hlc TEXT NOT NULL DEFAULT ''
);
INSERT INTO origins (device, last_hlc)
  SELECT origin, max(hlc) FROM changes GROUP BY origin ORDER BY min(seq);

CREATE TABLE changes_v4 (
  seq    INTEGER PRIMARY KEY AUTOINCREMENT,
  origin INTEGER NOT NULL,
  hlc    TEXT NOT NULL,
  tbl    TEXT NOT NULL,
  rec    TEXT NOT NULL,
  field  TEXT NOT NULL,
  value  TEXT NOT NULL,
  base   TEXT NOT NULL DEFAULT '',
  UNIQUE (tbl, rec, field, hlc)
);
-- seq is kept: how far changesets were cut is a seq (sync_streams).
INSERT INTO changes_v4 (seq, origin, hlc, tbl, rec, field, value, base)
  SELECT c.seq, o.n, c.hlc, c.tbl, c.rec, c.field, c.value, c.base
  FROM changes c JOIN origins o ON o.device = c.origin ORDER BY c.seq;
DROP TABLE changes;
ALTER TABLE changes_v4 RENAME TO changes;
CREATE INDEX changes_by_origin ON changes (origin, seq);
