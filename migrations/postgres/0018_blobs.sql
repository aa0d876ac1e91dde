-- The files attached to facts (issue 21), kept by the SHA-256 of their bytes when the blob store
-- is the database (the default on PostgreSQL, and for an SQLite database without a file; an
-- SQLite file keeps them in a directory beside it). A row is never changed: the same bytes have
-- the same key, and other bytes are another row (docs/decisions/attachments.md).
CREATE TABLE blobs (
    sha256    TEXT        PRIMARY KEY CHECK (char_length(sha256) = 64),
    size      BIGINT      NOT NULL CHECK (size > 0),
    bytes     BYTEA       NOT NULL,
    stored_at TIMESTAMPTZ NOT NULL
);

CREATE FUNCTION blobs_never_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'blobs are immutable';
END;
$$;

CREATE TRIGGER blobs_never_change BEFORE UPDATE ON blobs
FOR EACH ROW EXECUTE FUNCTION blobs_never_change();
