//! The recognition batches of Hà Tĩnh's story: sizes are the published figures (research §6.3),
//! named communes the published cases; generated decision numbers end in `-DEMO`.

use chrono::NaiveDate;

use super::{SET_2016, SET_2021, SET_ADVANCED};
use crate::domain::terms::RecognitionLevel::{self, Ntm, NtmKieuMau, NtmNangCao};

pub(super) struct Batch {
    pub(super) on: (i32, u32, u32),
    pub(super) set: &'static str,
    pub(super) level: RecognitionLevel,
    pub(super) label: &'static str,
    /// The year the commune reached the standard ("đạt chuẩn năm …"), when not the decision's.
    pub(super) standard_year: Option<u16>,
    /// Published size of the batch (`None`: whatever makes the story's totals).
    pub(super) size: Option<usize>,
    pub(super) named: &'static [&'static str],
    pub(super) decision: Option<&'static str>,
}

impl Batch {
    pub(super) fn date(&self) -> NaiveDate {
        let (y, m, d) = self.on;
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }
}

const fn batch(
    on: (i32, u32, u32),
    set: &'static str,
    level: RecognitionLevel,
    label: &'static str,
    size: Option<usize>,
) -> Batch {
    Batch {
        on,
        set,
        level,
        label,
        standard_year: None,
        size,
        named: &[],
        decision: None,
    }
}

/// NTM before the 2020 mergers, among the 229 communes: 68 by end 2016, 113 by end 2017, 158 by
/// end 2018 (68.99 %), 173 after đợt 1 of 2019, which had two communes about to be merged.
pub(super) const NTM_BEFORE_MERGERS: &[Batch] = &[
    batch((2016, 12, 20), SET_2016, Ntm, "năm 2016", Some(68)),
    batch((2017, 12, 20), SET_2016, Ntm, "năm 2017", Some(45)),
    batch((2018, 12, 20), SET_2016, Ntm, "năm 2018", Some(45)),
    Batch {
        named: &["Xã Sơn Mỹ", "Xã Sơn Phúc"],
        ..batch((2019, 9, 30), SET_2016, Ntm, "đợt 1 năm 2019", Some(15))
    },
];

/// NTM after the mergers: the rest in 2020, the last six as published. The "năm 2021" round
/// (QĐ 283/QĐ-UBND of 26/01/2022 in reality) is dated after QĐ 318/QĐ-TTg (08/03/2022), whose
/// sets the catalogue holds, so that no decision predates the set it is made under.
pub(super) const NTM_AFTER_MERGERS: &[Batch] = &[
    batch((2020, 12, 18), SET_2016, Ntm, "năm 2020", None),
    Batch {
        standard_year: Some(2021),
        named: &["Xã Kỳ Lạc", "Xã Kỳ Tây"],
        ..batch((2022, 4, 25), SET_2021, Ntm, "năm 2021", Some(2))
    },
    Batch {
        named: &[
            "Xã Phúc Đồng",
            "Xã Hòa Hải",
            "Xã Hương Bình",
            "Xã Hương Thủy",
        ],
        ..batch((2022, 7, 1), SET_2021, Ntm, "đợt 1 năm 2022", Some(4))
    },
];

