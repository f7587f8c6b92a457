-- 0025: what older stations' broadcasts left at a post. A station's
-- broadcast reaches every post of its township; before it carried only
-- what a station publishes (sync/admit.Published: posts, cost_items,
-- board_templates, notices, holidays, net_servers, releases,
-- month_approvals), it carried every record the station owned: households,
-- residents, visits, emergency cards, print records, audit entries … made
-- at the station about other villages or itself. A post keeps none of
-- them: a post that synced with such a station holds them, and this
-- migration removes them once, on this post alone. Why a migration: it is
-- a repair of what the file holds, done once, in the transaction that
-- moves the file to the version whose receive path no longer takes them
-- (sync/admit.Split withholds them from an old station still sending),
-- by whichever program opens the file first, before anything reads it
-- (the window, a print, an export); a file restored from an older backup
-- has an older version and is repaired again when opened.
--
-- Locally: the rows go with their change-log entries, conflicts and
-- reviews and held changes, and nothing is written to the change log (no
-- tombstone travels back to delete them at the station or at other
-- posts). Nothing of the post's own records is touched: only records
-- owned by a station or county (by its profile here or its pairing) of
-- tables no station publishes, and only at a post.
--
-- sync_withheld (local, never synced) keeps, for each record of another
-- device a post does not keep, its table and id (no personal data): the
-- ones removed here (removed = 1, with the count of their changes) and
-- those withheld on arrival since (removed = 0), so a later change of one
-- (an old station's edit, which names no owner) is withheld too, and the
-- count can be shown (cunjing sync --once, the sync status).
CREATE TABLE IF NOT EXISTS sync_withheld (
  tbl     TEXT NOT NULL,
  rec     TEXT NOT NULL,
  owner   TEXT NOT NULL DEFAULT '',
  changes INTEGER NOT NULL DEFAULT 0,
  removed INTEGER NOT NULL DEFAULT 0,
  logged  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tbl, rec)
) WITHOUT ROWID;

CREATE TEMP TABLE leak_owners AS
  SELECT id AS owner FROM posts WHERE role IN ('station', 'county')
  UNION SELECT device_id FROM sync_peers WHERE role IN ('station', 'county');
DELETE FROM temp.leak_owners
  WHERE owner = (SELECT value FROM meta WHERE key = 'device_id')
     OR (SELECT value FROM meta WHERE key = 'role') IS NOT 'post';

INSERT OR IGNORE INTO sync_withheld (tbl, rec, owner, removed) SELECT 'villages', id, owner, 1 FROM villages WHERE owner IN (SELECT owner FROM leak_owners);
INSERT OR IGNORE INTO sync_withheld (tbl, rec, owner, removed) SELECT 'village_maps', id, owner, 1 FROM village_maps WHERE owner IN (SELECT owner FROM leak_owners);
INSERT OR IGNORE INTO sync_withheld (tbl, rec, owner, removed) SELECT 'village_georefs', id, owner, 1 FROM village_georefs WHERE owner IN (SELECT owner FROM leak_owners);
INSERT OR IGNORE INTO sync_withheld (tbl, rec, owner, removed) SELECT 'houses', id, owner, 1 FROM houses WHERE owner IN (SELECT owner FROM leak_owners);
INSERT OR IGNORE INTO sync_withheld (tbl, rec, owner, removed) SELECT 'features', id, owner, 1 FROM features WHERE owner IN (SELECT owner FROM leak_owners);
INSERT OR IGNORE INTO sync_withheld (tbl, rec, owner, removed) SELECT 'households', id, owner, 1 FROM households WHERE owner IN (SELECT owner FROM leak_owners);
INSERT OR IGNORE INTO sync_withheld (tbl, rec, owner, removed) SELECT 'residents', id, owner, 1 FROM residents WHERE owner IN (SELECT owner FROM leak_owners);
INSERT OR IGNORE INTO sync_withheld (tbl, rec, owner, removed) SELECT 'visits', id, owner, 1 FROM visits WHERE owner IN (SELECT owner FROM leak_owners);
INSERT OR IGNORE INTO sync_withheld (tbl, rec, owner, removed) SELECT 'teams', id, owner, 1 FROM teams WHERE owner IN (SELECT owner FROM leak_owners);
INSERT OR IGNORE INTO sync_withheld (tbl, rec, owner, removed) SELECT 'members', id, owner, 1 FROM members WHERE owner IN (SELECT owner FROM leak_owners);
INSERT OR IGNORE INTO sync_withheld (tbl, rec, owner, removed) SELECT 'shift_rules', id, owner, 1 FROM shift_rules WHERE owner IN (SELECT owner FROM leak_owners);
INSERT OR IGNORE INTO sync_withheld (tbl, rec, owner, removed) SELECT 'shift_exceptions', id, owner, 1 FROM shift_exceptions WHERE owner IN (SELECT owner FROM leak_owners);
INSERT OR IGNORE INTO sync_withheld (tbl, rec, owner, removed) SELECT 'patrols', id, owner, 1 FROM patrols WHERE owner IN (SELECT owner FROM leak_owners);
INSERT OR IGNORE INTO sync_withheld (tbl, rec, owner, removed) SELECT 'venues', id, owner, 1 FROM venues WHERE owner IN (SELECT owner FROM leak_owners);
INSERT OR IGNORE INTO sync_withheld (tbl, rec, owner, removed) SELECT 'print_records', id, owner, 1 FROM print_records WHERE owner IN (SELECT owner FROM leak_owners);
INSERT OR IGNORE INTO sync_withheld (tbl, rec, owner, removed) SELECT 'audit', id, owner, 1 FROM audit WHERE owner IN (SELECT owner FROM leak_owners);
INSERT OR IGNORE INTO sync_withheld (tbl, rec, owner, removed) SELECT 'emergencies', id, owner, 1 FROM emergencies WHERE owner IN (SELECT owner FROM leak_owners);
INSERT OR IGNORE INTO sync_withheld (tbl, rec, owner, removed) SELECT 'month_requests', id, owner, 1 FROM month_requests WHERE owner IN (SELECT owner FROM leak_owners);

