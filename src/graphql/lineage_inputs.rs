//! Inputs of the register mutations: registration, lineage changes, mergers, splits and
//! retractions.

use async_graphql::{InputObject, OneofObject, ID};
use uuid::Uuid;

use super::enums::{CommuneGroup, LocalityKind, SpecialStatus, ThresholdRegion};
use super::inputs::{locality_id, parse, Common};
use super::scalars::Date;
use super::ApiError;
use crate::domain::event::*;
use crate::domain::lineage::NewLocality;
use crate::domain::locality::{LocalityAction, LocalityId};

/// A locality coming into the register.
#[derive(InputObject)]
pub struct RegisterLocalityInput {
    /// Stable id to use (a UUID); a new UUID v7 when omitted. Malformed or already registered:
    /// `VALIDATION` (`field: id`).
    pub id: Option<ID>,
    /// Official name with its kind, e.g. "Xã Thạch Trung"; not empty (`field: name`).
    pub name: String,
    /// Kind of unit from `effectiveOn`.
    pub kind: LocalityKind,
    /// Official code, e.g. `18088` (5 digits for a commune, 3 for a district, 2 for a province).
    pub code: Option<String>,
    /// Id of the parent unit from `effectiveOn`; none: a root. Malformed, not alive then, or
    /// making a cycle: `VALIDATION` (`field: parent`).
    pub parent: Option<ID>,
    /// Threshold region (vùng) whose targets grade it; none: no region.
    pub threshold_region: Option<ThresholdRegion>,
    /// Commune group (nhóm xã) of QĐ 51/2025/QĐ-TTg, which picks its targets in the 2026–2030
    /// set; none: no group.
    pub commune_group: Option<CommuneGroup>,
    /// The date it exists from (or the baseline date of the register); not after today
    /// (Vietnam's date).
    pub effective_on: Date,
    /// Number of the act establishing it, e.g. `1283/NQ-UBTVQH15`; optional for a baseline.
    pub legal_act: Option<String>,
    /// A fresh key per command (e.g. a UUID); a retry with the same key returns the first
    /// result and records nothing twice. Namespaced by the token.
    pub idempotency_key: String,
}

impl RegisterLocalityInput {
    pub fn id(&self) -> Result<LocalityId, ApiError> {
        match &self.id {
            Some(id) => locality_id(id, "id"),
            None => Ok(LocalityId(Uuid::now_v7())),
        }
    }

    pub fn action(&self) -> Result<LocalityAction, ApiError> {
        Ok(LocalityAction::Establish(LocalityEstablished {
            effective_on: self.effective_on.0,
            legal_act: self.legal_act.as_deref().map(parse).transpose()?,
            name: self.name.clone(),
            kind: self.kind.into(),
            code: self.code.as_deref().map(parse).transpose()?,
            parent: self
                .parent
                .as_ref()
                .map(|p| locality_id(p, "parent"))
                .transpose()?,
            threshold_region: self.threshold_region.map(Into::into),
            commune_group: self.commune_group.map(Into::into),
            formed_from: Vec::new(),
        }))
    }
}

/// New thresholds (region or commune group) to grade against.
#[derive(InputObject, Clone)]
pub struct ThresholdInput {
    /// The threshold region (vùng) from that date; none: no region from then on.
    pub region: Option<ThresholdRegion>,
    /// The commune group (nhóm xã) from that date; none: no group from then on.
    pub group: Option<CommuneGroup>,
    /// Why, e.g. the act that classified the commune; optional.
    pub reason: Option<String>,
    /// The special-commune status (QĐ 318, Điều 1) from that date; none: not special.
    pub special: Option<SpecialStatus>,
}

/// A new code, or none when the code is retired.
#[derive(InputObject, Clone)]
pub struct RecodeInput {
    /// The new code (2, 3 or 5 digits, zero-padded), not one another locality holds on the same
    /// days (`field: code`); none: the code is retired.
    pub code: Option<String>,
}

