//! A locality's register entry folded from its events: attributes with validity periods,
//! its end, enrolments, and the recognitions it holds or inherited pending acknowledgement.

use chrono::NaiveDate;
use serde::Serialize;

use super::event::{LocalityEvent, PredecessorRecognition};
use super::locality::LocalityId;
use super::terms::{CommuneGroup, LocalityKind, RecognitionLevel, SpecialStatus, ThresholdRegion};
use super::values::{DecisionNumber, LocalityCode, SetCode};

/// Values of one attribute over valid time; the last entry on or before a date applies, and of
/// two entries on the same date the later recorded one wins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timeline<T>(Vec<(NaiveDate, T)>);

impl<T> Default for Timeline<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<T> Timeline<T> {
    pub fn set(&mut self, from: NaiveDate, value: T) {
        let at = self.0.partition_point(|(d, _)| *d <= from);
        self.0.insert(at, (from, value));
    }

    pub fn on(&self, date: NaiveDate) -> Option<&T> {
        let at = self.0.partition_point(|(d, _)| *d <= date);
        at.checked_sub(1).map(|i| &self.0[i].1)
    }

    pub fn entries(&self) -> &[(NaiveDate, T)] {
        &self.0
    }
}

/// How a locality ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum EndKind {
    MergedInto(LocalityId),
    Split,
    Dissolved,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ending {
    /// First day on which the locality no longer exists.
    pub on: NaiveDate,
    pub kind: EndKind,
}

/// How a recognition came to be held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Held {
    Granted,
    /// Thừa nhận after a merger.
    Acknowledged,
}

/// A recognition this locality holds (or held, until revoked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecognitionRecord {
    pub version: u64,
    pub effective_on: NaiveDate,
    pub decision: DecisionNumber,
    pub set: SetCode,
    pub level: RecognitionLevel,
    pub standard_year: u16,
    pub held: Held,
    pub revoked_by: Option<DecisionNumber>,
    /// Why it was granted without the evidence the law asks for (an override), if it was.
    pub override_reason: Option<String>,
    /// The đợt of the grant, e.g. "đợt 1 năm 2024".
    pub batch: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Profile {
    pub established_on: Option<NaiveDate>,
    pub names: Timeline<String>,
    pub codes: Timeline<Option<LocalityCode>>,
    pub kinds: Timeline<LocalityKind>,
    pub parents: Timeline<Option<LocalityId>>,
    pub regions: Timeline<Option<ThresholdRegion>>,
    pub groups: Timeline<Option<CommuneGroup>>,
    /// The special-commune status (QĐ 318's TDMNPB rule) over valid time.
    pub specials: Timeline<Option<SpecialStatus>>,
    pub ended: Option<Ending>,
    pub formed_from: Vec<LocalityId>,
    pub enrolments: Vec<(NaiveDate, SetCode, u16)>,
    pub recognitions: Vec<RecognitionRecord>,
    pub inherited: Vec<PredecessorRecognition>,
    pub acknowledged: Vec<DecisionNumber>,
    /// (revoked decision, revoking decision) of every revocation folded in, so that a grant
    /// folded after its revocation (valid-time order) is still seen as revoked.
    pub revocations: Vec<(DecisionNumber, DecisionNumber)>,
}

