-- The transparency log (issue 22, docs/transparency-log.md): the RFC 6962 Merkle tree over the
-- events in position order, and the signed checkpoints of it.
--
-- Every complete subtree's root is kept with the event that completes it: the event at
-- position p (leaf p - 1) holds, in `tree_nodes`, the roots of the subtrees ending at its leaf,
-- level 0 (its leaf hash) first, 32 bytes each. Written by the append in the same INSERT; for
-- events appended before this migration, set once when the store opens (the only UPDATE the
-- log allows: a missing `tree_nodes`, nothing else changed).
ALTER TABLE events ADD COLUMN tree_nodes BLOB;

DROP TRIGGER events_no_update;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
WHEN NOT (
    OLD.tree_nodes IS NULL AND NEW.tree_nodes IS NOT NULL
    AND NEW.position IS OLD.position AND NEW.stream_id IS OLD.stream_id
    AND NEW.stream_version IS OLD.stream_version AND NEW.event_id IS OLD.event_id
    AND NEW.event_type IS OLD.event_type AND NEW.schema_version IS OLD.schema_version
    AND NEW.payload IS OLD.payload AND NEW.metadata IS OLD.metadata
    AND NEW.recorded_at IS OLD.recorded_at AND NEW.effective_on IS OLD.effective_on
    AND NEW.prev_hash IS OLD.prev_hash AND NEW.hash IS OLD.hash
)
BEGIN
    SELECT RAISE(ABORT, 'events are append-only: UPDATE is not allowed');
END;

-- A signed checkpoint: the tree's size and root, as the signed note served and handed out.
CREATE TABLE checkpoints (
    tree_size INTEGER PRIMARY KEY CHECK (tree_size >= 0),
    root_hash BLOB    NOT NULL CHECK (length(root_hash) = 32),
    made_at   TEXT    NOT NULL,
    note      TEXT    NOT NULL
) STRICT;

-- A witness's cosignature of a checkpoint (C2SP tlog-cosignature), checked before it is kept.
CREATE TABLE checkpoint_cosignatures (
    tree_size   INTEGER NOT NULL REFERENCES checkpoints (tree_size),
    witness     TEXT    NOT NULL,
    key_id      TEXT    NOT NULL,
    signed_at   INTEGER NOT NULL,
    line        TEXT    NOT NULL,
    received_at TEXT    NOT NULL,
    PRIMARY KEY (tree_size, witness, key_id)
) STRICT;

CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
BEGIN
    SELECT RAISE(ABORT, 'checkpoints are append-only');
END;
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
BEGIN
    SELECT RAISE(ABORT, 'checkpoints are append-only');
END;
CREATE TRIGGER cosignatures_no_update BEFORE UPDATE ON checkpoint_cosignatures
BEGIN
    SELECT RAISE(ABORT, 'cosignatures are append-only');
END;
CREATE TRIGGER cosignatures_no_delete BEFORE DELETE ON checkpoint_cosignatures
BEGIN
    SELECT RAISE(ABORT, 'cosignatures are append-only');
END;
