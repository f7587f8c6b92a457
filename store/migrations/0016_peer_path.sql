-- 0016: how the last network session reached each paired device (issue
-- #21): "direct" or "relay" (sync/bep.PathDirect, PathRelay), "" before
-- the first one. Local bookkeeping, never synced; 同步 says 直连 or 经中继.
ALTER TABLE sync_peers ADD COLUMN last_path TEXT NOT NULL DEFAULT '';
