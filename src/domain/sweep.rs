//! Grading one locality's facts for one criteria set at successive dates. Each fact is folded in
//! once, in valid-time order (effective date, then version), as the dates advance; the standing
//! on one date ([`super::standing::evaluate`]) is a sweep to that date, so a history graded by a
//! sweep and a standing graded alone cannot disagree.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use super::catalog::{CriteriaSet, Criterion, Grading, Indicator, Target};
use super::event::LocalityEvent;
use super::profile::Profile;
use super::rules::{self, Assessment, RevocationRisk, Status};
use super::standing::{CriterionStanding, IndicatorStanding, Reading, Standing};
use super::terms::{CommuneGroup, RecognitionLevel, ThresholdRegion};
use super::territory::{Territory, NOWHERE};
use super::values::{CriterionCode, IndicatorCode, SetCode};

/// The summary of a standing: what history periods and roll-ups hold, without the detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grades {
    pub on: NaiveDate,
    /// The set that graded: the standing's own, or a restatement of it for the territory.
    pub graded_by: SetCode,
    pub exists: bool,
    /// Status of each criterion, then of each condition, in the set's order.
    pub statuses: Vec<Status>,
    pub criteria_met: usize,
    pub level_reached: Option<RecognitionLevel>,
    /// The highest level held on the date, of any set (recognised status is the locality's).
    pub recognised_level: Option<RecognitionLevel>,
    pub at_risk: Option<RevocationRisk>,
}

/// A locality's facts for one set, folded up to the latest date asked for.
pub struct Sweep<'a> {
    grading: Grading<'a>,
    territory: &'a Territory,
    /// (effective date, version, fact), in valid-time order.
    facts: Vec<(NaiveDate, u64, &'a LocalityEvent)>,
    applied: usize,
    reached: Option<NaiveDate>,
    profile: Profile,
    readings: HashMap<&'a IndicatorCode, Reading>,
    assessments: HashMap<&'a CriterionCode, Vec<Assessment>>,
}

/// Where and when targets are looked up.
#[derive(Clone, Copy)]
struct Place {
    region: Option<ThresholdRegion>,
    group: Option<CommuneGroup>,
    year: i32,
}

/// The set-level conclusions drawn from the criteria and condition statuses.
struct Verdict {
    criteria_met: usize,
    level_reached: Option<RecognitionLevel>,
    at_risk: Option<RevocationRisk>,
}

