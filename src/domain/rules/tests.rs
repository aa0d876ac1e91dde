//! Table tests for the grading rules.

use super::*;
use crate::domain::catalog::Catalog;
use crate::domain::measure::{Percent, Quantity};
use RevocationRisk::*;

#[test]
fn revocation_thresholds_at_exactly_30_and_50_percent() {
    let table = [
        // total, failing, a key criterion failing, expected
        (10, 3, true, KeyCriterionFailing), // exactly 30 % with a key criterion
        (10, 3, false, NotAtRisk),          // exactly 30 % without one
        (10, 2, true, NotAtRisk),           // 20 %
        (10, 4, true, KeyCriterionFailing), // 40 %
        (10, 5, false, HalfOrMoreFailing),  // exactly 50 %
        (10, 4, false, NotAtRisk),          // 40 % without a key criterion
        (20, 6, true, KeyCriterionFailing), // exactly 30 % of 20
        (20, 5, true, NotAtRisk),           // 25 %
        (20, 10, false, HalfOrMoreFailing), // exactly 50 % of 20
        (20, 9, false, NotAtRisk),          // 45 %
        (19, 5, true, NotAtRisk),           // 26.3 % of the 19-criteria set
        (19, 6, true, KeyCriterionFailing), // 31.6 %
        (19, 9, false, NotAtRisk),          // 47.4 %
        (19, 10, false, HalfOrMoreFailing), // 52.6 %
        (19, 0, false, NotAtRisk),
        (0, 0, false, NotAtRisk),
    ];
    for (total, failing, key, expected) in table {
        assert_eq!(
            revocation_risk(total, failing, key),
            expected,
            "{failing}/{total} key={key}"
        );
    }
}

#[test]
fn combining_indicator_grades_into_a_criterion_grade() {
    use Status::*;
    let table: [(&[Status], Status); 6] = [
        (&[Met, Met], Met),
        (&[Met, NotMet], NotMet),
        (&[Unknown, NotMet], NotMet),
        (&[Met, Unknown], Unknown),
        (&[], Unknown),
        (&[Met], Met),
    ];
    for (input, expected) in table {
        assert_eq!(combine(input.iter().copied()), expected, "{input:?}");
    }
}

#[test]
fn indicator_met_depends_on_region_and_year() {
    let catalog = Catalog::shipped().expect("catalogue");
    let set = catalog
        .get(&"NTM-XA-2016-2020".parse().expect("code"))
        .expect("set");
    let income = set.indicator(&"10".parse().expect("code")).expect("income");
    let value = |v: f64| IndicatorValue::Number(Quantity::try_from(v).expect("quantity"));
    let table = [
        (Some(ThresholdRegion::Dnb), 2020, 59.0, Status::Met),
        (Some(ThresholdRegion::Dnb), 2020, 58.9, Status::NotMet),
        (Some(ThresholdRegion::Tn), 2020, 45.0, Status::Met),
        (Some(ThresholdRegion::Dbsh), 2020, 45.0, Status::NotMet),
        (Some(ThresholdRegion::Btb), 2020, 99.0, Status::Unknown), // conflicting sources
        (Some(ThresholdRegion::Dnb), 2018, 99.0, Status::Unknown), // year not found
        (None, 2020, 99.0, Status::Unknown),                       // no region assigned
    ];
    for (region, year, reading, expected) in table {
        let (status, _) = indicator_status(income, Some(&value(reading)), region, None, year);
        assert_eq!(status, expected, "{region:?} {year} {reading}");
    }
    let poverty = set
        .indicator(&"11".parse().expect("code"))
        .expect("poverty");
    let pct = |v: f64| IndicatorValue::Percent(Percent::try_from(v).expect("percent"));
    let btb = Some(ThresholdRegion::Btb);
    assert_eq!(
        indicator_status(poverty, Some(&pct(5.0)), btb, None, 2019).0,
        Status::Met
    );
    assert_eq!(
        indicator_status(poverty, Some(&pct(5.01)), btb, None, 2019).0,
        Status::NotMet
    );
    assert_eq!(
        indicator_status(poverty, None, btb, None, 2019).0,
        Status::Unknown
    );
}

#[test]
fn official_status_is_the_latest_of_the_highest_level() {
    let d = |day| NaiveDate::from_ymd_opt(2024, 1, day).expect("date");
    let a = |version, day, level, met| Assessment {
        version,
        effective_on: d(day),
        level,
        met,
    };
    use AssessmentLevel::*;
    let cases = [
        (
            vec![
                a(1, 1, CommuneSelfAssessment, true),
                a(2, 2, DistrictAppraisal, false),
            ],
            Some(2),
        ),
        (
            vec![
                a(1, 5, CommuneSelfAssessment, true),
                a(2, 2, DistrictAppraisal, false),
            ],
            Some(2),
        ),
        (
            vec![
                a(1, 3, ProvincialCouncil, true),
                a(2, 2, ProvincialCouncil, false),
            ],
            Some(1),
        ),
        (
            vec![
                a(1, 3, ProvincialCouncil, true),
                a(2, 3, ProvincialCouncil, false),
            ],
            Some(2),
        ),
        (vec![], None),
    ];
    for (assessments, expected) in cases {
        assert_eq!(official(&assessments).map(|a| a.version), expected);
    }
}

#[test]
fn kieu_mau_needs_every_condition_on_top_of_nang_cao() {
    let catalog = Catalog::shipped().expect("catalogue");
    let set = catalog
        .get(&"NTM-XA-NANG-CAO-2021-2025".parse().expect("code"))
        .expect("set");
    use Status::*;
    let km = RecognitionLevel::NtmKieuMau;
    let all_met = [Met; 4];
    let table = [
        (
            &all_met[..],
            vec![(km, Met), (km, Met), (km, Met)],
            Some(km),
        ),
        (
            &all_met[..],
            vec![(km, Met), (km, NotMet), (km, Met)],
            Some(RecognitionLevel::NtmNangCao),
        ),
        (
            &all_met[..],
            vec![(km, Met), (km, Unknown), (km, Met)],
            Some(RecognitionLevel::NtmNangCao),
        ),
        (
            &[Met, Met, NotMet, Met][..],
            vec![(km, Met), (km, Met), (km, Met)],
            None,
        ),
        (&[Met, Unknown, Met, Met][..], vec![], None),
    ];
    for (criteria, conditions, expected) in table {
        assert_eq!(
            level_reached(set, criteria, &conditions),
            expected,
            "{criteria:?} {conditions:?}"
        );
    }
}
