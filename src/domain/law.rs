//! The programme's law checked when a recognition, a revocation or an acknowledgement is
//! recorded: which levels a set grants and to which kind of unit, what a level presupposes,
//! the council's vote, the override, and what a revocation and an acknowledgement must name.
//! Each refusal names its [`LawRule`]; the dates of a set are judged in [`super::law_dates`].

use std::fmt;

use super::catalog::CriteriaSet;
use super::event::{
    LocalityEvent, RecognitionAcknowledged, RecognitionGranted, RecognitionRevoked,
};
use super::locality::LocalityState;
use super::profile::{Profile, RecognitionRecord};
use super::terms::{LocalityKind, RecognitionLevel};
use super::DomainError;

/// Declares the rules with their stable, machine-readable names and the statement of each.
macro_rules! law_rules {
    ($($(#[$meta:meta])* $variant:ident = $name:literal : $statement:literal,)+) => {
        /// A rule of the programme's law that a write can break; its [`name`](Self::name) is
        /// stable (the API's `extensions.rule`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum LawRule { $($(#[$meta])* $variant,)+ }

        impl LawRule {
            pub const ALL: &'static [LawRule] = &[$(Self::$variant,)+];

            /// The stable name, e.g. `NANG_CAO_REQUIRES_NTM`.
            pub fn name(self) -> &'static str {
                match self { $(Self::$variant => $name,)+ }
            }

            /// The rule in one sentence.
            pub fn statement(self) -> &'static str {
                match self { $(Self::$variant => $statement,)+ }
            }
        }
    };
}

law_rules!(
    /// Kiểu mẫu under the 2016–2020 commune set: the set grants its own level and the levels
    /// its conditions gate, nothing else.
    LevelNotInSet = "LEVEL_NOT_IN_SET":
        "a criteria set grants its own level and the levels its conditions gate, no other",
    /// A commune level for a ward or a town, văn minh đô thị for a commune (also after a
    /// reclassification: the kind on the decision date counts).
    LevelNotForKind = "LEVEL_NOT_FOR_KIND":
        "the level and the set must fit the locality's kind on the decision date",
    /// Xã NTM nâng cao presupposes NTM held on the decision date.
    NangCaoRequiresNtm = "NANG_CAO_REQUIRES_NTM":
        "nâng cao requires NTM held (in force, not pending acknowledgement) on the decision date",
    /// Xã NTM kiểu mẫu presupposes nâng cao held on the decision date.
    KieuMauRequiresNangCao = "KIEU_MAU_REQUIRES_NANG_CAO":
        "kiểu mẫu requires nâng cao held (in force, not pending acknowledgement) on the decision date",
    /// Kiểu mẫu names its outstanding field (lĩnh vực nổi trội).
    KieuMauRequiresOutstandingField = "KIEU_MAU_REQUIRES_OUTSTANDING_FIELD":
        "a kiểu mẫu decision names its outstanding field (lĩnh vực nổi trội)",
    DecisionBeforeSet = "DECISION_BEFORE_SET":
        "a decision cannot be signed or take effect before its criteria set was issued and in force",
    DecisionAfterSet = "DECISION_AFTER_SET":
        "a decision cannot be signed after its criteria set was replaced (or, with no successor, after the year following its period)",
    StandardYearOutsideSet = "STANDARD_YEAR_OUTSIDE_SET":
        "the standard year lies within the years the criteria set was in force",
    StandardYearAfterDecision = "STANDARD_YEAR_AFTER_DECISION":
        "the standard year is not after the year the decision was signed",
    /// QĐ 18/2022/QĐ-TTg: the criteria officially met, and the conditions the catalogue records.
    CriteriaNotMet = "CRITERIA_NOT_MET":
        "a recognition needs every criterion and every condition of its level officially met on its date, or an override",
    CouncilVoteBelowMajority = "COUNCIL_VOTE_BELOW_MAJORITY":
        "the appraisal council's latest vote for the set and level must be more than half in favour, or an override",
    OverrideReasonTooShort = "OVERRIDE_REASON_TOO_SHORT":
        "an override reason has at least 20 characters and 3 words",
    RevocationBeforeGrant = "REVOCATION_BEFORE_GRANT":
        "a revocation takes effect on or after the decision it revokes",
    RevocationNeedsOwnDecision = "REVOCATION_NEEDS_OWN_DECISION":
        "a revocation has its own decision number, not the revoked one",
    RevocationNeedsIssuer = "REVOCATION_NEEDS_ISSUER":
        "a revocation names the body that issued it",
    AcknowledgesPendingOnly = "ACKNOWLEDGES_PENDING_ONLY":
        "an acknowledgement covers recognitions pending acknowledgement after a merger, and only those",
    AcknowledgementNotAtPendingLevel = "ACKNOWLEDGEMENT_NOT_AT_PENDING_LEVEL":
        "an acknowledgement is at the level and under the set of the recognitions it acknowledges",
    /// Xã NTM hiện đại (QĐ 51/2025/QĐ-TTg pilot) presupposes NTM held on the decision date.
    HienDaiRequiresNtm = "HIEN_DAI_REQUIRES_NTM":
        "xã NTM hiện đại requires NTM held (in force, not pending acknowledgement) on the decision date",
    /// A huyện, thị xã or thành phố thuộc tỉnh is recognised by the Prime Minister (e.g. QĐ
    /// 525/QĐ-TTg for huyện Hương Sơn, research §2): the decision is a "…/QĐ-TTg".
    DistrictRecognisedByPrimeMinister = "DISTRICT_RECOGNISED_BY_PRIME_MINISTER":
        "a district-level unit's recognition is a decision of the Prime Minister (…/QĐ-TTg)",
);

