-- 0001: the first schema of cunjing.
-- Local tables (never synced): meta, secrets, changes' local sequence, conflict reviews.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Key material of this device (TLS certificate, signing and encryption keys).
CREATE TABLE secrets (
  name  TEXT PRIMARY KEY,
  value BLOB NOT NULL
);

-- The change log: every field change ever made or received. seq is the local
-- arrival order (what a changeset cut resumes from); the rest is the change.
CREATE TABLE changes (
  seq    INTEGER PRIMARY KEY AUTOINCREMENT,
  origin TEXT NOT NULL,
  hlc    TEXT NOT NULL,
  tbl    TEXT NOT NULL,
  rec    TEXT NOT NULL,
  field  TEXT NOT NULL,
  value  TEXT NOT NULL,
  base   TEXT NOT NULL DEFAULT '',
  UNIQUE (tbl, rec, field, hlc)
);
CREATE INDEX changes_by_origin ON changes (origin, seq);

-- Values that lost a concurrent edit, kept for a person to review. Derived
-- from the change log, so every replica holds the same rows.
CREATE TABLE conflicts (
  tbl   TEXT NOT NULL,
  rec   TEXT NOT NULL,
  field TEXT NOT NULL,
  hlc   TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (tbl, rec, field, hlc)
);

-- Which conflicts a person on this device has looked at.
CREATE TABLE conflict_reviews (
  tbl         TEXT NOT NULL,
  rec         TEXT NOT NULL,
  field       TEXT NOT NULL,
  hlc         TEXT NOT NULL,
  reviewed_at TEXT NOT NULL,
  reviewed_by TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (tbl, rec, field, hlc)
);

