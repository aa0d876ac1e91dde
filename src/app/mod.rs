//! The application layer: the one command service every writer goes through (GraphQL, imports,
//! the demo, tokens): load → decide → authorise → append, with the stream codec and the ids
//! that tie each event to the request that caused it. See `docs/architecture.md`.

pub mod accounts;
mod authorise;
mod batch_check;
pub mod catalog;
pub mod clock;
pub mod codec;
pub mod draft;
pub mod error;
pub mod origin;
pub mod plan;
pub mod progress;
pub mod publish;
pub mod redecide;
pub mod register;
pub mod reports;
pub mod service;
mod surroundings;
pub mod tokens;
mod turns;
pub mod verifications;
pub mod verify;
mod verify_tree;

pub use catalog::CatalogHandle;
pub use draft::Draft;
pub use error::CommandError;
pub use origin::{Origin, RequestIds};
pub use plan::Plan;
pub use redecide::Redecide;
pub use register::Register;
pub use service::{Call, CommandService};
pub use turns::Turns;