/// A new parent, or none (e.g. a commune whose district was abolished on 1/7/2025).
#[derive(InputObject, Clone)]
pub struct TransferInput {
    /// Id of the new parent; malformed, not alive on the date, or making a cycle: `VALIDATION`
    /// (`field: parent`).
    pub parent: Option<ID>,
}

/// One change to a single locality: exactly one field.
#[derive(OneofObject, Clone)]
pub enum LineageChange {
    /// Đổi tên: the new name.
    Renamed(String),
    /// Chuyển loại, e.g. xã → phường.
    Reclassified(LocalityKind),
    /// Đổi mã: a new official code, or none.
    Recoded(RecodeInput),
    /// Điều chuyển: a new parent unit, or none.
    Transferred(TransferInput),
    /// New thresholds to grade against (no legal act needed).
    ThresholdAssigned(ThresholdInput),
    /// Giải thể: the reason.
    Dissolved(String),
}

/// One change to one existing locality from a date: name, kind, code, parent, thresholds, or
/// its dissolution.
#[derive(InputObject)]
pub struct RecordLineageChangeInput {
    #[graphql(flatten)]
    pub common: Common,
    /// The change: exactly one of its fields.
    pub change: LineageChange,
    /// Valid date the change holds from: not after today (Vietnam's date), not before the
    /// locality was established, before its end (`VALIDATION`, `field: effectiveOn`).
    pub effective_on: Date,
    /// The legal act, e.g. `1283/NQ-UBTVQH15` (not needed for a threshold assignment).
    pub legal_act: Option<String>,
}

impl RecordLineageChangeInput {
    pub fn action(&self) -> Result<LocalityAction, ApiError> {
        let on = self.effective_on.0;
        let act = || -> Result<_, ApiError> {
            let act = self.legal_act.as_deref().ok_or_else(|| {
                ApiError::validation("legalAct", "a lineage change needs its legal act")
            })?;
            parse(act)
        };
        Ok(match &self.change {
            LineageChange::Renamed(name) => LocalityAction::Rename(LocalityRenamed {
                effective_on: on,
                legal_act: act()?,
                name: name.clone(),
            }),
            LineageChange::Reclassified(kind) => LocalityAction::Reclassify(LocalityReclassified {
                effective_on: on,
                legal_act: act()?,
                kind: (*kind).into(),
            }),
            LineageChange::Recoded(r) => LocalityAction::Recode(LocalityRecoded {
                effective_on: on,
                legal_act: act()?,
                code: r.code.as_deref().map(parse).transpose()?,
            }),
            LineageChange::Transferred(t) => LocalityAction::Transfer(LocalityTransferred {
                effective_on: on,
                legal_act: act()?,
                parent: t
                    .parent
                    .as_ref()
                    .map(|p| locality_id(p, "parent"))
                    .transpose()?,
            }),
            LineageChange::ThresholdAssigned(t) => {
                LocalityAction::AssignThreshold(ThresholdAssigned {
                    effective_on: on,
                    region: t.region.map(Into::into),
                    group: t.group.map(Into::into),
                    reason: t.reason.clone(),
                    special: t.special.map(Into::into),
                })
            }
            LineageChange::Dissolved(reason) => LocalityAction::Dissolve(LocalityDissolved {
                effective_on: on,
                legal_act: act()?,
                reason: reason.clone(),
            }),
        })
    }
}

