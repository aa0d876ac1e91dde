//! Sets for a territory: the loader's refusals of the new keys (file and key named), the
//! restatement merged over its national set, resolution by territory and date, and grading
//! with the special-commune rule.

use chrono::NaiveDate;

use super::*;
use crate::domain::event::{LocalityEstablished, ThresholdAssigned};
use crate::domain::locality::LocalityEvent;
use crate::domain::measure::{IndicatorValue, Percent};
use crate::domain::rules::Status;
use crate::domain::sweep::Sweep;
use crate::domain::terms::{LocalityKind, RecognitionLevel, SpecialStatus};
use crate::domain::territory::{Ancestry, Link, Territory};

const FIXTURE: &str = include_str!("../../../tests/fixtures/HT-NTM-XA-2024-2025.toml");
const FILE: &str = "HT-NTM-XA-2024-2025.toml";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

/// The shipped files with `extra` beside them.
fn with(extra: &str) -> Result<Catalog, CatalogError> {
    let shipped = Catalog::shipped_files().map(|(f, t)| (f.to_string(), t.to_string()));
    Catalog::from_sources(shipped.chain([(FILE.to_owned(), extra.to_owned())]))
}

fn refused_at(text: &str) -> (String, String) {
    match with(text) {
        Err(CatalogError::Invalid { file, key, .. }) => (file, key),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn the_loader_names_the_file_and_key_of_each_bad_territorial_key() {
    let table: &[(&str, &str, &str)] = &[
        (
            "restates = \"NTM-XA-2021-2025\"",
            "restates = \"NTM-XA-1999\"",
            "restates",
        ),
        (
            "restates = \"NTM-XA-2021-2025\"",
            "restates = \"HT-PHUONG-DTVM-2020\"",
            "restates",
        ),
        ("territory = \"42\"\n", "", "territory"),
        ("territory = \"42\"", "territory = \"4\"", "territory"),
        ("level = \"ntm\"", "level = \"ntm-nang-cao\"", "level"),
        (
            "applies_to = [\"commune\"]",
            "applies_to = [\"ward\"]",
            "applies_to",
        ),
        ("period = [2024, 2025]", "period = [2024, 2026]", "period"),
        (
            "territory = \"42\"",
            "territory = \"42\"\nkey_criteria = [\"10\"]",
            "key_criteria",
        ),
        (
            "territory = \"42\"",
            "territory = \"42\"\nspecial_region = \"NORTH\"",
            "special_region",
        ),
        ("code = \"3\"\n", "code = \"99\"\n", "criteria[\"99\"].code"),
        (
            "code = \"3.1\"",
            "code = \"3.9\"",
            "criteria[\"3\"].indicators[\"3.9\"].code",
        ),
        (
            "kind = \"percent\"",
            "kind = \"number\"",
            "criteria[\"3\"].indicators[\"3.1\"].kind",
        ),
        (
            "comparator = \">=\"",
            "comparator = \"<=\"",
            "criteria[\"3\"].indicators[\"3.1\"].comparator",
        ),
    ];
    for (from, to, key) in table {
        assert!(FIXTURE.contains(from), "{from}");
        let (file, at) = refused_at(&FIXTURE.replacen(from, to, 1));
        assert_eq!((file.as_str(), at.as_str()), (FILE, *key), "{from} → {to}");
    }
}

#[test]
fn a_restatement_lays_its_targets_over_the_national_set() {
    let catalog = with(FIXTURE).expect("the fixture loads");
    let code = |c: &str| c.parse::<SetCode>().expect("code");
    let national = catalog.get(&code("NTM-XA-2021-2025")).expect("national");
    let ht = catalog
        .get(&code("HT-NTM-XA-2024-2025"))
        .expect("restatement");
    assert_eq!(ht.criteria.len(), national.criteria.len());
    assert_eq!(ht.key_criteria, national.key_criteria);
    assert_eq!(ht.special_region, Some(ThresholdRegion::Tdmnpb));
    assert_eq!(ht.in_force.from, day(2024, 7, 26));
    // QĐ 51/2025 supersedes the restatement with the set it restates.
    assert_eq!(ht.in_force.until, national.in_force.until);
    let target = |set: &CriteriaSet, region| {
        let indicator = set.indicator(&"3.1".parse().expect("code")).expect("3.1");
        let t = indicator
            .target_for(Some(region), None, 2024)
            .expect("a target");
        (t.value, t.provenance.label())
    };
    let pct = |v: f64| Some(IndicatorValue::Percent(Percent::try_from(v).expect("%")));
    assert_eq!(target(ht, ThresholdRegion::Btb), (pct(85.0), "recalled"));
    assert_eq!(target(ht, ThresholdRegion::Tdmnpb), (pct(90.0), "recalled"));
    // A region the province does not restate keeps the national target and its source.
    assert_eq!(target(ht, ThresholdRegion::Dbsh), (pct(80.0), "verified"));
    assert_eq!(
        target(national, ThresholdRegion::Btb),
        (pct(80.0), "verified")
    );
    assert_eq!(
        catalog.standing_set(&ht.code).map(|s| &s.code),
        Some(&national.code)
    );
}

/// A commune of Hà Tĩnh (42) until 2025-01-01, then of Nghệ An (40).
fn moving_commune() -> Territory {
    let link = |from, until, code: &str, parent: Option<&str>| Link {
        from,
        until,
        code: Some(code.parse().expect("code")),
        parent: parent.map(str::to_owned),
    };
    let mut ancestry = Ancestry::new();
    ancestry.insert("ht".into(), vec![link(day(2000, 1, 1), None, "42", None)]);
    ancestry.insert("na".into(), vec![link(day(2000, 1, 1), None, "40", None)]);
    let own = vec![
        link(day(2010, 1, 1), Some(day(2025, 1, 1)), "18112", Some("ht")),
        link(day(2025, 1, 1), None, "18112", Some("na")),
    ];
    Territory::build(&own, &ancestry)
}

#[test]
fn the_grading_set_follows_the_territory_on_each_date() {
    let catalog = with(FIXTURE).expect("the fixture loads");
    let territory = moving_commune();
    let table = [
        (day(2024, 7, 25), "NTM-XA-2021-2025"),
        (day(2024, 7, 26), "HT-NTM-XA-2024-2025"),
        (day(2024, 12, 31), "HT-NTM-XA-2024-2025"),
        (day(2025, 1, 1), "NTM-XA-2021-2025"),
        (day(2026, 3, 1), "NTM-XA-2026-2030"),
    ];
    for (on, expected) in table {
        let set = catalog.grading_set(LocalityKind::Commune, RecognitionLevel::Ntm, on, &territory);
        assert_eq!(set.map(|s| s.code.as_str()), Some(expected), "{on}");
    }
    // Nowhere in particular: the national set, and a province's own ward set grades no one.
    let nowhere = Territory::default();
    let on = day(2024, 8, 1);
    let set = catalog.grading_set(LocalityKind::Commune, RecognitionLevel::Ntm, on, &nowhere);
    assert_eq!(set.map(|s| s.code.as_str()), Some("NTM-XA-2021-2025"));
    let ward = catalog.grading_set(
        LocalityKind::Ward,
        RecognitionLevel::DoThiVanMinh,
        day(2021, 1, 1),
        &nowhere,
    );
    assert_eq!(ward, None);
    let ward = catalog.grading_set(
        LocalityKind::Ward,
        RecognitionLevel::DoThiVanMinh,
        day(2021, 1, 1),
        &territory,
    );
    assert_eq!(ward.map(|s| s.code.as_str()), Some("HT-PHUONG-DTVM-2020"));
}

#[test]
fn a_special_commune_takes_the_tdmnpb_target_of_the_set_grading_it() {
    let catalog = with(FIXTURE).expect("the fixture loads");
    let national = catalog
        .get(&"NTM-XA-2021-2025".parse().expect("code"))
        .expect("set");
    let events = [
        LocalityEvent::LocalityEstablished(LocalityEstablished {
            effective_on: day(2010, 1, 1),
            legal_act: None,
            name: "Xã Thử".into(),
            kind: LocalityKind::Commune,
            code: Some("18112".parse().expect("code")),
            parent: None,
            threshold_region: Some(ThresholdRegion::Btb),
            commune_group: None,
            formed_from: vec![],
        }),
        LocalityEvent::IndicatorRecorded(crate::domain::event::IndicatorRecorded {
            effective_on: day(2023, 1, 1),
            set: national.code.clone(),
            indicator: "3.1".parse().expect("code"),
            value: IndicatorValue::Percent(Percent::try_from(88.0).expect("%")),
            evidence: Default::default(),
        }),
        LocalityEvent::ThresholdAssigned(ThresholdAssigned {
            effective_on: day(2024, 9, 1),
            region: Some(ThresholdRegion::Btb),
            group: None,
            reason: Some("xã đặc biệt khó khăn".into()),
            special: Some(SpecialStatus::XaDbkk),
        }),
    ];
    let facts: Vec<(u64, &LocalityEvent)> = (1..).zip(&events).collect();
    let territory = moving_commune();
    let mut sweep = Sweep::within(&facts, catalog.grading(national), &territory);
    let status_of_3 = |s: &crate::domain::standing::Standing| s.criteria[2].indicators[0].status;
    // 88 % against 80 (national), 85 (Hà Tĩnh, BTB), then 90 (Hà Tĩnh, TDMNPB for a special
    // commune), then 80 again once the commune has left Hà Tĩnh.
    let table = [
        (day(2024, 7, 1), "NTM-XA-2021-2025", Status::Met),
        (day(2024, 8, 1), "HT-NTM-XA-2024-2025", Status::Met),
        (day(2024, 9, 1), "HT-NTM-XA-2024-2025", Status::NotMet),
        (day(2025, 2, 1), "NTM-XA-2021-2025", Status::Met),
    ];
    for (on, graded_by, status) in table {
        let standing = sweep.standing(on);
        assert_eq!(standing.set, national.code, "{on}");
        assert_eq!(
            (standing.graded_by.as_str(), status_of_3(&standing)),
            (graded_by, status),
            "{on}"
        );
    }
}
