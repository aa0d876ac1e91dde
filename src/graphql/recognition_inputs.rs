//! The inputs of the recognition mutations (grant, revoke, acknowledge after a merger) and
//! their translation into domain actions.

use async_graphql::InputObject;

use super::enums::RecognitionLevel;
use super::inputs::{parse, year, Common};
use super::scalars::Date;
use super::ApiError;
use crate::domain::event::*;
use crate::domain::locality::LocalityAction;

/// Quyết định công nhận: a recognition decision. Needs every criterion and every condition of
/// its level officially met on `effectiveOn` and the council's latest vote above 50 %, unless
/// `overrideReason` says why not; a broken rule of the law is `VALIDATION` with `rule`.
#[derive(InputObject)]
pub struct GrantRecognitionInput {
    #[graphql(flatten)]
    pub common: Common,
    /// Decision number, e.g. `1763/QĐ-UBND`; one already recorded on the locality is refused
    /// (`field: decision`). A district-level unit's is a Prime Minister's (`…/QĐ-TTg`).
    pub decision: String,
    /// The day it was signed (ngày ký); with `effectiveOn`, within the days its set governs
    /// decisions (rules `DECISION_BEFORE_SET`, `DECISION_AFTER_SET`).
    pub signed_on: Date,
    /// The body that issued it, e.g. "UBND tỉnh Hà Tĩnh"; not empty (`field: issuer`).
    pub issuer: String,
    /// Who signed it (người ký).
    pub signer: String,
    /// Code of the criteria set it recognises against, e.g. `NTM-XA-2021-2025`; the locality
    /// must be enrolled in it (`VALIDATION`, `field: set`).
    pub set: String,
    /// The level granted: one the set grants, for the locality's kind on the decision date,
    /// with the level below held then (`field: level`, with `rule`).
    pub level: RecognitionLevel,
    /// "Đạt chuẩn năm …": differs from the signing date. 1900 to 2100, within the set's years
    /// and not after the signing year (`field: standardYear`).
    pub standard_year: i32,
    /// Đợt, e.g. "đợt 1 năm 2024".
    pub batch: Option<String>,
    /// Lĩnh vực nổi trội: required for `NTM_KIEU_MAU`.
    pub outstanding_field: Option<String>,
    /// Why it is granted although not every criterion is officially met or the council's vote
    /// is missing its majority: at least 20 characters and 3 words (rule
    /// `OVERRIDE_REASON_TOO_SHORT`). Empty or null: no override.
    pub override_reason: Option<String>,
    /// The day it takes effect (valid time): not after today (Vietnam's date), not before the
    /// locality was established, before its end (`VALIDATION`, `field: effectiveOn`).
    pub effective_on: Date,
}

/// Thu hồi: a decision revoking a recognition the locality holds (QĐ 18/2022/QĐ-TTg).
#[derive(InputObject)]
pub struct RevokeRecognitionInput {
    #[graphql(flatten)]
    pub common: Common,
    /// The revoking decision's number, not the revoked one's (rule
    /// `REVOCATION_NEEDS_OWN_DECISION`).
    pub decision: String,
    /// The decision revoked: a recognition recorded on the locality and not yet revoked
    /// (`VALIDATION`, `field: revoked`).
    pub revoked: String,
    /// Why it is revoked (lý do); not empty (`field: reason`).
    pub reason: String,
    /// The body that issued the revoking decision (e.g. "UBND tỉnh Hà Tĩnh").
    pub issuer: String,
    /// The day the revocation takes effect: on or after the revoked decision took effect (rule
    /// `REVOCATION_BEFORE_GRANT`), not after today (Vietnam's date).
    pub effective_on: Date,
}

/// Thừa nhận: after a merger, the decision acknowledging that the successor holds its
/// predecessors' recognitions; until then they are pending acknowledgement and not held.
#[derive(InputObject)]
pub struct AcknowledgeAfterMergerInput {
    #[graphql(flatten)]
    pub common: Common,
    /// The acknowledging decision's number, e.g. `2150/QĐ-UBND`; one already recorded on the
    /// locality is refused (`field: decision`).
    pub decision: String,
    /// Code of the set of the recognitions acknowledged (rule
    /// `ACKNOWLEDGEMENT_NOT_AT_PENDING_LEVEL` when it differs).
    pub set: String,
    /// The level of the recognitions acknowledged (the same rule when it differs).
    pub level: RecognitionLevel,
    /// The standard year (đạt chuẩn năm) recorded with it, 1900 to 2100 (`field: standardYear`).
    pub standard_year: i32,
    /// The predecessor decisions this acknowledgement (thừa nhận) covers: each one a recognition
    /// pending acknowledgement on the locality (`VALIDATION`, `field: acknowledges`).
    pub acknowledges: Vec<String>,
    /// Valid date the fact holds from: not after today (Vietnam's date), not before the
    /// locality was established, before its end (`VALIDATION`, `field: effectiveOn`).
    pub effective_on: Date,
}

impl GrantRecognitionInput {
    pub fn action(&self) -> Result<LocalityAction, ApiError> {
        Ok(LocalityAction::GrantRecognition(RecognitionGranted {
            effective_on: self.effective_on.0,
            decision: parse(&self.decision)?,
            signed_on: self.signed_on.0,
            issuer: self.issuer.clone(),
            signer: self.signer.clone(),
            set: parse(&self.set)?,
            level: self.level.into(),
            standard_year: year(self.standard_year, "standardYear")?,
            batch: self.batch.clone(),
            outstanding_field: self.outstanding_field.clone(),
            override_reason: self.override_reason.clone(),
        }))
    }
}

impl RevokeRecognitionInput {
    pub fn action(&self) -> Result<LocalityAction, ApiError> {
        Ok(LocalityAction::RevokeRecognition(RecognitionRevoked {
            effective_on: self.effective_on.0,
            decision: parse(&self.decision)?,
            revoked: parse(&self.revoked)
                .map_err(|_| ApiError::validation("revoked", "not a decision number"))?,
            reason: self.reason.clone(),
            issuer: self.issuer.clone(),
        }))
    }
}

impl AcknowledgeAfterMergerInput {
    pub fn action(&self) -> Result<LocalityAction, ApiError> {
        Ok(LocalityAction::AcknowledgeRecognition(
            RecognitionAcknowledged {
                effective_on: self.effective_on.0,
                decision: parse(&self.decision)?,
                set: parse(&self.set)?,
                level: self.level.into(),
                standard_year: year(self.standard_year, "standardYear")?,
                acknowledges: self
                    .acknowledges
                    .iter()
                    .map(|d| {
                        parse(d).map_err(|_| {
                            ApiError::validation("acknowledges", "not a decision number")
                        })
                    })
                    .collect::<Result<_, _>>()?,
            },
        ))
    }
}
