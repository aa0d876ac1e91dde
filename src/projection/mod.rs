//! Projections (DESIGN §4): read models of the locality directory, present standing, standing
//! history and roll-ups, kept current by one projector and rebuildable and verifiable at will.

pub mod ancestry;
mod apply;
mod copy;
mod cycles;
mod derive;
mod directory;
pub(crate) mod history;
mod leader;
mod paths;
mod projector;
pub mod read;
mod replay;
pub mod rows;
pub(crate) mod table_set;
mod verify;
mod write;

pub use apply::Applier;
pub use cycles::{first_cycle, Cycle};
pub use derive::{derive, Derived};
pub use projector::{spawn, ProjectorConfig, ProjectorHandle};
pub use replay::{replay, ReplayProgress};
pub use table_set::{checkpoint, checkpoint_in, TableSet};
pub use verify::{compare, LocalityLog, Mismatch, ProjectionReport, Tables};

use crate::store::StoreError;

/// Everything that can go wrong while projecting, rebuilding or verifying.
#[derive(Debug, thiserror::Error)]
pub enum ProjectionError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("the checkpoint moved away from {expected}: another projector or a replay wrote")]
    Fenced { expected: i64 },
    #[error("projections did not reach position {wanted} within the wait (at {reached})")]
    Timeout { wanted: i64, reached: i64 },
    #[error("another rebuild took over the _next tables; this one stopped")]
    Superseded,
    #[error("a projection task failed: {0}")]
    Task(String),
    #[error("another projector holds the leadership")]
    NotLeader,
    /// An event the projections cannot read: they stop before it (`app::codec`'s policy).
    #[error(transparent)]
    Undecodable(#[from] crate::app::codec::Undecodable),
    /// The catalogue the log records does not load.
    #[error(transparent)]
    Catalog(#[from] crate::app::catalog::LoadError),
}
