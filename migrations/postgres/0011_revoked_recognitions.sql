-- A district is at risk when 30 % or more of its communes had their recognition revoked (QĐ
-- 18/2022/QĐ-TTg): each recognition period says whether the unit then holds a revoked
-- recognition whose level it does not hold again, so a roll-up counts such communes in its one
-- statement (docs/decisions/district-province-completion.md).
ALTER TABLE proj_recognition_history ADD COLUMN revoked BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE proj_recognition_history_next ADD COLUMN revoked BOOLEAN NOT NULL DEFAULT FALSE;

-- The catalogue gained the district and province sets and the rows a column: the read models
-- are emptied here and rebuilt from position 0 by the projector.
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
