//! How much of a set can be graded from readings, and how its targets' provenance splits: the
//! figures `ntm catalog` and the API show so that a recalled or missing threshold is visible.

use serde::Serialize;

use super::catalog::{CriteriaSet, Criterion, Provenance, Target};
use super::terms::{CommuneGroup, ThresholdRegion};
use super::values::CriterionCode;

/// The criteria of a set that readings can grade for one region or commune group in one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gradability {
    /// The official number of criteria (the declared count when the list is partial).
    pub criteria: usize,
    /// Criteria each of whose indicators has a target with a value (verified or recalled).
    pub gradable: Vec<CriterionCode>,
    /// The gradable criteria whose applicable targets are all verified.
    pub gradable_on_verified: Vec<CriterionCode>,
    /// Transcribed criteria that readings cannot grade: no indicator, or an indicator whose
    /// target is unknown or missing for the region and year. Official assessments grade them.
    pub not_gradable: Vec<CriterionCode>,
    /// Criteria of the official list that the catalogue does not transcribe.
    pub untranscribed: usize,
}

/// How many targets carry each provenance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ProvenanceCount {
    pub verified: usize,
    pub recalled: usize,
    pub inferred: usize,
    pub unknown: usize,
}

impl ProvenanceCount {
    fn add(&mut self, p: &Provenance) {
        match p {
            Provenance::Verified { .. } => self.verified += 1,
            Provenance::Recalled => self.recalled += 1,
            Provenance::Inferred => self.inferred += 1,
            Provenance::Unknown => self.unknown += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.verified + self.recalled + self.inferred + self.unknown
    }
}

impl std::ops::Add for ProvenanceCount {
    type Output = Self;
    fn add(self, o: Self) -> Self {
        Self {
            verified: self.verified + o.verified,
            recalled: self.recalled + o.recalled,
            inferred: self.inferred + o.inferred,
            unknown: self.unknown + o.unknown,
        }
    }
}

/// The targets a criterion's indicators apply to a locality, `None` where one has no value.
fn applicable_targets(
    c: &Criterion,
    region: Option<ThresholdRegion>,
    group: Option<CommuneGroup>,
    year: i32,
) -> Option<Vec<&Target>> {
    if c.indicators.is_empty() {
        return None;
    }
    c.indicators
        .iter()
        .map(|i| {
            i.target_for(region, group, year)
                .filter(|t| t.value.is_some())
        })
        .collect()
}

impl CriteriaSet {
    /// Which criteria readings can grade for a locality of `region` or `group` in `year`; a
    /// locality under QĐ 318's special rule passes the region whose thresholds it uses (TDMNPB).
    pub fn gradability(
        &self,
        region: Option<ThresholdRegion>,
        group: Option<CommuneGroup>,
        year: i32,
    ) -> Gradability {
        let mut g = Gradability {
            criteria: self.official_criteria(),
            gradable: Vec::new(),
            gradable_on_verified: Vec::new(),
            not_gradable: Vec::new(),
            untranscribed: self.official_criteria() - self.criteria.len(),
        };
        for c in &self.criteria {
            match applicable_targets(c, region, group, year) {
                Some(targets) => {
                    let verified = targets
                        .iter()
                        .all(|t| matches!(t.provenance, Provenance::Verified { .. }));
                    if verified {
                        g.gradable_on_verified.push(c.code.clone());
                    }
                    g.gradable.push(c.code.clone());
                }
                None => g.not_gradable.push(c.code.clone()),
            }
        }
        g
    }

    /// The provenance of every target of the set's criteria and conditions.
    pub fn target_provenance(&self) -> ProvenanceCount {
        let conditions = self.conditions.iter().map(|c| &c.criterion);
        let mut count = ProvenanceCount::default();
        self.criteria
            .iter()
            .chain(conditions)
            .flat_map(|c| &c.indicators)
            .flat_map(|i| &i.targets)
            .for_each(|t| count.add(&t.provenance));
        count
    }
}
