//! A locality's standing against one criteria set, served the same way whether it comes from
//! the read tables (present) or from the domain's bitemporal `standing` over the stream.

use async_graphql::{Context, Object, SimpleObject, ID};
use chrono::{DateTime, NaiveDate, Utc};

use super::criterion_standing::{criterion_from_domain, criterion_from_row};
pub use super::criterion_standing::{CriterionView, MeasuredValue};
use super::enums::{from_spelling, RecognitionLevel, RevocationRisk};
use super::scalars::{Date, Instant};
use super::{api, scope};
use crate::domain::catalog::Grading;
use crate::domain::locality::LocalityEvent;
use crate::domain::standing::{standing_within, Recorded, Standing};
use crate::domain::terms::RecognitionLevel as DomainLevel;
use crate::domain::territory::Territory;
use crate::projection::rows::StandingRow;

/// The highest recognition (công nhận) the locality holds on the date, whatever set granted it:
/// a recognition holds until revoked, until a merger ends the locality, or until the locality
/// becomes a kind that cannot hold its level (a commune that became a ward).
#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "Recognition")]
pub struct RecognitionView {
    /// The level held.
    pub level: RecognitionLevel,
    /// The number of the decision that granted it (or acknowledged it after a merger), e.g.
    /// `1763/QĐ-UBND`.
    pub decision: String,
    /// The criteria set it was granted (or acknowledged) under, which need not be the one graded.
    pub set: String,
    /// Why it was granted without the evidence the law asks for; null when it was not an
    /// override.
    pub override_reason: Option<String>,
    /// The day it took effect (valid time: the decision's `effectiveOn`, not its signing date).
    pub recognised_on: Date,
    /// The standard year ("đạt chuẩn năm 2019"), which differs from the signing date.
    pub standard_year: i32,
    /// Đợt, e.g. "đợt 1 năm 2024".
    pub batch: Option<String>,
}

/// Standing of a locality for one criteria set on a date, as known at a time.
pub struct StandingView {
    pub locality: String,
    pub set: String,
    /// The set that graded: `set`, or its restatement for the locality's territory.
    pub graded_by: String,
    /// The version (hash) of the set that graded it.
    pub set_version: String,
    pub on: Date,
    pub known_at: Option<DateTime<Utc>>,
    pub exists: bool,
    pub enrolled: bool,
    pub criteria_met: i32,
    pub criteria_total: i32,
    pub level_reached: Option<RecognitionLevel>,
    pub recognition: Option<RecognitionView>,
    pub at_risk: Option<RevocationRisk>,
    pub pending_acknowledgement: i32,
    /// `None` when projected: loaded only when asked for.
    pub criteria: Option<Vec<CriterionView>>,
    /// The position of the last event of the locality's stream it includes.
    pub position: i64,
}

impl StandingView {
    pub fn from_row(row: &StandingRow) -> Self {
        let level = from_spelling(row.recognised_level.as_deref(), DomainLevel::from_spelling);
        StandingView {
            locality: row.locality_id.clone(),
            set: row.set_code.clone(),
            graded_by: row.graded_by.clone(),
            set_version: row.set_version.clone(),
            on: Date(row.as_of),
            known_at: None,
            exists: row.exists_on,
            enrolled: row.enrolled,
            criteria_met: row.criteria_met,
            criteria_total: row.criteria_total,
            level_reached: from_spelling(row.level_reached.as_deref(), DomainLevel::from_spelling),
            recognition: level
                .zip(row.recognition.clone())
                .zip(row.recognised_on)
                .map(|((level, decision), on)| RecognitionView {
                    level,
                    decision,
                    set: row.recognised_set.clone().unwrap_or_default(),
                    override_reason: row.recognition_override.clone(),
                    recognised_on: Date(on),
                    standard_year: row.standard_year.unwrap_or_default(),
                    batch: row.recognition_batch.clone(),
                }),
            at_risk: row
                .at_risk
                .as_deref()
                .and_then(RevocationRisk::from_spelling),
            pending_acknowledgement: row.pending_acknowledgement,
            criteria: None,
            position: row.last_position,
        }
    }

    /// Graded by the domain from the locality's stream on `on` as known at `known_at`, by the
    /// set or its restatement for the locality's `territory`.
    pub fn graded(
        locality: &str,
        events: &[Recorded<LocalityEvent>],
        grading: &Grading<'_>,
        territory: &Territory,
        on: NaiveDate,
        known_at: DateTime<Utc>,
    ) -> Self {
        let graded = standing_within(events, grading, territory, on, known_at);
        StandingView {
            set_version: grading.set_on(on, territory).version.clone(),
            ..StandingView::from_domain(locality, &graded, known_at)
        }
    }

