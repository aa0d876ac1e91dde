//! What `ntm verify` checks: the log, the locality tree, the read tables, the token index and
//! the accounts' and sessions' indexes, on one consistent snapshot of the database, so that it can run on a live system.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

pub use super::verify_tree::Held;
use super::verify_tree::TreeCheck;
use crate::app::{catalog, codec};
use crate::auth::token::{self, CATEGORY as TOKENS};
use crate::auth::verify_accounts::{check_sessions, check_users, sessions_in, users_in};
use crate::auth::{check_index, index_in, session, user};
use crate::blobs::BlobStore;
use crate::domain::catalog::{Catalog, Published};
use crate::projection::TableSet;
use crate::projection::{self, checkpoint_in, Cycle, LocalityLog, Mismatch, ProjectionError};
use crate::store::{ChainBreak, Db, RecordedEvent, Tx};

/// What `ntm verify` found; the counts are those of the checks that ran.
#[derive(Debug)]
pub struct Report {
    pub events: u64,
    pub streams: u64,
    /// The last event, in position order, whose chain held and that decodes: its position and
    /// hash (`None`: none did, or the log is empty).
    pub head: Option<(i64, Vec<u8>)>,
    pub checkpoint: i64,
    pub localities: usize,
    pub tokens: usize,
    /// Entries of the accounts' index.
    pub users: usize,
    /// Entries of the sessions' index.
    pub sessions: usize,
    /// Distinct files attached to facts, each found whole in the blob store.
    pub attachments: usize,
    /// Checkpoints the recomputed Merkle tree was compared with (kept and held outside).
    pub checkpoints: usize,
    /// The first thing that does not hold, in the order of the checks; `None`: all match.
    pub finding: Option<Finding>,
}

impl Report {
    /// Whether the read tables were compared with the log's derivation: the checks before it
    /// (the log, the locality tree) held.
    pub fn read_tables_compared(&self) -> bool {
        !matches!(
            self.finding,
            Some(Finding::Event(_) | Finding::Tree(_) | Finding::Cycle(_))
        )
    }
}

/// The first thing that does not hold; each check stops the ones after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// An event whose columns do not parse, whose chain breaks or that does not decode.
    Event(ChainBreak),
    /// The Merkle tree recomputed from the events contradicts a checkpoint (kept in the
    /// database or held outside it), or a stored node differs from it.
    Tree(String),
    /// A locality that is its own ancestor on some date.
    Cycle(Cycle),
    /// A read-table row that differs from the log's derivation up to the checkpoint.
    Projection(Mismatch),
    /// A token index entry the log does not back.
    TokenIndex(String),
    /// An account or session index entry the log does not back.
    AccountIndex(String),
    /// A file an event attaches that the blob store lacks, or whose bytes changed.
    Attachment(String),
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::Event(broken) => write!(f, "BROKEN: {broken}"),
            Finding::Tree(problem) => write!(f, "CHECKPOINT CONTRADICTED: {problem}"),
            Finding::Cycle(cycle) => write!(f, "CYCLE: {cycle}"),
            Finding::Projection(mismatch) => write!(f, "PROJECTION DIFFERS: {mismatch}"),
            Finding::TokenIndex(entry) => write!(f, "TOKEN INDEX DIFFERS: {entry}"),
            Finding::AccountIndex(entry) => write!(f, "ACCOUNT INDEX DIFFERS: {entry}"),
            Finding::Attachment(problem) => write!(f, "ATTACHMENT MISSING OR ALTERED: {problem}"),
        }
    }
}

/// Runs every check within one snapshot (see `Tx::begin_snapshot`): the checkpoint, the log,
/// the read tables and the token index all as of one moment, whatever is written meanwhile.
/// `base` is the binary's catalogue; the versions published in the log are added to it. Then
/// every file the log attaches is read from `blobs` and checked against its hash and size.
pub async fn verify(
    db: &Db,
    catalog: &Catalog,
    blobs: &BlobStore,
) -> Result<Report, ProjectionError> {
    verify_held(db, catalog, blobs, &Held::default()).await
}

/// [`verify`], the Merkle tree recomputed from the events also compared with checkpoints
/// held outside the database (`ntm verify --checkpoint FILE`).
pub async fn verify_held(
    db: &Db,
    catalog: &Catalog,
    blobs: &BlobStore,
    held: &Held,
) -> Result<Report, ProjectionError> {
    let mut tx = Tx::begin_snapshot(db).await?;
    let mut attached = BTreeMap::new();
    let mut report = verify_in(&mut tx, catalog, &mut attached, held).await?;
    tx.commit().await?;
    if report.finding.is_none() {
        match check_attachments(blobs, &attached).await {
            Ok(count) => report.attachments = count,
            Err(problem) => report.finding = Some(Finding::Attachment(problem)),
        }
    }
    Ok(report)
}

