-- 0009: how far this device has announced its index of each folder, under
-- the folder's current IndexID. A peer that says it holds more of our
-- index than that got it from this database before it was restored from an
-- older backup: the sequences after the backup's are being numbered anew,
-- for other files, and the peer must take the whole index again. The
-- folder's own sequence cannot tell: scanning the folder again after a
-- restore numbers past what the peer holds before the peer is asked.
-- Existing folders count as announced up to their sequence (the check
-- they had before).
ALTER TABLE bep_folders ADD COLUMN announced INTEGER NOT NULL DEFAULT 0;
UPDATE bep_folders SET announced = sequence;
