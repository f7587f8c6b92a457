-- 0011: what kind of refusal each rejection-log entry is (issue #19), so
-- the window says it in the user's language and keeps the engine's own
-- words (often English) for whoever helps. Older entries have kind ''.
ALTER TABLE sync_rejects ADD COLUMN kind TEXT NOT NULL DEFAULT '';