/// Each attached file is stored, hashes to its name and has its recorded size.
async fn check_attachments(
    blobs: &BlobStore,
    attached: &BTreeMap<String, (u64, String)>,
) -> Result<usize, String> {
    for (sha256, (size, event)) in attached {
        match blobs.get(sha256).await {
            Ok(bytes) if bytes.len() as u64 == *size => {}
            Ok(bytes) => {
                return Err(format!(
                    "{sha256} (attached by event {event}) is {} bytes; the event says {size}",
                    bytes.len()
                ))
            }
            Err(e) => return Err(format!("{sha256} (attached by event {event}): {e}")),
        }
    }
    Ok(attached.len())
}

/// The files `event` attaches, by hash, with their size and the event's id.
fn collect_attachments(
    event: &RecordedEvent,
    attached: &mut BTreeMap<String, (u64, String)>,
) -> Result<(), String> {
    // Most events attach nothing: only those whose payload names attachments are decoded.
    if !event.payload.contains("\"attachments\"") {
        return Ok(());
    }
    let decoded = codec::decode(event).map_err(|e| e.to_string())?;
    for attachment in decoded.event.evidence().map_or(&[][..], |e| &e.attachments) {
        attached
            .entry(attachment.sha256.clone())
            .or_insert_with(|| (attachment.size, event.event_id.to_string()));
    }
    Ok(())
}

async fn verify_in(
    tx: &mut Tx,
    base: &Catalog,
    attached: &mut BTreeMap<String, (u64, String)>,
    held: &Held,
) -> Result<Report, ProjectionError> {
    let checkpoint = checkpoint_in(tx, TableSet::Live).await?;
    let mut tree = TreeCheck::start(tx, held).await?;
    let checkpoints = tree.compared();
    let mut log = LocalityLog::new(checkpoint);
    let mut tokens: HashMap<String, Vec<RecordedEvent>> = HashMap::new();
    let mut accounts: HashMap<String, Vec<RecordedEvent>> = HashMap::new();
    let mut published: Vec<Published> = Vec::new();
    let walked = crate::store::walk_log(tx, |event| {
        tree.push(&event.hash);
        if event.stream_id.starts_with(catalog::CATEGORY) {
            catalog::check_event(event)?;
            if event.position <= checkpoint {
                published.push(catalog::published_event(event).map_err(|e| e.to_string())?);
            }
            return Ok(());
        }
        if event.stream_id.starts_with(crate::app::reports::CATEGORY) {
            return crate::app::reports::check_event(event);
        }
        if event.stream_id.starts_with(TOKENS) {
            token::check_event(event)?;
            let stream = tokens.entry(event.stream_id.clone()).or_default();
            stream.push(event.clone());
            return Ok(());
        }
        let is_user = event.stream_id.starts_with(user::CATEGORY);
        if is_user || event.stream_id.starts_with(session::CATEGORY) {
            match is_user {
                true => user::check_event(event)?,
                false => session::check_event(event)?,
            }
            let stream = accounts.entry(event.stream_id.clone()).or_default();
            stream.push(event.clone());
            return Ok(());
        }
        collect_attachments(event, attached)?;
        log.ingest(event)
    })
    .await?;
    let mut report = Report {
        events: walked.events,
        streams: walked.streams,
        head: walked.head,
        checkpoint: log.checkpoint(),
        localities: 0,
        tokens: 0,
        users: 0,
        sessions: 0,
        attachments: 0,
        checkpoints,
        finding: walked.first_break.map(Finding::Event),
    };
    if report.finding.is_some() {
        return Ok(report);
    }
    if let Some(problem) = tree.finish(tx).await? {
        report.finding = Some(Finding::Tree(problem));
        return Ok(report);
    }
    if let Some(cycle) = projection::first_cycle(&log.periods()) {
        report.finding = Some(Finding::Cycle(cycle));
        return Ok(report);
    }
    // The tables up to the checkpoint are graded by the catalogue the log knew there.
    let catalog = base
        .with_published(&published)
        .map_err(crate::app::catalog::LoadError::from)?;
    let projections = projection::compare(tx, &log, &catalog).await?;
    report.localities = projections.localities;
    if let Some(mismatch) = projections.first_mismatch {
        report.finding = Some(Finding::Projection(mismatch));
        return Ok(report);
    }
    match check_index(&index_in(tx).await?, &tokens) {
        Ok(count) => report.tokens = count,
        Err(entry) => {
            report.finding = Some(Finding::TokenIndex(entry));
            return Ok(report);
        }
    }
    let users = users_in(tx).await?;
    let sessions = sessions_in(tx).await?;
    match check_users(&users, &accounts)
        .and_then(|n| Ok((n, check_sessions(&sessions, &accounts)?)))
    {
        Ok((users, sessions)) => (report.users, report.sessions) = (users, sessions),
        Err(entry) => report.finding = Some(Finding::AccountIndex(entry)),
    }
    Ok(report)
}
