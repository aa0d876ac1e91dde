//! One row of a fact file read into a domain command: which code it names, the date the code is
//! looked up on, and the action; every cell that cannot be read named with what was expected.

use chrono::NaiveDate;

use super::columns::{date, year, Cells, Columns};
use super::fact_kind::*;
use super::reading_row;
use super::sheet::SheetRow;
use super::table::RowError;
use crate::domain::catalog::Catalog;
use crate::domain::event::*;
use crate::domain::locality::LocalityAction;
use crate::domain::measure::Percent;
use crate::domain::terms::{AssessmentLevel, RecognitionLevel};
use crate::domain::values::{CriterionCode, DecisionNumber, LocalityCode, SetCode};
use crate::domain::DomainError;

/// A row read into the domain's terms.
#[derive(Debug, Clone, PartialEq)]
pub struct FactRow {
    pub number: usize,
    pub code: LocalityCode,
    /// The day the code is looked up on (codes are reused over time): the fact's effective date.
    pub on: NaiveDate,
    pub action: LocalityAction,
}

/// Where a kind's columns are in one file.
pub enum Layout {
    /// Readings keep the columns (and the parser) of `ntm import readings`.
    Readings(reading_row::Columns),
    Facts(FactKind, Columns),
}

impl Layout {
    pub fn find(kind: FactKind, headers: &[String], file: &str) -> Result<Layout, Vec<RowError>> {
        match kind {
            FactKind::Readings => reading_row::Columns::find(headers, file).map(Layout::Readings),
            _ => Columns::find(kind.columns(), headers, file).map(|c| Layout::Facts(kind, c)),
        }
    }

    /// Reads one row; a reading's value is read by the kind of its indicator in `catalog`.
    pub fn parse(
        &self,
        row: &SheetRow,
        catalog: &Catalog,
        file: &str,
    ) -> Result<FactRow, Vec<RowError>> {
        let (kind, columns) = match self {
            Layout::Readings(columns) => {
                let parsed = reading_row::parse(columns, row, catalog, file)?;
                return Ok(FactRow {
                    number: parsed.number,
                    code: parsed.code,
                    on: parsed.reading.effective_on,
                    action: LocalityAction::RecordIndicator(parsed.reading),
                });
            }
            Layout::Facts(kind, columns) => (*kind, columns),
        };
        let mut cells = columns.cells(row, file).map_err(|e| vec![e])?;
        let code = cells.read(&LOCALITY, str::parse::<LocalityCode>);
        let read = match kind {
            FactKind::Enrolments => enrolment(&mut cells),
            FactKind::Assessments => assessment(&mut cells),
            FactKind::Votes => vote(&mut cells),
            FactKind::Decisions => decision(&mut cells),
            FactKind::Acknowledgements => acknowledgement(&mut cells),
            FactKind::Revocations => revocation(&mut cells),
            FactKind::Readings => None,
        };
        match (code, read) {
            (Some(code), Some((on, action))) if cells.errors.is_empty() => Ok(FactRow {
                number: row.number,
                code,
                on,
                action,
            }),
            _ => Err(cells.errors),
        }
    }

    /// The locality code's column as the file names it.
    pub fn locality_column(&self) -> &str {
        match self {
            Layout::Readings(_) => reading_row::LOCALITY,
            Layout::Facts(_, columns) => columns.header(&LOCALITY),
        }
    }

    /// The column (as the file names it) a domain refusal of a row is about, if one.
    pub fn column_of(&self, error: &DomainError) -> Option<&str> {
        let columns = match self {
            Layout::Readings(_) => return reading_row::column_of(error),
            Layout::Facts(_, columns) => columns,
        };
        use DomainError as D;
        let column = match error {
            D::NotEstablished(_) => LOCALITY,
            D::NothingToAcknowledge => ACKNOWLEDGES,
            D::UnknownSet(_) | D::SetNotApplicable { .. } | D::NotEnrolled(_) => SET,
            D::UnknownCriterion { .. } => CRITERION,
            D::EffectiveInFuture { .. }
            | D::BeforeEstablishment { .. }
            | D::LocalityEnded { .. } => EFFECTIVE_ON,
            D::RecognitionNotFound(_) | D::RecognitionAlreadyRevoked(_) => REVOKED,
            D::DuplicateDecision(_) => DECISION,
            D::CriteriaNotMet { .. } => LEVEL,
            _ => return None,
        };
        Some(columns.header(&column))
    }
}

