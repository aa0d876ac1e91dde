//! Given a district's units and own grades, when its level is evaluated, then each condition
//! of QĐ 320 Phụ lục I / II and the outcome are as the law says, at and around every boundary.

use super::*;
use crate::domain::catalog::{Catalog, CriteriaSet};
use crate::domain::values::SetCode;
use Status::{Met, NotMet, Unknown};

pub(super) fn catalog() -> Catalog {
    Catalog::shipped().expect("shipped catalogue")
}

pub(super) fn set<'a>(catalog: &'a Catalog, code: &str) -> &'a CriteriaSet {
    let code: SetCode = code.parse().expect("code");
    catalog.get(&code).expect("set")
}

/// A district whose 20 communes are all NTM, 2 nâng cao (10 %), 2 towns both civilised.
pub(super) fn complete_district() -> UnitCounts {
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
pub(super) fn huyen_grades(s: Status) -> Vec<Status> {
    vec![s; 10]
}

pub(super) fn condition<'a>(c: &'a Completion, code: &str) -> &'a ConditionResult {
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
