//! A generated, deterministic locality history: a province, its districts and communes with
//! assessments, readings, back-dated corrections, retractions, recognitions, revocations and
//! one merger, appended in interleaved multi-stream requests as a busy office would.

use chrono::{Days, NaiveDate};
use ntm_tracker::app::codec::encode;
use ntm_tracker::domain::locality::*;
use ntm_tracker::domain::measure::{IndicatorValue, Percent};
use ntm_tracker::domain::terms::{
    AssessmentLevel, LocalityKind, RecognitionLevel, ThresholdRegion,
};
use ntm_tracker::domain::values::DecisionNumber;
use ntm_tracker::store::{AppendRequest, EventStore, ExpectedVersion, Metadata};
use uuid::Uuid;

pub const SET: &str = "NTM-XA-2021-2025";

/// The shape of a generated history.
pub struct Shape {
    pub districts: u128,
    pub communes: u128,
    pub events_per_commune: usize,
}

pub fn id(n: u128) -> LocalityId {
    LocalityId(Uuid::from_u128(0x1000 + n))
}

pub fn province() -> LocalityId {
    id(0)
}

pub fn district(d: u128) -> LocalityId {
    id(1 + d)
}

pub fn commune(shape: &Shape, c: u128) -> LocalityId {
    id(1 + shape.districts + c)
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

/// A small deterministic generator (xorshift), so a failure reproduces.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn established(
    name: String,
    kind: LocalityKind,
    code: String,
    parent: Option<LocalityId>,
) -> LocalityEvent {
    LocalityEvent::LocalityEstablished(LocalityEstablished {
        effective_on: date(2015, 1, 1),
        legal_act: None,
        name,
        kind,
        code: Some(code.parse().expect("code")),
        parent,
        threshold_region: Some(ThresholdRegion::Btb),
        commune_group: None,
        formed_from: vec![],
    })
}

/// One commune's stream as it grows: the version of each event and what may be retracted.
struct Commune {
    id: LocalityId,
    version: u64,
    retractable: Vec<u64>,
    recognised: Option<String>,
}

impl Commune {
    /// The next event of this commune in round `round` of `rounds`.
    fn next(&mut self, dice: &mut Dice, round: usize, rounds: usize) -> LocalityEvent {
        let months = (round * 58 / rounds.max(1)) as u32;
        let today = date(2021, 2, 1) + chrono::Months::new(months);
        let roll = dice.roll(1000);
        let event = match roll {
            0..=4 if self.retractable.len() > 2 => {
                let at = dice.roll(self.retractable.len() as u64) as usize;
                let version = self.retractable.swap_remove(at);
                LocalityEvent::EventRetracted(EventRetracted {
                    retracted_version: version,
                    reason: "entered twice".into(),
                })
            }
            5..=14 => {
                let back = today - Days::new(200 + dice.roll(400));
                self.assessed(dice, back, true)
            }
            15..=19 if self.recognised.is_none() && months > 20 => {
                let decision = format!(
                    "{}/QĐ-UBND",
                    1000 + self.id.0.as_u128() % 1000 + months as u128
                );
                self.recognised = Some(decision.clone());
                LocalityEvent::RecognitionGranted(RecognitionGranted {
                    effective_on: today,
                    decision: decision.parse().expect("decision"),
                    signed_on: today,
                    issuer: "UBND tỉnh Hà Tĩnh".into(),
                    signer: "Chủ tịch".into(),
                    set: SET.parse().expect("set"),
                    level: RecognitionLevel::Ntm,
                    standard_year: 2022,
                    batch: Some("đợt 1 năm 2022".into()),
                    outstanding_field: None,
                    override_reason: None,
                })
            }
            20..=21 if self.recognised.is_some() => {
                let revoked = self.recognised.take().expect("recognised");
                LocalityEvent::RecognitionRevoked(RecognitionRevoked {
                    effective_on: today,
                    decision: format!("{}/QĐ-UBND", 5000 + months)
                        .parse()
                        .expect("decision"),
                    revoked: revoked.parse().expect("decision"),
                    reason: "criteria no longer met".into(),
                    issuer: "UBND tỉnh Hà Tĩnh".into(),
                })
            }
            22..=400 => {
                let value = IndicatorValue::Percent(
                    Percent::try_from(40.0 + dice.roll(60) as f64).expect("percent"),
                );
                LocalityEvent::IndicatorRecorded(IndicatorRecorded {
                    effective_on: today,
                    set: SET.parse().expect("set"),
                    indicator: "2.1".parse().expect("indicator"),
                    value,
                    evidence: Evidence::default(),
                })
            }
            _ => {
                let met = dice.roll(100) < 40 + (round * 55 / rounds.max(1)) as u64;
                self.assessed(dice, today, met)
            }
        };
        self.version += 1;
        if matches!(
            event,
            LocalityEvent::IndicatorRecorded(_) | LocalityEvent::CriterionAssessed(_)
        ) {
            self.retractable.push(self.version);
        }
        event
    }

