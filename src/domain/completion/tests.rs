//! Given units and own grades, when a level is evaluated, then each condition and the outcome
//! are as QĐ 320, QĐ 321 and QĐ 18/2022 say, at and around every boundary.

use super::*;
use crate::domain::catalog::{Catalog, CriteriaSet, Provenance};
use crate::domain::measure::IndicatorValue;
use crate::domain::values::SetCode;
use Status::{Met, NotMet, Unknown};

fn catalog() -> Catalog {
    Catalog::shipped().expect("shipped catalogue")
}

fn set<'a>(catalog: &'a Catalog, code: &str) -> &'a CriteriaSet {
    let code: SetCode = code.parse().expect("code");
    catalog.get(&code).expect("set")
}

/// A district whose 20 communes are all NTM, 2 nâng cao (10 %), 2 towns both civilised.
fn complete_district() -> UnitCounts {
    UnitCounts {
        communes: 20,
        communes_ntm: 20,
        communes_nang_cao: 2,
        communes_revoked: 0,
        townships: 2,
        townships_civilised: 2,
    }
}

/// 9 criteria then the condition HAI-LONG, all `s`.
fn huyen_grades(s: Status) -> Vec<Status> {
    vec![s; 10]
}

fn condition<'a>(c: &'a Completion, code: &str) -> &'a ConditionResult {
    c.conditions
        .iter()
        .find(|r| r.code == code)
        .unwrap_or_else(|| panic!("no condition {code}"))
}

#[test]
fn huyen_conditions_table() {
    let catalog = catalog();
    let huyen_set = set(&catalog, "NTM-HUYEN-2021-2025");
    let met = huyen_grades(Met);
    let base = complete_district();
    // (given units, condition, expected status of the condition)
    let table: Vec<(UnitCounts, &str, Status)> = vec![
        (base, "320-I-1", Met),
        (
            UnitCounts {
                communes_ntm: 19,
                ..base
            },
            "320-I-1",
            NotMet,
        ),
        // exactly 10 % nâng cao meets "ít nhất 10 %"; one fewer does not
        (base, "320-I-2", Met),
        (
            UnitCounts {
                communes_nang_cao: 1,
                ..base
            },
            "320-I-2",
            NotMet,
        ),
        (
            UnitCounts {
                communes: 21,
                communes_ntm: 21,
                ..base
            },
            "320-I-2",
            NotMet,
        ),
        (base, "320-I-3", Met),
        (
            UnitCounts {
                townships_civilised: 1,
                ..base
            },
            "320-I-3",
            NotMet,
        ),
        // a huyện without thị trấn: nothing fails condition (3)
        (
            UnitCounts {
                townships: 0,
                townships_civilised: 0,
                ..base
            },
            "320-I-3",
            Met,
        ),
    ];
    for (units, code, expected) in table {
        let own = OwnGrades {
            set: huyen_set,
            statuses: Some(&met),
        };
        let c = huyen(&units, own);
        assert_eq!(condition(&c, code).met, expected, "{code} with {units:?}");
        assert_eq!(condition(&c, code).basis, Basis::Data);
        let outcome = if expected == Met { Met } else { NotMet };
        assert_eq!(c.met, outcome, "outcome with {units:?}");
    }
}

#[test]
fn huyen_own_grades_decide_conditions_4_and_5() {
    let catalog = catalog();
    let huyen_set = set(&catalog, "NTM-HUYEN-2021-2025");
    let units = complete_district();
    let mut one_criterion_failing = huyen_grades(Met);
    one_criterion_failing[6] = NotMet;
    let mut satisfaction_unknown = huyen_grades(Met);
    satisfaction_unknown[9] = Unknown;
    let all_met = huyen_grades(Met);
    // (own statuses, (4), (5), outcome)
    let table: Vec<(Option<&[Status]>, Status, Status, Status)> = vec![
        (Some(&all_met), Met, Met, Met),
        (Some(&one_criterion_failing), Met, NotMet, NotMet),
        (Some(&satisfaction_unknown), Unknown, Met, Unknown),
        (None, Unknown, Unknown, Unknown),
    ];
    for (statuses, four, five, outcome) in table {
        let c = huyen(
            &units,
            OwnGrades {
                set: huyen_set,
                statuses,
            },
        );
        assert_eq!(condition(&c, "320-I-4").met, four);
        assert_eq!(condition(&c, "320-I-5").met, five);
        assert_eq!(condition(&c, "320-I-5").basis, Basis::Assessment);
        assert_eq!(c.met, outcome);
    }
    let undecided = huyen(
        &units,
        OwnGrades {
            set: huyen_set,
            statuses: None,
        },
    );
    assert_eq!(
        undecided.undecided().collect::<Vec<_>>(),
        ["320-I-4", "320-I-5"]
    );
}

