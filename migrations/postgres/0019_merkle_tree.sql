-- The transparency log (issue 22, docs/transparency-log.md): the RFC 6962 Merkle tree over the
-- events in position order, and the signed checkpoints of it.
--
-- Every complete subtree's root: level 0 holds leaf i's hash (the event at position i + 1),
-- level l index i the root over leaves [i·2^l, (i+1)·2^l). Written by the append, in its
-- transaction; filled for the events before this migration when the store opens.
CREATE TABLE merkle_nodes (
    level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 63),
    idx   BIGINT  NOT NULL CHECK (idx >= 0),
    hash  BYTEA   NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (level, idx)
);

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

CREATE TRIGGER merkle_nodes_append_only BEFORE UPDATE OR DELETE ON merkle_nodes
    FOR EACH ROW EXECUTE FUNCTION transparency_log_is_append_only();
CREATE TRIGGER merkle_nodes_no_truncate BEFORE TRUNCATE ON merkle_nodes
    FOR EACH STATEMENT EXECUTE FUNCTION transparency_log_is_append_only();
CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON checkpoints
    FOR EACH ROW EXECUTE FUNCTION transparency_log_is_append_only();
CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION transparency_log_is_append_only();
CREATE TRIGGER cosignatures_append_only BEFORE UPDATE OR DELETE ON checkpoint_cosignatures
    FOR EACH ROW EXECUTE FUNCTION transparency_log_is_append_only();
CREATE TRIGGER cosignatures_no_truncate BEFORE TRUNCATE ON checkpoint_cosignatures
    FOR EACH STATEMENT EXECUTE FUNCTION transparency_log_is_append_only();