/// Nâng cao: 25 in the 2021 round, 6 in đợt 1 of 2022 (QĐ 1337/QĐ-UBND, 01/7/2022), 5 by QĐ
/// 1763/QĐ-UBND in 2024; the 2023 and 2025 rounds fill up to 69 communes by mid-2025. Merged
/// communes re-recognised at this level are named (baohatinh.vn, 09/2023).
pub(super) const ADVANCED: &[Batch] = &[
    Batch {
        standard_year: Some(2021),
        named: &[
            "Xã Thạch Bình",
            "Xã Tượng Sơn",
            "Xã Thạch Hạ",
            "Xã Cẩm Bình",
            "Xã Xuân Thành",
            "Xã Thiên Lộc",
            "Xã Mai Phụ",
            "Xã Xuân Phổ",
            "Xã Đan Trường",
            "Xã Quang Thọ",
            "Xã Nam Điền",
            "Xã Bùi La Nhân",
            "Xã Lâm Trung Thủy",
            "Xã Thanh Bình Thịnh",
        ],
        ..batch(
            (2022, 4, 25),
            SET_ADVANCED,
            NtmNangCao,
            "năm 2021",
            Some(25),
        )
    },
    Batch {
        named: &["Xã Lưu Vĩnh Sơn", "Xã Tân Lâm Hương"],
        decision: Some("1337/QĐ-UBND"),
        ..batch(
            (2022, 7, 1),
            SET_ADVANCED,
            NtmNangCao,
            "đợt 1 năm 2022",
            Some(6),
        )
    },
    Batch {
        named: &["Xã Quang Vĩnh", "Xã Việt Tiến"],
        ..batch(
            (2023, 12, 20),
            SET_ADVANCED,
            NtmNangCao,
            "năm 2023",
            Some(20),
        )
    },
    Batch {
        named: &[
            "Xã Đồng Môn",
            "Xã Thạch Liên",
            "Xã Xuân Hải",
            "Xã Xuân Yên",
            "Xã Xuân Mỹ",
        ],
        decision: Some("1763/QĐ-UBND"),
        ..batch(
            (2024, 6, 28),
            SET_ADVANCED,
            NtmNangCao,
            "đợt 1 năm 2024",
            Some(5),
        )
    },
    batch(
        (2025, 5, 30),
        SET_ADVANCED,
        NtmNangCao,
        "đợt 1 năm 2025",
        None,
    ),
];

/// Kiểu mẫu: Tượng Sơn in the 2021 round, four in đợt 1 of 2022, two by QĐ 1763/QĐ-UBND in
/// 2024; the 2023 and 2025 rounds fill up to 18 communes by mid-2025.
pub(super) const MODEL: &[Batch] = &[
    Batch {
        standard_year: Some(2021),
        named: &["Xã Tượng Sơn"],
        ..batch((2022, 4, 28), SET_ADVANCED, NtmKieuMau, "năm 2021", Some(1))
    },
    Batch {
        named: &[
            "Xã Cẩm Bình",
            "Xã Xuân Thành",
            "Xã Thiên Lộc",
            "Xã Thạch Hạ",
        ],
        ..batch(
            (2022, 7, 1),
            SET_ADVANCED,
            NtmKieuMau,
            "đợt 1 năm 2022",
            Some(4),
        )
    },
    batch(
        (2023, 12, 28),
        SET_ADVANCED,
        NtmKieuMau,
        "năm 2023",
        Some(6),
    ),
    Batch {
        named: &["Xã Mai Phụ", "Xã Xuân Phổ"],
        decision: Some("1763/QĐ-UBND"),
        ..batch(
            (2024, 6, 28),
            SET_ADVANCED,
            NtmKieuMau,
            "đợt 1 năm 2024",
            Some(2),
        )
    },
    batch(
        (2025, 5, 30),
        SET_ADVANCED,
        NtmKieuMau,
        "đợt 1 năm 2025",
        None,
    ),
];

/// Communes formed by the 2020 mergers that went through thừa nhận (baohatinh.vn, 09/2023), and
/// the day the demo dates it (the decision's date was not found).
pub(super) const ACKNOWLEDGED: &[&str] = &[
    "Xã Yên Hòa",
    "Xã Nam Phúc Thăng",
    "Xã Khánh Vĩnh Yên",
    "Xã Kim Song Trường",
    "Xã Tùng Châu",
    "Xã An Dũng",
    "Xã Tân Dân",
    "Xã Hòa Lạc",
    "Xã Tân Mỹ Hà",
    "Xã Kim Hoa",
    "Xã An Hòa Thịnh",
    "Xã Quang Diệm",
    "Xã Bình An",
    "Xã Đỉnh Bàn",
    "Xã Đồng Môn",
    "Xã Thọ Điền",
];
pub(super) const ACKNOWLEDGED_ON: (i32, u32, u32) = (2023, 10, 16);

/// Merged communes recognised NTM afresh after the merger (Lâm Hợp: QĐ 218/QĐ-UBND of
/// 15/01/2021, dated into the 2020 batch here because the 2016–2020 set's period ends in 2020;
/// Điền Mỹ appears in no list found): their predecessors were not NTM before it.
pub(super) const RECOGNISED_AFRESH: &[&str] = &["Xã Lâm Hợp", "Xã Điền Mỹ"];
