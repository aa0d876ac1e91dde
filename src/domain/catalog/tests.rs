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
        // 49 official indicators; 17.1's clean-water share is read separately.
        ("NTM-XA-2016-2020", 19, Some(50)),
        ("NTM-XA-2021-2025", 19, None),
        ("NTM-XA-NANG-CAO-2021-2025", 5, None),
        ("DTVM-2022", 9, Some(0)),
        ("HT-PHUONG-DTVM-2020", 18, Some(0)),
        ("HT-KDC-KIEU-MAU-2014", 10, Some(1)),
        ("NTM-XA-2026-2030", 10, Some(0)),
        ("VMDT-2013", 5, Some(0)),
        ("NTM-XA-KIEU-MAU-2018-2020", 4, Some(5)),
        ("HT-NTM-XA-NANG-CAO-2018-2020", 1, Some(0)),
        ("NTM-XA-HIEN-DAI-2026-2030", 1, Some(0)),
        // Two placeholders (2.3, 5.y-te-van-hoa) stand for contents not found.
        ("NTM-HUYEN-2021-2025", 9, Some(7)),
        ("NTM-TINH-2021-2025", 4, Some(4)),
        ("NTM-TXTP-2021-2025", 1, Some(0)),
    ];
    assert_eq!(catalog.sets().len(), table.len());
    for (code, criteria, indicators) in table {
        let s = set(&catalog, code);
        assert_eq!(s.criteria.len(), criteria, "{code} criteria");
        if let Some(n) = indicators {
            assert_eq!(s.indicator_count(), n, "{code} indicators");
        }
        assert_eq!(s.version.len(), 64, "{code} hash");
    }
    assert_eq!(
        set(&catalog, "NTM-XA-2026-2030").declared_indicators,
        Some(47)
    );
}

#[test]
fn btb_income_2020_is_36_from_two_sources() {
    let catalog = shipped();
    let income = set(&catalog, "NTM-XA-2016-2020")
        .indicator(&"10".parse().expect("code"))
        .expect("income indicator");
    let btb = income
        .target_for(Some(ThresholdRegion::Btb), None, 2020)
        .expect("a target entry exists");
    assert_eq!(
        btb.value,
        Some(IndicatorValue::Number(Quantity::from_thousandths(36_000)))
    );
    let Provenance::Verified { source } = &btb.provenance else {
        panic!("BTB 2020 income is verified: {btb:?}");
    };
    assert!(source.contains("thuviennhadat.vn") && source.contains("baovinhlong.com.vn"));
    let earlier = income
        .target_for(Some(ThresholdRegion::Btb), None, 2018)
        .expect("target");
    assert_eq!(earlier.value, None, "2016–2019 values were not found");
}

#[test]
fn verified_targets_carry_the_reference_values_and_their_urls() {
    use crate::domain::measure::Percent;
    use ThresholdRegion::{Btb, Dhntb, Tdmnpb};
    let catalog = shipped();
    let pct = |v: f64| {
        Some(IndicatorValue::Percent(
            Percent::try_from(v).expect("percent"),
        ))
    };
    let yes = Some(IndicatorValue::Boolean(true));
    // (set, indicator, region, year, value; None = unknown, no value)
    let table = [
        ("NTM-XA-2016-2020", "14.2", Btb, 2018, pct(85.0)),
        ("NTM-XA-2016-2020", "14.2", Tdmnpb, 2018, pct(70.0)),
        ("NTM-XA-2016-2020", "14.3", Btb, 2018, pct(40.0)),
        ("NTM-XA-2016-2020", "15.1", Btb, 2018, pct(85.0)),
        ("NTM-XA-2016-2020", "15.3", Btb, 2018, pct(24.2)),
        ("NTM-XA-2016-2020", "17.1", Btb, 2018, pct(98.0)),
        ("NTM-XA-2016-2020", "17.1-nuoc-sach", Btb, 2018, pct(60.0)),
        ("NTM-XA-2016-2020", "17.1", Dhntb, 2018, None), // the source prints 55 %, a typo
        ("NTM-XA-2016-2020", "18.5", Btb, 2018, yes),
        ("NTM-XA-2021-2025", "3.1", Btb, 2023, pct(80.0)),
        ("NTM-XA-2021-2025", "3.2", Btb, 2023, yes),
        ("NTM-XA-2021-2025", "5", Btb, 2023, pct(100.0)),
        ("NTM-XA-2021-2025", "14.1", Btb, 2023, yes),
        ("NTM-XA-2021-2025", "15.3", Btb, 2023, None), // annex and comparator unclear
    ];
    for (code, indicator, region, year, expected) in table {
        let i = set(&catalog, code)
            .indicator(&indicator.parse().expect("code"))
            .unwrap_or_else(|| panic!("{code} {indicator}"));
        let t = i.target_for(Some(region), None, year).expect("a target");
        assert_eq!(t.value, expected, "{code} {indicator} {region}");
        match (&t.provenance, expected) {
            (Provenance::Verified { source }, Some(_)) => {
                assert!(source.starts_with("http"), "{code} {indicator}: {source}")
            }
            (Provenance::Unknown, None) => {}
            (p, _) => panic!("{code} {indicator} {region}: {p:?}"),
        }
    }
}

