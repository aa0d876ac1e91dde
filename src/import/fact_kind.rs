//! The kinds of fact a file can bring in (`ntm import KIND`, `importFacts`, the upload page), and
//! the columns of each, in Vietnamese as the templates write them (the English names accepted).

use super::columns::Column;

/// A kind of fact file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum FactKind {
    /// Danh sách đăng ký đạt chuẩn: the year's registration list (`ProgrammeEnrolled`).
    Enrolments,
    /// Chỉ số: indicator readings (`IndicatorRecorded`; the columns of `ntm export readings`).
    Readings,
    /// Đánh giá tiêu chí: a criterion met or not, by a level (`CriterionAssessed`).
    Assessments,
    /// Biểu quyết của hội đồng thẩm định (`AppraisalVoted`).
    Votes,
    /// Quyết định công nhận: one row per commune of a decision (`RecognitionGranted`).
    Decisions,
    /// Thừa nhận đạt chuẩn after a merger (`RecognitionAcknowledged`).
    Acknowledgements,
    /// Thu hồi quyết định công nhận (`RecognitionRevoked`).
    Revocations,
}

pub const LOCALITY: Column = Column::required("mã đơn vị", "locality_code");
pub const SET: Column = Column::required("bộ tiêu chí", "criteria_set");
pub const EFFECTIVE_ON: Column = Column::required("ngày hiệu lực", "effective_on");
pub const EFFECTIVE_OPTIONAL: Column = Column::optional("ngày hiệu lực", "effective_on");
pub const TARGET_YEAR: Column = Column::required("năm đăng ký đạt chuẩn", "target_year");
pub const LEGAL_ACT: Column = Column::optional("số văn bản", "legal_act");
pub const CRITERION: Column = Column::required("tiêu chí", "criterion");
pub const MET: Column = Column::required("kết quả", "met");
pub const ASSESSED_BY: Column = Column::required("cấp đánh giá", "assessment_level");
pub const DOCUMENT: Column = Column::optional("số văn bản minh chứng", "evidence_document");
pub const FILE_REF: Column = Column::optional("tệp minh chứng", "evidence_file");
pub const NOTE: Column = Column::optional("ghi chú", "note");
pub const LEVEL: Column = Column::required("mức công nhận", "level");
pub const IN_FAVOUR: Column = Column::required("tỷ lệ tán thành (%)", "in_favour");
pub const DECISION: Column = Column::required("số quyết định", "decision");
pub const SIGNED_ON: Column = Column::required("ngày ký", "signed_on");
pub const ISSUER: Column = Column::required("cơ quan ban hành", "issuer");
pub const SIGNER: Column = Column::required("người ký", "signer");
pub const STANDARD_YEAR: Column = Column::required("năm đạt chuẩn", "standard_year");
pub const BATCH: Column = Column::optional("đợt", "batch");
pub const OUTSTANDING: Column = Column::optional("lĩnh vực nổi trội", "outstanding_field");
pub const ACKNOWLEDGES: Column = Column::required("quyết định được thừa nhận", "acknowledges");
pub const REVOKED: Column = Column::required("quyết định bị thu hồi", "revoked");
pub const REASON: Column = Column::required("lý do", "reason");

/// The readings' columns as `ntm export readings` writes them and `ntm import readings` reads
/// them (in English: the readings file predates the Vietnamese headers).
pub const READINGS: &[Column] = &[
    Column::required("locality_code", "locality_code"),
    Column::required("criteria_set", "criteria_set"),
    Column::required("indicator", "indicator"),
    Column::required("value", "value"),
    Column::required("effective_on", "effective_on"),
    Column::optional("evidence_document", "evidence_document"),
    Column::optional("evidence_file", "evidence_file"),
    Column::optional("note", "note"),
];

impl FactKind {
    pub const ALL: [FactKind; 7] = [
        FactKind::Enrolments,
        FactKind::Readings,
        FactKind::Assessments,
        FactKind::Votes,
        FactKind::Decisions,
        FactKind::Acknowledgements,
        FactKind::Revocations,
    ];

    /// The name on the command line and in URLs.
    pub fn slug(self) -> &'static str {
        match self {
            FactKind::Enrolments => "enrolments",
            FactKind::Readings => "readings",
            FactKind::Assessments => "assessments",
            FactKind::Votes => "votes",
            FactKind::Decisions => "decisions",
            FactKind::Acknowledgements => "acknowledgements",
            FactKind::Revocations => "revocations",
        }
    }

    pub fn from_slug(slug: &str) -> Option<FactKind> {
        Self::ALL.into_iter().find(|k| k.slug() == slug)
    }

    /// What an office calls such a file.
    pub fn title_vi(self) -> &'static str {
        match self {
            FactKind::Enrolments => "Danh sách đăng ký đạt chuẩn",
            FactKind::Readings => "Số liệu chỉ số",
            FactKind::Assessments => "Đánh giá tiêu chí",
            FactKind::Votes => "Biểu quyết của hội đồng thẩm định",
            FactKind::Decisions => "Quyết định công nhận",
            FactKind::Acknowledgements => "Thừa nhận đạt chuẩn sau sáp nhập",
            FactKind::Revocations => "Thu hồi quyết định công nhận",
        }
    }

    pub fn title_en(self) -> &'static str {
        match self {
            FactKind::Enrolments => "Registration list",
            FactKind::Readings => "Indicator readings",
            FactKind::Assessments => "Criterion assessments",
            FactKind::Votes => "Appraisal council votes",
            FactKind::Decisions => "Recognition decisions",
            FactKind::Acknowledgements => "Acknowledgements after mergers",
            FactKind::Revocations => "Revocations",
        }
    }

    /// Its columns, required ones first, in template order.
    pub fn columns(self) -> &'static [Column] {
        match self {
            FactKind::Enrolments => &[LOCALITY, SET, TARGET_YEAR, EFFECTIVE_ON, LEGAL_ACT],
            FactKind::Readings => READINGS,
            FactKind::Assessments => &[
                LOCALITY,
                SET,
                CRITERION,
                MET,
                ASSESSED_BY,
                EFFECTIVE_ON,
                DOCUMENT,
                FILE_REF,
                NOTE,
            ],
            FactKind::Votes => &[
                LOCALITY,
                SET,
                LEVEL,
                IN_FAVOUR,
                EFFECTIVE_ON,
                DOCUMENT,
                FILE_REF,
                NOTE,
            ],
            FactKind::Decisions => &[
                LOCALITY,
                DECISION,
                SIGNED_ON,
                ISSUER,
                SIGNER,
                LEVEL,
                SET,
                STANDARD_YEAR,
                BATCH,
                OUTSTANDING,
                EFFECTIVE_OPTIONAL,
            ],
            FactKind::Acknowledgements => &[
                LOCALITY,
                DECISION,
                EFFECTIVE_ON,
                SET,
                LEVEL,
                STANDARD_YEAR,
                ACKNOWLEDGES,
            ],
            FactKind::Revocations => &[LOCALITY, DECISION, REVOKED, REASON, ISSUER, EFFECTIVE_ON],
        }
    }
}
