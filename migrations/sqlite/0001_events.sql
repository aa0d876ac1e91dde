-- The append-only event log (DESIGN §3): one row per event, one stream per aggregate.
-- `position` is assigned by the writer inside BEGIN IMMEDIATE, so positions are dense
-- and commit in order: a reader following `position > checkpoint` never skips one.
CREATE TABLE events (
    position       INTEGER PRIMARY KEY CHECK (position >= 1),
    stream_id      TEXT    NOT NULL,
    stream_version INTEGER NOT NULL CHECK (stream_version >= 1),
    event_id       BLOB    NOT NULL UNIQUE,
    event_type     TEXT    NOT NULL,
    schema_version INTEGER NOT NULL,
    payload        TEXT    NOT NULL,
    metadata       TEXT    NOT NULL,
    -- RFC 3339 text in UTC, as sqlx writes it; comparable as text.
    recorded_at    TEXT    NOT NULL,
    effective_on   TEXT,
    prev_hash      BLOB    NOT NULL,
    hash           BLOB    NOT NULL,
    UNIQUE (stream_id, stream_version)
) STRICT;

-- History is never rewritten: UPDATE and DELETE are refused.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only: UPDATE is not allowed');
END;

CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only: DELETE is not allowed');
END;
