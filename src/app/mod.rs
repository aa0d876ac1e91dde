//! The application layer: the one command service every writer goes through (GraphQL, imports,
//! the demo, tokens): load → decide → authorise → append, with the stream codec and the ids
//! that tie each event to the request that caused it.

pub mod origin;

pub use origin::Origin;
