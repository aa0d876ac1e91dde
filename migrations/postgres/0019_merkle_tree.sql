-- The transparency log (issue 22, docs/transparency-log.md): the RFC 6962 Merkle tree over the
-- events in position order, and the signed checkpoints of it.
--
-- Every complete subtree's root is kept with the event that completes it: the event at
-- position p (leaf p - 1) holds, in `tree_nodes`, the roots of the subtrees ending at its leaf,
-- level 0 (its leaf hash) first, 32 bytes each. Written by the append in the same INSERT; for
-- events appended before this migration, set once when the store opens (the only UPDATE the
-- log allows: a missing `tree_nodes`, nothing else changed).
ALTER TABLE events ADD COLUMN tree_nodes BYTEA;

CREATE OR REPLACE FUNCTION events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.tree_nodes IS NULL AND NEW.tree_nodes IS NOT NULL
           AND (NEW.position, NEW.stream_id, NEW.stream_version, NEW.event_id, NEW.event_type,
                NEW.schema_version, NEW.payload, NEW.metadata, NEW.recorded_at,
                NEW.effective_on, NEW.prev_hash, NEW.hash)
               IS NOT DISTINCT FROM
               (OLD.position, OLD.stream_id, OLD.stream_version, OLD.event_id, OLD.event_type,
                OLD.schema_version, OLD.payload, OLD.metadata, OLD.recorded_at,
                OLD.effective_on, OLD.prev_hash, OLD.hash) THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'events are append-only: % is not allowed', TG_OP;
END
$$;

-- A signed checkpoint: the tree's size and root, as the signed note served and handed out.
CREATE TABLE checkpoints (
    tree_size BIGINT      PRIMARY KEY CHECK (tree_size >= 0),
    root_hash BYTEA       NOT NULL CHECK (length(root_hash) = 32),
    made_at   TIMESTAMPTZ NOT NULL,
    note      TEXT        NOT NULL
);

-- A witness's cosignature of a checkpoint (C2SP tlog-cosignature), checked before it is kept.
CREATE TABLE checkpoint_cosignatures (
    tree_size   BIGINT      NOT NULL REFERENCES checkpoints (tree_size),
    witness     TEXT        NOT NULL,
    key_id      TEXT        NOT NULL,
    signed_at   BIGINT      NOT NULL,
    line        TEXT        NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tree_size, witness, key_id)
);

CREATE FUNCTION transparency_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP;
END
$$;

CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON checkpoints
    FOR EACH ROW EXECUTE FUNCTION transparency_log_is_append_only();
CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION transparency_log_is_append_only();
CREATE TRIGGER cosignatures_append_only BEFORE UPDATE OR DELETE ON checkpoint_cosignatures
    FOR EACH ROW EXECUTE FUNCTION transparency_log_is_append_only();
CREATE TRIGGER cosignatures_no_truncate BEFORE TRUNCATE ON checkpoint_cosignatures
    FOR EACH STATEMENT EXECUTE FUNCTION transparency_log_is_append_only();
