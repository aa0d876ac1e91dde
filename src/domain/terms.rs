//! Enumerated terms of the programme: locality kinds, threshold regions, commune groups,
//! recognition levels and assessment levels, each with its stable catalogue spelling.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Declares a fieldless enum whose serde and catalogue spelling is the given kebab-case string.
macro_rules! spelled_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $spelling:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $spelling)] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn spelling(self) -> &'static str {
                match self { $($name::$variant => $spelling,)+ }
            }

            pub fn from_spelling(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.spelling() == s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.spelling())
            }
        }
    };
}

spelled_enum!(
    /// Kind of administrative unit (loại đơn vị hành chính).
    LocalityKind {
        /// Tỉnh / thành phố trực thuộc trung ương.
        Province = "province",
        /// Huyện / quận / thị xã / thành phố thuộc tỉnh (abolished 1/7/2025).
        District = "district",
        /// Xã.
        Commune = "commune",
        /// Phường.
        Ward = "ward",
        /// Thị trấn.
        Township = "township",
        /// Đặc khu (special island zone, from 1/7/2025).
        SpecialZone = "special-zone",
        /// Thôn / xóm / bản / tổ dân phố / khu dân cư (not an administrative unit).
        Village = "village",
    }
);

spelled_enum!(
    /// Threshold region (vùng) used by QĐ 1980/2016 and QĐ 318/2022; a per-commune attribute,
    /// since some communes use the TDMNPB thresholds wherever they are (research §1.1).
    ThresholdRegion {
        /// Trung du miền núi phía Bắc.
        Tdmnpb = "TDMNPB",
        /// Đồng bằng sông Hồng.
        Dbsh = "DBSH",
        /// Bắc Trung Bộ (Hà Tĩnh's region).
        Btb = "BTB",
        /// Duyên hải Nam Trung Bộ.
        Dhntb = "DHNTB",
        /// Tây Nguyên.
        Tn = "TN",
        /// Đông Nam Bộ.
        Dnb = "DNB",
        /// Đồng bằng sông Cửu Long.
        Dbscl = "DBSCL",
    }
);

spelled_enum!(
    /// Commune group (xã nhóm 1/2/3) of QĐ 51/2025/QĐ-TTg, 2026–2030.
    CommuneGroup {
        One = "1",
        Two = "2",
        Three = "3",
    }
);

spelled_enum!(
    /// Why a commune is graded against the TDMNPB thresholds wherever it is (QĐ 318/QĐ-TTg,
    /// Điều 1): the special-commune rule, an attribute of the locality with a date.
    SpecialStatus {
        /// Xã đặc biệt khó khăn.
        XaDbkk = "xa-dbkk",
        /// Xã an toàn khu thuộc huyện nghèo.
        XaAtkHuyenNgheo = "xa-atk-huyen-ngheo",
        /// Xã thuộc huyện vừa thoát nghèo giai đoạn 2018–2020.
        HuyenThoatNgheo20182020 = "huyen-thoat-ngheo-2018-2020",
    }
);

spelled_enum!(
    /// Recognition level (mức công nhận); parallel titles, one decision each.
    RecognitionLevel {
        /// Xã đạt chuẩn nông thôn mới.
        Ntm = "ntm",
        /// Xã đạt chuẩn nông thôn mới nâng cao.
        NtmNangCao = "ntm-nang-cao",
        /// Xã đạt chuẩn nông thôn mới kiểu mẫu (names an outstanding field, lĩnh vực nổi trội).
        NtmKieuMau = "ntm-kieu-mau",
        /// Phường/thị trấn đạt chuẩn văn minh đô thị (Thông tư 02/2013/TT-BVHTTDL).
        VanMinhDoThi = "van-minh-do-thi",
        /// Phường văn minh đô thị kiểu mẫu.
        VanMinhDoThiKieuMau = "van-minh-do-thi-kieu-mau",
        /// Đạt chuẩn đô thị văn minh (QĐ 04/2022/QĐ-TTg; Hà Tĩnh QĐ 18/2020/QĐ-UBND).
        DoThiVanMinh = "do-thi-van-minh",
        /// Khu dân cư nông thôn mới kiểu mẫu (Hà Tĩnh, village level).
        KhuDanCuKieuMau = "khu-dan-cu-kieu-mau",
        /// Xã nông thôn mới hiện đại (QĐ 51/2025/QĐ-TTg, Phụ lục II: the 2026–2030 pilot).
        NtmHienDai = "ntm-hien-dai",
        /// Đạt các chỉ tiêu của danh mục địa phương: a local target list that a province or
        /// city publishes for its communes and wards (e.g. "25 chỉ tiêu kinh tế - xã hội").
        ChiTieuDiaPhuong = "chi-tieu-dia-phuong",
        /// Huyện đạt chuẩn nông thôn mới (QĐ 320/QĐ-TTg Phụ lục I; recognised by the Thủ tướng).
        HuyenNtm = "huyen-ntm",
        /// Huyện đạt chuẩn nông thôn mới nâng cao (QĐ 320/QĐ-TTg; its annex was not found).
        HuyenNtmNangCao = "huyen-ntm-nang-cao",
        /// Thị xã / thành phố thuộc tỉnh (QĐ 320 Phụ lục II) or tỉnh (QĐ 321/QĐ-TTg) hoàn thành
        /// nhiệm vụ xây dựng nông thôn mới.
        HoanThanhNhiemVu = "hoan-thanh-nhiem-vu",
    }
);

