//! Tests of the shipped catalogue and of the loader's error reporting.

use super::*;
use crate::domain::measure::{IndicatorValue, Quantity};

fn shipped() -> Catalog {
    Catalog::shipped().expect("the shipped catalogue is valid")
}

fn set<'a>(catalog: &'a Catalog, code: &str) -> &'a CriteriaSet {
    let code: SetCode = code.parse().expect("set code");
    catalog.get(&code).expect("set is shipped")
}

#[test]
fn shipped_sets_have_the_counts_the_research_gives() {
    let catalog = shipped();
    let table = [
        ("NTM-XA-2016-2020", 19, Some(49)),
        ("NTM-XA-2021-2025", 19, None),
        ("NTM-XA-NANG-CAO-2021-2025", 4, None),
        ("DTVM-2022", 9, Some(0)),
        ("HT-PHUONG-DTVM-2020", 18, Some(0)),
        ("HT-KDC-KIEU-MAU-2014", 10, Some(0)),
        ("NTM-XA-2026-2030", 10, Some(0)),
    ];
    assert_eq!(catalog.sets().len(), table.len());
    for (code, criteria, indicators) in table {
        let s = set(&catalog, code);
        assert_eq!(s.criteria.len(), criteria, "{code} criteria");
        if let Some(n) = indicators {
            assert_eq!(s.indicator_count(), n, "{code} indicators");
        }
        assert_eq!(s.content_sha256.len(), 64, "{code} hash");
    }
    assert_eq!(
        set(&catalog, "NTM-XA-2026-2030").declared_indicators,
        Some(47)
    );
}

#[test]
fn btb_income_2020_stays_unknown_because_sources_conflict() {
    let catalog = shipped();
    let income = set(&catalog, "NTM-XA-2016-2020")
        .indicator(&"10".parse().expect("code"))
        .expect("income indicator");
    let btb = income
        .target_for(Some(ThresholdRegion::Btb), None, 2020)
        .expect("a target entry exists");
    assert_eq!(btb.value, None);
    assert_eq!(btb.provenance, Provenance::Unknown);
    let dnb = income
        .target_for(Some(ThresholdRegion::Dnb), None, 2020)
        .expect("target");
    assert_eq!(
        dnb.value,
        Some(IndicatorValue::Number(Quantity::from_thousandths(59_000)))
    );
    assert!(matches!(dnb.provenance, Provenance::Verified { .. }));
    let earlier = income
        .target_for(Some(ThresholdRegion::Dnb), None, 2018)
        .expect("target");
    assert_eq!(earlier.value, None, "2016–2019 values were not found");
}

#[test]
fn recalled_figures_are_never_marked_verified() {
    let catalog = shipped();
    let s = set(&catalog, "NTM-XA-2016-2020");
    let electricity = s.indicator(&"4.2".parse().expect("code")).expect("4.2");
    let btb = electricity
        .target_for(Some(ThresholdRegion::Btb), None, 2019)
        .expect("target");
    assert_eq!(btb.provenance, Provenance::Recalled);
    let other = electricity
        .target_for(Some(ThresholdRegion::Tn), None, 2019)
        .expect("fallback");
    assert_eq!(other.provenance, Provenance::Unknown);
}

#[test]
fn key_criteria_match_qd_18_2022() {
    let catalog = shipped();
    let s = set(&catalog, "NTM-XA-2021-2025");
    let names: Vec<&str> = s
        .key_criteria
        .iter()
        .filter_map(|k| s.criterion(k))
        .map(|c| c.name_vi.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "Thu nhập",
            "Môi trường và an toàn thực phẩm",
            "Quốc phòng và An ninh"
        ]
    );
    assert!(s.revocation_act.is_some());
}

const MINIMAL: &str = r#"
code = "TEST-1"
title_vi = "Thử"
title_en = "Test"
legal_act = "1/QĐ-TEST"
period = [2020, 2025]
applies_to = ["commune"]
level = "ntm"
threshold_basis = "region"
criteria_complete = true
indicators_complete = true
provenance = "recalled"
research = "none"
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
targets = [{ value = 80, provenance = "recalled" }]
"#;

fn load(text: &str) -> Result<Catalog, CatalogError> {
    Catalog::from_sources([("test.toml".to_string(), text.to_string())])
}

fn invalid_key(text: &str) -> (String, Problem) {
    match load(text) {
        Err(CatalogError::Invalid { file, key, problem }) => {
            assert_eq!(file, "test.toml");
            (key, problem)
        }
        other => panic!("expected an invalid-key error, got {other:?}"),
    }
}

