-- Read models (DESIGN §4), rebuilt from the event log at will. Every table exists twice:
-- `proj_*` is served and kept current by the projector; `proj_*_next` is where `ntm replay`
-- rebuilds from position 0 before swapping the two sets by renaming, in one transaction.
-- Dates are valid time; `valid_to` is exclusive and NULL while a period is open.

-- How far each table set has projected the log; updated in the same transaction as its tables.
CREATE TABLE proj_checkpoints (
    table_set TEXT PRIMARY KEY,
    position  INTEGER NOT NULL
) STRICT;
INSERT INTO proj_checkpoints (table_set, position) VALUES ('live', 0), ('next', 0);

CREATE TABLE proj_localities (
    locality_id    TEXT PRIMARY KEY,
    -- '/<province>/<district>/<commune>/' by the parent in force today: a subtree is a prefix.
    path           TEXT NOT NULL,
    name           TEXT,
    code           TEXT,
    kind           TEXT,
    parent_id      TEXT,
    established_on TEXT,
    ended_on       TEXT,
    end_kind       TEXT,
    last_position  INTEGER NOT NULL
) STRICT;
CREATE INDEX proj_localities_path ON proj_localities (path);

-- One row per valid-time period in which code, name, kind, parent and thresholds hold still.
CREATE TABLE proj_locality_periods (
    locality_id    TEXT NOT NULL,
    valid_from     TEXT NOT NULL,
    valid_to       TEXT,
    name           TEXT,
    code           TEXT,
    kind           TEXT,
    parent_id      TEXT,
    region         TEXT,
    commune_group  TEXT,
    PRIMARY KEY (locality_id, valid_from)
) STRICT;
CREATE INDEX proj_locality_periods_parent ON proj_locality_periods (parent_id, valid_from);
CREATE INDEX proj_locality_periods_code ON proj_locality_periods (code, valid_from);

-- Lineage edges as recorded on each side's stream (a merger appears on both).
CREATE TABLE proj_lineage_edges (
    recorded_on    TEXT NOT NULL,
    from_id        TEXT NOT NULL,
    to_id          TEXT NOT NULL,
    kind           TEXT NOT NULL,
    effective_on   TEXT NOT NULL,
    legal_act      TEXT,
    PRIMARY KEY (recorded_on, from_id, to_id, kind)
) STRICT;
CREATE INDEX proj_lineage_edges_to ON proj_lineage_edges (to_id);

-- Present standing per (locality, criteria set), evaluated on `as_of`.
CREATE TABLE proj_standings (
    locality_id      TEXT NOT NULL,
    set_code         TEXT NOT NULL,
    as_of            TEXT NOT NULL,
    exists_on        INTEGER NOT NULL,
    enrolled         INTEGER NOT NULL,
    criteria_met     INTEGER NOT NULL,
    criteria_total   INTEGER NOT NULL,
    level_reached    TEXT,
    recognised_level TEXT,
    recognition      TEXT,
    recognised_on    TEXT,
    standard_year    INTEGER,
    recognition_batch TEXT,
    at_risk          TEXT,
    pending_acknowledgement INTEGER NOT NULL,
    last_position    INTEGER NOT NULL,
    PRIMARY KEY (locality_id, set_code)
) STRICT;

-- Present status per criterion (and level condition), official beside computed.
CREATE TABLE proj_standing_criteria (
    locality_id    TEXT NOT NULL,
    set_code       TEXT NOT NULL,
    criterion      TEXT NOT NULL,
    is_condition   INTEGER NOT NULL,
    status         TEXT NOT NULL,
    computed       TEXT NOT NULL,
    official       TEXT,
    official_level TEXT,
    official_on    TEXT,
    differs        INTEGER NOT NULL,
    PRIMARY KEY (locality_id, set_code, criterion)
) STRICT;

-- The latest reading behind each indicator of the present standing.
CREATE TABLE proj_standing_indicators (
    locality_id    TEXT NOT NULL,
    set_code       TEXT NOT NULL,
    indicator      TEXT NOT NULL,
    criterion      TEXT NOT NULL,
    reading        TEXT,
    read_on        TEXT,
    target         TEXT,
    status         TEXT NOT NULL,
    PRIMARY KEY (locality_id, set_code, indicator)
) STRICT;

-- Standing over valid time, as currently known: [valid_from, valid_to), NULL = open.
CREATE TABLE proj_standing_history (
    locality_id      TEXT NOT NULL,
    set_code         TEXT NOT NULL,
    valid_from       TEXT NOT NULL,
    valid_to         TEXT,
    exists_on        INTEGER NOT NULL,
    criteria_met     INTEGER NOT NULL,
    criteria_total   INTEGER NOT NULL,
    level_reached    TEXT,
    recognised_level TEXT,
    at_risk          TEXT,
    PRIMARY KEY (locality_id, set_code, valid_from)
) STRICT;
CREATE INDEX proj_standing_history_set ON proj_standing_history (set_code, valid_from);