UPDATE sync_withheld SET changes = (SELECT count(*) FROM changes c WHERE c.tbl = sync_withheld.tbl AND c.rec = sync_withheld.rec)
  WHERE removed = 1;

DELETE FROM villages WHERE id IN (SELECT rec FROM sync_withheld WHERE tbl = 'villages' AND removed = 1);
DELETE FROM village_maps WHERE id IN (SELECT rec FROM sync_withheld WHERE tbl = 'village_maps' AND removed = 1);
DELETE FROM village_georefs WHERE id IN (SELECT rec FROM sync_withheld WHERE tbl = 'village_georefs' AND removed = 1);
DELETE FROM houses WHERE id IN (SELECT rec FROM sync_withheld WHERE tbl = 'houses' AND removed = 1);
DELETE FROM features WHERE id IN (SELECT rec FROM sync_withheld WHERE tbl = 'features' AND removed = 1);
DELETE FROM households WHERE id IN (SELECT rec FROM sync_withheld WHERE tbl = 'households' AND removed = 1);
DELETE FROM residents WHERE id IN (SELECT rec FROM sync_withheld WHERE tbl = 'residents' AND removed = 1);
DELETE FROM visits WHERE id IN (SELECT rec FROM sync_withheld WHERE tbl = 'visits' AND removed = 1);
DELETE FROM teams WHERE id IN (SELECT rec FROM sync_withheld WHERE tbl = 'teams' AND removed = 1);
DELETE FROM members WHERE id IN (SELECT rec FROM sync_withheld WHERE tbl = 'members' AND removed = 1);
DELETE FROM shift_rules WHERE id IN (SELECT rec FROM sync_withheld WHERE tbl = 'shift_rules' AND removed = 1);
DELETE FROM shift_exceptions WHERE id IN (SELECT rec FROM sync_withheld WHERE tbl = 'shift_exceptions' AND removed = 1);
DELETE FROM patrols WHERE id IN (SELECT rec FROM sync_withheld WHERE tbl = 'patrols' AND removed = 1);
DELETE FROM venues WHERE id IN (SELECT rec FROM sync_withheld WHERE tbl = 'venues' AND removed = 1);
DELETE FROM print_records WHERE id IN (SELECT rec FROM sync_withheld WHERE tbl = 'print_records' AND removed = 1);
DELETE FROM audit WHERE id IN (SELECT rec FROM sync_withheld WHERE tbl = 'audit' AND removed = 1);
DELETE FROM emergencies WHERE id IN (SELECT rec FROM sync_withheld WHERE tbl = 'emergencies' AND removed = 1);
DELETE FROM month_requests WHERE id IN (SELECT rec FROM sync_withheld WHERE tbl = 'month_requests' AND removed = 1);

DELETE FROM changes WHERE (tbl, rec) IN (SELECT tbl, rec FROM sync_withheld WHERE removed = 1);
DELETE FROM conflicts WHERE (tbl, rec) IN (SELECT tbl, rec FROM sync_withheld WHERE removed = 1);
DELETE FROM conflict_reviews WHERE (tbl, rec) IN (SELECT tbl, rec FROM sync_withheld WHERE removed = 1);
DELETE FROM held_newer WHERE (tbl, rec) IN (SELECT tbl, rec FROM sync_withheld WHERE removed = 1);
DROP TABLE temp.leak_owners;
