-- The localities list pages in SQL (issue 19, docs/decisions/localities-paged-in-sql.md): each
-- directory period keeps its name folded for search and ordering (lower case, without
-- Vietnamese diacritics, đ → d; written by the projector, as neither engine can fold portably),
-- and the orders of the list are ranges of an index: by code, by folded name, each with the id
-- as tie-break.
ALTER TABLE proj_locality_periods ADD COLUMN search_name TEXT COLLATE "C";
ALTER TABLE proj_locality_periods_next ADD COLUMN search_name TEXT COLLATE "C";
CREATE INDEX proj_locality_periods_by_code ON proj_locality_periods (code, locality_id);
CREATE INDEX proj_locality_periods_next_by_code ON proj_locality_periods_next (code, locality_id);
CREATE INDEX proj_locality_periods_by_name ON proj_locality_periods (search_name, locality_id);
CREATE INDEX proj_locality_periods_next_by_name ON proj_locality_periods_next (search_name, locality_id);

-- The periods written before carry no folded name: the read models are emptied here and
-- rebuilt from position 0 by the projector.
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
