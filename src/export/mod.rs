//! Standings on a date, the event log with its hashes, and readings in the format the readings
//! import takes (`ntm export …`); each writes to the `Write` it is given.

pub mod events;
pub mod proof;
pub mod readings;
pub mod spreadsheet;
pub mod standings;
mod subtree;

/// How standings are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}
