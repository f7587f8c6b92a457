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

-- Monthly approval (store/approval.go): the station's approval of a post's
-- month (its own records, broadcast to its posts; the ID is derived from
-- post and month), and what a post would change in an approved month,
-- kept as a request to unlock (the post's records; a late offline edit the
-- station held back becomes one too).
CREATE TABLE IF NOT EXISTS month_approvals (
  "id" TEXT PRIMARY KEY,
  "owner" TEXT NOT NULL DEFAULT '',
  "deleted" INTEGER NOT NULL DEFAULT 0,
  "post" TEXT NOT NULL DEFAULT '',
  "month" TEXT NOT NULL DEFAULT '',
  "state" TEXT NOT NULL DEFAULT '',
  "seen" TEXT NOT NULL DEFAULT '',
  "by" TEXT NOT NULL DEFAULT '',
  "at" TEXT NOT NULL DEFAULT '',
  "reason" TEXT NOT NULL DEFAULT '',
  hlc TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS month_requests (
  "id" TEXT PRIMARY KEY,
  "owner" TEXT NOT NULL DEFAULT '',
  "deleted" INTEGER NOT NULL DEFAULT 0,
  "month" TEXT NOT NULL DEFAULT '',
  "tbl" TEXT NOT NULL DEFAULT '',
  "rec" TEXT NOT NULL DEFAULT '',
  "fields" TEXT NOT NULL DEFAULT '',
  "note" TEXT NOT NULL DEFAULT '',
  "source" TEXT NOT NULL DEFAULT '',
  "state" TEXT NOT NULL DEFAULT '',
  "by" TEXT NOT NULL DEFAULT '',
  "at" TEXT NOT NULL DEFAULT '',
  hlc TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS month_requests_by_owner ON month_requests (owner, month);
