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
    /// Stable id to use (a UUID); a new UUID v7 when omitted.
    pub id: Option<ID>,
    pub name: String,
    pub kind: LocalityKind,
    /// Official code, e.g. `18088` (5 digits for a commune, 3 for a district, 2 for a province).
    pub code: Option<String>,
    pub parent: Option<ID>,
    pub threshold_region: Option<ThresholdRegion>,
    pub commune_group: Option<CommuneGroup>,
    /// The date it exists from (or the baseline date of the register).
    pub effective_on: Date,
    pub legal_act: Option<String>,
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
    pub region: Option<ThresholdRegion>,
    pub group: Option<CommuneGroup>,
    pub reason: Option<String>,
    /// The special-commune status (QĐ 318, Điều 1) from that date; none: not special.
    pub special: Option<SpecialStatus>,
}

/// A new code, or none when the code is retired.
#[derive(InputObject, Clone)]
pub struct RecodeInput {
    pub code: Option<String>,
}

/// A new parent, or none (e.g. a commune whose district was abolished on 1/7/2025).
#[derive(InputObject, Clone)]
pub struct TransferInput {
    pub parent: Option<ID>,
}

/// One change to a single locality: exactly one field.
#[derive(OneofObject, Clone)]
pub enum LineageChange {
    /// Đổi tên: the new name.
    Renamed(String),
    /// Chuyển loại, e.g. xã → phường.
    Reclassified(LocalityKind),
    Recoded(RecodeInput),
    Transferred(TransferInput),
    ThresholdAssigned(ThresholdInput),
    /// Giải thể: the reason.
    Dissolved(String),
}

#[derive(InputObject)]
pub struct RecordLineageChangeInput {
    #[graphql(flatten)]
    pub common: Common,
    pub change: LineageChange,
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
    pub id: Option<ID>,
    pub name: String,
    pub kind: LocalityKind,
    pub code: Option<String>,
    pub parent: Option<ID>,
    pub threshold_region: Option<ThresholdRegion>,
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
    pub sources: Vec<ID>,
    /// An existing locality absorbing the sources…
    pub into: Option<ID>,
    /// …or a new one formed from them (exactly one of `into` and `newLocality`).
    pub new_locality: Option<NewLocalityInput>,
    pub effective_on: Date,
    pub legal_act: String,
    pub idempotency_key: String,
}

/// Chia tách: new `parts` formed from `source`, which ends unless it `continues`.
#[derive(InputObject)]
pub struct SplitLocalityInput {
    pub source: ID,
    pub parts: Vec<NewLocalityInput>,
    pub continues: bool,
    pub effective_on: Date,
    pub legal_act: String,
    pub idempotency_key: String,
}

/// Withdraws an erroneous event (the original stays in the log).
#[derive(InputObject)]
pub struct RetractEventInput {
    /// Global position of the event to retract.
    pub position: i64,
    pub reason: String,
    /// The version of the event's stream the client last saw.
    pub expected_version: Option<i64>,
    pub idempotency_key: String,
}