type Read = Option<(NaiveDate, LocalityAction)>;

fn enrolment(cells: &mut Cells<'_>) -> Read {
    let set = cells.read(&SET, str::parse::<SetCode>);
    let target_year = cells.read(&TARGET_YEAR, year);
    let effective_on = cells.read(&EFFECTIVE_ON, date);
    let legal_act = cells.optional(&LEGAL_ACT, str::parse::<DecisionNumber>);
    let enrolled = ProgrammeEnrolled {
        effective_on: effective_on?,
        set: set?,
        target_year: target_year?,
        legal_act: legal_act?,
    };
    Some((enrolled.effective_on, LocalityAction::Enrol(enrolled)))
}

fn assessment(cells: &mut Cells<'_>) -> Read {
    let set = cells.read(&SET, str::parse::<SetCode>);
    let criterion = cells.read(&CRITERION, str::parse::<CriterionCode>);
    let met = cells.read(&MET, met);
    let level = cells.read(&ASSESSED_BY, assessment_level);
    let effective_on = cells.read(&EFFECTIVE_ON, date);
    let assessed = CriterionAssessed {
        effective_on: effective_on?,
        set: set?,
        criterion: criterion?,
        met: met?,
        level: level?,
        evidence: evidence(cells),
    };
    Some((
        assessed.effective_on,
        LocalityAction::AssessCriterion(assessed),
    ))
}

fn vote(cells: &mut Cells<'_>) -> Read {
    let set = cells.read(&SET, str::parse::<SetCode>);
    let level = cells.read(&LEVEL, recognition_level);
    let in_favour = cells.read(&IN_FAVOUR, percent);
    let effective_on = cells.read(&EFFECTIVE_ON, date);
    let voted = AppraisalVoted {
        effective_on: effective_on?,
        set: set?,
        level: level?,
        in_favour: in_favour?,
        evidence: evidence(cells),
    };
    Some((
        voted.effective_on,
        LocalityAction::RecordAppraisalVote(voted),
    ))
}

fn decision(cells: &mut Cells<'_>) -> Read {
    let decision = cells.read(&DECISION, str::parse::<DecisionNumber>);
    let signed_on = cells.read(&SIGNED_ON, date);
    let issuer = cells.required_text(&ISSUER);
    let signer = cells.required_text(&SIGNER);
    let level = cells.read(&LEVEL, recognition_level);
    let set = cells.read(&SET, str::parse::<SetCode>);
    let standard_year = cells.read(&STANDARD_YEAR, year);
    let effective_on = cells.optional(&EFFECTIVE_OPTIONAL, date)?;
    let signed_on = signed_on?;
    let granted = RecognitionGranted {
        effective_on: effective_on.unwrap_or(signed_on),
        decision: decision?,
        signed_on,
        issuer: issuer?,
        signer: signer?,
        set: set?,
        level: level?,
        standard_year: standard_year?,
        batch: cells.free_text(&BATCH),
        outstanding_field: cells.free_text(&OUTSTANDING),
        override_reason: None,
    };
    Some((
        granted.effective_on,
        LocalityAction::GrantRecognition(granted),
    ))
}

fn acknowledgement(cells: &mut Cells<'_>) -> Read {
    let decision = cells.read(&DECISION, str::parse::<DecisionNumber>);
    let effective_on = cells.read(&EFFECTIVE_ON, date);
    let set = cells.read(&SET, str::parse::<SetCode>);
    let level = cells.read(&LEVEL, recognition_level);
    let standard_year = cells.read(&STANDARD_YEAR, year);
    let acknowledges = cells.read(&ACKNOWLEDGES, decisions);
    let acknowledged = RecognitionAcknowledged {
        effective_on: effective_on?,
        decision: decision?,
        set: set?,
        level: level?,
        standard_year: standard_year?,
        acknowledges: acknowledges?,
    };
    let on = acknowledged.effective_on;
    Some((on, LocalityAction::AcknowledgeRecognition(acknowledged)))
}

