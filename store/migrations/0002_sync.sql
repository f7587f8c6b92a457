-- 0002: sync state. All of it is local to this device and never synced.

-- Devices this one is paired with (explicitly, on both sides). A revoked
-- peer keeps its row so its old changesets still verify in reports, but it
-- is refused on the wire and gets nothing new.
CREATE TABLE sync_peers (
  device_id    TEXT PRIMARY KEY,
  name         TEXT NOT NULL DEFAULT '',
  role         TEXT NOT NULL,
  addresses    TEXT NOT NULL DEFAULT '[]',
  sign_key     BLOB NOT NULL DEFAULT x'',
  recipient    TEXT NOT NULL DEFAULT '',
  cert         BLOB NOT NULL DEFAULT x'',
  paired_at    TEXT NOT NULL,
  revoked_at   TEXT NOT NULL DEFAULT '',
  last_contact TEXT NOT NULL DEFAULT '',
  last_error   TEXT NOT NULL DEFAULT '',
  bytes_in     INTEGER NOT NULL DEFAULT 0,
  bytes_out    INTEGER NOT NULL DEFAULT 0,
  catchup      INTEGER NOT NULL DEFAULT 0
);

-- Outgoing streams: how far the change log has been cut into changesets.
CREATE TABLE sync_streams (
  stream     TEXT PRIMARY KEY,
  seq        INTEGER NOT NULL DEFAULT 0,
  digest     TEXT NOT NULL DEFAULT '',
  change_seq INTEGER NOT NULL DEFAULT 0
);

-- Changesets this device cut, kept so any carrier can be given what it
-- lacks, and so a crash between cutting and writing never loses one.
CREATE TABLE sync_out (
  stream  TEXT NOT NULL,
  seq     INTEGER NOT NULL,
  name    TEXT NOT NULL UNIQUE,
  digest  TEXT NOT NULL,
  changes INTEGER NOT NULL,
  blobs   TEXT NOT NULL DEFAULT '[]',
  at      TEXT NOT NULL,
  data    BLOB NOT NULL,
  PRIMARY KEY (stream, seq)
);

-- Changesets received and verified, per origin chain. state is 'applied'
-- or 'waiting' (its predecessor has not arrived yet; data kept meanwhile).
CREATE TABLE sync_in (
  origin  TEXT NOT NULL,
  stream  TEXT NOT NULL,
  seq     INTEGER NOT NULL,
  digest  TEXT NOT NULL,
  prev    TEXT NOT NULL,
  name    TEXT NOT NULL,
  state   TEXT NOT NULL,
  changes INTEGER NOT NULL,
  bytes   INTEGER NOT NULL,
  at      TEXT NOT NULL,
  data    BLOB,
  PRIMARY KEY (origin, stream, seq)
);

-- File names already looked at, so a folder rescan does not decrypt again.
CREATE TABLE sync_seen (
  name    TEXT PRIMARY KEY,
  outcome TEXT NOT NULL
);

-- What was refused and why: shown in the UI and written to the log.
CREATE TABLE sync_rejects (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  at      TEXT NOT NULL,
  carrier TEXT NOT NULL,
  file    TEXT NOT NULL,
  origin  TEXT NOT NULL DEFAULT '',
  reason  TEXT NOT NULL,
  UNIQUE (file, reason)
);

-- Media (scanned maps, photos) by content hash; records refer to the hash.
CREATE TABLE blobs (
  hash TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  data BLOB NOT NULL
);

-- BEP state: our index per folder (IndexID, sequence), the files in it,
-- and what each peer has announced to us.
CREATE TABLE bep_folders (
  folder   TEXT PRIMARY KEY,
  index_id INTEGER NOT NULL,
  sequence INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE bep_files (
  folder      TEXT NOT NULL,
  name        TEXT NOT NULL,
  size        INTEGER NOT NULL,
  modified_ns INTEGER NOT NULL,
  sequence    INTEGER NOT NULL,
  version     BLOB NOT NULL,
  block_size  INTEGER NOT NULL,
  blocks      BLOB NOT NULL,
  PRIMARY KEY (folder, name)
);
CREATE INDEX bep_files_by_seq ON bep_files (folder, sequence);
CREATE TABLE bep_remote (
  folder       TEXT NOT NULL,
  device       TEXT NOT NULL,
  index_id     INTEGER NOT NULL,
  max_sequence INTEGER NOT NULL,
  PRIMARY KEY (folder, device)
);
CREATE TABLE bep_remote_files (
  folder      TEXT NOT NULL,
  device      TEXT NOT NULL,
  name        TEXT NOT NULL,
  size        INTEGER NOT NULL,
  modified_ns INTEGER NOT NULL,
  sequence    INTEGER NOT NULL,
  version     BLOB NOT NULL,
  block_size  INTEGER NOT NULL,
  blocks      BLOB NOT NULL,
  deleted     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (folder, device, name)
);
