-- 0005: what a device needs to notice, say and heal a split from its
-- peers: when news of each device arrived, how far off peers' clocks are,
-- where each cut changeset left the change log, and the notes owed to
-- peers about their chains and clocks. All local, never synced.

-- When a new change of this device last arrived here, by this PC's clock
-- (ms since 1970): a post's data freshness on the station's dashboard. The
-- change's own timestamp says when its maker's clock thought it was made,
-- which a PC years fast would put in the future. Existing rows take their
-- newest change's time, never later than now.
ALTER TABLE origins ADD COLUMN arrived_ms INTEGER NOT NULL DEFAULT 0;
UPDATE origins
   SET arrived_ms = min(CAST(substr(last_hlc, 1, 13) AS INTEGER), CAST(strftime('%s', 'now') AS INTEGER) * 1000)
 WHERE last_hlc != '';

-- A peer's clock minus this PC's, in ms, as last measured (0: within a
-- day, or never measured), when, and how (hello: a BEP session's
-- handshake; stamps: its changes arrived stamped ahead of this PC's clock;
-- note: the peer found this PC's changes stamped ahead of its own).
ALTER TABLE sync_peers ADD COLUMN clock_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_peers ADD COLUMN clock_at TEXT NOT NULL DEFAULT '';
ALTER TABLE sync_peers ADD COLUMN clock_by TEXT NOT NULL DEFAULT '';

-- The change-log position a stream had reached once this changeset was
-- cut (0: cut before this column existed). A device that must cut again
-- from an earlier changeset resumes there.
ALTER TABLE sync_out ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;

-- Notes owed to a peer about itself, sent in the next changeset to it:
-- kind 'chain' (a changeset of its stream was refused here; body says
-- where this device stands in that chain) or 'clock' (its clock is off
-- against this PC's). A chain note stays open until a changeset of that
-- chain follows the head it named.
CREATE TABLE sync_notes (
  about  TEXT NOT NULL,
  kind   TEXT NOT NULL,
  stream TEXT NOT NULL DEFAULT '',
  body   TEXT NOT NULL,
  at     TEXT NOT NULL,
  sent   INTEGER NOT NULL DEFAULT 0,
  open   INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (about, kind, stream)
);

-- Chain notes of peers this device acted on: it took up its stream again
-- after the head a peer holds (seq, digest), so a repeated note is not
-- acted on twice.
CREATE TABLE sync_rebased (
  stream TEXT NOT NULL,
  seq    INTEGER NOT NULL,
  digest TEXT NOT NULL,
  at     TEXT NOT NULL,
  PRIMARY KEY (stream, seq, digest)
);
