-- 0018: the county tier (issue #22). A county receives from each station
-- the records of that station's posts, re-sent by the station (each change
-- keeps its HLC, so it still names the post that made it). tier_owners
-- says which station speaks for which owner: the first station to bring a
-- post's records claims that post, and records of a post claimed by one
-- station are refused from another. first_ms/last_ms are the county's own
-- clock (when a change of that owner first/last arrived), for the
-- county's freshness view. Local bookkeeping: never synced, not dumped.
CREATE TABLE IF NOT EXISTS tier_owners (
  owner TEXT PRIMARY KEY,
  station TEXT NOT NULL,
  first_ms INTEGER NOT NULL DEFAULT 0,
  last_ms INTEGER NOT NULL DEFAULT 0,
  changes INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tier_owners_by_station ON tier_owners (station);