    fn assessed(&self, dice: &mut Dice, on: NaiveDate, met: bool) -> LocalityEvent {
        let on = on.max(date(2021, 1, 20));
        LocalityEvent::CriterionAssessed(CriterionAssessed {
            effective_on: on,
            set: SET.parse().expect("set"),
            criterion: (1 + dice.roll(19)).to_string().parse().expect("criterion"),
            met,
            level: AssessmentLevel::ProvincialCouncil,
            evidence: Evidence::default(),
        })
    }
}

/// Appends the whole history; returns the position of its last event.
pub async fn generate(store: &EventStore, shape: &Shape) -> i64 {
    let mut register = vec![(
        province(),
        vec![established(
            "Hà Tĩnh".into(),
            LocalityKind::Province,
            "42".into(),
            None,
        )],
    )];
    for d in 0..shape.districts {
        register.push((
            district(d),
            vec![established(
                format!("Huyện {d}"),
                LocalityKind::District,
                format!("{:03}", 400 + d),
                Some(province()),
            )],
        ));
    }
    let mut communes: Vec<Commune> = (0..shape.communes)
        .map(|c| Commune {
            id: commune(shape, c),
            version: 2,
            retractable: vec![],
            recognised: None,
        })
        .collect();
    for c in &communes {
        let parent = district(c.id.0.as_u128() % shape.districts);
        let code = format!("{:05}", 10_000 + c.id.0.as_u128() % 10_000);
        let enrolled = LocalityEvent::ProgrammeEnrolled(ProgrammeEnrolled {
            effective_on: date(2021, 1, 15),
            set: SET.parse().expect("set"),
            target_year: 2023,
            legal_act: None,
        });
        register.push((
            c.id.clone(),
            vec![
                established(
                    format!("Xã {}", c.id),
                    LocalityKind::Commune,
                    code,
                    Some(parent),
                ),
                enrolled,
            ],
        ));
    }
    let mut last = append(store, register).await;
    let mut dice = Dice(0x9e37_79b9_7f4a_7c15);
    let per_round = 10;
    let rounds = shape.events_per_commune / per_round;
    for round in 0..rounds {
        let batch: Vec<(LocalityId, Vec<LocalityEvent>)> = communes
            .iter_mut()
            .map(|c| {
                (
                    c.id.clone(),
                    (0..per_round)
                        .map(|_| c.next(&mut dice, round, rounds))
                        .collect(),
                )
            })
            .collect();
        last = append(store, batch).await;
    }
    last.max(merge(store, shape).await)
}

/// Communes 0 and 1 merge into commune 2 on 1/7/2024, recorded atomically on all three.
async fn merge(store: &EventStore, shape: &Shape) -> i64 {
    let (a, b, successor) = (commune(shape, 0), commune(shape, 1), commune(shape, 2));
    let on = date(2024, 7, 1);
    let act: DecisionNumber = "1283/NQ-UBTVQH15".parse().expect("act");
    let into = |_: &LocalityId| {
        vec![LocalityEvent::MergedInto(MergedInto {
            effective_on: on,
            legal_act: act.clone(),
            successor: successor.clone(),
        })]
    };
    let merged = vec![LocalityEvent::LocalitiesMerged(LocalitiesMerged {
        effective_on: on,
        legal_act: act.clone(),
        sources: vec![a.clone(), b.clone()],
        predecessor_recognitions: vec![],
    })];
    append(
        store,
        vec![
            (a.clone(), into(&a)),
            (b.clone(), into(&b)),
            (successor, merged),
        ],
    )
    .await
}

async fn append(store: &EventStore, streams: Vec<(LocalityId, Vec<LocalityEvent>)>) -> i64 {
    let streams = streams
        .iter()
        .map(|(id, events)| encode(id, ExpectedVersion::Any, events).expect("encode"))
        .collect();
    let request = AppendRequest {
        streams,
        metadata: Metadata::system("generator"),
        idempotency_key: None,
    };
    let appended = store.append(request).await.expect("append");
    appended.events.last().map_or(0, |e| e.position)
}

/// One reading appended to a commune, for steady-load measurements.
pub async fn append_one(store: &EventStore, commune: &LocalityId) -> i64 {
    let event = LocalityEvent::IndicatorRecorded(IndicatorRecorded {
        effective_on: date(2025, 6, 1),
        set: SET.parse().expect("set"),
        indicator: "2.1".parse().expect("indicator"),
        value: IndicatorValue::Percent(Percent::try_from(75.0).expect("percent")),
        evidence: Evidence::default(),
    });
    append(store, vec![(commune.clone(), vec![event])]).await
}
