//! One Hà Tĩnh commune's generated 2016–2025 history, decided event by event by the domain:
//! enrolments, yearly readings of every indicator of the sets in force, assessments, the
//! council's vote and the recognitions its [`CommuneStory`] gives, plus the story's corrections.

use std::sync::Arc;

use chrono::{Datelike, Days, NaiveDate};

use super::readings::{reading, Dice};
use super::story::{CommuneStory, Grant, SET_2016, SET_2021, SET_ADVANCED};
use crate::domain::catalog::{Catalog, CriteriaSet, Criterion, Indicator};
use crate::domain::locality::*;
use crate::domain::measure::Percent;
use crate::domain::terms::{AssessmentLevel, RecognitionLevel, ThresholdRegion};
use crate::domain::DomainError;

const REGION: ThresholdRegion = ThresholdRegion::Btb;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

fn demo(note: &str) -> Evidence {
    Evidence {
        document: None,
        file_ref: None,
        note: Some(format!("demo data (generated, seeded): {note}")),
        attachments: Vec::new(),
    }
}

/// Decides a commune's actions one after the other on its own copy of the state.
pub struct Script<'a> {
    aggregate: Locality,
    catalog: &'a Catalog,
    id: LocalityId,
    state: LocalityState,
    today: NaiveDate,
    pub events: Vec<LocalityEvent>,
    dice: Dice,
}

impl<'a> Script<'a> {
    pub fn new(
        catalog: Arc<Catalog>,
        catalog_ref: &'a Catalog,
        id: LocalityId,
        state: LocalityState,
        today: NaiveDate,
        seed: u64,
    ) -> Self {
        Script {
            aggregate: Locality::new(catalog),
            catalog: catalog_ref,
            id,
            state,
            today,
            events: Vec::new(),
            dice: Dice::new(seed),
        }
    }

    /// Decides `action` and folds what it records; returns the new stream version.
    pub(super) fn run(&mut self, action: LocalityAction) -> Result<u64, DomainError> {
        let command = LocalityCommand {
            today: self.today,
            action,
        };
        for event in self.aggregate.decide(&self.id, &self.state, command)? {
            let state = std::mem::take(&mut self.state);
            self.state = Locality::fold_onto(state, event.clone())?;
            self.events.push(event);
        }
        Ok(self.state.version())
    }

    fn set(&self, code: &str) -> Result<&'a CriteriaSet, DomainError> {
        let code = code.parse()?;
        self.catalog.get(&code).ok_or(DomainError::UnknownSet(code))
    }

    pub(super) fn enrol(
        &mut self,
        set: &str,
        on: NaiveDate,
        target_year: i32,
    ) -> Result<(), DomainError> {
        if self.state.profile().is_enrolled(&set.parse()?) {
            return Ok(());
        }
        self.run(LocalityAction::Enrol(ProgrammeEnrolled {
            effective_on: on,
            set: set.parse()?,
            target_year: u16::try_from(target_year).unwrap_or(2025),
            legal_act: None,
        }))
        .map(drop)
    }

    /// Readings of every indicator of `criterion`, meeting their targets or not, and its
    /// assessment.
    pub(super) fn criterion(
        &mut self,
        set: &CriteriaSet,
        criterion: &Criterion,
        on: NaiveDate,
        met: bool,
        level: AssessmentLevel,
    ) -> Result<(), DomainError> {
        for indicator in &criterion.indicators {
            let value = reading(indicator, REGION, on.year(), met, &mut self.dice);
            self.run(LocalityAction::RecordIndicator(IndicatorRecorded {
                effective_on: on,
                set: set.code.clone(),
                indicator: indicator.code.clone(),
                value,
                evidence: demo("báo cáo rà soát tiêu chí"),
            }))?;
        }
        self.run(LocalityAction::AssessCriterion(CriterionAssessed {
            effective_on: on,
            set: set.code.clone(),
            criterion: criterion.code.clone(),
            met,
            level,
            evidence: demo("biên bản đánh giá"),
        }))
        .map(drop)
    }

    fn recognise(&mut self, grant: &Grant) -> Result<(), DomainError> {
        let set: crate::domain::values::SetCode = grant.set.parse()?;
        let in_favour = 8_000 + self.dice.roll(2_001) as u32;
        self.run(LocalityAction::RecordAppraisalVote(AppraisalVoted {
            effective_on: grant.on - Days::new(10),
            set: set.clone(),
            level: grant.level,
            in_favour: Percent::from_hundredths(in_favour).unwrap_or(Percent::FULL),
            evidence: demo("biên bản họp hội đồng thẩm định tỉnh"),
        }))?;
        let note = if grant.published {
            "số quyết định đã công bố; ngày ký ước lượng cho bản demo"
        } else {
            "số quyết định sinh cho bản demo"
        };
        self.run(LocalityAction::GrantRecognition(RecognitionGranted {
            effective_on: grant.on,
            decision: grant.decision.parse()?,
            signed_on: grant.on,
            issuer: "UBND tỉnh Hà Tĩnh".into(),
            signer: format!("Chủ tịch UBND tỉnh ({note})"),
            set,
            level: grant.level,
            standard_year: grant.standard_year,
            batch: Some(grant.batch.to_owned()),
            outstanding_field: (grant.level == RecognitionLevel::NtmKieuMau)
                .then(|| "văn hóa - du lịch (demo)".to_owned()),
            override_reason: None,
        }))
        .map(drop)
    }
}

