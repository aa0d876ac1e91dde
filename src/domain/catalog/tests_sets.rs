//! Tests of the sets added for the programme's other titles (issue 18, item 5): the ward title of
//! TT 02/2013, kiểu mẫu 2018–2020, Hà Tĩnh's nâng cao basis of 2019, the hiện đại pilot, and the
//! levels they grant: who holds them, what they include, which set grades a unit on a date.

use super::*;
use crate::domain::law::kinds_holding;
use crate::domain::law_dates::decision_window;
use crate::domain::measure::{IndicatorValue, Percent, Quantity};
use crate::domain::terms::{LocalityKind as K, RecognitionLevel as L};
use crate::domain::territory::{Ancestry, Link, Territory};

fn shipped() -> Catalog {
    Catalog::shipped().expect("the shipped catalogue is valid")
}

fn set<'a>(catalog: &'a Catalog, code: &str) -> &'a CriteriaSet {
    catalog
        .get(&code.parse().expect("set code"))
        .unwrap_or_else(|| panic!("{code} is shipped"))
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

#[test]
fn the_new_sets_load_with_what_the_reference_gives() {
    let catalog = shipped();
    // (code, level, kinds, act, criteria, indicators, criteria complete)
    type Row = (
        &'static str,
        L,
        &'static [K],
        Option<&'static str>,
        usize,
        usize,
    );
    let table: [Row; 4] = [
        (
            "VMDT-2013",
            L::VanMinhDoThi,
            &[K::Ward, K::Township],
            Some("02/2013/TT-BVHTTDL"),
            5,
            0,
        ),
        (
            "NTM-XA-KIEU-MAU-2018-2020",
            L::NtmKieuMau,
            &[K::Commune],
            Some("691/QĐ-TTg"),
            4,
            5,
        ),
        (
            "HT-NTM-XA-NANG-CAO-2018-2020",
            L::NtmNangCao,
            &[K::Commune],
            None,
            1,
            0,
        ),
        (
            "NTM-XA-HIEN-DAI-2026-2030",
            L::NtmHienDai,
            &[K::Commune],
            Some("51/2025/QĐ-TTg"),
            1,
            0,
        ),
    ];
    for (code, level, kinds, act, criteria, indicators) in table {
        let s = set(&catalog, code);
        assert_eq!(s.level, level, "{code}");
        assert_eq!(s.applies_to, kinds, "{code}");
        assert_eq!(s.legal_act.as_ref().map(|a| a.as_str()), act, "{code}");
        assert_eq!(s.criteria.len(), criteria, "{code}");
        assert_eq!(s.indicator_count(), indicators, "{code}");
        // None of them is the full official list: each says so.
        assert!(!s.criteria_complete && !s.indicators_complete, "{code}");
        assert_eq!(
            s.revocation_act, None,
            "{code}: QĐ 18/2022 measures against 2021–2025"
        );
    }
}

#[test]
fn an_attribution_the_research_infers_is_never_verified() {
    let catalog = shipped();
    let ward = set(&catalog, "VMDT-2013");
    assert!(ward
        .criteria
        .iter()
        .all(|c| c.provenance == Provenance::Inferred));
    // No threshold of the ward title grades: criteria are assessed officially only.
    assert_eq!(ward.target_provenance().total(), 0);
    let basis = set(&catalog, "HT-NTM-XA-NANG-CAO-2018-2020");
    assert_eq!(basis.provenance, Provenance::Inferred);
    assert_eq!(basis.legal_act, None, "its act was not found");
}

#[test]
fn kieu_mau_2018_targets_are_the_reference_values_with_their_urls() {
    let catalog = shipped();
    let s = set(&catalog, "NTM-XA-KIEU-MAU-2018-2020");
    let pct = |v: f64| IndicatorValue::Percent(Percent::try_from(v).expect("percent"));
    let number = |v: f64| IndicatorValue::Number(Quantity::try_from(v).expect("number"));
    let table = [
        ("1.thu-nhap", number(1.5)),
        ("1.ho-ngheo", IndicatorValue::Count(0)),
        ("1.htx", IndicatorValue::Count(2)),
        ("2.bhyt", pct(95.0)),
        ("2.quan-ly-suc-khoe", pct(90.0)),
    ];
    for (code, expected) in table {
        let indicator = s.indicator(&code.parse().expect("code")).expect(code);
        let target = indicator.target_for(None, None, 2019).expect("a target");
        assert_eq!(target.value.as_ref(), Some(&expected), "{code}");
        match &target.provenance {
            Provenance::Verified { source } => assert!(source.starts_with("https://"), "{code}"),
            other => panic!("{code}: {other:?}"),
        }
    }
}

#[test]
fn no_set_grants_the_model_ward_title_whose_criteria_were_not_found() {
    let catalog = shipped();
    let grants = |s: &CriteriaSet| {
        s.level == L::VanMinhDoThiKieuMau
            || s.conditions
                .iter()
                .any(|c| c.level == L::VanMinhDoThiKieuMau)
    };
    assert!(!catalog.sets().iter().any(grants));
}