spelled_enum!(
    /// Who assessed a criterion; later variants outrank earlier ones for the official status.
    AssessmentLevel {
        /// Xã tự đánh giá (commune self-assessment).
        CommuneSelfAssessment = "commune-self-assessment",
        /// Thẩm định cấp huyện (district appraisal; no longer exists from 1/7/2025).
        DistrictAppraisal = "district-appraisal",
        /// Hội đồng thẩm định cấp tỉnh (provincial appraisal council).
        ProvincialCouncil = "provincial-council",
    }
);

impl LocalityKind {
    /// Xã, phường, thị trấn or đặc khu: the units a province's local target list is for.
    pub fn is_commune_level(self) -> bool {
        matches!(
            self,
            Self::Commune | Self::Ward | Self::Township | Self::SpecialZone
        )
    }
}

impl CommuneGroup {
    pub fn number(self) -> u8 {
        match self {
            Self::One => 1,
            Self::Two => 2,
            Self::Three => 3,
        }
    }
}

impl RecognitionLevel {
    /// Whether a locality of `kind` can hold this level: commune levels only while a xã, the
    /// urban ones only while a phường or thị trấn, the model-area one only a village, a local
    /// target list any commune-level unit. A commune reclassified as a ward stops holding its
    /// NTM levels (docs/decisions/recognised-status.md).
    pub fn held_by(self, kind: LocalityKind) -> bool {
        use LocalityKind as K;
        match self {
            Self::Ntm | Self::NtmNangCao | Self::NtmKieuMau | Self::NtmHienDai => {
                kind == K::Commune
            }
            Self::VanMinhDoThi | Self::VanMinhDoThiKieuMau | Self::DoThiVanMinh => {
                matches!(kind, K::Ward | K::Township)
            }
            Self::KhuDanCuKieuMau => kind == K::Village,
            Self::ChiTieuDiaPhuong => kind.is_commune_level(),
            Self::HuyenNtm | Self::HuyenNtmNangCao => kind == K::District,
            // A thị xã or thành phố thuộc tỉnh is a district-kind unit (its name says which:
            // docs/decisions/district-province-completion.md); a province completes its task.
            Self::HoanThanhNhiemVu => matches!(kind, K::District | K::Province),
        }
    }
}

impl RecognitionLevel {
    /// Whether holding this level means holding `other` too: nâng cao is an NTM commune, kiểu
    /// mẫu a nâng cao one, a model civilised-urban ward a civilised-urban one, a hiện đại
    /// commune an NTM one (not a nâng cao one: 2026–2030 has no nâng cao set, see
    /// docs/decisions/hien-dai-level.md). Reports count a level with every unit that holds it or
    /// a level above it.
    pub fn includes(self, other: RecognitionLevel) -> bool {
        use RecognitionLevel as L;
        self == other
            || matches!(
                (self, other),
                (L::NtmNangCao, L::Ntm)
                    | (L::NtmKieuMau, L::Ntm | L::NtmNangCao)
                    | (L::VanMinhDoThiKieuMau, L::VanMinhDoThi)
                    | (L::NtmHienDai, L::Ntm)
                    | (L::HuyenNtmNangCao, L::HuyenNtm)
            )
    }
}