-- Each criterion's status over valid time, for per-criterion pass counts as of a date.
CREATE TABLE proj_criterion_history (
    locality_id    TEXT NOT NULL,
    set_code       TEXT NOT NULL,
    criterion      TEXT NOT NULL,
    valid_from     TEXT NOT NULL,
    valid_to       TEXT,
    status         TEXT NOT NULL,
    PRIMARY KEY (locality_id, set_code, criterion, valid_from)
) STRICT;

-- The rebuild target of `ntm replay`, same shape.

CREATE TABLE proj_localities_next (
    locality_id    TEXT PRIMARY KEY,
    -- '/<province>/<district>/<commune>/' by the parent in force today: a subtree is a prefix.
    path           TEXT NOT NULL,
    name           TEXT,
    code           TEXT,
    kind           TEXT,
    parent_id      TEXT,
    established_on TEXT,
    ended_on       TEXT,
    end_kind       TEXT,
    last_position  INTEGER NOT NULL
) STRICT;
CREATE INDEX proj_localities_next_path ON proj_localities_next (path);

-- One row per valid-time period in which code, name, kind, parent and thresholds hold still.
CREATE TABLE proj_locality_periods_next (
    locality_id    TEXT NOT NULL,
    valid_from     TEXT NOT NULL,
    valid_to       TEXT,
    name           TEXT,
    code           TEXT,
    kind           TEXT,
    parent_id      TEXT,
    region         TEXT,
    commune_group  TEXT,
    PRIMARY KEY (locality_id, valid_from)
) STRICT;
CREATE INDEX proj_locality_periods_next_parent ON proj_locality_periods_next (parent_id, valid_from);
CREATE INDEX proj_locality_periods_next_code ON proj_locality_periods_next (code, valid_from);

-- Lineage edges as recorded on each side's stream (a merger appears on both).
CREATE TABLE proj_lineage_edges_next (
    recorded_on    TEXT NOT NULL,
    from_id        TEXT NOT NULL,
    to_id          TEXT NOT NULL,
    kind           TEXT NOT NULL,
    effective_on   TEXT NOT NULL,
    legal_act      TEXT,
    PRIMARY KEY (recorded_on, from_id, to_id, kind)
) STRICT;
CREATE INDEX proj_lineage_edges_next_to ON proj_lineage_edges_next (to_id);

-- Present standing per (locality, criteria set), evaluated on `as_of`.
CREATE TABLE proj_standings_next (
    locality_id      TEXT NOT NULL,
    set_code         TEXT NOT NULL,
    as_of            TEXT NOT NULL,
    exists_on        INTEGER NOT NULL,
    enrolled         INTEGER NOT NULL,
    criteria_met     INTEGER NOT NULL,
    criteria_total   INTEGER NOT NULL,
    level_reached    TEXT,
    recognised_level TEXT,
    recognition      TEXT,
    recognised_on    TEXT,
    standard_year    INTEGER,
    recognition_batch TEXT,
    at_risk          TEXT,
    pending_acknowledgement INTEGER NOT NULL,
    last_position    INTEGER NOT NULL,
    PRIMARY KEY (locality_id, set_code)
) STRICT;

-- Present status per criterion (and level condition), official beside computed.
CREATE TABLE proj_standing_criteria_next (
    locality_id    TEXT NOT NULL,
    set_code       TEXT NOT NULL,
    criterion      TEXT NOT NULL,
    is_condition   INTEGER NOT NULL,
    status         TEXT NOT NULL,
    computed       TEXT NOT NULL,
    official       TEXT,
    official_level TEXT,
    official_on    TEXT,
    differs        INTEGER NOT NULL,
    PRIMARY KEY (locality_id, set_code, criterion)
) STRICT;

-- The latest reading behind each indicator of the present standing.
CREATE TABLE proj_standing_indicators_next (
    locality_id    TEXT NOT NULL,
    set_code       TEXT NOT NULL,
    indicator      TEXT NOT NULL,
    criterion      TEXT NOT NULL,
    reading        TEXT,
    read_on        TEXT,
    target         TEXT,
    status         TEXT NOT NULL,
    PRIMARY KEY (locality_id, set_code, indicator)
) STRICT;

-- Standing over valid time, as currently known: [valid_from, valid_to), NULL = open.
CREATE TABLE proj_standing_history_next (
    locality_id      TEXT NOT NULL,
    set_code         TEXT NOT NULL,
    valid_from       TEXT NOT NULL,
    valid_to         TEXT,
    exists_on        INTEGER NOT NULL,
    criteria_met     INTEGER NOT NULL,
    criteria_total   INTEGER NOT NULL,
    level_reached    TEXT,
    recognised_level TEXT,
    at_risk          TEXT,
    PRIMARY KEY (locality_id, set_code, valid_from)
) STRICT;
CREATE INDEX proj_standing_history_next_set ON proj_standing_history_next (set_code, valid_from);

-- Each criterion's status over valid time, for per-criterion pass counts as of a date.
CREATE TABLE proj_criterion_history_next (
    locality_id    TEXT NOT NULL,
    set_code       TEXT NOT NULL,
    criterion      TEXT NOT NULL,
    valid_from     TEXT NOT NULL,
    valid_to       TEXT,
    status         TEXT NOT NULL,
    PRIMARY KEY (locality_id, set_code, criterion, valid_from)
) STRICT;
