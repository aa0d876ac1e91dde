//! GraphQL enums mirroring the domain's terms, with conversions both ways and from the
//! spellings stored in the read tables.

use crate::domain::measure::IndicatorKind as DomainIndicatorKind;
use crate::domain::rules::{RevocationRisk as DomainRevocationRisk, Status as DomainStatus};
use crate::domain::terms::{
    AssessmentLevel as DomainAssessmentLevel, CommuneGroup as DomainCommuneGroup,
    LocalityKind as DomainLocalityKind, RecognitionLevel as DomainRecognitionLevel,
    SpecialStatus as DomainSpecialStatus, ThresholdRegion as DomainThresholdRegion,
};

/// Declares a GraphQL enum with the same variants as a domain enum, converted both ways.
macro_rules! mirrored_enum {
    ($(#[$meta:meta])* $name:ident => $domain:ident { $($(#[$vmeta:meta])* $variant:ident,)+ }) => {
        $(#[$meta])*
        #[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl From<$domain> for $name {
            fn from(v: $domain) -> Self {
                match v { $($domain::$variant => Self::$variant,)+ }
            }
        }

        impl From<$name> for $domain {
            fn from(v: $name) -> Self {
                match v { $($name::$variant => Self::$variant,)+ }
            }
        }
    };
}

mirrored_enum!(
    /// Kind of administrative unit (loại đơn vị hành chính).
    LocalityKind => DomainLocalityKind {
        /// Tỉnh / thành phố trực thuộc trung ương.
        Province,
        /// Huyện / quận / thị xã / thành phố thuộc tỉnh (abolished 1/7/2025).
        District,
        /// Xã.
        Commune,
        /// Phường.
        Ward,
        /// Thị trấn.
        Township,
        /// Đặc khu (special island zone, from 1/7/2025).
        SpecialZone,
        /// Thôn / xóm / tổ dân phố / khu dân cư.
        Village,
    }
);

mirrored_enum!(
    /// Threshold region (vùng) whose targets a commune is graded against.
    ThresholdRegion => DomainThresholdRegion {
        /// Trung du miền núi phía Bắc.
        Tdmnpb,
        /// Đồng bằng sông Hồng.
        Dbsh,
        /// Bắc Trung Bộ (Hà Tĩnh's region).
        Btb,
        /// Duyên hải Nam Trung Bộ.
        Dhntb,
        /// Tây Nguyên.
        Tn,
        /// Đông Nam Bộ.
        Dnb,
        /// Đồng bằng sông Cửu Long.
        Dbscl,
    }
);

mirrored_enum!(
    /// Why a commune is graded against the TDMNPB thresholds wherever it is (QĐ 318/QĐ-TTg,
    /// Điều 1).
    SpecialStatus => DomainSpecialStatus {
        /// Xã đặc biệt khó khăn.
        XaDbkk,
        /// Xã an toàn khu thuộc huyện nghèo.
        XaAtkHuyenNgheo,
        /// Xã thuộc huyện vừa thoát nghèo giai đoạn 2018–2020.
        HuyenThoatNgheo20182020,
    }
);

mirrored_enum!(
    /// Commune group (xã nhóm 1/2/3) of QĐ 51/2025/QĐ-TTg.
    CommuneGroup => DomainCommuneGroup {
        /// Xã nhóm 1: next to an existing urban area and planned to become one, under 10 %
        /// agriculture in its economy, or planned as a new urban area.
        One,
        /// Xã nhóm 2: every commune in neither group 1 nor group 3.
        Two,
        /// Xã nhóm 3: xã khu vực II and III of the ethnic-minority and mountain areas.
        Three,
    }
);

mirrored_enum!(
    /// Recognition level (mức công nhận).
    RecognitionLevel => DomainRecognitionLevel {
        /// Xã đạt chuẩn nông thôn mới.
        Ntm,
        /// Xã đạt chuẩn nông thôn mới nâng cao.
        NtmNangCao,
        /// Xã đạt chuẩn nông thôn mới kiểu mẫu.
        NtmKieuMau,
        /// Phường/thị trấn đạt chuẩn văn minh đô thị.
        VanMinhDoThi,
        /// Phường văn minh đô thị kiểu mẫu.
        VanMinhDoThiKieuMau,
        /// Đạt chuẩn đô thị văn minh.
        DoThiVanMinh,
        /// Khu dân cư nông thôn mới kiểu mẫu.
        KhuDanCuKieuMau,
        /// Xã nông thôn mới hiện đại (QĐ 51/2025/QĐ-TTg pilot).
        NtmHienDai,
        /// Đạt các chỉ tiêu của danh mục chỉ tiêu địa phương (a province's or city's list).
        ChiTieuDiaPhuong,
        /// Huyện đạt chuẩn nông thôn mới (QĐ 320/QĐ-TTg).
        HuyenNtm,
        /// Huyện đạt chuẩn nông thôn mới nâng cao.
        HuyenNtmNangCao,
        /// Thị xã, thành phố thuộc tỉnh or tỉnh hoàn thành nhiệm vụ xây dựng nông thôn mới.
        HoanThanhNhiemVu,
    }
);

mirrored_enum!(
    /// Who assessed a criterion; later values outrank earlier ones for the official status.
    AssessmentLevel => DomainAssessmentLevel {
        /// Xã tự đánh giá.
        CommuneSelfAssessment,
        /// Thẩm định cấp huyện.
        DistrictAppraisal,
        /// Hội đồng thẩm định cấp tỉnh.
        ProvincialCouncil,
    }
);

mirrored_enum!(
    /// What an indicator measures; a reading must be of its indicator's kind.
    IndicatorKind => DomainIndicatorKind {
        /// A percentage from 0 to 100 with at most two decimals (`percent` of `ReadingInput`).
        Percent,
        /// A quantity in the indicator's `unit`, at most three decimals (`number`).
        Number,
        /// Yes or no, đạt / không đạt (`flag`).
        Boolean,
        /// A whole number from 0 to 2147483647 (`count`).
        Count,
    }
);

mirrored_enum!(
    /// Grade of an indicator or criterion; `UNKNOWN` when a reading, target or assessment is missing.
    Status => DomainStatus {
        /// Đạt: met.
        Met,
        /// Không đạt: not met.
        NotMet,
        /// No reading, no target or no assessment to decide on: never counted as met.
        Unknown,
    }
);

mirrored_enum!(
    /// Revocation risk of a recognised commune (QĐ 18/2022/QĐ-TTg).
    RevocationRisk => DomainRevocationRisk {
        /// Neither revocation rule holds on the data known.
        NotAtRisk,
        /// 30 % to under 50 % of criteria fail, one of them a key criterion.
        KeyCriterionFailing,
        /// 50 % or more of criteria fail.
        HalfOrMoreFailing,
        /// Criteria without data could make either answer true.
        CannotBeAssessed,
        /// A district: 30 % or more of its communes had their recognition revoked.
        CommunesRevoked,
    }
);

impl Status {
    /// From the read tables' spelling (`met`, `not-met`, `unknown`).
    pub fn from_spelling(s: &str) -> Self {
        match s {
            "met" => Self::Met,
            "not-met" => Self::NotMet,
            _ => Self::Unknown,
        }
    }
}

impl RevocationRisk {
    /// From the read tables' spelling; `None` for anything unknown.
    pub fn from_spelling(s: &str) -> Option<Self> {
        match s {
            "not-at-risk" => Some(Self::NotAtRisk),
            "key-criterion-failing" => Some(Self::KeyCriterionFailing),
            "half-or-more-failing" => Some(Self::HalfOrMoreFailing),
            "cannot-be-assessed" => Some(Self::CannotBeAssessed),
            "communes-revoked" => Some(Self::CommunesRevoked),
            _ => None,
        }
    }
}

/// A kind, level, region or group stored by its catalogue spelling.
pub fn from_spelling<D: Copy, G: From<D>>(
    spelling: Option<&str>,
    parse: fn(&str) -> Option<D>,
) -> Option<G> {
    spelling.and_then(parse).map(G::from)
}
