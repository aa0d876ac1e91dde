-- Finds a bearer token by the SHA-256 digest of its secret. Everything else about a token
-- (name, role, scope, expiry, revocation) lives in its event stream `token/<token_id>`, whose
-- TokenCreated event carries the same digest: authentication checks the two agree, so this
-- table is an index that can be rebuilt from the log, never the authority.
CREATE TABLE access_tokens (
    token_id TEXT PRIMARY KEY,
    secret_sha256 BYTEA NOT NULL UNIQUE
);
