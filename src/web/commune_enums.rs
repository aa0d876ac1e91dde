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

/// An event type (`EventType`) in words.
pub fn event_type(lang: Lang, event_type: &str) -> String {
    let (vi, en) = match event_type {
        "LOCALITY_ESTABLISHED" => ("Thành lập/đăng ký", "Established"),
        "LOCALITY_RENAMED" => ("Đổi tên", "Renamed"),
        "LOCALITY_RECLASSIFIED" => ("Chuyển loại đơn vị", "Reclassified"),
        "LOCALITY_RECODED" => ("Đổi mã", "Recoded"),
        "LOCALITY_TRANSFERRED" => ("Chuyển đơn vị cấp trên", "Transferred"),
        "THRESHOLD_ASSIGNED" => ("Xếp vùng/nhóm xã", "Threshold assigned"),
        "MERGED_INTO" => ("Sáp nhập vào đơn vị khác", "Merged into another unit"),
        "LOCALITIES_MERGED" => ("Nhận sáp nhập", "Formed by a merger"),
        "LOCALITY_SPLIT" => ("Chia tách", "Split"),
        "LOCALITY_DISSOLVED" => ("Giải thể", "Dissolved"),
        "PROGRAMME_ENROLLED" => ("Đăng ký đạt chuẩn", "Registered to reach a standard"),
        "INDICATOR_RECORDED" => ("Ghi số liệu chỉ tiêu", "Indicator reading"),
        "CRITERION_ASSESSED" => ("Đánh giá tiêu chí", "Criterion assessed"),
        "APPRAISAL_VOTED" => ("Hội đồng thẩm định bỏ phiếu", "Appraisal council vote"),
        "RECOGNITION_GRANTED" => ("Quyết định công nhận", "Recognition granted"),
        "RECOGNITION_REVOKED" => ("Thu hồi công nhận", "Recognition revoked"),
        "RECOGNITION_ACKNOWLEDGED" => ("Thừa nhận sau sáp nhập", "Acknowledged after a merger"),
        "EVENT_RETRACTED" => ("Rút lại sự kiện sai", "Event retracted"),
        "CRITERIA_SET_PUBLISHED" => ("Ban hành bộ tiêu chí", "Criteria set published"),
        other => return other.to_owned(),
    };
    lang.pick(vi, en).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_type_of_the_schema_has_words_in_both_languages() {
        let sdl = crate::graphql::sdl();
        let start = sdl.find("enum EventType {").expect("the enum");
        let body = &sdl[start..start + sdl[start..].find('}').expect("its end")];
        let values: Vec<&str> = body
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
            .filter(|v| !v.starts_with("TOKEN_"))
            .collect();
        assert!(values.len() >= 19, "{values:?}");
        for value in values {
            for lang in [Lang::Vi, Lang::En] {
                assert_ne!(event_type(lang, value), value, "{value} has no words");
            }
        }
    }
}