#[test]
fn the_set_grading_a_unit_follows_the_dates_of_its_acts() {
    let catalog = shipped();
    let table = [
        (K::Ward, day(2012, 12, 31), None),
        (K::Ward, day(2013, 1, 24), Some("VMDT-2013")),
        (K::Ward, day(2016, 6, 30), Some("VMDT-2013")), // Trần Phú's year
        (K::Township, day(2020, 1, 8), Some("VMDT-2013")), // QĐ 19/QĐ-UBND TP Hà Tĩnh
        (K::Ward, day(2020, 8, 7), Some("HT-PHUONG-DTVM-2020")),
        (K::Ward, day(2022, 2, 18), Some("DTVM-2022")),
        (K::Commune, day(2019, 9, 30), Some("NTM-XA-2016-2020")),
        (K::Commune, day(2026, 2, 15), Some("NTM-XA-2026-2030")),
        (K::Village, day(2015, 5, 1), Some("HT-KDC-KIEU-MAU-2014")),
    ];
    // Inside Hà Tĩnh (42), whose own ward set of 2020 grades its wards.
    let territory = in_ha_tinh();
    for (kind, on, expected) in table {
        let found = catalog.programme_set(kind, on, &territory);
        let found = found.map(|s| s.code.to_string());
        assert_eq!(found.as_deref(), expected, "{kind} {on}");
    }
}

#[test]
fn each_new_set_governs_the_decisions_of_its_days() {
    let catalog = shipped();
    // (set, first day, last day of its decisions, first and last standard year)
    let table = [
        ("VMDT-2013", day(2013, 1, 24), day(2022, 12, 31), 2013, 2021),
        (
            "NTM-XA-KIEU-MAU-2018-2020",
            day(2018, 6, 5),
            day(2021, 12, 31),
            2018,
            2020,
        ),
        // Until the 2021–2025 nâng cao set takes effect (QĐ 318/QĐ-TTg, 08/03/2022).
        (
            "HT-NTM-XA-NANG-CAO-2018-2020",
            day(2018, 1, 1),
            day(2022, 3, 7),
            2018,
            2021,
        ),
        (
            "NTM-XA-HIEN-DAI-2026-2030",
            day(2026, 2, 15),
            day(2031, 12, 31),
            2026,
            2030,
        ),
    ];
    for (code, from, until, first, last) in table {
        let w = decision_window(set(&catalog, code));
        assert_eq!((w.from, w.until), (from, until), "{code}");
        assert_eq!((w.first_year, w.last_year), (first, last), "{code}");
    }
    let on = day(2019, 9, 30);
    let nang_cao_2019 = catalog.grading_set(K::Commune, L::NtmNangCao, on, &in_ha_tinh());
    assert_eq!(
        nang_cao_2019.map(|s| s.code.as_str()),
        Some("HT-NTM-XA-NANG-CAO-2018-2020")
    );
}

#[test]
fn who_holds_each_level_and_what_it_includes() {
    // (level, kinds holding it)
    let held: [(L, &[K]); 12] = [
        (L::Ntm, &[K::Commune]),
        (L::NtmNangCao, &[K::Commune]),
        (L::NtmKieuMau, &[K::Commune]),
        (L::VanMinhDoThi, &[K::Ward, K::Township]),
        (L::VanMinhDoThiKieuMau, &[K::Ward, K::Township]),
        (L::DoThiVanMinh, &[K::Ward, K::Township]),
        (L::KhuDanCuKieuMau, &[K::Village]),
        (L::NtmHienDai, &[K::Commune]),
        (
            L::ChiTieuDiaPhuong,
            &[K::Commune, K::Ward, K::Township, K::SpecialZone],
        ),
        (L::HuyenNtm, &[K::District]),
        (L::HuyenNtmNangCao, &[K::District]),
        (L::HoanThanhNhiemVu, &[K::District, K::Province]),
    ];
    assert_eq!(held.len(), L::ALL.len());
    for (level, kinds) in held {
        for kind in K::ALL {
            assert_eq!(level.held_by(*kind), kinds.contains(kind), "{level} {kind}");
        }
        // The law's kinds agree, except that QĐ 04/2022 also recognises district-level towns.
        let mut lawful = kinds_holding(level).to_vec();
        if level == L::DoThiVanMinh {
            lawful.retain(|k| *k != K::District);
        }
        assert_eq!(lawful, kinds, "{level}");
    }
    // (level, levels it includes besides itself)
    let included: [(L, &[L]); 12] = [
        (L::Ntm, &[]),
        (L::NtmNangCao, &[L::Ntm]),
        (L::NtmKieuMau, &[L::Ntm, L::NtmNangCao]),
        (L::VanMinhDoThi, &[]),
        (L::VanMinhDoThiKieuMau, &[L::VanMinhDoThi]),
        (L::DoThiVanMinh, &[]),
        (L::KhuDanCuKieuMau, &[]),
        (L::NtmHienDai, &[L::Ntm]),
        (L::ChiTieuDiaPhuong, &[]),
        (L::HuyenNtm, &[]),
        (L::HuyenNtmNangCao, &[L::HuyenNtm]),
        (L::HoanThanhNhiemVu, &[]),
    ];
    for (level, below) in included {
        for other in L::ALL {
            let expected = *other == level || below.contains(other);
            assert_eq!(level.includes(*other), expected, "{level} includes {other}");
        }
    }
}

/// A commune of Hà Tĩnh (GSO code 42) at every date.
fn in_ha_tinh() -> Territory {
    let link = |code: &str, parent: Option<&str>| Link {
        from: day(2000, 1, 1),
        until: None,
        code: Some(code.parse().expect("code")),
        parent: parent.map(str::to_owned),
    };
    let ancestry = Ancestry::from([("ht".to_owned(), vec![link("42", None)])]);
    Territory::build(&[link("18112", Some("ht"))], &ancestry)
}
