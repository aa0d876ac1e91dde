//! Given a province's units and own grades, when its level is evaluated, then each QĐ 321
//! condition is as the law says at its boundaries; the district revocation rule's table; the
//! shipped sets carry the reference's values.

use super::tests::{catalog, complete_district, condition, huyen_grades, set};
use super::*;
use crate::domain::catalog::{CriteriaSet, Provenance};
use crate::domain::measure::IndicatorValue;
use Status::{Met, NotMet, Unknown};

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
