-- 0007: where a village map lies on Earth (issue #25).
--
-- One record per village, synced like the map itself: the tangent-plane
-- origin (WGS 84 degrees), the fit method and the control points as JSON
-- (map x,y in metres; lon,lat in WGS 84; what the officer typed and in
-- which datum). The fit is recomputed from the points (maps/geo), never
-- stored, so a merge of two edits can never leave a fit that disagrees
-- with its points. The record's id is derived from the village id, so two
-- devices that georeference the same village edit the same record.
--
-- Self-contained (one new table, IF NOT EXISTS so a database rewound to
-- an older user_version, as the migration tests do, migrates again): it
-- may be renumbered to follow other migrations without changing what it
-- does.
CREATE TABLE IF NOT EXISTS village_georefs (
  "id" TEXT PRIMARY KEY,
  "owner" TEXT NOT NULL DEFAULT '',
  "deleted" INTEGER NOT NULL DEFAULT 0,
  "village_id" TEXT NOT NULL DEFAULT '',
  "method" TEXT NOT NULL DEFAULT '',
  "origin_lon" REAL NOT NULL DEFAULT 0,
  "origin_lat" REAL NOT NULL DEFAULT 0,
  "points" TEXT NOT NULL DEFAULT '',
  hlc TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS village_georefs_by_village ON village_georefs (village_id);
