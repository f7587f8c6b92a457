-- 0021: a shift rule keeps who it put on duty before an edit changed it
-- (JSON of []schedule.Version, oldest first; '' none): editing a
-- rotation's people, or the team a rule draws on, applies from the day of
-- the edit and no longer reassigns past turns (store/rosterdata
-- SaveKeepingPast). A synced field like any: an older cunjing holds its
-- changes aside (held_newer) until it is upgraded.
ALTER TABLE shift_rules ADD COLUMN "versions" TEXT NOT NULL DEFAULT '';
