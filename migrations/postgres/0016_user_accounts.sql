-- People's accounts and their sessions (docs/decisions/accounts-and-sessions.md). As for
-- access_tokens, these are indexes that can be rebuilt from the log, never the authority:
-- an account (role, scope, expiry, password hash, disabling) lives in its stream
-- `user/<user_id>`, a session (account, digest, expiry, sign-out) in `session/<session_id>`.
-- Nothing here is a secret: a username, and the SHA-256 of a session cookie's secret.

-- Finds an account by its (lower-case) username.
CREATE TABLE user_accounts (
    user_id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE
);

-- Finds a session by the SHA-256 digest of its cookie's secret.
CREATE TABLE user_sessions (
    session_id TEXT PRIMARY KEY,
    secret_sha256 BYTEA NOT NULL UNIQUE
);
