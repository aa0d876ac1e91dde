//! The mutation root: one mutation per domain command, each taking one `input`.

use async_graphql::{Context, Object};
use chrono::NaiveDate;

use super::access::Needs;
use super::attachments::{attach, AttachmentInput};
use super::command::{CommandResult, Commands};
use super::criterion_entry_inputs::RecordCriterionEntryInput;
use super::decision_inputs::RecordDecisionInput;
use super::inputs::*;
use super::lineage_inputs::*;
use super::recognition_inputs::*;
use super::{scope, ApiError};
use crate::app::codec::locality_of;
use crate::auth::Right;
use crate::domain::event::EventRetracted;
use crate::domain::lineage::{decide_merger, decide_split, Merger, Split, Successor};
use crate::domain::locality::{LocalityAction, LocalityId};

/// Every mutation needs a token whose role records its kind of fact (the guard), and every
/// event it appends is checked against the token's scope before the append.
pub struct MutationRoot;

fn commands<'a>(ctx: &Context<'a>) -> Result<Commands<'a>, ApiError> {
    Commands::of(ctx)
}

/// Decides `action` on the locality `common` names, with its expected version and idempotency
/// key: every mutation on one existing locality (lineage changes and progress alike).
async fn decide_on_named_locality(
    ctx: &Context<'_>,
    common: &Common,
    action: Result<LocalityAction, ApiError>,
    attachments: &[AttachmentInput],
) -> async_graphql::Result<CommandResult> {
    let id = locality_id(&common.locality, "locality")?;
    let action = attach(&super::api(ctx)?.blobs, action?, attachments).await?;
    Ok(commands(ctx)?
        .one(
            &id,
            common.expected_version,
            &common.idempotency_key,
            action,
        )
        .await?)
}

/// Today in Vietnam, by the service's clock: what a decision's dates are checked against.
fn today(ctx: &Context<'_>) -> NaiveDate {
    super::clock(ctx).today()
}

/// Writes: one mutation per domain command, each taking one `input`, each needing a token whose
/// role records that kind of fact. Each answers with the events recorded, the stream version and
/// the log `position` to pass as `minPosition` to a later query.
#[Object(name = "Mutation")]
impl MutationRoot {
    /// Publishes a criteria set, or a new version of one, from its TOML file (admins only):
    /// checked whole (refused with `CATALOG_INVALID` naming the file, key and reason, and
    /// nothing written), recorded once (the same file again writes nothing), and grading from
    /// the day it takes effect.
    #[graphql(guard = "Needs(Right::Publish)")]
    async fn publish_criteria_set(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The TOML file to publish.")]
        input: super::publish::PublishCriteriaSetInput,
    ) -> async_graphql::Result<super::publish::CriteriaSetVersionView> {
        Ok(super::publish::publish_criteria_set(ctx, input).await?)
    }