#[test]
fn the_stunting_rate_is_bounded_from_above() {
    let catalog = shipped();
    let stunting = set(&catalog, "NTM-XA-2016-2020")
        .indicator(&"15.3".parse().expect("code"))
        .expect("15.3");
    assert_eq!(
        stunting.comparator,
        crate::domain::measure::Comparator::AtMost
    );
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

#[test]
fn criteria_gradable_from_readings_for_a_btb_commune() {
    use ThresholdRegion::{Btb, Tdmnpb};
    let catalog = shipped();
    // (set, region, year, gradable, on verified targets only, not gradable)
    type Row = (
        &'static str,
        ThresholdRegion,
        i32,
        usize,
        usize,
        &'static [&'static str],
    );
    let table: [Row; 6] = [
        ("NTM-XA-2016-2020", Btb, 2017, 16, 2, &["2", "10", "17"]),
        ("NTM-XA-2016-2020", Btb, 2020, 17, 3, &["2", "17"]),
        (
            "NTM-XA-2016-2020",
            Tdmnpb,
            2020,
            13,
            3,
            &["2", "4", "5", "9", "11", "17"],
        ),
        (
            "NTM-XA-2021-2025",
            Btb,
            2024,
            7,
            2,
            &[
                "2", "4", "6", "8", "9", "10", "11", "12", "14", "15", "16", "17",
            ],
        ),
        (
            "NTM-XA-NANG-CAO-2021-2025",
            Btb,
            2024,
            0,
            0,
            &[
                "thu-nhap",
                "moi-truong",
                "chat-luong-moi-truong-song",
                "giao-thong",
                "quoc-phong-an-ninh",
            ],
        ),
        (
            "NTM-XA-2026-2030",
            Btb,
            2027,
            0,
            0,
            &["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"],
        ),
    ];
    for (code, region, year, gradable, verified, not) in table {
        let s = set(&catalog, code);
        let g = s.gradability(Some(region), None, year);
        let official = if code == "NTM-XA-2026-2030" { 10 } else { 19 };
        assert_eq!(g.criteria, official, "{code}");
        assert_eq!(g.gradable.len(), gradable, "{code} {region} {year}");
        assert_eq!(
            g.gradable_on_verified.len(),
            verified,
            "{code} {region} {year}"
        );
        let found: Vec<&str> = g.not_gradable.iter().map(|c| c.as_str()).collect();
        assert_eq!(found, not, "{code} {region} {year}");
        assert_eq!(
            g.gradable.len() + g.not_gradable.len() + g.untranscribed,
            g.criteria
        );
    }
}

#[test]
fn target_provenance_over_all_shipped_sets() {
    let catalog = shipped();
    let total = catalog
        .sets()
        .iter()
        .map(CriteriaSet::target_provenance)
        .fold(ProvenanceCount::default(), |a, b| a + b);
    let expected = ProvenanceCount {
        verified: 79,
        recalled: 57,
        inferred: 2,
        unknown: 38,
    };
    assert_eq!(total, expected);
    let nc = set(&catalog, "NTM-XA-NANG-CAO-2021-2025").target_provenance();
    assert_eq!((nc.verified, nc.unknown, nc.total()), (3, 1, 4));
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
        (d(2016, 10, 17), None), // QĐ 1980 signed, in force from 01/12/2016
        (d(2016, 11, 30), None),
        (d(2016, 12, 1), Some("NTM-XA-2016-2020")),
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
