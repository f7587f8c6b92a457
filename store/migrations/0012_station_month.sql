-- 0012: the township station's own workspace (issue #20).
--
-- Counts by owner for the station's home (全镇总览): a station holds every
-- post's records side by side, and counting households by warning colour
-- and category read the whole households table three times (about 0.3 s
-- at 100 posts × 2,000 households). These partial indexes hold only live
-- records' owner (and, for households, what the home groups by), so one
-- pass over a narrow index answers them (store.StatsByOwner). A post has
-- one owner: the indexes cost it one small B-tree each.
CREATE INDEX IF NOT EXISTS households_by_owner ON households (owner, warning, categories) WHERE deleted = 0;
CREATE INDEX IF NOT EXISTS houses_by_owner ON houses (owner) WHERE deleted = 0;
CREATE INDEX IF NOT EXISTS residents_by_owner ON residents (owner) WHERE deleted = 0;
