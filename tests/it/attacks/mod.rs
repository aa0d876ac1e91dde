//! The attacks of the hardening review, replayed on both engines: each gets a typed error or a
//! bounded answer, writes nothing, and leaves the server up.

mod documents;
mod process;
