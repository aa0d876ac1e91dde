//! The API's enum values a commune page shows, in words.

use super::words::Lang;

/// A status (`Status`) as a word and a sign that does not rely on colour.
pub fn status(lang: Lang, status: &str) -> (&'static str, &'static str) {
    match status {
        "MET" => (lang.pick("Đạt", "Met"), "✓"),
        "NOT_MET" => (lang.pick("Không đạt", "Not met"), "✗"),
        _ => (lang.pick("Chưa rõ", "Unknown"), "?"),
    }
}

/// Who assessed a criterion (`AssessmentLevel`).
pub fn assessment(lang: Lang, level: &str) -> &'static str {
    match level {
        "COMMUNE_SELF_ASSESSMENT" => lang.pick("xã tự đánh giá", "commune self-assessment"),
        "DISTRICT_APPRAISAL" => lang.pick("huyện thẩm định", "district appraisal"),
        "PROVINCIAL_COUNCIL" => lang.pick("hội đồng cấp tỉnh", "provincial council"),
        _ => "",
    }
}

/// The revocation rule's outcome (`RevocationRisk`).
pub fn risk(lang: Lang, risk: &str) -> &'static str {
    match risk {
        "NOT_AT_RISK" => lang.pick("Không", "None"),
        "KEY_CRITERION_FAILING" => lang.pick(
            "Có: 30 % đến dưới 50 % tiêu chí không đạt, có tiêu chí then chốt",
            "Yes: 30 % to under 50 % of criteria fail, a key one among them",
        ),
        "HALF_OR_MORE_FAILING" => lang.pick(
            "Có: từ 50 % tiêu chí không đạt",
            "Yes: 50 % or more of criteria fail",
        ),
        "CANNOT_BE_ASSESSED" => lang.pick(
            "Chưa đánh giá được (thiếu số liệu)",
            "Cannot be assessed (data missing)",
        ),
        _ => lang.pick("Có", "Yes"),
    }
}

/// A lineage edge's kind, read from the page's unit.
pub fn relation(lang: Lang, kind: &str, successor: bool) -> &'static str {
    match (kind, successor) {
        ("merged-into", true) => lang.pick("Sáp nhập vào", "Merged into"),
        ("merged-into", false) => lang.pick("Nhận sáp nhập từ", "Merged from"),
        ("split-into", true) => lang.pick("Chia tách thành", "Split into"),
        ("split-into", false) => lang.pick("Tách ra từ", "Split from"),
        (_, true) => lang.pick("Tiếp nối bởi", "Continued by"),
        (_, false) => lang.pick("Hình thành từ", "Formed from"),
    }
}
