//! The rebuild's placing of localities whose parent it reads later.

use chrono::{DateTime, NaiveDate};

use super::*;
use crate::app::codec::locality_stream_of;
use crate::domain::event::{Evidence, IndicatorRecorded, LocalityEstablished};
use crate::domain::measure::{IndicatorValue, Percent};
use crate::domain::terms::{LocalityKind, ThresholdRegion};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

fn entries(id: &str, first: i64, events: &[LocalityEvent]) -> Vec<LogEntry> {
    (first..)
        .zip(events)
        .enumerate()
        .map(|(n, (position, event))| LogEntry {
            position,
            stream_id: locality_stream_of(id),
            stream_version: i64::try_from(n).expect("small") + 1,
            event_type: event.event_type().to_owned(),
            schema_version: 1,
            recorded_at: DateTime::from_timestamp(1_733_000_000, 0).expect("a time"),
            payload: serde_json::to_string(event).expect("json"),
        })
        .collect()
}

fn established(kind: LocalityKind, code: &str, parent: Option<&str>) -> LocalityEvent {
    LocalityEvent::LocalityEstablished(LocalityEstablished {
        effective_on: day(2015, 1, 1),
        legal_act: None,
        name: code.into(),
        kind,
        code: Some(code.parse().expect("code")),
        parent: parent.map(|p| p.parse().expect("id")),
        threshold_region: Some(ThresholdRegion::Btb),
        commune_group: None,
        formed_from: vec![],
    })
}

fn with_fixture() -> Catalog {
    let files = ["catalog", "tests/fixtures"].into_iter().flat_map(|dir| {
        std::fs::read_dir(dir)
            .expect("directory")
            .map(|e| e.expect("entry").path())
    });
    let sources = files
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| {
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).expect("read"))
        });
    Catalog::from_sources(sources).expect("catalogue")
}

/// A commune read before its province (a parent registered after its child) waits for it:
/// derived at the end, inside the province's territory.
#[test]
fn a_locality_read_before_its_parent_is_derived_once_the_parent_is_known() {
    let catalog = with_fixture();
    let province = "01900000-0000-7000-8000-000000000042";
    let commune = "01900000-0000-7000-8000-000000018101";
    let reading = LocalityEvent::IndicatorRecorded(IndicatorRecorded {
        effective_on: day(2023, 1, 1),
        set: "NTM-XA-2021-2025".parse().expect("set"),
        indicator: "3.1".parse().expect("indicator"),
        value: IndicatorValue::Percent(Percent::try_from(82.0).expect("percent")),
        evidence: Evidence::default(),
    });
    let child = [
        established(LocalityKind::Commune, "18101", Some(province)),
        reading,
    ];
    let parent = [established(LocalityKind::Province, "42", None)];
    let today = day(2024, 12, 1);
    let mut located = Located::default();
    let first = derive_streams(&entries(commune, 1, &child), &catalog, today, &mut located);
    assert_eq!(first.expect("derived").0.len(), 0, "the commune waits");
    let second = derive_streams(
        &entries(province, 3, &parent),
        &catalog,
        today,
        &mut located,
    );
    assert_eq!(second.expect("derived").0.len(), 1);
    let (deferred, events) = located.derive_deferred(&catalog, today);
    assert_eq!(events, 0, "its events were counted when read");
    let standing = &deferred[0].standings[0];
    assert_eq!(standing.set_code, "NTM-XA-2021-2025");
    assert_eq!(standing.graded_by, "HT-NTM-XA-2024-2025");
}