impl<'a> Sweep<'a> {
    /// Facts already free of retractions (undated ones are ignored), graded by `set` alone.
    pub fn new(facts: &[(u64, &'a LocalityEvent)], set: &'a CriteriaSet) -> Self {
        Self::within(facts, Grading::alone(set), &NOWHERE)
    }

    /// Facts graded on each date by the set of `grading` for a locality inside `territory`.
    pub fn within(
        facts: &[(u64, &'a LocalityEvent)],
        grading: Grading<'a>,
        territory: &'a Territory,
    ) -> Self {
        let mut dated: Vec<_> = facts
            .iter()
            .filter_map(|(v, e)| e.effective_on().map(|d| (d, *v, *e)))
            .collect();
        dated.sort_by_key(|(d, v, _)| (*d, *v));
        Sweep {
            grading,
            territory,
            facts: dated,
            applied: 0,
            reached: None,
            profile: Profile::default(),
            readings: HashMap::new(),
            assessments: HashMap::new(),
        }
    }

    /// The full standing on `on`.
    pub fn standing(&mut self, on: NaiveDate) -> Standing {
        self.advance(on);
        let set = self.grading.set_on(on, self.territory);
        let place = self.place(on, set);
        let criteria: Vec<CriterionStanding> = set
            .criteria
            .iter()
            .map(|c| self.grade(set, c, place))
            .collect();
        let conditions: Vec<CriterionStanding> = set
            .conditions
            .iter()
            .map(|c| self.grade(set, &c.criterion, place))
            .collect();
        let statuses: Vec<Status> = criteria
            .iter()
            .chain(&conditions)
            .map(|c| c.status)
            .collect();
        let verdict = self.verdict(set, &statuses, on);
        let profile = &self.profile;
        Standing {
            set: self.grading.base.code.clone(),
            graded_by: set.code.clone(),
            on,
            exists: profile.exists_on(on),
            name: profile.names.on(on).cloned(),
            code: profile.code_on(on).cloned(),
            kind: profile.kinds.on(on).copied(),
            threshold_region: place.region,
            commune_group: place.group,
            enrolled: (profile.enrolments.iter()).any(|(_, s, _)| self.grading.counts(s)),
            criteria_met: verdict.criteria_met,
            criteria_total: set.criteria.len(),
            criteria_complete: set.criteria_complete,
            at_risk: verdict.at_risk,
            level_reached: verdict.level_reached,
            criteria,
            conditions,
            recognitions: profile.recognitions_held(on).cloned().collect(),
            pending_acknowledgement: profile.pending_acknowledgement().cloned().collect(),
        }
    }

    /// The summary of the standing on `on`, graded by the same rules as [`Sweep::standing`].
    pub fn grades(&mut self, on: NaiveDate) -> Grades {
        self.advance(on);
        let set = self.grading.set_on(on, self.territory);
        let place = self.place(on, set);
        let all = set
            .criteria
            .iter()
            .chain(set.conditions.iter().map(|c| &c.criterion));
        let statuses: Vec<Status> = all
            .map(|c| self.status(c, place, |_, _, _, _| {}).2)
            .collect();
        let verdict = self.verdict(set, &statuses, on);
        Grades {
            on,
            graded_by: set.code.clone(),
            exists: self.profile.exists_on(on),
            statuses,
            criteria_met: verdict.criteria_met,
            level_reached: verdict.level_reached,
            recognised_level: self.profile.highest_held(on).map(|r| r.level),
            at_risk: verdict.at_risk,
        }
    }

    /// Folds in the facts effective on or before `on`; going back starts the fold over.
    fn advance(&mut self, on: NaiveDate) {
        if self.reached.is_some_and(|r| on < r) {
            self.applied = 0;
            self.profile = Profile::default();
            self.readings.clear();
            self.assessments.clear();
        }
        self.reached = Some(on);
        while let Some(&(date, version, event)) = self.facts.get(self.applied) {
            if date > on {
                break;
            }
            self.profile.apply(version, event);
            self.note(version, event);
            self.applied += 1;
        }
    }

    /// Keeps the latest reading of each indicator and every assessment of each criterion.
    fn note(&mut self, version: u64, event: &'a LocalityEvent) {
        match event {
            LocalityEvent::IndicatorRecorded(e) if self.grading.counts(&e.set) => {
                let newer = self
                    .readings
                    .get(&e.indicator)
                    .is_none_or(|r| (r.effective_on, r.version) < (e.effective_on, version));
                if newer {
                    let reading = Reading {
                        version,
                        effective_on: e.effective_on,
                        value: e.value,
                    };
                    self.readings.insert(&e.indicator, reading);
                }
            }
            LocalityEvent::CriterionAssessed(e) if self.grading.counts(&e.set) => {
                self.assessments
                    .entry(&e.criterion)
                    .or_default()
                    .push(Assessment {
                        version,
                        effective_on: e.effective_on,
                        level: e.level,
                        met: e.met,
                    });
            }
            _ => {}
        }
    }

    /// A special commune (QĐ 318, Điều 1) takes the set's special region, if it names one.
    fn place(&self, on: NaiveDate, set: &CriteriaSet) -> Place {
        let special = self.profile.specials.on(on).copied().flatten();
        let region = self.profile.regions.on(on).copied().flatten();
        Place {
            region: set.special_region.filter(|_| special.is_some()).or(region),
            group: self.profile.groups.on(on).copied().flatten(),
            year: on.year(),
        }
    }

    /// (computed, official, status) of a criterion; `each` sees every indicator's grade.
    fn status(
        &self,
        criterion: &Criterion,
        place: Place,
        mut each: impl FnMut(&Indicator, Option<&Reading>, Status, Option<&Target>),
    ) -> (Status, Option<&Assessment>, Status) {
        let computed = rules::combine(criterion.indicators.iter().map(|indicator| {
            let reading = self.readings.get(&indicator.code);
            let value = reading.map(|r| &r.value);
            let (status, target) =
                rules::indicator_status(indicator, value, place.region, place.group, place.year);
            each(indicator, reading, status, target);
            status
        }));
        let official = self
            .assessments
            .get(&criterion.code)
            .and_then(rules::official);
        let status = official.map_or(computed, |a| Status::from_met(a.met));
        (computed, official, status)
    }

    fn grade(&self, set: &CriteriaSet, criterion: &Criterion, place: Place) -> CriterionStanding {
        let mut indicators = Vec::with_capacity(criterion.indicators.len());
        let (computed, official, status) =
            self.status(criterion, place, |indicator, reading, status, target| {
                indicators.push(IndicatorStanding {
                    code: indicator.code.clone(),
                    reading: reading.cloned(),
                    comparator: indicator.comparator,
                    target: target.and_then(|t| t.value),
                    target_provenance: target.map(|t| t.provenance.label()),
                    status,
                });
            });
        let official_status = official.map(|a| Status::from_met(a.met));
        CriterionStanding {
            code: criterion.code.clone(),
            name_vi: criterion.name_vi.clone(),
            name_en: criterion.name_en.clone(),
            is_key: set.is_key(&criterion.code),
            differs: official_status.is_some_and(|o| computed != Status::Unknown && o != computed),
            status,
            official: official.cloned(),
            computed,
            indicators,
        }
    }

    /// Criteria met, level reached and revocation risk, from the statuses of the set's
    /// criteria followed by its conditions.
    fn verdict(&self, set: &CriteriaSet, statuses: &[Status], on: NaiveDate) -> Verdict {
        let (criteria, conditions) = statuses.split_at(set.criteria.len());
        let gated: Vec<(RecognitionLevel, Status)> = set
            .conditions
            .iter()
            .zip(conditions)
            .map(|(c, s)| (c.level, *s))
            .collect();
        let applies = set.revocation_act.is_some()
            && set.in_force.contains(on)
            && self
                .profile
                .recognitions_held(on)
                .any(|r| set.measures(r.level));
        let at_risk = applies.then(|| rules::revocation_risk(rules::Failing::of(set, criteria)));
        Verdict {
            criteria_met: criteria.iter().filter(|s| **s == Status::Met).count(),
            // A partial criteria list cannot establish that a level is reached.
            level_reached: rules::level_reached(set, criteria, &gated)
                .filter(|_| set.criteria_complete),
            at_risk,
        }
    }
}

/// The dates on which a standing graded by `sets` can change: every effective date of a fact,
/// and from the first fact on every 1 January up to the year after the last set's period
/// (targets vary by year) and every day one of the sets comes into or goes out of force. Between
/// two of them nothing changes but the date; sorted, without repeats.
pub fn change_dates<'s>(
    facts: &[(u64, &LocalityEvent)],
    sets: impl IntoIterator<Item = &'s CriteriaSet>,
) -> Vec<NaiveDate> {
    change_dates_within(facts, sets, &NOWHERE)
}

/// [`change_dates`] of a locality inside `territory`: also every day its territory changes
/// (a set for a territory may start or stop grading it).
pub fn change_dates_within<'s>(
    facts: &[(u64, &LocalityEvent)],
    sets: impl IntoIterator<Item = &'s CriteriaSet>,
    territory: &Territory,
) -> Vec<NaiveDate> {
    let mut dates: Vec<NaiveDate> = facts.iter().filter_map(|(_, e)| e.effective_on()).collect();
    let Some(first) = dates.iter().min().copied() else {
        return dates;
    };
    let mut last_year = first.year();
    for set in sets {
        last_year = last_year.max(i32::from(set.period.to) + 1);
        let (set_days, version_days) = (set.in_force, set.version_in_force);
        dates.extend(
            [set_days.from, version_days.from]
                .into_iter()
                .chain(set_days.until)
                .chain(version_days.until),
        );
    }
    dates.extend((first.year() + 1..=last_year).filter_map(|y| NaiveDate::from_ymd_opt(y, 1, 1)));
    dates.extend(territory.change_dates());
    dates.retain(|d| *d >= first);
    dates.sort_unstable();
    dates.dedup();
    dates
}