    /// Imports a fact file (`.xlsx`, `.xls`, `.ods` or `.csv`, uploaded per the GraphQL
    /// multipart request spec) as `ntm import KIND` does: every row checked in order, every
    /// problem named by row and column, and the whole file one atomic append, authorised for
    /// the uploader's role and scope (`FORBIDDEN`, nothing written); with `dryRun`, checked and
    /// authorised only. A retry of the same file whose rows still hold answers with its first
    /// append instead of appending again.
    #[graphql(guard = "Needs(Right::Record)")]
    async fn import_facts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the file holds; `ntm template KIND` gives its columns.")]
        kind: super::imports::ImportKind,
        #[graphql(desc = "The file.")] file: async_graphql::Upload,
        #[graphql(desc = "Check and authorise only; write nothing.", default = false)]
        dry_run: bool,
    ) -> async_graphql::Result<super::imports::ImportSummary> {
        Ok(super::imports::import_facts(ctx, kind, file, dry_run).await?)
    }

    /// Brings a locality into the register (thành lập, or registration from a baseline).
    #[graphql(guard = "Needs(Right::Approve)")]
    async fn register_locality(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The locality to register.")] input: RegisterLocalityInput,
    ) -> async_graphql::Result<CommandResult> {
        let id = input.id()?;
        let action = input.action()?;
        Ok(commands(ctx)?
            .one(&id, None, &input.idempotency_key, action)
            .await?)
    }

    /// Renames, reclassifies, re-codes, transfers, re-thresholds or dissolves one locality.
    #[graphql(guard = "Needs(Right::Approve)")]
    async fn record_lineage_change(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The locality, its change and date.")] input: RecordLineageChangeInput,
    ) -> async_graphql::Result<CommandResult> {
        decide_on_named_locality(ctx, &input.common, input.action(), &[]).await
    }

    /// Merges `sources` into an existing or a new locality, atomically across all streams. A
    /// successor holds no recognition until `acknowledgeAfterMerger`.
    #[graphql(guard = "Needs(Right::Approve)")]
    async fn merge_localities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The sources, the successor and the date.")] input: MergeLocalitiesInput,
    ) -> async_graphql::Result<CommandResult> {
        let successor = match (&input.into, &input.new_locality) {
            (Some(id), None) => Successor::Existing(locality_id(id, "into")?),
            (None, Some(new)) => Successor::New(new.domain()?),
            _ => {
                return Err(ApiError::validation(
                    "into",
                    "give exactly one of into and newLocality",
                )
                .into())
            }
        };
        let merger = Merger {
            today: today(ctx),
            effective_on: input.effective_on.0,
            legal_act: parse(&input.legal_act)?,
            sources: input
                .sources
                .iter()
                .map(|s| locality_id(s, "sources"))
                .collect::<Result<_, _>>()?,
            successor,
        };
        let main = match &merger.successor {
            Successor::New(new) => new.id.clone(),
            Successor::Existing(id) => id.clone(),
        };
        let involved: Vec<LocalityId> = merger
            .sources
            .iter()
            .cloned()
            .chain([main.clone()])
            .collect();
        Ok(commands(ctx)?
            .many(&main, &involved, &input.idempotency_key, |states| {
                decide_merger(&merger, states)
            })
            .await?)
    }

    /// Splits `source` into new `parts`, atomically across all streams.
    #[graphql(guard = "Needs(Right::Approve)")]
    async fn split_locality(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The source, the parts and the date.")] input: SplitLocalityInput,
    ) -> async_graphql::Result<CommandResult> {
        let split = Split {
            today: today(ctx),
            effective_on: input.effective_on.0,
            legal_act: parse(&input.legal_act)?,
            source: locality_id(&input.source, "source")?,
            parts: input
                .parts
                .iter()
                .map(NewLocalityInput::domain)
                .collect::<Result<_, _>>()?,
            continues: input.continues,
        };
        let involved: Vec<LocalityId> = std::iter::once(split.source.clone())
            .chain(split.parts.iter().map(|p| p.id.clone()))
            .collect();
        Ok(commands(ctx)?
            .many(&split.source, &involved, &input.idempotency_key, |states| {
                decide_split(&split, states)
            })
            .await?)
    }

    /// Registers a locality to reach a set's standard in a target year (đăng ký về đích).
    #[graphql(guard = "Needs(Right::Record)")]
    async fn enrol_locality(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The locality, set and target year.")] input: EnrolLocalityInput,
    ) -> async_graphql::Result<CommandResult> {
        decide_on_named_locality(ctx, &input.common, input.action(), &[]).await
    }

    /// Records a reading of one indicator (chỉ tiêu), typed by the indicator's kind.
    #[graphql(guard = "Needs(Right::Record)")]
    async fn record_indicator_reading(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The reading and its evidence.")] input: RecordIndicatorReadingInput,
    ) -> async_graphql::Result<CommandResult> {
        decide_on_named_locality(
            ctx,
            &input.common,
            input.action(),
            EvidenceInput::attached(&input.evidence),
        )
        .await
    }

    /// Records an assessment of a criterion (tiêu chí) as met or not, by a level of authority.
    #[graphql(guard = "Needs(Right::Record)")]
    async fn assess_criterion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The assessment and its evidence.")] input: AssessCriterionInput,
    ) -> async_graphql::Result<CommandResult> {
        decide_on_named_locality(
            ctx,
            &input.common,
            input.action(),
            EvidenceInput::attached(&input.evidence),
        )
        .await
    }

    /// Records a criterion's readings and, if given, its assessment for one locality, as one
    /// atomic append (the data-entry form's submission): all or nothing.
    #[graphql(guard = "Needs(Right::Record)")]
    async fn record_criterion_entry(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The criterion's readings and assessment.")]
        input: RecordCriterionEntryInput,
    ) -> async_graphql::Result<CommandResult> {
        let plan = input.plan(&super::api(ctx)?.blobs).await?;
        Ok(commands(ctx)?.plan(&input.idempotency_key, &plan).await?)
    }

    /// Records one decision (quyết định) recognising, revoking or acknowledging many
    /// localities at once, as one atomic append across all of them: all or nothing.
    #[graphql(guard = "Needs(Right::Approve)")]
    async fn record_decision(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The decision and the localities it covers.")] input: RecordDecisionInput,
    ) -> async_graphql::Result<CommandResult> {
        let plan = input.plan()?;
        Ok(commands(ctx)?.plan(&input.idempotency_key, &plan).await?)
    }

    /// Records the appraisal council's vote (bỏ phiếu thẩm định).
    #[graphql(guard = "Needs(Right::Approve)")]
    async fn record_appraisal_vote(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The vote and its evidence.")] input: RecordAppraisalVoteInput,
    ) -> async_graphql::Result<CommandResult> {
        decide_on_named_locality(
            ctx,
            &input.common,
            input.action(),
            EvidenceInput::attached(&input.evidence),
        )
        .await
    }

    /// Records a recognition decision (quyết định công nhận).
    #[graphql(guard = "Needs(Right::Approve)")]
    async fn grant_recognition(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The recognition decision.")] input: GrantRecognitionInput,
    ) -> async_graphql::Result<CommandResult> {
        decide_on_named_locality(ctx, &input.common, input.action(), &[]).await
    }

    /// Records the revocation of a recognition decision (thu hồi).
    #[graphql(guard = "Needs(Right::Approve)")]
    async fn revoke_recognition(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The revoking decision.")] input: RevokeRecognitionInput,
    ) -> async_graphql::Result<CommandResult> {
        decide_on_named_locality(ctx, &input.common, input.action(), &[]).await
    }

    /// Records the acknowledgement (thừa nhận) of predecessors' recognitions after a merger.
    #[graphql(guard = "Needs(Right::Approve)")]
    async fn acknowledge_after_merger(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The acknowledging decision.")] input: AcknowledgeAfterMergerInput,
    ) -> async_graphql::Result<CommandResult> {
        decide_on_named_locality(ctx, &input.common, input.action(), &[]).await
    }

    /// Withdraws an erroneous event; the original stays in the log and in the audit feed.
    /// Needs the right that recording the withdrawn event needs.
    #[graphql(guard = "Needs(Right::Record)")]
    async fn retract_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event's position and the reason.")] input: RetractEventInput,
    ) -> async_graphql::Result<CommandResult> {
        let reads = &scope(ctx)?.reads;
        let found = reads
            .events_after(input.position - 1, None, None, 1)
            .await
            .map_err(ApiError::from)?;
        let event = found
            .into_iter()
            .find(|e| e.position == input.position)
            .ok_or_else(|| ApiError::not_found("event at position", input.position.to_string()))?;
        let locality: LocalityId = locality_of(&event.stream_id).ok_or_else(|| {
            ApiError::not_found("locality event at position", input.position.to_string())
        })?;
        let action = LocalityAction::Retract(EventRetracted {
            retracted_version: u64::try_from(event.stream_version).unwrap_or_default(),
            reason: input.reason.clone(),
        });
        Ok(commands(ctx)?
            .one(
                &locality,
                input.expected_version,
                &input.idempotency_key,
                action,
            )
            .await?)
    }
}
