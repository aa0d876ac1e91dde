//! The reads of the read tables the projections write: the API's read connections, its counted
//! reads by locality id, the roll-ups and the reads of the period tables.

mod api_reads;
mod census;
mod dated_tree;
mod feed_reads;
mod locality_list;
mod periods;
mod pool;
mod rollups;
pub mod row_kinds;

pub use api_reads::{Reads, StatementCount};
pub use census::{own_standing, Census, CensusSets, DistrictUnit, OwnStanding};
pub use dated_tree::{TreeOn, CHILDREN_ORDER};
pub use feed_reads::FeedQuery;
pub use locality_list::{level_ranks, ListFilter, Listed, Slice, SortKey, StandingFilter};
pub use periods::{ever_coded, standings_in_subtree};
pub(crate) use pool::with_reader;
pub use pool::{Connect, Connections, ReadConnection, Reader, Readers, Timed, STATEMENT_TIMEOUT};
pub use rollups::{rollup, rollup_on_reader, Figures, Rollup, RollupQuery};
