-- 0020: the changesets waiting for a predecessor, indexed apart. The sync
-- engine looks for them on every import of a folder (to let follow one
-- whose predecessor was applied by an import that stopped before it, or
-- by another program on this file), and the status and each settled
-- BEP step list them: a scan of sync_in, ~150 ms on a station that has
-- held 50 posts' chains for three years (275,000 rows). They are almost
-- always none; the partial index holds only them.
CREATE INDEX IF NOT EXISTS sync_in_waiting ON sync_in (origin, stream, seq) WHERE state = 'waiting';
