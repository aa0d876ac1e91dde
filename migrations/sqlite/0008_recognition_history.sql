-- Recognised status is the locality's, not a set's (issue 17): each locality's kind, the highest
-- recognition it holds of any set, its recognitions pending acknowledgement and the revocation
-- rule's outcome, over valid time `[valid_from, valid_to)`. Roll-ups count every unit of the
-- applicable kind under a parent on a date from these periods, with or without data.
CREATE TABLE proj_recognition_history (
    locality_id      TEXT NOT NULL,
    valid_from       TEXT NOT NULL,
    valid_to         TEXT,
    exists_on        INTEGER NOT NULL,
    kind             TEXT,
    recognised_level TEXT,
    recognition      TEXT,
    recognised_set   TEXT,
    standard_year    INTEGER,
    recognition_batch TEXT,
    recognition_override TEXT,
    recognised_on    TEXT,
    pending_acknowledgement INTEGER NOT NULL,
    at_risk          TEXT,
    PRIMARY KEY (locality_id, valid_from)
) STRICT;
CREATE TABLE proj_recognition_history_next (
    locality_id      TEXT NOT NULL,
    valid_from       TEXT NOT NULL,
    valid_to         TEXT,
    exists_on        INTEGER NOT NULL,
    kind             TEXT,
    recognised_level TEXT,
    recognition      TEXT,
    recognised_set   TEXT,
    standard_year    INTEGER,
    recognition_batch TEXT,
    recognition_override TEXT,
    recognised_on    TEXT,
    pending_acknowledgement INTEGER NOT NULL,
    at_risk          TEXT,
    PRIMARY KEY (locality_id, valid_from)
) STRICT;

-- A standing names the set its recognition was granted under, which may not be the set graded,
-- and the reason it was granted without the evidence the law asks for (an override), if any.
ALTER TABLE proj_standings ADD COLUMN recognised_set TEXT;
ALTER TABLE proj_standings_next ADD COLUMN recognised_set TEXT;
ALTER TABLE proj_standings ADD COLUMN recognition_override TEXT;
ALTER TABLE proj_standings_next ADD COLUMN recognition_override TEXT;

-- The grading rules changed (official status follows time, unknown criteria never pass the
-- revocation rule, recognitions hold across sets): the read models are emptied here and rebuilt
-- from position 0 by the projector.
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
UPDATE proj_checkpoints SET position = 0;