#[test]
fn loader_names_file_and_key_for_each_mistake() {
    load(MINIMAL).expect("the minimal set is valid");
    let cases = [
        (
            r#"comparator = ">=""#,
            r#"comparator = "=>""#,
            r#"criteria["1"].indicators["1.1"].comparator"#,
        ),
        (
            r#"targets = [{ value = 80, provenance = "recalled" }]"#,
            r#"targets = [{ region = "BTB", value = 80, provenance = "recalled" }]"#,
            r#"criteria["1"].indicators["1.1"].targets"#,
        ),
        (
            r#"value = 80, provenance = "recalled""#,
            r#"value = 80, provenance = "verified""#,
            r#"criteria["1"].indicators["1.1"].targets[0].source"#,
        ),
        (
            r#"value = 80, provenance = "recalled""#,
            r#"value = 80, provenance = "unknown""#,
            r#"criteria["1"].indicators["1.1"].targets[0].value"#,
        ),
        (
            r#"value = 80, provenance = "recalled""#,
            r#"value = true, provenance = "recalled""#,
            r#"criteria["1"].indicators["1.1"].targets[0].value"#,
        ),
        (
            r#"code = "1.1""#,
            r#"code = "2.1""#,
            r#"criteria["1"].indicators["2.1"].code"#,
        ),
        (
            r#"threshold_basis = "region""#,
            r#"threshold_basis = "region"
key_criteria = ["9"]"#,
            "key_criteria",
        ),
    ];
    for (from, to, expected_key) in cases {
        let (key, problem) = invalid_key(&MINIMAL.replacen(from, to, 1));
        assert_eq!(key, expected_key, "{to}: {problem}");
    }
}

#[test]
fn missing_region_is_named() {
    let text = MINIMAL.replace(
        r#"targets = [{ value = 80, provenance = "recalled" }]"#,
        r#"targets = [{ region = "BTB", value = 80, provenance = "recalled" }, { region = "TN", value = 80, provenance = "recalled" }]"#,
    );
    let (_, problem) = invalid_key(&text);
    assert_eq!(
        problem,
        Problem::MissingRegionTarget(ThresholdRegion::Tdmnpb)
    );
}

#[test]
fn duplicate_indicator_codes_are_refused() {
    let dup = format!(
        "{MINIMAL}{}",
        r#"[[criteria.indicators]]
code = "1.1"
name_vi = "x"
name_en = "x"
kind = "boolean"
comparator = "="
provenance = "recalled"
targets = [{ value = true, provenance = "recalled" }]
"#
    );
    let (key, problem) = invalid_key(&dup);
    assert_eq!(key, r#"criteria["1"].indicators["1.1"].code"#);
    assert_eq!(problem, Problem::Duplicate("1.1".into()));
}

#[test]
fn syntax_errors_and_unknown_fields_name_the_file() {
    let typo = MINIMAL.replace("title_en", "title_eng");
    match load(&typo) {
        Err(CatalogError::Syntax { file, message }) => {
            assert_eq!(file, "test.toml");
            assert!(message.contains("title_eng"), "{message}");
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

#[test]
fn load_dir_reads_a_custom_catalogue() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("test.toml"), MINIMAL).expect("write");
    std::fs::write(dir.path().join("README.md"), "ignored").expect("write");
    let catalog = Catalog::load_dir(dir.path()).expect("loads");
    assert_eq!(catalog.sets().len(), 1);
}

#[test]
fn the_set_in_force_for_communes_follows_the_acts_dates() {
    use crate::domain::terms::{LocalityKind::Commune, RecognitionLevel::Ntm};
    let catalog = Catalog::shipped().expect("catalogue");
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
    let table = [
        (d(2016, 10, 16), None), // before QĐ 1980 was signed
        (d(2016, 10, 17), Some("NTM-XA-2016-2020")),
        (d(2021, 6, 30), Some("NTM-XA-2016-2020")), // until QĐ 318 took effect
        (d(2022, 3, 8), Some("NTM-XA-2021-2025")),
        (d(2026, 2, 14), Some("NTM-XA-2021-2025")), // until QĐ 51/2025 took effect
        (d(2026, 2, 15), Some("NTM-XA-2026-2030")),
    ];
    for (on, expected) in table {
        let found = catalog
            .in_force(Commune, Ntm, on)
            .map(|s| s.code.to_string());
        assert_eq!(found.as_deref(), expected, "{on}");
    }
    // The calendar days a present standing can change on without any fact.
    let table = [
        (d(2026, 1, 10), d(2026, 1, 1)),
        (d(2026, 2, 14), d(2026, 1, 1)),
        (d(2026, 2, 15), d(2026, 2, 15)),
        (d(2026, 12, 7), d(2026, 2, 15)),
        (d(2022, 3, 9), d(2022, 3, 8)),
    ];
    for (today, expected) in table {
        assert_eq!(catalog.last_calendar_change(today), expected, "{today}");
    }
}
