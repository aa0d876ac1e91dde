//! The transparency log in GraphQL (docs/transparency-log.md): signed checkpoints with their
//! cosignatures, the log's verifier key, consistency proofs, and `Event.inclusionProof`. Open to
//! anyone, as the HTTP endpoints are: hashes and sizes, never an event's content.

use async_graphql::{Context, Object, SimpleObject};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use chrono::DateTime;

use super::scalars::Instant;
use super::{api, ApiError};
use crate::checkpoint::{Checkpoint, CheckpointError, KeptCheckpoint, SignedNote};
use crate::merkle;
use crate::store::RecordedEvent;

/// Most checkpoints one `checkpoints` list gives.
pub const MAX_CHECKPOINTS: i32 = 100;

#[derive(Default)]
pub struct TransparencyQuery;

/// A signed checkpoint: the size and Merkle root of the log's first `treeSize` events, signed
/// with the log's key, with the cosignatures witnesses sent back for it.
#[derive(SimpleObject)]
#[graphql(name = "Checkpoint")]
pub struct CheckpointView {
    /// How many events the tree covers: the events at positions 1 to `treeSize`.
    pub tree_size: i64,
    /// The RFC 6962 root hash of that tree, base64.
    pub root_hash: String,
    /// When this service made and signed it (the time in its text).
    pub made_at: Instant,
    /// The log's name, the first line of the note.
    pub origin: String,
    /// The signed note (C2SP signed-note) with every cosignature line after the log's: the text
    /// `GET /checkpoints/{size}` serves, to be kept outside the database and checked later.
    pub note: String,
    /// The witnesses' cosignatures received for it, in the order received.
    pub cosignatures: Vec<Cosignature>,
}

/// A witness's cosignature of a checkpoint (C2SP tlog-cosignature v1), checked against that
/// witness's key when it was received.
#[derive(SimpleObject)]
pub struct Cosignature {
    /// The witness's key name.
    pub witness: String,
    /// The witness's key id, 8 hexadecimal digits.
    pub key_id: String,
    /// When the witness signed, by its own clock.
    pub signed_at: Instant,
    /// The signature line as it appears in the note (`— <witness> <base64>`).
    pub line: String,
}

/// The RFC 6962 proof that an event is in a signed checkpoint's tree: hash `leafHash` with
/// `hashes` (RFC 9162 §2.1.3.2) and the result must be the checkpoint's `rootHash`.
#[derive(SimpleObject)]
pub struct InclusionProof {
    /// The event's position in the log.
    pub position: i64,
    /// Its leaf in the tree: `position − 1`.
    pub leaf_index: i64,
    /// The size of the tree the proof is for: the checkpoint's `treeSize`.
    pub tree_size: i64,
    /// The root the proof leads to, base64: the checkpoint's.
    pub root_hash: String,
    /// The leaf's hash, base64: SHA-256 of `0x00` followed by the event's stored hash.
    pub leaf_hash: String,
    /// The proof's hashes, base64, from the leaf up.
    pub hashes: Vec<String>,
    /// The signed checkpoint the proof is for.
    pub checkpoint: CheckpointView,
}

/// The RFC 6962 proof that the log's first `from` events are the start of its first `to`
/// events (RFC 9162 §2.1.4.2): nothing in the older tree was changed or removed.
#[derive(SimpleObject)]
pub struct ConsistencyProof {
    /// The older tree's size.
    pub from: i64,
    /// The newer tree's size.
    pub to: i64,
    /// The proof's hashes, base64.
    pub hashes: Vec<String>,
}

impl From<CheckpointError> for ApiError {
    fn from(error: CheckpointError) -> Self {
        match error {
            CheckpointError::Unknown(size) => ApiError::not_found("checkpoint", size.to_string()),
            CheckpointError::Store(store) => store.into(),
            other => ApiError::internal(other),
        }
    }
}

impl TryFrom<KeptCheckpoint> for CheckpointView {
    type Error = ApiError;

    fn try_from(kept: KeptCheckpoint) -> Result<Self, ApiError> {
        let text = SignedNote::parse(&kept.note)
            .map_err(ApiError::internal)?
            .text;
        let checkpoint = Checkpoint::parse(&text).map_err(ApiError::internal)?;
        let note = kept.cosigned_note();
        let cosignatures = kept
            .cosignatures
            .into_iter()
            .map(|c| Cosignature {
                witness: c.witness,
                key_id: c.key_id,
                signed_at: Instant(DateTime::from_timestamp(c.signed_at, 0).unwrap_or_default()),
                line: c.line.trim_end().to_owned(),
            })
            .collect();
        Ok(CheckpointView {
            tree_size: size_field(kept.size),
            root_hash: BASE64.encode(kept.root),
            made_at: Instant(kept.made_at),
            origin: checkpoint.origin,
            note,
            cosignatures,
        })
    }
}

fn size_field(size: u64) -> i64 {
    i64::try_from(size).unwrap_or(i64::MAX)
}

/// A tree size given by the client: 0 or more (VALIDATION naming `field` otherwise).
fn size_arg(field: &str, size: i64) -> Result<u64, ApiError> {
    u64::try_from(size)
        .map_err(|_| ApiError::validation(field, format!("{field} must be 0 or more, got {size}")))
}

