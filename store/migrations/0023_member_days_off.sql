-- 0023: a member's regular days off (固定休息: a volunteer who never
-- patrols on the market day his stall is open), as the JSON list of its
-- changes, each from its day on ("2026-12-06:3", ISO weekdays 1 Monday …
-- 7 Sunday; '[]' none): the planner skips the member on those weekdays
-- from that day, and setting them keeps the days before as they were
-- (store/rosterdata.SaveKeepingPast). A synced field like any: an older
-- cunjing holds its changes aside (held_newer) until it is upgraded.
ALTER TABLE members ADD COLUMN "off" TEXT NOT NULL DEFAULT '[]';
