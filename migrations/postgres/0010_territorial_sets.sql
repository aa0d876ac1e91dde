-- Sets for a territory (issue 18 item 3). A standing stays keyed by the national set; the set
-- that graded it on its date (the national one, or a province's restatement of it for the
-- locality's territory) is `graded_by`. Rows written before this migration were all graded by
-- their own set, which is what the UPDATE records, so `ntm verify` agrees without a replay.
ALTER TABLE proj_standings ADD COLUMN graded_by TEXT NOT NULL DEFAULT '';
ALTER TABLE proj_standings_next ADD COLUMN graded_by TEXT NOT NULL DEFAULT '';
UPDATE proj_standings SET graded_by = set_code;
UPDATE proj_standings_next SET graded_by = set_code;
ALTER TABLE proj_standing_history ADD COLUMN graded_by TEXT NOT NULL DEFAULT '';
ALTER TABLE proj_standing_history_next ADD COLUMN graded_by TEXT NOT NULL DEFAULT '';
UPDATE proj_standing_history SET graded_by = set_code;
UPDATE proj_standing_history_next SET graded_by = set_code;
-- The special-commune status (QĐ 318/QĐ-TTg, Điều 1) beside the threshold region and group of
-- each directory period; none was recorded before this migration.
ALTER TABLE proj_locality_periods ADD COLUMN special TEXT;
ALTER TABLE proj_locality_periods_next ADD COLUMN special TEXT;
