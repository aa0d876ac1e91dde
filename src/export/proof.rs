//! `ntm export proof`: the bundle that proves to an auditor holding an old checkpoint that the
//! log now extends it unchanged (docs/transparency-log.md, "The proof bundle"), checked outside
//! with `scripts/verify_log_bundle.py`. Written as it is read: the events stream out.

use std::collections::HashMap;
use std::io::Write;

use serde_json::json;

use super::events::EventLine;
use crate::app::progress::Progress;
use crate::checkpoint::{Checkpoint, CheckpointError, Checkpoints, KeptCheckpoint};
use crate::merkle::base64_hashes;
use crate::store::{EventStore, RecordedEvent, StreamRange, READ_BATCH};

/// The bundle's format name.
pub const FORMAT: &str = "ntm-proof-bundle/1";

/// What was written: the sizes the bundle spans, and whether the log still has the old root.
#[derive(Debug)]
pub struct Exported {
    pub old_size: u64,
    pub new_size: u64,
    pub events: u64,
    /// The log's tree at the old size has the old checkpoint's root (otherwise the bundle
    /// still shows it: the script will refuse it).
    pub old_root_holds: bool,
}

/// Writes the bundle from `old` (a checkpoint the auditor holds, as its note) to the newest
/// checkpoint (made now when `checkpoints` holds the key).
pub async fn export(
    store: &EventStore,
    checkpoints: &Checkpoints,
    old: (&Checkpoint, &str),
    out: &mut impl Write,
    progress: &dyn Progress,
) -> anyhow::Result<Exported> {
    let (old, old_note) = old;
    let new = newest(checkpoints).await?;
    anyhow::ensure!(
        new.size >= old.size,
        "the newest checkpoint ({} events) is older than the one held ({} events)",
        new.size,
        old.size
    );
    let old_root_holds = store.tree_root(old.size).await? == old.root;
    let kept_old = checkpoints.at(old.size).await?.map(|k| k.note);
    let header = json!({
        "format": FORMAT,
        "old_checkpoint": kept_old.as_deref().unwrap_or(old_note),
        "new_checkpoint": new.cosigned_note(),
        "consistency_proof": base64_hashes(&store.consistency_proof(old.size, new.size).await?),
        "old_frontier": base64_hashes(&store.tree_frontier(old.size).await?),
    });
    let header = serde_json::to_string(&header)?;
    // The header's fields, then the events as they are read, then the heads they chain to.
    let fields = header.strip_suffix('}').unwrap_or(&header);
    write!(out, "{fields},\n\"events\": [")?;
    progress.stage("exporting", Some(new.size - old.size));
    let mut first_versions: HashMap<String, i64> = HashMap::new();
    let mut after = i64::try_from(old.size)?;
    let until = i64::try_from(new.size)?;
    let mut written = 0;
    while after < until {
        let batch = store.read_all(after, READ_BATCH.min(until - after)).await?;
        let Some(last) = batch.last() else { break };
        after = last.position;
        for event in &batch {
            if written > 0 {
                out.write_all(b",")?;
            }
            out.write_all(b"\n")?;
            serde_json::to_writer(&mut *out, &EventLine::from(event))?;
            first_versions
                .entry(event.stream_id.clone())
                .or_insert(event.stream_version);
            written += 1;
        }
        progress.inc(batch.len() as u64);
    }
    write!(out, "\n],\n\"stream_heads\": [")?;
    let mut heads: Vec<(&String, &i64)> = first_versions.iter().filter(|(_, v)| **v > 1).collect();
    heads.sort();
    for (n, (stream, version)) in heads.into_iter().enumerate() {
        let head = head_before(store, stream, *version).await?;
        let proof = store.inclusion_proof(head.position, old.size).await?;
        let entry =
            json!({ "event": EventLine::from(&head), "inclusion_proof": base64_hashes(&proof) });
        let separator = if n == 0 { "\n" } else { ",\n" };
        write!(out, "{separator}{entry}")?;
    }
    writeln!(out, "\n]}}")?;
    Ok(Exported {
        old_size: old.size,
        new_size: new.size,
        events: written,
        old_root_holds,
    })
}

/// A checkpoint of the log as it is now when the key is at hand, else the newest kept.
async fn newest(checkpoints: &Checkpoints) -> Result<KeptCheckpoint, CheckpointError> {
    match checkpoints.verifier() {
        Some(_) => checkpoints.make().await,
        None => checkpoints
            .latest()
            .await?
            .ok_or(CheckpointError::Unknown(0)),
    }
}

/// The event of `stream` just before `version`.
async fn head_before(
    store: &EventStore,
    stream: &str,
    version: i64,
) -> anyhow::Result<RecordedEvent> {
    let range = StreamRange::all()
        .from_version(version - 1)
        .up_to_version(version - 1);
    let mut events = store.read_stream(stream, range).await?;
    events
        .pop()
        .ok_or_else(|| anyhow::anyhow!("stream {stream} has no version {}", version - 1))
}