impl fmt::Display for LawRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Fewest characters and words an override reason has: "because" is no reason.
pub const OVERRIDE_MIN_CHARS: usize = 20;
pub const OVERRIDE_MIN_WORDS: usize = 3;

fn broken(rule: LawRule, detail: impl Into<String>) -> DomainError {
    DomainError::Law {
        rule,
        detail: detail.into(),
    }
}

/// What a grant must satisfy whatever its evidence: level by set and kind, dates and years
/// within the set's time, the level below held, the outstanding field named.
pub(super) fn grant_lawful(
    set: &CriteriaSet,
    state: &LocalityState,
    e: &RecognitionGranted,
) -> Result<(), DomainError> {
    level_fits(set, state.profile(), e)?;
    issued_by_prime_minister(state.profile(), e)?;
    super::law_dates::decided_while_in_force(set, e)?;
    prerequisite_held(state, e)?;
    if e.level == RecognitionLevel::NtmKieuMau
        && e.outstanding_field
            .as_deref()
            .is_none_or(|f| f.trim().is_empty())
    {
        return Err(broken(
            LawRule::KieuMauRequiresOutstandingField,
            "outstandingField is empty",
        ));
    }
    Ok(())
}

/// The kinds of unit that can hold `level`.
pub fn kinds_holding(level: RecognitionLevel) -> &'static [LocalityKind] {
    use LocalityKind as K;
    use RecognitionLevel as L;
    match level {
        L::Ntm | L::NtmNangCao | L::NtmKieuMau => &[K::Commune],
        L::VanMinhDoThi | L::VanMinhDoThiKieuMau => &[K::Ward, K::Township],
        // QĐ 04/2022/QĐ-TTg also recognises quận, thị xã and thành phố thuộc tỉnh.
        L::DoThiVanMinh => &[K::Ward, K::Township, K::District],
        L::KhuDanCuKieuMau => &[K::Village],
        L::NtmHienDai => &[K::Commune],
        L::ChiTieuDiaPhuong => &[K::Commune, K::Ward, K::Township, K::SpecialZone],
        L::HuyenNtm | L::HuyenNtmNangCao => &[K::District],
        L::HoanThanhNhiemVu => &[K::District, K::Province],
    }
}

/// A district-kind unit's recognition is a Prime Minister's decision (research §2, step 5).
/// The issuer of a province's "hoàn thành nhiệm vụ" was not found, so it is not checked.
fn issued_by_prime_minister(profile: &Profile, e: &RecognitionGranted) -> Result<(), DomainError> {
    let district = profile.kinds.on(e.effective_on) == Some(&LocalityKind::District);
    if district && !e.decision.as_str().ends_with("/QĐ-TTg") {
        return Err(broken(
            LawRule::DistrictRecognisedByPrimeMinister,
            format!("decision {} is not a Prime Minister's decision", e.decision),
        ));
    }
    Ok(())
}

fn level_fits(
    set: &CriteriaSet,
    profile: &Profile,
    e: &RecognitionGranted,
) -> Result<(), DomainError> {
    // Before the locality existed it has no kind: that date is refused as such (`check_date`).
    if let Some(kind) = profile.kinds.on(e.effective_on).copied() {
        if !kinds_holding(e.level).contains(&kind) {
            return Err(broken(
                LawRule::LevelNotForKind,
                format!("level {} cannot be held by a {kind} unit", e.level),
            ));
        }
        if !set.applies_to(kind) {
            return Err(broken(
                LawRule::LevelNotForKind,
                format!("set {} does not apply to a {kind} unit", set.code),
            ));
        }
    }
    let gated = set.conditions.iter().any(|c| c.level == e.level);
    if set.level != e.level && !gated {
        return Err(broken(
            LawRule::LevelNotInSet,
            format!("set {} does not grant level {}", set.code, e.level),
        ));
    }
    Ok(())
}