impl Profile {
    /// Folds events given as (stream version, event), in stream order.
    pub fn fold<'a>(events: impl IntoIterator<Item = (u64, &'a LocalityEvent)>) -> Self {
        let mut profile = Self::default();
        for (version, event) in events {
            profile.apply(version, event);
        }
        profile
    }

    pub fn apply(&mut self, version: u64, event: &LocalityEvent) {
        use LocalityEvent as E;
        match event {
            E::LocalityEstablished(e) => {
                self.established_on = Some(e.effective_on);
                self.names.set(e.effective_on, e.name.clone());
                self.codes.set(e.effective_on, e.code.clone());
                self.kinds.set(e.effective_on, e.kind);
                self.parents.set(e.effective_on, e.parent.clone());
                self.regions.set(e.effective_on, e.threshold_region);
                self.groups.set(e.effective_on, e.commune_group);
                self.formed_from.clone_from(&e.formed_from);
            }
            E::LocalityRenamed(e) => self.names.set(e.effective_on, e.name.clone()),
            E::LocalityReclassified(e) => self.kinds.set(e.effective_on, e.kind),
            E::LocalityRecoded(e) => self.codes.set(e.effective_on, e.code.clone()),
            E::LocalityTransferred(e) => self.parents.set(e.effective_on, e.parent.clone()),
            E::ThresholdAssigned(e) => {
                self.regions.set(e.effective_on, e.region);
                self.groups.set(e.effective_on, e.group);
                self.specials.set(e.effective_on, e.special);
            }
            E::MergedInto(e) => self.end(e.effective_on, EndKind::MergedInto(e.successor.clone())),
            E::LocalitySplit(e) if !e.continues => self.end(e.effective_on, EndKind::Split),
            E::LocalityDissolved(e) => self.end(e.effective_on, EndKind::Dissolved),
            E::LocalitiesMerged(e) => {
                // A new successor already names its sources when established.
                for source in &e.sources {
                    if !self.formed_from.contains(source) {
                        self.formed_from.push(source.clone());
                    }
                }
                self.inherited
                    .extend(e.predecessor_recognitions.iter().cloned());
            }
            _ => self.apply_progress(version, event),
        }
    }

    fn apply_progress(&mut self, version: u64, event: &LocalityEvent) {
        use LocalityEvent as E;
        match event {
            E::ProgrammeEnrolled(e) => {
                self.enrolments
                    .push((e.effective_on, e.set.clone(), e.target_year));
            }
            E::RecognitionGranted(e) => self.hold(RecognitionRecord {
                version,
                effective_on: e.effective_on,
                decision: e.decision.clone(),
                set: e.set.clone(),
                level: e.level,
                standard_year: e.standard_year,
                held: Held::Granted,
                revoked_by: None,
                override_reason: e.override_reason.clone().filter(|r| !r.trim().is_empty()),
                batch: e.batch.clone(),
            }),
            E::RecognitionAcknowledged(e) => {
                self.acknowledged.extend(e.acknowledges.iter().cloned());
                self.hold(RecognitionRecord {
                    version,
                    effective_on: e.effective_on,
                    decision: e.decision.clone(),
                    set: e.set.clone(),
                    level: e.level,
                    standard_year: e.standard_year,
                    held: Held::Acknowledged,
                    revoked_by: None,
                    override_reason: None,
                    batch: None,
                });
            }
            E::RecognitionRevoked(e) => {
                self.revocations
                    .push((e.revoked.clone(), e.decision.clone()));
                if let Some(r) = self
                    .recognitions
                    .iter_mut()
                    .find(|r| r.decision == e.revoked)
                {
                    r.revoked_by = Some(e.decision.clone());
                }
            }
            _ => {}
        }
    }

    fn hold(&mut self, mut record: RecognitionRecord) {
        record.revoked_by = self
            .revocations
            .iter()
            .find(|(revoked, _)| *revoked == record.decision)
            .map(|(_, by)| by.clone());
        self.recognitions.push(record);
    }

    fn end(&mut self, on: NaiveDate, kind: EndKind) {
        self.ended = Some(Ending { on, kind });
    }

    /// Whether the locality exists on `date`: established on or before it and not yet ended.
    pub fn exists_on(&self, date: NaiveDate) -> bool {
        self.established_on.is_some_and(|d| d <= date)
            && self.ended.as_ref().is_none_or(|e| date < e.on)
    }

    /// The official code held on `date`, only while the locality exists.
    pub fn code_on(&self, date: NaiveDate) -> Option<&LocalityCode> {
        self.codes
            .on(date)
            .and_then(Option::as_ref)
            .filter(|_| self.exists_on(date))
    }

    pub fn is_enrolled(&self, set: &SetCode) -> bool {
        self.enrolments.iter().any(|(_, s, _)| s == set)
    }

    /// Recognitions not revoked (the profile is folded only from facts effective by then).
    pub fn recognitions_in_force(&self) -> impl Iterator<Item = &RecognitionRecord> {
        self.recognitions.iter().filter(|r| r.revoked_by.is_none())
    }

    /// Recognitions in force that the locality can hold on `date` as the kind it is then.
    pub fn recognitions_held(&self, date: NaiveDate) -> impl Iterator<Item = &RecognitionRecord> {
        let kind = self.kinds.on(date).copied();
        self.recognitions_in_force()
            .filter(move |r| kind.is_some_and(|k| r.level.held_by(k)))
    }

    /// The highest recognition held on `date`, of any set; the latest of equal levels.
    pub fn highest_held(&self, date: NaiveDate) -> Option<&RecognitionRecord> {
        self.recognitions_held(date)
            .max_by_key(|r| (r.level, r.effective_on, r.version))
    }

    /// Predecessor recognitions carried over by a merger and not yet acknowledged.
    pub fn pending_acknowledgement(&self) -> impl Iterator<Item = &PredecessorRecognition> {
        self.inherited
            .iter()
            .filter(|p| !self.acknowledged.contains(&p.decision))
    }
}
