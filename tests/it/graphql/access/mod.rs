//! Access control over a real socket: every mutation against every kind of caller, scopes on
//! the fact's effective date, identities in the feed and on sockets, CORS and the rate limit.

mod fixture;
mod hardening;
mod matrix;
mod scope;
pub mod sockets;