/// Nâng cao needs NTM held on the decision date, kiểu mẫu needs nâng cao, hiện đại needs NTM;
/// a higher level held counts for a lower one, a recognition pending acknowledgement does not.
/// "Held" is the standing's own: folded from the facts effective by then
/// ([`Profile::recognitions_held`]).
fn prerequisite_held(state: &LocalityState, e: &RecognitionGranted) -> Result<(), DomainError> {
    use RecognitionLevel as L;
    let (rule, required) = match e.level {
        L::NtmNangCao => (LawRule::NangCaoRequiresNtm, L::Ntm),
        L::NtmKieuMau => (LawRule::KieuMauRequiresNangCao, L::NtmNangCao),
        L::NtmHienDai => (LawRule::HienDaiRequiresNtm, L::Ntm),
        _ => return Ok(()),
    };
    let on = e.effective_on;
    let facts = state.facts();
    let by_then = facts
        .into_iter()
        .filter(|(_, event)| event.effective_on().is_some_and(|d| d <= on));
    let profile = Profile::fold(by_then);
    if profile
        .recognitions_held(on)
        .any(|r| r.level.includes(required))
    {
        Ok(())
    } else {
        Err(broken(
            rule,
            format!("no recognition at {required:?} or above held on {on}"),
        ))
    }
}

/// Whether the grant records an override; a reason that is given must be a real one.
pub(super) fn overridden(e: &RecognitionGranted) -> Result<bool, DomainError> {
    let Some(reason) = e.override_reason.as_deref().map(str::trim) else {
        return Ok(false);
    };
    if reason.is_empty() {
        return Ok(false);
    }
    let words = reason.split_whitespace().count();
    if reason.chars().count() < OVERRIDE_MIN_CHARS || words < OVERRIDE_MIN_WORDS {
        return Err(broken(
            LawRule::OverrideReasonTooShort,
            format!("{reason:?} is not a reason"),
        ));
    }
    Ok(true)
}

/// The latest vote of the appraisal council on the set and level, by the decision date, must
/// be a majority; with no vote recorded there is nothing to refuse (see the decision record).
pub(super) fn council_voted_for(
    state: &LocalityState,
    e: &RecognitionGranted,
) -> Result<(), DomainError> {
    let latest = state
        .facts()
        .into_iter()
        .filter_map(|(version, event)| match event {
            LocalityEvent::AppraisalVoted(v)
                if v.set == e.set && v.level == e.level && v.effective_on <= e.effective_on =>
            {
                Some((v.effective_on, version, v.in_favour))
            }
            _ => None,
        })
        .max_by_key(|(on, version, _)| (*on, *version));
    match latest {
        Some((on, _, in_favour)) if in_favour.hundredths() * 2 <= 10_000 => Err(broken(
            LawRule::CouncilVoteBelowMajority,
            format!(
                "the council voted {} % in favour on {on}",
                f64::from(in_favour.hundredths()) / 100.0
            ),
        )),
        _ => Ok(()),
    }
}

/// A revocation names its own decision and issuer.
pub(super) fn revocation_names_itself(e: &RecognitionRevoked) -> Result<(), DomainError> {
    if e.decision == e.revoked {
        return Err(broken(
            LawRule::RevocationNeedsOwnDecision,
            format!("decision {} is the one revoked", e.decision),
        ));
    }
    if e.issuer.trim().is_empty() {
        return Err(broken(LawRule::RevocationNeedsIssuer, "issuer is empty"));
    }
    Ok(())
}

/// A revocation takes effect on or after the recognition it revokes.
pub(super) fn revocation_after_grant(
    held: &RecognitionRecord,
    e: &RecognitionRevoked,
) -> Result<(), DomainError> {
    if e.effective_on < held.effective_on {
        return Err(broken(
            LawRule::RevocationBeforeGrant,
            format!(
                "revocation effective {} is before {} took effect on {}",
                e.effective_on, held.decision, held.effective_on
            ),
        ));
    }
    Ok(())
}

/// Every predecessor recognition acknowledged is pending, at the acknowledgement's level and
/// under its set.
pub(super) fn acknowledges_pending(
    profile: &Profile,
    e: &RecognitionAcknowledged,
) -> Result<(), DomainError> {
    if e.acknowledges.is_empty() {
        return Err(DomainError::NothingToAcknowledge);
    }
    for decision in &e.acknowledges {
        let pending = profile
            .pending_acknowledgement()
            .find(|p| &p.decision == decision)
            .ok_or(DomainError::NothingToAcknowledge)?;
        if pending.level != e.level || pending.set != e.set {
            return Err(broken(
                LawRule::AcknowledgementNotAtPendingLevel,
                format!(
                    "{decision} is {} under {}, the acknowledgement {} under {}",
                    pending.level, pending.set, e.level, e.set
                ),
            ));
        }
    }
    Ok(())
}
