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
        let counts = Failing {
            total,
            failing,
            key_failing: key,
            ..Failing::default()
        };
        assert_eq!(
            revocation_risk(counts),
            expected,
            "{failing}/{total} key={key}"
        );
    }
}

#[test]
fn a_criterion_without_data_never_counts_as_passing_for_the_revocation_rule() {
    let table = [
        // total, failing, unknown, key failing, key unknown, expected
        (19, 0, 0, false, false, NotAtRisk),
        (19, 0, 19, false, false, CannotBeAssessed), // nothing known: either could be true
        (19, 5, 1, false, true, CannotBeAssessed),   // 6 of 19 if the unknown key one fails
        (19, 5, 1, false, false, NotAtRisk),         // 6 of 19 but no key criterion either way
        (19, 6, 3, true, false, KeyCriterionFailing), // certain, whatever the unknowns
        (19, 8, 2, false, false, CannotBeAssessed),  // 8 or up to 10 of 19 (≥ 50 %)
        (19, 10, 4, false, false, HalfOrMoreFailing),
        (19, 2, 2, true, false, NotAtRisk), // at most 4 of 19 = 21 %
        (19, 4, 15, false, false, CannotBeAssessed), // the nâng cao set's 4 transcribed criteria
    ];
    for (total, failing, unknown, key_failing, key_unknown, expected) in table {
        let counts = Failing {
            total,
            failing,
            unknown,
            key_failing,
            key_unknown,
        };
        assert_eq!(revocation_risk(counts), expected, "{counts:?}");
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
        (Some(ThresholdRegion::Btb), 2020, 36.0, Status::Met), // ≥ 36, two sources
        (Some(ThresholdRegion::Btb), 2020, 35.9, Status::NotMet),
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
fn official_status_follows_time_lowered_at_any_level_raised_only_from_as_high() {
    let d = |day| NaiveDate::from_ymd_opt(2024, 1, day).expect("date");
    let a = |version, day, level, met| Assessment {
        version,
        effective_on: d(day),
        level,
        met,
    };
    use AssessmentLevel::*;
    let cases = [
        // A district appraisal after the self-assessment replaces it.
        (
            vec![
                a(1, 1, CommuneSelfAssessment, true),
                a(2, 2, DistrictAppraisal, false),
            ],
            Some(2),
        ),
        // Monitoring after recognition: a later district "not met" lowers a provincial "met".
        (
            vec![
                a(1, 3, ProvincialCouncil, true),
                a(2, 9, DistrictAppraisal, false),
            ],
            Some(2),
        ),
        // … and a commune's own later "not met" too.
        (
            vec![
                a(1, 3, ProvincialCouncil, true),
                a(2, 9, CommuneSelfAssessment, false),
            ],
            Some(2),
        ),
        // A commune cannot raise what the district found not met …
        (
            vec![
                a(1, 3, DistrictAppraisal, false),
                a(2, 9, CommuneSelfAssessment, true),
            ],
            Some(1),
        ),
        // … but the district can, and so can the province.
        (
            vec![
                a(1, 3, DistrictAppraisal, false),
                a(2, 9, DistrictAppraisal, true),
            ],
            Some(2),
        ),
        (
            vec![
                a(1, 3, DistrictAppraisal, false),
                a(2, 9, CommuneSelfAssessment, true),
                a(3, 12, ProvincialCouncil, true),
            ],
            Some(3),
        ),
        // A commune that lowered its own status may raise it again; an earlier assessment
        // recorded later (back-dated) takes its place in valid time.
        (
            vec![
                a(1, 3, ProvincialCouncil, true),
                a(2, 9, CommuneSelfAssessment, false),
                a(3, 12, CommuneSelfAssessment, true),
            ],
            Some(3),
        ),
        (
            vec![
                a(1, 9, ProvincialCouncil, true),
                a(2, 3, ProvincialCouncil, false),
            ],
            Some(1),
        ),
        // On one day the higher level has the last word, whatever the recording order.
        (
            vec![
                a(1, 5, ProvincialCouncil, true),
                a(2, 5, CommuneSelfAssessment, false),
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
        assert_eq!(
            official(&assessments).map(|a| a.version),
            expected,
            "{assessments:?}"
        );
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