fn revocation(cells: &mut Cells<'_>) -> Read {
    let decision = cells.read(&DECISION, str::parse::<DecisionNumber>);
    let revoked = cells.read(&REVOKED, str::parse::<DecisionNumber>);
    let reason = cells.required_text(&REASON);
    let issuer = cells.required_text(&ISSUER);
    let effective_on = cells.read(&EFFECTIVE_ON, date);
    let revocation = RecognitionRevoked {
        effective_on: effective_on?,
        decision: decision?,
        revoked: revoked?,
        reason: reason?,
        issuer: issuer?,
    };
    Some((
        revocation.effective_on,
        LocalityAction::RevokeRecognition(revocation),
    ))
}

fn evidence(cells: &Cells<'_>) -> Evidence {
    Evidence {
        document: cells.free_text(&DOCUMENT),
        file_ref: cells.free_text(&FILE_REF),
        note: cells.free_text(&NOTE),
        attachments: Vec::new(),
    }
}

fn invalid(field: &'static str, value: &str, expected: &'static str) -> DomainError {
    DomainError::Invalid {
        field,
        value: value.to_owned(),
        expected,
    }
}

/// `đạt` / `không đạt` as offices write it (`met` / `not-met`, `1` / `0` too).
fn met(text: &str) -> Result<bool, DomainError> {
    match text.to_lowercase().as_str() {
        "đạt" | "met" | "true" | "1" | "có" => Ok(true),
        "không đạt" | "chưa đạt" | "not-met" | "false" | "0" | "không" => Ok(false),
        _ => Err(invalid("met", text, "đạt or không đạt (met / not-met)")),
    }
}

/// The Vietnamese names of the assessment levels, accepted beside their codes.
pub const ASSESSMENT_NAMES: [(AssessmentLevel, &str); 3] = [
    (AssessmentLevel::CommuneSelfAssessment, "xã tự đánh giá"),
    (AssessmentLevel::DistrictAppraisal, "huyện thẩm định"),
    (
        AssessmentLevel::ProvincialCouncil,
        "hội đồng thẩm định tỉnh",
    ),
];

fn assessment_level(text: &str) -> Result<AssessmentLevel, DomainError> {
    let lower = text.to_lowercase();
    AssessmentLevel::from_spelling(&lower)
        .or_else(|| {
            let named = ASSESSMENT_NAMES.iter().find(|(_, name)| *name == lower);
            named.map(|(level, _)| *level)
        })
        .ok_or_else(|| invalid("assessment level", text, "a code of the sheet Mã hợp lệ"))
}

fn recognition_level(text: &str) -> Result<RecognitionLevel, DomainError> {
    RecognitionLevel::from_spelling(&text.to_lowercase())
        .ok_or_else(|| invalid("level", text, "a level code of the sheet Mã hợp lệ"))
}

/// `85.5` or `85,5`, a share 0–100.
fn percent(text: &str) -> Result<Percent, DomainError> {
    let number = text.trim_end_matches('%').trim().replace(',', ".");
    number
        .parse::<f64>()
        .ok()
        .and_then(|v| Percent::try_from(v).ok())
        .ok_or_else(|| {
            invalid(
                "percent",
                text,
                "a share from 0 to 100, at most two decimals",
            )
        })
}

/// Decision numbers separated by `;` (or new lines).
fn decisions(text: &str) -> Result<Vec<DecisionNumber>, DomainError> {
    let numbers = text
        .split([';', '\n'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::parse)
        .collect::<Result<Vec<DecisionNumber>, _>>()?;
    match numbers.is_empty() {
        true => Err(DomainError::Empty {
            field: "acknowledges",
        }),
        false => Ok(numbers),
    }
}
