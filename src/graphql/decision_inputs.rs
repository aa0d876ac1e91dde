//! The input of `recordDecision`: one decision (quyết định) recognising, revoking or
//! acknowledging many localities at once, and its translation into one command per locality.

use async_graphql::{Enum, InputObject, ID};

use super::enums::RecognitionLevel;
use super::inputs::{locality_id, parse, year};
use super::scalars::Date;
use super::ApiError;
use crate::app::Plan;
use crate::domain::event::*;
use crate::domain::locality::LocalityAction;

/// What a decision does to each locality it lists.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum DecisionKind {
    /// Công nhận đạt chuẩn: as `grantRecognition`.
    Recognition,
    /// Thu hồi quyết định công nhận: as `revokeRecognition`.
    Revocation,
    /// Thừa nhận sau sáp nhập: as `acknowledgeAfterMerger`.
    Acknowledgement,
}

/// One decision over many localities, recorded as one atomic append: every locality's event,
/// or none. Each locality is checked as its single mutation checks it; a refusal names the
/// locality (`extensions.locality`, its id) and the field and rule, as that mutation would.
#[derive(InputObject)]
pub struct RecordDecisionInput {
    /// Recognition, revocation or acknowledgement.
    pub kind: DecisionKind,
    /// The decision's number, e.g. `1763/QĐ-UBND`.
    pub decision: String,
    /// The body that issued it, e.g. "UBND tỉnh Hà Tĩnh"; required for recognitions and
    /// revocations (`field: issuer`).
    pub issuer: Option<String>,
    /// Who signed it (người ký); recognitions.
    pub signer: Option<String>,
    /// The day it was signed (ngày ký); recognitions (`field: signedOn`).
    pub signed_on: Option<Date>,
    /// The criteria set recognised against or acknowledged (`field: set`).
    pub set: Option<String>,
    /// The level recognised or acknowledged (`field: level`).
    pub level: Option<RecognitionLevel>,
    /// Đạt chuẩn năm …, 1900 to 2100 (`field: standardYear`).
    pub standard_year: Option<i32>,
    /// Đợt, e.g. "đợt 1 năm 2024"; recognitions.
    pub batch: Option<String>,
    /// Lĩnh vực nổi trội: required for `NTM_KIEU_MAU` recognitions.
    pub outstanding_field: Option<String>,
    /// As `grantRecognition`'s `overrideReason`.
    pub override_reason: Option<String>,
    /// The decision revoked (revocations, `field: revoked`).
    pub revoked: Option<String>,
    /// Why it is revoked (revocations, `field: reason`).
    pub reason: Option<String>,
    /// The predecessor decisions acknowledged (acknowledgements, `field: acknowledges`).
    pub acknowledges: Option<Vec<String>>,
    /// The day it takes effect: not after today (Vietnam's date).
    pub effective_on: Date,
    /// The localities it covers, each once (`field: localities`); at most 2,000.
    pub localities: Vec<ID>,
    /// A fresh key per decision: a retry with it returns the first result.
    pub idempotency_key: String,
}

/// How many localities one decision may list.
pub const MAX_DECISION_LOCALITIES: usize = 2_000;

fn required<'a, T>(value: &'a Option<T>, field: &str) -> Result<&'a T, ApiError> {
    value
        .as_ref()
        .ok_or_else(|| ApiError::validation(field, format!("{field} is required for this kind")))
}

fn text(value: &Option<String>, field: &str) -> Result<String, ApiError> {
    Ok(required(value, field)?.trim().to_owned())
}

impl RecordDecisionInput {
    /// One command per locality, in the order listed.
    pub fn plan(&self) -> Result<Plan, ApiError> {
        if self.localities.is_empty() || self.localities.len() > MAX_DECISION_LOCALITIES {
            return Err(ApiError::validation(
                "localities",
                format!("list 1 to {MAX_DECISION_LOCALITIES} localities"),
            ));
        }
        let action = self.action()?;
        self.localities
            .iter()
            .map(|id| Ok((locality_id(id, "localities")?, vec![action.clone()])))
            .collect()
    }

    /// The command each locality gets.
    fn action(&self) -> Result<LocalityAction, ApiError> {
        let decision = parse(&self.decision)?;
        Ok(match self.kind {
            DecisionKind::Recognition => LocalityAction::GrantRecognition(RecognitionGranted {
                effective_on: self.effective_on.0,
                decision,
                signed_on: required(&self.signed_on, "signedOn")?.0,
                issuer: text(&self.issuer, "issuer")?,
                signer: self.signer.clone().unwrap_or_default().trim().to_owned(),
                set: parse(required(&self.set, "set")?)?,
                level: (*required(&self.level, "level")?).into(),
                standard_year: year(
                    *required(&self.standard_year, "standardYear")?,
                    "standardYear",
                )?,
                batch: filled(&self.batch),
                outstanding_field: filled(&self.outstanding_field),
                override_reason: filled(&self.override_reason),
            }),
            DecisionKind::Revocation => LocalityAction::RevokeRecognition(RecognitionRevoked {
                effective_on: self.effective_on.0,
                decision,
                revoked: parse(required(&self.revoked, "revoked")?)
                    .map_err(|_| ApiError::validation("revoked", "not a decision number"))?,
                reason: text(&self.reason, "reason")?,
                issuer: text(&self.issuer, "issuer")?,
            }),
            DecisionKind::Acknowledgement => {
                LocalityAction::AcknowledgeRecognition(RecognitionAcknowledged {
                    effective_on: self.effective_on.0,
                    decision,
                    set: parse(required(&self.set, "set")?)?,
                    level: (*required(&self.level, "level")?).into(),
                    standard_year: year(
                        *required(&self.standard_year, "standardYear")?,
                        "standardYear",
                    )?,
                    acknowledges: required(&self.acknowledges, "acknowledges")?
                        .iter()
                        .map(|d| {
                            parse(d).map_err(|_| {
                                ApiError::validation("acknowledges", "not a decision number")
                            })
                        })
                        .collect::<Result<_, _>>()?,
                })
            }
        })
    }
}

/// Optional text: none when empty or blank.
fn filled(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}
