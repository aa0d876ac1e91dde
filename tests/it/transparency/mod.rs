//! The transparency log (issue 22): what a database writer can do to history, and what catches
//! it — `ntm verify --checkpoint`, the outside script, the witness.

pub mod attack;
pub mod graphql;
mod http;
mod older_log;
mod outside;
pub mod witness;
