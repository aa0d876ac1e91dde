-- Each standing period also holds every criterion's status, one letter per criterion and then
-- per condition of the set, in catalogue order ('M' met, 'N' not met, 'U' unknown): a roll-up's
-- per-criterion pass counts then read one row per unit instead of one per criterion.
ALTER TABLE proj_standing_history ADD COLUMN statuses TEXT NOT NULL DEFAULT '';
ALTER TABLE proj_standing_history_next ADD COLUMN statuses TEXT NOT NULL DEFAULT '';

-- Read models are derived data: emptied here, they are rebuilt from position 0 by the projector.
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
DELETE FROM proj_criterion_history;
DELETE FROM proj_criterion_history_next;
UPDATE proj_checkpoints SET position = 0;