/// 2016–2020 (from 1/1/2020 for a commune formed by the mergers): the criteria met follow the
/// story's path, all 19 by the NTM decision; the council then votes and the province decides.
pub fn first_period(script: &mut Script<'_>, story: &CommuneStory) -> Result<(), DomainError> {
    let start = if story.formed_2020 {
        date(2020, 1, 1)
    } else {
        date(2016, 1, 1)
    };
    script.run(LocalityAction::AssignThreshold(ThresholdAssigned {
        effective_on: start,
        region: Some(REGION),
        group: None,
        reason: Some("Hà Tĩnh thuộc vùng Bắc Trung Bộ".into()),
        special: None,
    }))?;
    let Some(last) = story.criteria.last() else {
        return Ok(());
    };
    let set = script.set(SET_2016)?;
    let grant = story.ntm().filter(|g| g.set == SET_2016).cloned();
    script.enrol(
        SET_2016,
        start,
        grant.as_ref().map_or(2020, |g| g.on.year()),
    )?;
    let mut order: Vec<&Criterion> = set.criteria.iter().collect();
    script.dice.shuffle(&mut order);
    let mut met = 0;
    for (n, &(on, target)) in story.criteria.iter().enumerate() {
        let level = if grant.is_some() && (on, target) == *last {
            AssessmentLevel::ProvincialCouncil
        } else {
            AssessmentLevel::DistrictAppraisal
        };
        // The first reading assesses every criterion; later ones the newly met.
        let range = if n == 0 { 0..order.len() } else { met..target };
        for (i, criterion) in order.iter().enumerate().take(range.end).skip(range.start) {
            script.criterion(set, criterion, on, i < target, level)?;
        }
        met = target.max(met);
    }
    match grant {
        Some(grant) => script.recognise(&grant),
        None => Ok(()),
    }
}

/// Thừa nhận: the predecessors' recognitions a merger left pending, acknowledged at their own
/// level and set, with the latest of their standard years.
fn acknowledge(script: &mut Script<'_>, on: NaiveDate, number: u64) -> Result<(), DomainError> {
    let pending: Vec<_> = script
        .state
        .profile()
        .pending_acknowledgement()
        .cloned()
        .collect();
    let Some(first) = pending.first() else {
        return Ok(());
    };
    let alike: Vec<_> = pending
        .iter()
        .filter(|p| p.set == first.set && p.level == first.level)
        .collect();
    script
        .run(LocalityAction::AcknowledgeRecognition(
            RecognitionAcknowledged {
                effective_on: on,
                decision: format!("{number}/QĐ-UBND-TN-DEMO").parse()?,
                set: first.set.clone(),
                level: first.level,
                standard_year: alike.iter().map(|p| p.standard_year).max().unwrap_or(2019),
                acknowledges: alike.iter().map(|p| p.decision.clone()).collect(),
            },
        ))
        .map(drop)
}

/// 2021–2025: every indicator of the new set read in 2022 and 2024 (all met: Hà Tĩnh reached
/// 100 %), the late communes recognised, nâng cao and kiểu mẫu where its story says, and the
/// story's correction, retraction and revocation risk.
pub fn second_period(script: &mut Script<'_>, story: &CommuneStory) -> Result<(), DomainError> {
    let set = script.set(SET_2021)?;
    let late = story.ntm().filter(|g| g.set == SET_2021).cloned();
    script.enrol(
        SET_2021,
        date(2021, 1, 1),
        late.as_ref().map_or(2025, |g| g.on.year()),
    )?;
    let first = late
        .as_ref()
        .map_or(date(2022, 3, 31), |g| g.on - Days::new(45));
    let level = if late.is_some() {
        AssessmentLevel::ProvincialCouncil
    } else {
        AssessmentLevel::DistrictAppraisal
    };
    for criterion in &set.criteria {
        script.criterion(set, criterion, first, true, level)?;
    }
    if story.corrected {
        correct(script, set, first)?;
    }
    if let Some(grant) = &late {
        script.recognise(grant)?;
    }
    if let Some(on) = story.acknowledged_on {
        let number = script.dice.roll(9_000) + 1_000;
        acknowledge(script, on, number)?;
    }
    for grant in story.grants.iter().filter(|g| g.set == SET_ADVANCED) {
        advance(script, grant)?;
    }
    let again = date(2024, 3, 31);
    for criterion in &set.criteria {
        for indicator in &criterion.indicators {
            let value = reading(indicator, REGION, 2024, true, &mut script.dice);
            script.run(LocalityAction::RecordIndicator(IndicatorRecorded {
                effective_on: again,
                set: set.code.clone(),
                indicator: indicator.code.clone(),
                value,
                evidence: demo("báo cáo duy trì tiêu chí năm 2024"),
            }))?;
        }
    }
    if story.retracted {
        retract(script, set, again)?;
    }
    if story.at_risk {
        risk(script, set)?;
    }
    Ok(())
}

