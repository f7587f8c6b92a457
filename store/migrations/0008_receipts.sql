-- 0008: receipts (issue #14). Each device tells each peer, signed, how far
-- it has applied the peer's streams. All local, never synced.

-- The latest verified receipt from each peer: its number (a replay carries
-- one not newer and changes nothing), the sender's wall clock when it was
-- made, when it arrived here (this PC's clock), the heads it names (JSON
-- list of {origin, stream, seq, digest}) and the number of this device's
-- receipts the peer holds (this device's next one is numbered above it,
-- even if its database was restored from an older backup).
CREATE TABLE sync_receipts_in (
  peer     TEXT PRIMARY KEY,
  number   INTEGER NOT NULL,
  at_ms    INTEGER NOT NULL,
  arrived  TEXT NOT NULL,
  heads    TEXT NOT NULL,
  held     INTEGER NOT NULL DEFAULT 0
);

-- The latest receipt this device made for each peer: its number (the next
-- is larger), its heads (a new one is made only when they change), its
-- file name and bytes (written to sticks and the BEP folder).
CREATE TABLE sync_receipts_out (
  peer     TEXT PRIMARY KEY,
  number   INTEGER NOT NULL,
  heads    TEXT NOT NULL,
  name     TEXT NOT NULL,
  data     BLOB NOT NULL
);
