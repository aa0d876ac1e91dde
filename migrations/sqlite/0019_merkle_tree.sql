-- The transparency log (issue 22, docs/transparency-log.md): the RFC 6962 Merkle tree over the
-- events in position order, and the signed checkpoints of it.
--
-- Every complete subtree's root: level 0 holds leaf i's hash (the event at position i + 1),
-- level l index i the root over leaves [i·2^l, (i+1)·2^l). Written by the append, in its
-- transaction; filled for the events before this migration when the store opens.
CREATE TABLE merkle_nodes (
    level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 63),
    idx   INTEGER NOT NULL CHECK (idx >= 0),
    hash  BLOB    NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (level, idx)
) STRICT, WITHOUT ROWID;

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

CREATE TRIGGER merkle_nodes_no_update BEFORE UPDATE ON merkle_nodes
BEGIN
    SELECT RAISE(ABORT, 'the Merkle tree is append-only');
END;
CREATE TRIGGER merkle_nodes_no_delete BEFORE DELETE ON merkle_nodes
BEGIN
    SELECT RAISE(ABORT, 'the Merkle tree is append-only');
END;
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