#[test]
fn a_failing_data_condition_decides_even_without_assessments() {
    let catalog = catalog();
    let own = OwnGrades {
        set: set(&catalog, "NTM-HUYEN-2021-2025"),
        statuses: None,
    };
    let units = UnitCounts {
        communes_ntm: 12,
        ..complete_district()
    };
    let c = huyen(&units, own);
    assert_eq!(c.met, NotMet);
    assert_eq!(
        condition(&c, "320-I-1").actual.as_deref(),
        Some("12 / 20 (60.0 %)")
    );
}

#[test]
fn a_town_or_city_is_never_decided_met_from_annex_ii_fragments() {
    let catalog = catalog();
    let txtp = set(&catalog, "NTM-TXTP-2021-2025");
    let met = [Met];
    let c = town_or_city(
        &complete_district(),
        OwnGrades {
            set: txtp,
            statuses: Some(&met),
        },
    );
    assert_eq!(condition(&c, "320-II-1").met, Met);
    assert_eq!(c.met, Unknown);
    assert_eq!(c.undecided().collect::<Vec<_>>(), ["320-II-REST"]);
    let short = UnitCounts {
        communes_ntm: 5,
        ..complete_district()
    };
    assert_eq!(
        town_or_city(
            &short,
            OwnGrades {
                set: txtp,
                statuses: Some(&met)
            }
        )
        .met,
        NotMet
    );
}

fn province_districts() -> DistrictCounts {
    DistrictCounts {
        huyen: 10,
        huyen_ntm: 10,
        huyen_nang_cao: 2,
        towns_cities: 3,
        towns_cities_done: 3,
    }
}

#[test]
fn province_conditions_table() {
    let catalog = catalog();
    let tinh = set(&catalog, "NTM-TINH-2021-2025");
    let own = [Met; 4];
    let units = UnitCounts {
        communes: 100,
        communes_ntm: 100,
        communes_nang_cao: 40,
        ..UnitCounts::default()
    };
    let d = province_districts();
    // (units, districts, condition, expected)
    let table: Vec<(UnitCounts, DistrictCounts, &str, Status)> = vec![
        (units, d, "321-1", Met),
        (units, DistrictCounts { huyen_ntm: 9, ..d }, "321-1", NotMet),
        (units, d, "321-2", Met),
        (
            units,
            DistrictCounts {
                towns_cities_done: 2,
                ..d
            },
            "321-2",
            NotMet,
        ),
        // a province without thị xã or thành phố: nothing fails (2)
        (
            units,
            DistrictCounts {
                towns_cities: 0,
                towns_cities_done: 0,
                ..d
            },
            "321-2",
            Met,
        ),
        // exactly 20 % of the huyện nâng cao
        (units, d, "321-3", Met),
        (
            units,
            DistrictCounts {
                huyen_nang_cao: 1,
                ..d
            },
            "321-3",
            NotMet,
        ),
        // exactly 40 % of the communes nâng cao; 39.9 % is short
        (units, d, "321-4", Met),
        (
            UnitCounts {
                communes: 1000,
                communes_ntm: 1000,
                communes_nang_cao: 399,
                ..units
            },
            d,
            "321-4",
            NotMet,
        ),
    ];
    for (u, ds, code, expected) in table {
        let c = province(
            &u,
            &ds,
            OwnGrades {
                set: tinh,
                statuses: Some(&own),
            },
        );
        assert_eq!(condition(&c, code).met, expected, "{code} {u:?} {ds:?}");
        assert_eq!(c.met, if expected == Met { Met } else { NotMet });
    }
}

#[test]
fn province_contents_5_to_8_come_from_its_own_criteria() {
    let catalog = catalog();
    let tinh = set(&catalog, "NTM-TINH-2021-2025");
    let units = UnitCounts {
        communes: 10,
        communes_ntm: 10,
        communes_nang_cao: 4,
        ..UnitCounts::default()
    };
    let own = [Met, Met, NotMet, Unknown];
    let c = province(
        &units,
        &province_districts(),
        OwnGrades {
            set: tinh,
            statuses: Some(&own),
        },
    );
    let codes: Vec<&str> = c.conditions.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(
        codes,
        ["321-1", "321-2", "321-3", "321-4", "321-5", "321-6", "321-7", "321-8"]
    );
    assert_eq!(condition(&c, "321-7").met, NotMet);
    assert_eq!(condition(&c, "321-8").met, Unknown);
    assert_eq!(condition(&c, "321-8").basis, Basis::Assessment);
    assert_eq!(c.met, NotMet);
    let pending = [Met, Met, Met, Unknown];
    let c = province(
        &units,
        &province_districts(),
        OwnGrades {
            set: tinh,
            statuses: Some(&pending),
        },
    );
    assert_eq!(
        (c.met, c.undecided().collect::<Vec<_>>()),
        (Unknown, vec!["321-8"])
    );
}

