-- 0013: a patrol records the cost-of-fighting boards it put up or checked
-- at a venue (issue #20: the month report counts boards posted per venue,
-- not only printed). Two synced fields of a patrol, venue IDs as JSON
-- lists like its venues: 张贴 (a board was put up there this patrol) and
-- 检查 (the board there was checked: still up, legible).
ALTER TABLE patrols ADD COLUMN "boards_posted" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE patrols ADD COLUMN "boards_checked" TEXT NOT NULL DEFAULT '[]';
