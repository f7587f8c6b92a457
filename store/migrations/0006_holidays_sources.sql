-- 0006: the holiday calendar, each shift rule's holiday policy, and the
-- source of each cost-of-fighting claim (issue #18).
--
-- holidays are synced records: the station publishes the year's 法定节假日
-- (and 调休上班 days) and school holidays; a post may add its county's
-- school calendar. What is stored for a year replaces the defaults the app
-- ships for that year (schedule.MergeHolidays).
CREATE TABLE holidays (
  "id" TEXT PRIMARY KEY,
  "owner" TEXT NOT NULL DEFAULT '',
  "deleted" INTEGER NOT NULL DEFAULT 0,
  "name" TEXT NOT NULL DEFAULT '',
  "kind" TEXT NOT NULL DEFAULT '',
  "date_from" TEXT NOT NULL DEFAULT '',
  "date_to" TEXT NOT NULL DEFAULT '',
  "confirmed" INTEGER NOT NULL DEFAULT 0,
  "source" TEXT NOT NULL DEFAULT '',
  "checked_on" TEXT NOT NULL DEFAULT '',
  hlc TEXT NOT NULL DEFAULT ''
);
CREATE INDEX holidays_by_date ON holidays (date_from);

-- '' keeps the default for the rule's kind (schedule.DefaultHolidayPolicy).
ALTER TABLE shift_rules ADD COLUMN "holidays" TEXT NOT NULL DEFAULT '';

-- Where a claim comes from when it is not (only) a law's article: a court
-- interpretation, a station's local figure still 待核实.
ALTER TABLE cost_items ADD COLUMN "source" TEXT NOT NULL DEFAULT '';
