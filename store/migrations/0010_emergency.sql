-- 0010: who inside a house needs help in an emergency, and the post's log
-- of emergency cards (issue #24).
--
-- Two synced fields of a resident: 残疾 (disabled) and how they move
-- (mobility: '' walks unaided, 行动不便 needs help, 卧床 bedridden). They
-- are health data: a role that may not see full ID numbers sees only
-- 需协助 (store.ResidentNeeds).
ALTER TABLE residents ADD COLUMN "disabled" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE residents ADD COLUMN "mobility" TEXT NOT NULL DEFAULT '';

-- emergencies are synced records of the post: each emergency card opened
-- (who, when, which house, what was typed), and the patrol record it was
-- turned into afterwards. They sync so the station that answers for the
-- township sees every call its posts handled, and a post rebuilt from the
-- station keeps them.
CREATE TABLE IF NOT EXISTS emergencies (
  "id" TEXT PRIMARY KEY,
  "owner" TEXT NOT NULL DEFAULT '',
  "deleted" INTEGER NOT NULL DEFAULT 0,
  "at" TEXT NOT NULL DEFAULT '',
  "user" TEXT NOT NULL DEFAULT '',
  "role" TEXT NOT NULL DEFAULT '',
  "village_id" TEXT NOT NULL DEFAULT '',
  "house_id" TEXT NOT NULL DEFAULT '',
  "number" TEXT NOT NULL DEFAULT '',
  "query" TEXT NOT NULL DEFAULT '',
  "patrol_id" TEXT NOT NULL DEFAULT '',
  "notes" TEXT NOT NULL DEFAULT '',
  hlc TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS emergencies_by_at ON emergencies (at);
