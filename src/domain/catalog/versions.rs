//! Versions of a set: a recorded base file, amendments that split history at their start,
//! corrections that replace a version for every date, `supersedes`, and the catalogue as known.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::catalog::{Catalog, CatalogError, Problem, Published, SetCode};
use crate::domain::terms::{LocalityKind::Commune, RecognitionLevel::Ntm};

/// A one-criterion commune set signed on `signed_on` whose indicator 1.1 needs `target` %.
pub fn set_text(code: &str, act: &str, signed_on: &str, target: u32, extra: &str) -> String {
    format!(
        r#"code = "{code}"
title_vi = "Thử"
title_en = "Test"
legal_act = "{act}"
signed_on = "{signed_on}"
period = [2021, 2025]
applies_to = ["commune"]
level = "ntm"
threshold_basis = "none"
criteria_complete = true
indicators_complete = true
provenance = "recalled"
research = "test"
{extra}
[[criteria]]
code = "1"
name_vi = "Một"
name_en = "One"
provenance = "recalled"
[[criteria.indicators]]
code = "1.1"
name_vi = "Một một"
name_en = "One one"
kind = "percent"
comparator = ">="
provenance = "recalled"
targets = [{{ value = {target}, provenance = "recalled" }}]
"#
    )
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn at(position: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000 + position, 0).expect("time")
}

fn published(file: &str, toml: String, position: i64) -> Published {
    Published {
        file: file.into(),
        toml,
        position,
        recorded_at: at(position),
    }
}

fn code(text: &str) -> SetCode {
    text.parse().expect("code")
}

fn base() -> Catalog {
    let text = set_text("T", "1/QĐ-T", "2021-06-01", 80, "");
    Catalog::from_sources([("T.toml".to_string(), text)]).expect("base")
}

fn target_on(catalog: &Catalog, on: NaiveDate) -> Option<String> {
    let set = catalog.in_force(Commune, Ntm, on)?;
    let target = set.criteria[0].indicators[0].targets[0].value?;
    Some(target.to_string())
}

#[test]
fn a_recorded_base_file_is_that_version_with_its_position() {
    let base = base();
    let file = set_text("T", "1/QĐ-T", "2021-06-01", 80, "");
    let loaded = base
        .with_published(&[published("other-name.toml", file, 7)])
        .expect("loads");
    assert_eq!(loaded.versions().len(), 1);
    let version = &loaded.versions()[0];
    assert_eq!(version.published_at, Some(7));
    assert!(version.shipped);
    assert_eq!(version.file, "T.toml");
}

#[test]
fn an_amendment_grades_from_its_start_and_the_old_version_before_it() {
    let amended = set_text("T", "2/QĐ-T", "2023-03-01", 90, "");
    let catalog = base()
        .with_published(&[published("T-2023.toml", amended, 10)])
        .expect("loads");
    let t = code("T");
    assert_eq!(catalog.versions_of(&t).len(), 2);
    assert_eq!(catalog.sets().len(), 1, "one set, two versions");
    let first = &catalog.versions_of(&t)[0];
    let second = &catalog.versions_of(&t)[1];
    assert_eq!(first.version_in_force.until, Some(date(2023, 3, 1)));
    assert_eq!(second.version_in_force.from, date(2023, 3, 1));
    assert_eq!(first.in_force, second.in_force, "the set's days are one");
    let table = [
        (date(2021, 5, 31), None),
        (date(2021, 6, 1), Some("80 %")),
        (date(2023, 2, 28), Some("80 %")),
        (date(2023, 3, 1), Some("90 %")),
        (date(2025, 12, 31), Some("90 %")),
    ];
    for (on, expected) in table {
        assert_eq!(target_on(&catalog, on).as_deref(), expected, "{on}");
    }
    let version_on = |on| catalog.version_on(&t, on).map(|v| v.version.clone());
    assert_eq!(version_on(date(2022, 1, 1)), Some(first.version.clone()));
    assert_eq!(version_on(date(2024, 1, 1)), Some(second.version.clone()));
    assert_eq!(version_on(date(2020, 1, 1)), Some(first.version.clone()));
    assert_eq!(catalog.get(&t).map(|s| &s.version), Some(&second.version));
    assert_eq!(
        catalog.last_calendar_change(date(2023, 6, 1)),
        date(2023, 3, 1)
    );
}