#[test]
fn district_revocation_rule_table() {
    let catalog = catalog();
    let huyen_set = set(&catalog, "NTM-HUYEN-2021-2025");
    let fine = complete_district();
    let with = |failing: &[usize], unknown: &[usize]| {
        let mut s = huyen_grades(Met);
        failing.iter().for_each(|k| s[*k] = NotMet);
        unknown.iter().for_each(|k| s[*k] = Unknown);
        s
    };
    // criteria (0-based): 0 Quy hoạch … 5 Kinh tế (key), 6, 7, 8 key
    let table: Vec<(u32, u32, Vec<Status>, RevocationRisk)> = vec![
        // 6 of 20 communes revoked = 30 %: at risk whatever the criteria
        (20, 6, with(&[], &[]), RevocationRisk::CommunesRevoked),
        // 299 of 1000 (29.9 %) is not
        (1000, 299, with(&[], &[]), RevocationRisk::NotAtRisk),
        (1000, 300, with(&[], &[]), RevocationRisk::CommunesRevoked),
        // 3 of 9 criteria (33 %) failing with a key one
        (
            20,
            0,
            with(&[0, 1, 5], &[]),
            RevocationRisk::KeyCriterionFailing,
        ),
        // 3 of 9 without a key one
        (20, 0, with(&[0, 1, 2], &[]), RevocationRisk::NotAtRisk),
        // 2 of 9 (22 %) with a key one: under 30 %
        (20, 0, with(&[0, 5], &[]), RevocationRisk::NotAtRisk),
        // 5 of 9 (55 %)
        (
            20,
            0,
            with(&[0, 1, 2, 3, 4], &[]),
            RevocationRisk::HalfOrMoreFailing,
        ),
        // 2 failing, a key one unknown: could be 3 with a key one
        (20, 0, with(&[0, 1], &[5]), RevocationRisk::CannotBeAssessed),
    ];
    for (communes, revoked, statuses, expected) in table {
        let units = UnitCounts {
            communes,
            communes_revoked: revoked,
            ..fine
        };
        let own = OwnGrades {
            set: huyen_set,
            statuses: Some(&statuses),
        };
        assert_eq!(
            district_revocation(&units, own),
            expected,
            "{revoked}/{communes} {statuses:?}"
        );
    }
}

#[test]
fn district_types_follow_the_gso_names() {
    let table = [
        ("Huyện Thạch Hà", DistrictType::Huyen),
        ("Thị xã Hồng Lĩnh", DistrictType::TownOrCity),
        ("Thành phố Hà Tĩnh", DistrictType::TownOrCity),
        ("Quận Ba Đình", DistrictType::UrbanDistrict),
        ("Kỳ Anh", DistrictType::Huyen),
    ];
    for (name, expected) in table {
        assert_eq!(DistrictType::from_name(name), expected, "{name}");
    }
}

#[test]
fn the_district_and_province_sets_carry_the_reference_values() {
    let catalog = catalog();
    let huyen_set = set(&catalog, "NTM-HUYEN-2021-2025");
    let key: Vec<&str> = huyen_set.key_criteria.iter().map(|k| k.as_str()).collect();
    let named: Vec<&str> = key
        .iter()
        .map(|k| {
            huyen_set
                .criteria
                .iter()
                .find(|c| c.code.as_str() == *k)
                .expect("key")
                .name_vi
                .as_str()
        })
        .collect();
    assert_eq!(
        named,
        [
            "Kinh tế",
            "Môi trường",
            "Chất lượng môi trường sống",
            "Hệ thống chính trị - An ninh, trật tự - Hành chính công"
        ]
    );
    let target = |set: &CriteriaSet, code: &str| {
        let indicator = set
            .indicator(&code.parse().expect("code"))
            .expect("indicator");
        let t = indicator.target_for(None, None, 2024).expect("target");
        assert!(
            matches!(t.provenance, Provenance::Verified { .. }),
            "{code}"
        );
        t.value.expect("value")
    };
    let percent = |v: IndicatorValue| match v {
        IndicatorValue::Percent(p) => p.hundredths() / 100,
        other => panic!("{other:?} is not a percent"),
    };
    assert_eq!(percent(target(huyen_set, "HAI-LONG.1")), 90);
    assert_eq!(percent(target(huyen_set, "HAI-LONG.2")), 80);
    let tinh = set(&catalog, "NTM-TINH-2021-2025");
    assert_eq!(percent(target(tinh, "6")), 70);
    assert_eq!(percent(target(tinh, "8")), 90);
    assert_eq!(target(tinh, "5"), IndicatorValue::Boolean(true));
}
