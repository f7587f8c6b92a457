-- 0014: Syncthing servers a station publishes to its posts (issue #21):
-- its county's global discovery servers and relays, which a post uses
-- beside the ones set on the post itself. The station's own records; the
-- ID is derived from kind and URL, so publishing the same list again
-- changes nothing and a server taken off the list is a tombstone.
CREATE TABLE IF NOT EXISTS net_servers (
  "id" TEXT PRIMARY KEY,
  "owner" TEXT NOT NULL DEFAULT '',
  "deleted" INTEGER NOT NULL DEFAULT 0,
  "kind" TEXT NOT NULL DEFAULT '',
  "url" TEXT NOT NULL DEFAULT '',
  hlc TEXT NOT NULL DEFAULT ''
);
