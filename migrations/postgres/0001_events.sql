-- The append-only event log (DESIGN §3): one row per event, one stream per aggregate.
-- `position` is assigned by the writer while it holds the append lock, so positions are
-- dense and commit in order: a reader following `position > checkpoint` never skips one.
CREATE TABLE events (
    position       BIGINT      PRIMARY KEY CHECK (position >= 1),
    stream_id      TEXT        NOT NULL,
    stream_version BIGINT      NOT NULL CHECK (stream_version >= 1),
    event_id       UUID        NOT NULL UNIQUE,
    event_type     TEXT        NOT NULL,
    schema_version INTEGER     NOT NULL,
    -- JSON kept as the exact text that was hashed (jsonb would re-format it).
    payload        TEXT        NOT NULL,
    metadata       TEXT        NOT NULL,
    recorded_at    TIMESTAMPTZ NOT NULL,
    effective_on   DATE,
    prev_hash      BYTEA       NOT NULL,
    hash           BYTEA       NOT NULL,
    CONSTRAINT events_stream_version_key UNIQUE (stream_id, stream_version)
);

-- History is never rewritten: UPDATE, DELETE and TRUNCATE are refused.
CREATE FUNCTION events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only: % is not allowed', TG_OP;
END
$$;

CREATE TRIGGER events_no_update_or_delete BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_are_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_are_append_only();