    pub(super) fn from_domain(locality: &str, s: &Standing, known_at: DateTime<Utc>) -> Self {
        let held = s
            .recognitions
            .iter()
            .max_by_key(|r| (r.level, r.effective_on, r.version));
        let criteria = s.criteria.iter().map(|c| criterion_from_domain(c, false));
        let conditions = s.conditions.iter().map(|c| criterion_from_domain(c, true));
        StandingView {
            locality: locality.to_owned(),
            set: s.set.to_string(),
            graded_by: s.graded_by.to_string(),
            set_version: String::new(),
            on: Date(s.on),
            known_at: Some(known_at),
            exists: s.exists,
            enrolled: s.enrolled,
            criteria_met: i32::try_from(s.criteria_met).unwrap_or(i32::MAX),
            criteria_total: i32::try_from(s.criteria_total).unwrap_or(i32::MAX),
            level_reached: s.level_reached.map(Into::into),
            recognition: held.map(|r| RecognitionView {
                level: r.level.into(),
                decision: r.decision.to_string(),
                set: r.set.to_string(),
                override_reason: r.override_reason.clone(),
                recognised_on: Date(r.effective_on),
                standard_year: i32::from(r.standard_year),
                batch: r.batch.clone(),
            }),
            at_risk: s.at_risk.map(Into::into),
            pending_acknowledgement: i32::try_from(s.pending_acknowledgement.len()).unwrap_or(0),
            criteria: Some(criteria.chain(conditions).collect()),
            position: 0,
        }
    }
}

/// Standing of a locality against one criteria set (bộ tiêu chí) on a date, as known at a time.
#[Object(name = "Standing")]
impl StandingView {
    /// Its global id (`Node.id`), naming what it is a standing of: the present standing
    /// `standing:<locality id>:<set>`; graded on a date as known at a time (time travel)
    /// `standing:<locality id>:<set>:<on>:<knownAt>`, which `node` grades again.
    pub(super) async fn id(&self) -> ID {
        ID(super::node::standing_id(self))
    }
    /// The position in the log of the last event of the locality's stream this standing
    /// includes (time travel: the last one recorded by `knownAt`; 0 before the first). On a
    /// `standingChanged` item, the position of the event that changed it: pass it as `after`
    /// to resume.
    async fn position(&self) -> i64 {
        self.position
    }
    /// Id of the locality it is a standing of.
    async fn locality_id(&self) -> &str {
        &self.locality
    }
    /// Code of the criteria set, e.g. `NTM-XA-2021-2025`.
    async fn set(&self) -> &str {
        &self.set
    }
    /// The set that graded on the date: `set` itself, or a province's restatement of it for
    /// the territory the locality was in then (e.g. a Hà Tĩnh set restating QĐ 318).
    async fn graded_by(&self) -> &str {
        &self.graded_by
    }
    /// The version of the set that graded it: the SHA-256 of its file (see
    /// `CriteriaSet.versions`), the one in force on `on` as known at `knownAt`.
    async fn set_version(&self) -> &str {
        &self.set_version
    }
    /// The valid date graded (for the present standing: the day it was last projected).
    async fn on(&self) -> Date {
        self.on
    }
    /// The transaction time it is known at; null for the present standing of the read tables.
    async fn known_at(&self) -> Option<Instant> {
        self.known_at.map(Instant)
    }
    /// The locality existed on the date.
    async fn exists(&self) -> bool {
        self.exists
    }
    /// Whether this set is in force on the date (its period holds the date); a superseded set's
    /// standing is kept for history. It does not say that the set grades this locality then
    /// (a ward's set is in force while the unit is still a commune): `Locality.gradingSet(on)`
    /// says which set does.
    async fn in_force(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let catalog = &api(ctx)?.catalog.current();
        let set = self.set.parse().ok().and_then(|code| catalog.get(&code));
        Ok(set.is_some_and(|s| s.in_force.contains(self.on.0)))
    }
    /// Registered to reach this set's standard (đăng ký).
    async fn enrolled(&self) -> bool {
        self.enrolled
    }
    /// Criteria of the set met on the date (level conditions not counted).
    async fn criteria_met(&self) -> i32 {
        self.criteria_met
    }
    /// Criteria in the set that graded (`gradedBy`), level conditions not counted.
    async fn criteria_total(&self) -> i32 {
        self.criteria_total
    }
    /// The level its criteria reach (null when not all are met or the set is transcribed in part).
    async fn level_reached(&self) -> Option<RecognitionLevel> {
        self.level_reached
    }
    /// The recognition decision held for this set, if any.
    async fn recognition(&self) -> Option<&RecognitionView> {
        self.recognition.as_ref()
    }
    /// Null when the revocation rule does not apply (not recognised at the set's level).
    async fn at_risk(&self) -> Option<RevocationRisk> {
        self.at_risk
    }
    /// Recognitions carried over by a merger and not yet acknowledged (thừa nhận): not held.
    async fn pending_acknowledgement(&self) -> i32 {
        self.pending_acknowledgement
    }
    /// Every criterion, then every level condition.
    async fn criteria(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CriterionView>> {
        if let Some(list) = &self.criteria {
            return Ok(list.clone());
        }
        let catalog = &api(ctx)?.catalog.current();
        let rows = scope(ctx)?
            .loaders
            .criteria
            .load_one(self.locality.clone())
            .await
            .map_err(super::ApiError::internal)?
            .unwrap_or_default();
        // The catalogue's order: criteria first, then conditions, each as the set lists them.
        let set = super::streams::criteria_set(catalog, &self.set).ok();
        let mut list: Vec<CriterionView> = rows
            .iter()
            .filter(|r| r.set_code == self.set)
            .map(|r| criterion_from_row(r, set))
            .collect();
        let order = |code: &str| -> usize {
            set.into_iter()
                .flat_map(|s| {
                    s.criteria
                        .iter()
                        .chain(s.conditions.iter().map(|c| &c.criterion))
                })
                .position(|c| c.code.as_str() == code)
                .unwrap_or(usize::MAX)
        };
        list.sort_by_cached_key(|c| (c.is_condition, order(&c.code)));
        Ok(list)
    }
}