/// Nâng cao or kiểu mẫu: its criteria (or its condition) assessed met, the vote, the decision.
fn advance(script: &mut Script<'_>, grant: &Grant) -> Result<(), DomainError> {
    let set = script.set(SET_ADVANCED)?;
    script.enrol(SET_ADVANCED, date(grant.on.year(), 1, 1), grant.on.year())?;
    let on = grant.on - Days::new(45);
    let criteria: Vec<&Criterion> = if grant.level == RecognitionLevel::NtmKieuMau {
        let conditions = set.conditions.iter().filter(|c| c.level == grant.level);
        conditions.map(|c| &c.criterion).collect()
    } else {
        set.criteria.iter().collect()
    };
    for criterion in criteria {
        script.criterion(set, criterion, on, true, AssessmentLevel::ProvincialCouncil)?;
    }
    script.recognise(grant)
}

/// The set's first indicator measured as a percentage.
fn first_percentage(set: &CriteriaSet) -> Option<&Indicator> {
    set.criteria
        .iter()
        .flat_map(|c| &c.indicators)
        .find(|i| i.kind == crate::domain::measure::IndicatorKind::Percent)
}

/// The first percentage reading of 2022 entered again with the figure from the signed report.
fn correct(script: &mut Script<'_>, set: &CriteriaSet, on: NaiveDate) -> Result<(), DomainError> {
    let Some(indicator) = first_percentage(set) else {
        return Ok(());
    };
    let value = reading(indicator, REGION, on.year(), true, &mut script.dice);
    script
        .run(LocalityAction::RecordIndicator(IndicatorRecorded {
            effective_on: on,
            set: set.code.clone(),
            indicator: indicator.code.clone(),
            value,
            evidence: Evidence {
                document: Some("Báo cáo số liệu đã ký (demo)".into()),
                file_ref: None,
                note: Some(
                    "demo data (generated, seeded): đính chính số liệu nhập năm 2022 theo báo cáo đã ký"
                        .into(),
                ),
                attachments: Vec::new(),
            },
        }))
        .map(drop)
}

/// A mistyped 2024 reading (a percentage far off), then its retraction.
fn retract(script: &mut Script<'_>, set: &CriteriaSet, on: NaiveDate) -> Result<(), DomainError> {
    let Some(indicator) = first_percentage(set) else {
        return Ok(());
    };
    let wrong = script.run(LocalityAction::RecordIndicator(IndicatorRecorded {
        effective_on: on,
        set: set.code.clone(),
        indicator: indicator.code.clone(),
        value: crate::domain::measure::IndicatorValue::Percent(
            Percent::from_hundredths(1_250).unwrap_or(Percent::FULL),
        ),
        evidence: demo("nhập liệu"),
    }))?;
    script
        .run(LocalityAction::Retract(EventRetracted {
            retracted_version: wrong,
            reason: "demo data: nhập nhầm 12,5 % (thiếu một chữ số); số liệu đúng đã có trong báo cáo 2024"
                .into(),
        }))
        .map(drop)
}

/// A 2025 inspection finds 6 of the 19 criteria no longer met, among them the key criterion
/// 17 (environment): 30 % failing with a key one, the revocation rule of QĐ 18/2022/QĐ-TTg.
fn risk(script: &mut Script<'_>, set: &CriteriaSet) -> Result<(), DomainError> {
    let key = |c: &&Criterion| set.key_criteria.contains(&c.code) && c.code.as_str() == "17";
    let others = set
        .criteria
        .iter()
        .filter(|c| !set.key_criteria.contains(&c.code));
    let failing: Vec<&Criterion> = set
        .criteria
        .iter()
        .filter(key)
        .chain(others.take(5))
        .collect();
    for criterion in failing {
        script.criterion(
            set,
            criterion,
            date(2025, 3, 31),
            false,
            AssessmentLevel::ProvincialCouncil,
        )?;
    }
    Ok(())
}