-- Synced tables. No foreign keys between them on purpose: changes arrive in
-- any order from untrusted carriers, so a resident may land before its
-- household; references are by id and resolved by queries.
CREATE TABLE posts (
  "id" TEXT PRIMARY KEY,
  "owner" TEXT NOT NULL DEFAULT '',
  "deleted" INTEGER NOT NULL DEFAULT 0,
  "role" TEXT NOT NULL DEFAULT '',
  "name" TEXT NOT NULL DEFAULT '',
  "township" TEXT NOT NULL DEFAULT '',
  "officer" TEXT NOT NULL DEFAULT '',
  "phone" TEXT NOT NULL DEFAULT '',
  "address" TEXT NOT NULL DEFAULT '',
  hlc TEXT NOT NULL DEFAULT ''
);
CREATE TABLE villages (
  "id" TEXT PRIMARY KEY,
  "owner" TEXT NOT NULL DEFAULT '',
  "deleted" INTEGER NOT NULL DEFAULT 0,
  "name" TEXT NOT NULL DEFAULT '',
  "township" TEXT NOT NULL DEFAULT '',
  "notes" TEXT NOT NULL DEFAULT '',
  hlc TEXT NOT NULL DEFAULT ''
);
CREATE TABLE village_maps (
  "id" TEXT PRIMARY KEY,
  "owner" TEXT NOT NULL DEFAULT '',
  "deleted" INTEGER NOT NULL DEFAULT 0,
  "village_id" TEXT NOT NULL DEFAULT '',
  "name" TEXT NOT NULL DEFAULT '',
  "image_hash" TEXT NOT NULL DEFAULT '',
  "image_w" INTEGER NOT NULL DEFAULT 0,
  "image_h" INTEGER NOT NULL DEFAULT 0,
  "metres_per_px" REAL NOT NULL DEFAULT 0,
  "offset_x" REAL NOT NULL DEFAULT 0,
  "offset_y" REAL NOT NULL DEFAULT 0,
  "opacity" REAL NOT NULL DEFAULT 0,
  hlc TEXT NOT NULL DEFAULT ''
);
CREATE TABLE houses (
  "id" TEXT PRIMARY KEY,
  "owner" TEXT NOT NULL DEFAULT '',
  "deleted" INTEGER NOT NULL DEFAULT 0,
  "village_id" TEXT NOT NULL DEFAULT '',
  "number" TEXT NOT NULL DEFAULT '',
  "history" TEXT NOT NULL DEFAULT '[]',
  "kind" TEXT NOT NULL DEFAULT '',
  "geometry" TEXT NOT NULL DEFAULT '',
  "floors" INTEGER NOT NULL DEFAULT 0,
  "notes" TEXT NOT NULL DEFAULT '',
  hlc TEXT NOT NULL DEFAULT ''
);
CREATE TABLE features (
  "id" TEXT PRIMARY KEY,
  "owner" TEXT NOT NULL DEFAULT '',
  "deleted" INTEGER NOT NULL DEFAULT 0,
  "village_id" TEXT NOT NULL DEFAULT '',
  "kind" TEXT NOT NULL DEFAULT '',
  "name" TEXT NOT NULL DEFAULT '',
  "geometry" TEXT NOT NULL DEFAULT '',
  "width_m" REAL NOT NULL DEFAULT 0,
  "attrs" TEXT NOT NULL DEFAULT '',
  hlc TEXT NOT NULL DEFAULT ''
);
CREATE TABLE households (
  "id" TEXT PRIMARY KEY,
  "owner" TEXT NOT NULL DEFAULT '',
  "deleted" INTEGER NOT NULL DEFAULT 0,
  "village_id" TEXT NOT NULL DEFAULT '',
  "house_id" TEXT NOT NULL DEFAULT '',
  "address" TEXT NOT NULL DEFAULT '',
  "door_number" TEXT NOT NULL DEFAULT '',
  "house_type" TEXT NOT NULL DEFAULT '',
  "house_use" TEXT NOT NULL DEFAULT '',
  "area_m2" REAL NOT NULL DEFAULT 0,
  "structure" TEXT NOT NULL DEFAULT '',
  "owner_name" TEXT NOT NULL DEFAULT '',
  "owner_phone" TEXT NOT NULL DEFAULT '',
  "status" TEXT NOT NULL DEFAULT '',
  "tenant_name" TEXT NOT NULL DEFAULT '',
  "tenant_phone" TEXT NOT NULL DEFAULT '',
  "grid_cell" TEXT NOT NULL DEFAULT '',
  "categories" TEXT NOT NULL DEFAULT '[]',
  "warning" TEXT NOT NULL DEFAULT '',
  "notes" TEXT NOT NULL DEFAULT '',
  hlc TEXT NOT NULL DEFAULT ''
);
CREATE TABLE residents (
  "id" TEXT PRIMARY KEY,
  "owner" TEXT NOT NULL DEFAULT '',
  "deleted" INTEGER NOT NULL DEFAULT 0,
  "household_id" TEXT NOT NULL DEFAULT '',
  "name" TEXT NOT NULL DEFAULT '',
  "id_number" TEXT NOT NULL DEFAULT '',
  "gender" TEXT NOT NULL DEFAULT '',
  "birth_date" TEXT NOT NULL DEFAULT '',
  "phone" TEXT NOT NULL DEFAULT '',
  "hukou_address" TEXT NOT NULL DEFAULT '',
  "relation" TEXT NOT NULL DEFAULT '',
  "census_status" TEXT NOT NULL DEFAULT '',
  "occupation" TEXT NOT NULL DEFAULT '',
  "reason" TEXT NOT NULL DEFAULT '',
  "move_in" TEXT NOT NULL DEFAULT '',
  "move_out" TEXT NOT NULL DEFAULT '',
  "categories" TEXT NOT NULL DEFAULT '[]',
  "float_level" TEXT NOT NULL DEFAULT '',
  "emergency_contact" TEXT NOT NULL DEFAULT '',
  "emergency_phone" TEXT NOT NULL DEFAULT '',
  "notes" TEXT NOT NULL DEFAULT '',
  hlc TEXT NOT NULL DEFAULT ''
);
CREATE TABLE visits (
  "id" TEXT PRIMARY KEY,
  "owner" TEXT NOT NULL DEFAULT '',
  "deleted" INTEGER NOT NULL DEFAULT 0,
  "household_id" TEXT NOT NULL DEFAULT '',
  "date" TEXT NOT NULL DEFAULT '',
  "officer" TEXT NOT NULL DEFAULT '',
  "notes" TEXT NOT NULL DEFAULT '',
  "follow_up" TEXT NOT NULL DEFAULT '',
  hlc TEXT NOT NULL DEFAULT ''
);
CREATE TABLE teams (
  "id" TEXT PRIMARY KEY,
  "owner" TEXT NOT NULL DEFAULT '',
  "deleted" INTEGER NOT NULL DEFAULT 0,
  "name" TEXT NOT NULL DEFAULT '',
  "village_id" TEXT NOT NULL DEFAULT '',
  "notes" TEXT NOT NULL DEFAULT '',
  hlc TEXT NOT NULL DEFAULT ''
);
CREATE TABLE members (
  "id" TEXT PRIMARY KEY,
  "owner" TEXT NOT NULL DEFAULT '',
  "deleted" INTEGER NOT NULL DEFAULT 0,
  "team_id" TEXT NOT NULL DEFAULT '',
  "name" TEXT NOT NULL DEFAULT '',
  "role" TEXT NOT NULL DEFAULT '',
  "phone" TEXT NOT NULL DEFAULT '',
  "leave" TEXT NOT NULL DEFAULT '[]',
  "notes" TEXT NOT NULL DEFAULT '',
  hlc TEXT NOT NULL DEFAULT ''
);
CREATE TABLE shift_rules (
  "id" TEXT PRIMARY KEY,
  "owner" TEXT NOT NULL DEFAULT '',
  "deleted" INTEGER NOT NULL DEFAULT 0,
  "team_id" TEXT NOT NULL DEFAULT '',
  "name" TEXT NOT NULL DEFAULT '',
  "kind" TEXT NOT NULL DEFAULT '',
  "spec" TEXT NOT NULL DEFAULT '',
  "windows" TEXT NOT NULL DEFAULT '',
  "people" TEXT NOT NULL DEFAULT '[]',
  "rotate" INTEGER NOT NULL DEFAULT 0,
  "min_people" INTEGER NOT NULL DEFAULT 0,
  "valid_from" TEXT NOT NULL DEFAULT '',
  "valid_to" TEXT NOT NULL DEFAULT '',
  "notes" TEXT NOT NULL DEFAULT '',
  hlc TEXT NOT NULL DEFAULT ''
);
CREATE TABLE shift_exceptions (
  "id" TEXT PRIMARY KEY,
  "owner" TEXT NOT NULL DEFAULT '',
  "deleted" INTEGER NOT NULL DEFAULT 0,
  "name" TEXT NOT NULL DEFAULT '',
  "spec" TEXT NOT NULL DEFAULT '',
  hlc TEXT NOT NULL DEFAULT ''
);
CREATE TABLE patrols (
  "id" TEXT PRIMARY KEY,
  "owner" TEXT NOT NULL DEFAULT '',
  "deleted" INTEGER NOT NULL DEFAULT 0,
  "team_id" TEXT NOT NULL DEFAULT '',
  "rule_id" TEXT NOT NULL DEFAULT '',
  "date" TEXT NOT NULL DEFAULT '',
  "start" TEXT NOT NULL DEFAULT '',
  "end" TEXT NOT NULL DEFAULT '',
  "people" TEXT NOT NULL DEFAULT '[]',
  "route" TEXT NOT NULL DEFAULT '',
  "findings" TEXT NOT NULL DEFAULT '',
  "houses" TEXT NOT NULL DEFAULT '[]',
  "venues" TEXT NOT NULL DEFAULT '[]',
  "notes" TEXT NOT NULL DEFAULT '',
  hlc TEXT NOT NULL DEFAULT ''
);
CREATE TABLE venues (
  "id" TEXT PRIMARY KEY,
  "owner" TEXT NOT NULL DEFAULT '',
  "deleted" INTEGER NOT NULL DEFAULT 0,
  "village_id" TEXT NOT NULL DEFAULT '',
  "kind" TEXT NOT NULL DEFAULT '',
  "name" TEXT NOT NULL DEFAULT '',
  "address" TEXT NOT NULL DEFAULT '',
  "contact" TEXT NOT NULL DEFAULT '',
  "phone" TEXT NOT NULL DEFAULT '',
  "staff" INTEGER NOT NULL DEFAULT 0,
  "x" REAL NOT NULL DEFAULT 0,
  "y" REAL NOT NULL DEFAULT 0,
  hlc TEXT NOT NULL DEFAULT ''
);
CREATE TABLE cost_items (
  "id" TEXT PRIMARY KEY,
  "owner" TEXT NOT NULL DEFAULT '',
  "deleted" INTEGER NOT NULL DEFAULT 0,
  "tier" TEXT NOT NULL DEFAULT '',
  "grp" TEXT NOT NULL DEFAULT '',
  "text" TEXT NOT NULL DEFAULT '',
  "amount_min" REAL NOT NULL DEFAULT 0,
  "amount_max" REAL NOT NULL DEFAULT 0,
  "unit" TEXT NOT NULL DEFAULT '',
  "law" TEXT NOT NULL DEFAULT '',
  "article" TEXT NOT NULL DEFAULT '',
  "law_version" TEXT NOT NULL DEFAULT '',
  "effective_date" TEXT NOT NULL DEFAULT '',
  "checked_on" TEXT NOT NULL DEFAULT '',
  "confirmed" INTEGER NOT NULL DEFAULT 0,
  "local" INTEGER NOT NULL DEFAULT 0,
  "sort" INTEGER NOT NULL DEFAULT 0,
  hlc TEXT NOT NULL DEFAULT ''
);
CREATE TABLE board_templates (
  "id" TEXT PRIMARY KEY,
  "owner" TEXT NOT NULL DEFAULT '',
  "deleted" INTEGER NOT NULL DEFAULT 0,
  "name" TEXT NOT NULL DEFAULT '',
  "layout" TEXT NOT NULL DEFAULT '',
  "title" TEXT NOT NULL DEFAULT '',
  "slogan" TEXT NOT NULL DEFAULT '',
  "items" TEXT NOT NULL DEFAULT '[]',
  "size" TEXT NOT NULL DEFAULT '',
  "notes" TEXT NOT NULL DEFAULT '',
  hlc TEXT NOT NULL DEFAULT ''
);
CREATE TABLE print_records (
  "id" TEXT PRIMARY KEY,
  "owner" TEXT NOT NULL DEFAULT '',
  "deleted" INTEGER NOT NULL DEFAULT 0,
  "kind" TEXT NOT NULL DEFAULT '',
  "venue_id" TEXT NOT NULL DEFAULT '',
  "template" TEXT NOT NULL DEFAULT '',
  "size" TEXT NOT NULL DEFAULT '',
  "copies" INTEGER NOT NULL DEFAULT 0,
  "printed_at" TEXT NOT NULL DEFAULT '',
  "by" TEXT NOT NULL DEFAULT '',
  hlc TEXT NOT NULL DEFAULT ''
);
CREATE TABLE notices (
  "id" TEXT PRIMARY KEY,
  "owner" TEXT NOT NULL DEFAULT '',
  "deleted" INTEGER NOT NULL DEFAULT 0,
  "title" TEXT NOT NULL DEFAULT '',
  "body" TEXT NOT NULL DEFAULT '',
  "published_at" TEXT NOT NULL DEFAULT '',
  hlc TEXT NOT NULL DEFAULT ''
);

