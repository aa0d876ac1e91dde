//! District-level recognitions: huyện NTM and thị xã / thành phố hoàn thành nhiệm vụ are the
//! Prime Minister's decisions (…/QĐ-TTg), for district-kind units only.

use super::*;

const HUYEN: &str = "NTM-HUYEN-2021-2025";
const TXTP: &str = "NTM-TXTP-2021-2025";

fn district(name: &str) -> Vec<LocalityEvent> {
    vec![
        established(name, LocalityKind::District, "445", date(2015, 1, 1)),
        enrolled(HUYEN, date(2022, 3, 8), 2024),
        enrolled(TXTP, date(2022, 3, 8), 2024),
    ]
}

#[test]
fn a_district_level_is_granted_by_the_prime_minister_to_a_district_only() {
    use RecognitionLevel as L;
    let on = date(2024, 6, 1);
    let cases = [
        (
            "huyện NTM by the Prime Minister",
            district("Huyện Thạch Hà"),
            HUYEN,
            "525/QĐ-TTg",
            L::HuyenNtm,
            None,
        ),
        (
            "huyện NTM by the province",
            district("Huyện Thạch Hà"),
            HUYEN,
            "1763/QĐ-UBND",
            L::HuyenNtm,
            Some(LawRule::DistrictRecognisedByPrimeMinister),
        ),
        (
            "thị xã hoàn thành nhiệm vụ by the province",
            district("Thị xã Hồng Lĩnh"),
            TXTP,
            "12/QĐ-UBND",
            L::HoanThanhNhiemVu,
            Some(LawRule::DistrictRecognisedByPrimeMinister),
        ),
        (
            "thị xã hoàn thành nhiệm vụ",
            district("Thị xã Hồng Lĩnh"),
            TXTP,
            "12/QĐ-TTg",
            L::HoanThanhNhiemVu,
            None,
        ),
        (
            "huyện NTM to a commune",
            vec![commune(), enrolled(SET21, date(2022, 3, 8), 2024)],
            SET21,
            "525/QĐ-TTg",
            L::HuyenNtm,
            Some(LawRule::LevelNotForKind),
        ),
        (
            "NTM (a commune level) to a district",
            district("Huyện Thạch Hà"),
            HUYEN,
            "525/QĐ-TTg",
            L::Ntm,
            Some(LawRule::LevelNotForKind),
        ),
    ];
    for (case, events, set, decision, level, expected) in cases {
        let g = with_override(granted(set, decision, level, on, 2024));
        assert_eq!(grant(&given(events), g), expected, "{case}");
    }
}