/// A locality formed by a merger or a split.
#[derive(InputObject, Clone)]
pub struct NewLocalityInput {
    /// Stable id to use (a UUID); a new UUID v7 when omitted. Malformed or already registered:
    /// `VALIDATION` (`field: id`).
    pub id: Option<ID>,
    /// Official name with its kind, e.g. "Xã Đồng Môn"; not empty (`field: name`).
    pub name: String,
    /// Kind of unit from `effectiveOn`.
    pub kind: LocalityKind,
    /// Official code, e.g. `18088` (2, 3 or 5 digits, zero-padded); not one another locality
    /// holds on the same days (`field: code`).
    pub code: Option<String>,
    /// Id of the parent unit from `effectiveOn`; none: a root. Malformed, not alive then, or
    /// making a cycle: `VALIDATION` (`field: parent`).
    pub parent: Option<ID>,
    /// Threshold region (vùng) whose targets grade it; none: no region.
    pub threshold_region: Option<ThresholdRegion>,
    /// Commune group (nhóm xã) of QĐ 51/2025/QĐ-TTg, which picks its targets in the 2026–2030
    /// set; none: no group.
    pub commune_group: Option<CommuneGroup>,
}

impl NewLocalityInput {
    pub fn domain(&self) -> Result<NewLocality, ApiError> {
        Ok(NewLocality {
            id: match &self.id {
                Some(id) => locality_id(id, "id")?,
                None => LocalityId(Uuid::now_v7()),
            },
            name: self.name.clone(),
            kind: self.kind.into(),
            code: self.code.as_deref().map(parse).transpose()?,
            parent: self
                .parent
                .as_ref()
                .map(|p| locality_id(p, "parent"))
                .transpose()?,
            threshold_region: self.threshold_region.map(Into::into),
            commune_group: self.commune_group.map(Into::into),
        })
    }
}

/// Sáp nhập: `sources` end on `effectiveOn`; the successor is an existing locality or a new one.
#[derive(InputObject)]
pub struct MergeLocalitiesInput {
    /// Ids of the localities merged: at least one, each once (`VALIDATION`, `field: sources`);
    /// an unknown one is `NOT_FOUND`.
    pub sources: Vec<ID>,
    /// An existing locality absorbing the sources…
    pub into: Option<ID>,
    /// …or a new one formed from them (exactly one of `into` and `newLocality`).
    pub new_locality: Option<NewLocalityInput>,
    /// The day the sources end and the successor continues them: not after today (Vietnam's
    /// date), within every source's life (`VALIDATION`, `field: effectiveOn`).
    pub effective_on: Date,
    /// The act ordering the merger, e.g. `1283/NQ-UBTVQH15`.
    pub legal_act: String,
    /// A fresh key per command (e.g. a UUID); a retry with the same key returns the first
    /// result and records nothing twice. Namespaced by the token.
    pub idempotency_key: String,
}

/// Chia tách: new `parts` formed from `source`, which ends unless it `continues`.
#[derive(InputObject)]
pub struct SplitLocalityInput {
    /// Id of the locality split; it keeps its recognitions, the parts start without any.
    pub source: ID,
    /// The localities formed, at least one (`VALIDATION`, `field: parts`).
    pub parts: Vec<NewLocalityInput>,
    /// True: the source goes on beside its parts; false: it ends on `effectiveOn`.
    pub continues: bool,
    /// The day the parts exist from: not after today (Vietnam's date), within the source's
    /// life (`VALIDATION`, `field: effectiveOn`).
    pub effective_on: Date,
    /// The act ordering the split, e.g. `1283/NQ-UBTVQH15`.
    pub legal_act: String,
    /// A fresh key per command (e.g. a UUID); a retry with the same key returns the first
    /// result and records nothing twice. Namespaced by the token.
    pub idempotency_key: String,
}

/// Withdraws an erroneous event (the original stays in the log).
#[derive(InputObject)]
pub struct RetractEventInput {
    /// Global position of the event to retract.
    pub position: i64,
    /// Why the event is withdrawn; not empty (`field: reason`).
    pub reason: String,
    /// The version of the event's stream the client last saw.
    pub expected_version: Option<i64>,
    /// A fresh key per command (e.g. a UUID); a retry with the same key returns the first
    /// result and records nothing twice. Namespaced by the token.
    pub idempotency_key: String,
}
