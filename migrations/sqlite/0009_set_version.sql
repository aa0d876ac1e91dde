-- Criteria sets are published as events, each version content-hashed (issue 18 item 2): every
-- present standing and every period of the standing history names the version of its set that
-- graded it (the SHA-256 of the version's file, hex).
ALTER TABLE proj_standings ADD COLUMN set_version TEXT NOT NULL DEFAULT '';
ALTER TABLE proj_standings_next ADD COLUMN set_version TEXT NOT NULL DEFAULT '';
ALTER TABLE proj_standing_history ADD COLUMN set_version TEXT NOT NULL DEFAULT '';
ALTER TABLE proj_standing_history_next ADD COLUMN set_version TEXT NOT NULL DEFAULT '';

-- The rows written before carry no version: the read models are emptied here and rebuilt from
-- position 0 by the projector, grading each date with the version in force on it.
DELETE FROM proj_localities;
DELETE FROM proj_localities_next;
DELETE FROM proj_locality_periods;
DELETE FROM proj_locality_periods_next;
DELETE FROM proj_lineage_edges;
DELETE FROM proj_lineage_edges_next;
DELETE FROM proj_standings;
DELETE FROM proj_standings_next;
DELETE FROM proj_standing_criteria;
DELETE FROM proj_standing_criteria_next;
DELETE FROM proj_standing_indicators;
DELETE FROM proj_standing_indicators_next;
DELETE FROM proj_standing_history;
DELETE FROM proj_standing_history_next;
DELETE FROM proj_recognition_history;
DELETE FROM proj_recognition_history_next;
UPDATE proj_checkpoints SET position = 0;
