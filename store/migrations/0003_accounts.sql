-- 0003: accounts and the audit log.

-- Local users of this device. Passwords are argon2id hashes; failed logins
-- lock the account for a while. Never synced: each PC has its own logins.
CREATE TABLE users (
  username     TEXT PRIMARY KEY,
  display_name TEXT NOT NULL DEFAULT '',
  role         TEXT NOT NULL,
  pw_hash      TEXT NOT NULL,
  failed       INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT NOT NULL DEFAULT '',
  created_at   TEXT NOT NULL,
  disabled     INTEGER NOT NULL DEFAULT 0
);

-- Who viewed, printed or exported personal data. A synced table: the
-- station admin reviews the posts' audit logs.
CREATE TABLE audit (
  "id" TEXT PRIMARY KEY,
  "owner" TEXT NOT NULL DEFAULT '',
  "deleted" INTEGER NOT NULL DEFAULT 0,
  "at" TEXT NOT NULL DEFAULT '',
  "user" TEXT NOT NULL DEFAULT '',
  "role" TEXT NOT NULL DEFAULT '',
  "action" TEXT NOT NULL DEFAULT '',
  "subject" TEXT NOT NULL DEFAULT '',
  "detail" TEXT NOT NULL DEFAULT '',
  hlc TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_at ON audit (at);