CREATE INDEX houses_by_village ON houses (village_id, number);
CREATE INDEX features_by_village ON features (village_id);
CREATE INDEX households_by_village ON households (village_id);
CREATE INDEX households_by_house ON households (house_id);
CREATE INDEX residents_by_household ON residents (household_id);
CREATE INDEX residents_by_id_number ON residents (id_number);
CREATE INDEX residents_by_phone ON residents (phone);
CREATE INDEX visits_by_household ON visits (household_id, date);
CREATE INDEX members_by_team ON members (team_id);
CREATE INDEX patrols_by_date ON patrols (date);
CREATE INDEX venues_by_village ON venues (village_id);

-- Name search: trigram full text over residents (3+ characters; shorter
-- queries fall back to LIKE in Go). Kept in step by triggers.
CREATE VIRTUAL TABLE residents_fts USING fts5 (
  name, id_number, phone,
  content = 'residents', content_rowid = 'rowid', tokenize = 'trigram'
);
CREATE TRIGGER residents_fts_ai AFTER INSERT ON residents BEGIN
  INSERT INTO residents_fts (rowid, name, id_number, phone) VALUES (new.rowid, new.name, new.id_number, new.phone);
END;
CREATE TRIGGER residents_fts_ad AFTER DELETE ON residents BEGIN
  INSERT INTO residents_fts (residents_fts, rowid, name, id_number, phone) VALUES ('delete', old.rowid, old.name, old.id_number, old.phone);
END;
CREATE TRIGGER residents_fts_au AFTER UPDATE OF name, id_number, phone ON residents BEGIN
  INSERT INTO residents_fts (residents_fts, rowid, name, id_number, phone) VALUES ('delete', old.rowid, old.name, old.id_number, old.phone);
  INSERT INTO residents_fts (rowid, name, id_number, phone) VALUES (new.rowid, new.name, new.id_number, new.phone);
END;
