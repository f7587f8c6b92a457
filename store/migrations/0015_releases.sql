-- 0015: a new cunjing carried down the tree (issue #22). A station
-- publishes a release: its signed manifest (.cjrel, checked by every
-- device against the release keys built into it before anything is
-- offered) and the installer or package as a blob (file_hash, the file's
-- SHA-256). The station's own records; the ID is derived from the file's
-- hash, so publishing the same file twice changes nothing.
CREATE TABLE IF NOT EXISTS releases (
  "id" TEXT PRIMARY KEY,
  "owner" TEXT NOT NULL DEFAULT '',
  "deleted" INTEGER NOT NULL DEFAULT 0,
  "version" TEXT NOT NULL DEFAULT '',
  "os" TEXT NOT NULL DEFAULT '',
  "arch" TEXT NOT NULL DEFAULT '',
  "manifest" TEXT NOT NULL DEFAULT '',
  "file_hash" TEXT NOT NULL DEFAULT '',
  "published_at" TEXT NOT NULL DEFAULT '',
  hlc TEXT NOT NULL DEFAULT ''
);