#[test]
fn a_correction_of_the_same_start_replaces_the_version_for_every_date() {
    let corrected = set_text("T", "1/QĐ-T", "2021-06-01", 85, "# fixed\n");
    let catalog = base()
        .with_published(&[published("T-fix.toml", corrected, 12)])
        .expect("loads");
    let versions = catalog.versions_of(&code("T"));
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].version_in_force.until, Some(date(2021, 6, 1)));
    for on in [date(2021, 6, 1), date(2024, 1, 1)] {
        assert_eq!(target_on(&catalog, on).as_deref(), Some("85 %"), "{on}");
    }
}

#[test]
fn the_catalogue_as_known_leaves_out_later_versions() {
    let amended = set_text("T", "2/QĐ-T", "2023-03-01", 90, "");
    let base_file = set_text("T", "1/QĐ-T", "2021-06-01", 80, "");
    let catalog = base()
        .with_published(&[
            published("T.toml", base_file, 3),
            published("T-2023.toml", amended, 10),
        ])
        .expect("loads");
    let before = catalog.as_known_at(9).expect("loads");
    assert_eq!(before.versions().len(), 1);
    assert_eq!(
        target_on(&before, date(2024, 1, 1)).as_deref(),
        Some("80 %")
    );
    // A base file recorded later is known from the start, not yet with its position.
    let start = catalog.as_known_at(2).expect("loads");
    assert_eq!(start.versions()[0].published_at, None);
    let by_time = catalog.as_known_at_time(at(10)).expect("loads");
    assert_eq!(
        target_on(&by_time, date(2024, 1, 1)).as_deref(),
        Some("90 %")
    );
}

#[test]
fn supersedes_ends_the_named_sets_days_from_its_own_start() {
    let province = set_text("HT-T", "3/QĐ-UBND", "2022-01-01", 95, "supersedes = \"T\"");
    let catalog = base()
        .with_published(&[published("HT-T.toml", province, 20)])
        .expect("loads");
    let t = catalog.get(&code("T")).expect("T");
    assert_eq!(t.in_force.until, Some(date(2022, 1, 1)));
    assert_eq!(
        target_on(&catalog, date(2021, 12, 31)).as_deref(),
        Some("80 %")
    );
    assert_eq!(
        target_on(&catalog, date(2022, 1, 1)).as_deref(),
        Some("95 %")
    );
}

#[test]
fn supersedes_must_name_another_set_of_the_catalogue() {
    let unknown = set_text("U", "4/QĐ-T", "2022-01-01", 95, "supersedes = \"NOPE\"");
    match base().with_published(&[published("U.toml", unknown, 5)]) {
        Err(CatalogError::Invalid { file, key, problem }) => {
            assert_eq!((file.as_str(), key.as_str()), ("U.toml", "supersedes"));
            assert_eq!(problem, Problem::UnknownSet("NOPE".into()));
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let itself = set_text("U", "4/QĐ-T", "2022-01-01", 95, "supersedes = \"U\"");
    match Catalog::from_sources([("U.toml".to_string(), itself)]) {
        Err(CatalogError::Invalid { key, problem, .. }) => {
            assert_eq!(key, "supersedes");
            assert_eq!(problem, Problem::SupersedesItself);
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let malformed = set_text(
        "U",
        "4/QĐ-T",
        "2022-01-01",
        95,
        "supersedes = \"bad code!\"",
    );
    match Catalog::from_sources([("U.toml".to_string(), malformed)]) {
        Err(CatalogError::Invalid { file, key, .. }) => {
            assert_eq!((file.as_str(), key.as_str()), ("U.toml", "supersedes"));
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn the_shipped_catalogue_keeps_its_days_in_force() {
    let shipped = Catalog::shipped().expect("catalogue");
    assert_eq!(shipped.versions().len(), shipped.sets().len());
    for set in shipped.sets() {
        assert_eq!(set.version_in_force, set.in_force, "{}", set.code);
        assert!(set.shipped && set.published_at.is_none(), "{}", set.code);
    }
}
