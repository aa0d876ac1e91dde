-- One row per run of `ntm verify` that completed: when it ran, what it checked and whether
-- everything held (issue 20: the dashboard shows the last one). An operational record about the
-- log, not a fact of the domain: it is not an event, since verify would then change the log it
-- verifies, and nobody has to trust it: the proof is running `ntm verify` again
-- (docs/decisions/verification-record.md).
CREATE TABLE verifications (
    id                   INTEGER     PRIMARY KEY AUTOINCREMENT,
    started_at           TEXT        NOT NULL,
    finished_at          TEXT        NOT NULL,
    ok                   BOOLEAN     NOT NULL,
    -- Events read in position order, and the streams they belong to.
    events_checked       BIGINT      NOT NULL CHECK (events_checked >= 0),
    streams_checked      BIGINT      NOT NULL CHECK (streams_checked >= 0),
    -- The last event, in position order, whose chain held (0 and NULL: none did).
    head_position        BIGINT      NOT NULL CHECK (head_position >= 0),
    head_hash            BLOB,
    -- Whether the read tables were compared with a rebuild from the log, and up to which
    -- position (NULL when the comparison did not run: an earlier check failed).
    read_tables_position BIGINT,
    -- The first thing that did not hold, cut to 2000 characters; NULL when ok.
    problem              TEXT CHECK (length(problem) <= 2000),
    CHECK (ok = (problem IS NULL))
);