/// `event`'s inclusion proof in the checkpoint of `size` events (none: the newest). Null when no
/// size is given and no checkpoint covers the event yet; with a size, NOT_FOUND when no
/// checkpoint of it is kept and VALIDATION when it does not contain the event.
pub async fn inclusion_proof(
    ctx: &Context<'_>,
    event: &RecordedEvent,
    size: Option<i64>,
) -> async_graphql::Result<Option<InclusionProof>> {
    let api = api(ctx)?;
    let kept = match size {
        Some(size) => {
            let size = size_arg("checkpoint", size)?;
            let kept = api.checkpoints.at(size).await.map_err(ApiError::from)?;
            let kept = kept.ok_or_else(|| ApiError::not_found("checkpoint", size.to_string()))?;
            if u64::try_from(event.position).is_ok_and(|p| p > kept.size) {
                let message = format!(
                    "event {} is not in the checkpoint of {} events",
                    event.position, kept.size
                );
                return Err(ApiError::validation("checkpoint", message).into());
            }
            kept
        }
        None => match api.checkpoints.latest().await.map_err(ApiError::from)? {
            Some(kept) if u64::try_from(event.position).is_ok_and(|p| p <= kept.size) => kept,
            _ => return Ok(None),
        },
    };
    let hashes = api
        .store
        .inclusion_proof(event.position, kept.size)
        .await
        .map_err(ApiError::from)?;
    Ok(Some(InclusionProof {
        position: event.position,
        leaf_index: event.position - 1,
        tree_size: size_field(kept.size),
        root_hash: BASE64.encode(kept.root),
        leaf_hash: BASE64.encode(merkle::leaf_hash(&event.hash)),
        hashes: merkle::base64_hashes(&hashes),
        checkpoint: kept.try_into()?,
    }))
}

#[Object]
impl TransparencyQuery {
    /// The log's signed checkpoints, the newest first. Open to anyone (sizes and hashes only).
    #[graphql(complexity = "first.clamp(1, MAX_CHECKPOINTS) as usize * child_complexity")]
    async fn checkpoints(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default = 20,
            desc = "How many checkpoints (1 to 100, default 20; VALIDATION otherwise)."
        )]
        first: i32,
        #[graphql(
            desc = "Only checkpoints of fewer events than this (the `treeSize` of the last one \
                seen, to read on); null: from the newest."
        )]
        before: Option<i64>,
    ) -> async_graphql::Result<Vec<CheckpointView>> {
        if !(1..=MAX_CHECKPOINTS).contains(&first) {
            let message = format!("first must be from 1 to {MAX_CHECKPOINTS}, got {first}");
            return Err(ApiError::validation("first", message).into());
        }
        let before = before.map(|b| size_arg("before", b)).transpose()?;
        let checkpoints = &api(ctx)?.checkpoints;
        let kept = checkpoints
            .list(i64::from(first), before)
            .await
            .map_err(ApiError::from)?;
        let views: Result<Vec<CheckpointView>, ApiError> =
            kept.into_iter().map(TryInto::try_into).collect();
        Ok(views?)
    }

    /// One signed checkpoint: of `size` events, or the newest; null when none is kept. Open to
    /// anyone.
    async fn checkpoint(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its tree size (0 or more; VALIDATION otherwise); null: the newest.")]
        size: Option<i64>,
    ) -> async_graphql::Result<Option<CheckpointView>> {
        let checkpoints = &api(ctx)?.checkpoints;
        let kept = match size {
            Some(size) => checkpoints.at(size_arg("size", size)?).await,
            None => checkpoints.latest().await,
        };
        match kept.map_err(ApiError::from)? {
            Some(kept) => Ok(Some(kept.try_into()?)),
            None => Ok(None),
        }
    }

    /// The log's verifier key (`<name>+<key id>+<base64 key>`) when this service holds the
    /// signing key, else null: give it to auditors, who check every checkpoint against it.
    async fn log_verifier_key(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        Ok(api(ctx)?.checkpoints.verifier().map(|v| v.to_string()))
    }

    /// The proof that the log's first `from` events are the start of its first `to` events.
    /// Open to anyone; any sizes of the log, checkpointed or not.
    async fn consistency_proof(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The older tree's size (0 or more; VALIDATION otherwise).")] from: i64,
        #[graphql(
            desc = "The newer tree's size: at least `from` (VALIDATION otherwise), at most the \
                log's (NOT_FOUND otherwise)."
        )]
        to: i64,
    ) -> async_graphql::Result<ConsistencyProof> {
        let (old, new) = (size_arg("from", from)?, size_arg("to", to)?);
        if old > new {
            let message = format!("from ({from}) is after to ({to})");
            return Err(ApiError::validation("from", message).into());
        }
        let store = &api(ctx)?.store;
        let hashes = store
            .consistency_proof(old, new)
            .await
            .map_err(ApiError::from)?;
        Ok(ConsistencyProof {
            from,
            to,
            hashes: merkle::base64_hashes(&hashes),
        })
    }
}
