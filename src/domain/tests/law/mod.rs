//! Given/when/then tables of the law enforced on write: every write issue 17 lists as wrongly
//! accepted is refused here by name, next to the lawful write it must not catch.

mod dates;
mod districts;
mod levels;
mod records;

use chrono::Datelike;

use super::*;
use crate::domain::law::LawRule;
use crate::domain::measure::Percent;

const SET16: &str = "NTM-XA-2016-2020";
const SET21: &str = "NTM-XA-2021-2025";
const SET30: &str = "NTM-XA-2026-2030";
const NANG_CAO: &str = "NTM-XA-NANG-CAO-2021-2025";
const DTVM: &str = "DTVM-2022";
const REASON: &str = "criterion 10 appraised orally; minutes to follow";

fn today() -> NaiveDate {
    date(2026, 12, 31)
}

fn commune() -> LocalityEvent {
    established(
        "Xã Thạch Bình",
        LocalityKind::Commune,
        "18112",
        date(2015, 1, 1),
    )
}

fn rule(result: Result<Vec<LocalityEvent>, DomainError>) -> Option<LawRule> {
    result.err().and_then(|e| e.law_rule())
}

fn grant(state: &LocalityState, g: RecognitionGranted) -> Option<LawRule> {
    rule(when(state, today(), LocalityAction::GrantRecognition(g)))
}

fn with_override(g: RecognitionGranted) -> RecognitionGranted {
    RecognitionGranted {
        override_reason: Some(REASON.into()),
        ..g
    }
}

fn held(set: &str, decision: &str, level: RecognitionLevel, on: NaiveDate) -> LocalityEvent {
    let year = u16::try_from(on.year()).expect("year");
    LocalityEvent::RecognitionGranted(with_override(granted(set, decision, level, on, year)))
}

fn all_met(
    set_code: &str,
    on: NaiveDate,
    conditions_of: Option<RecognitionLevel>,
) -> Vec<LocalityEvent> {
    let catalog = catalog();
    let set = set(&catalog, set_code);
    let conditions = set
        .conditions
        .iter()
        .filter(|c| Some(c.level) == conditions_of || c.level == set.level)
        .map(|c| &c.criterion);
    set.criteria
        .iter()
        .chain(conditions)
        .map(|c| assessed(set_code, c.code.as_str(), true, on))
        .collect()
}

/// A commune enrolled in the nâng cao set with every nâng cao criterion and every kiểu mẫu
/// condition met in May 2024, plus `history`.
fn advanced(history: Vec<LocalityEvent>) -> LocalityState {
    let mut events = vec![commune(), enrolled(NANG_CAO, date(2023, 1, 1), 2024)];
    events.extend(history);
    events.extend(all_met(
        NANG_CAO,
        date(2024, 5, 1),
        Some(RecognitionLevel::NtmKieuMau),
    ));
    given(events)
}

fn revoked(decision: &str, revoked: &str, on: NaiveDate) -> LocalityEvent {
    LocalityEvent::RecognitionRevoked(RecognitionRevoked {
        effective_on: on,
        decision: act(decision),
        revoked: act(revoked),
        reason: "rớt chuẩn".into(),
        issuer: "UBND tỉnh Hà Tĩnh".into(),
    })
}

fn vote(set: &str, level: RecognitionLevel, in_favour: u32, on: NaiveDate) -> LocalityEvent {
    LocalityEvent::AppraisalVoted(AppraisalVoted {
        effective_on: on,
        set: set.parse().expect("code"),
        level,
        in_favour: Percent::from_hundredths(in_favour).expect("percent"),
        evidence: Evidence::default(),
    })
}
