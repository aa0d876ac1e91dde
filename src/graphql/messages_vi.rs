//! The Vietnamese error messages (thông báo lỗi tiếng Việt), one catalogue: by
//! `extensions.code` and the structured fields an error carries (`field`, `rule`, `limit`,
//! `wanted`, `reached`, …). See docs/decisions/error-language.md.

use serde_json::{Map, Value};

/// The Vietnamese message of an error with `code` and `extensions`; `english` is the
/// message as built at the error site, quoted as the detail where no structured field says
/// more.
pub fn message(code: &str, extensions: &Map<String, Value>, english: &str) -> String {
    let text = |name: &str| extensions.get(name).map(plain).unwrap_or_default();
    match code {
        "NOT_FOUND" => not_found(&text("what"), &text("key")),
        "VALIDATION" => validation(extensions, english),
        "TIMEOUT" => "Yêu cầu chạy quá thời gian cho phép nên đã bị dừng; \
                      đề nghị yêu cầu ít dữ liệu hơn trong mỗi lần."
            .to_owned(),
        "VERSION_CONFLICT" => format!(
            "Dữ liệu đã thay đổi: yêu cầu dựa trên phiên bản {}, nhưng hồ sơ của đơn vị đã ở \
             phiên bản {}. Đề nghị tải lại dữ liệu rồi thực hiện lại.",
            text("expected"),
            text("actual")
        ),
        "NOT_READY" => format!(
            "Dữ liệu tổng hợp mới cập nhật đến vị trí {}, chưa đến vị trí {} được yêu cầu; \
             đề nghị thử lại sau ít giây.",
            text("reached"),
            text("wanted")
        ),
        "IDEMPOTENCY_KEY_REUSED" => "Khóa chống ghi trùng (idempotencyKey) này đã được dùng \
             cho một yêu cầu có nội dung khác; đề nghị dùng một khóa mới cho yêu cầu mới."
            .to_owned(),
        "CATALOG_INVALID" => format!(
            "Tệp bộ tiêu chí «{}» không hợp lệ ở mục «{}»: {}. Không có dữ liệu nào được ghi.",
            text("file"),
            text("key"),
            text("reason")
        ),
        "UNAUTHENTICATED" => "Cần mã truy cập (bearer token) hợp lệ: mã đã gửi không đúng \
             định dạng, không tồn tại, đã bị thu hồi hoặc đã hết hạn, hoặc chưa gửi mã."
            .to_owned(),
        "FORBIDDEN" => format!(
            "Không được phép: vai trò hoặc phạm vi địa bàn của mã truy cập không cho phép thao \
             tác này (chi tiết: {english})."
        ),
        "RATE_LIMITED" => "Có quá nhiều lần xác thực không thành công từ địa chỉ này; \
             đề nghị thử lại sau một phút."
            .to_owned(),
        "INTERNAL" => "Hệ thống gặp lỗi nội bộ; chi tiết đã được ghi vào nhật ký vận hành. \
             Đề nghị thử lại hoặc báo cho quản trị viên."
            .to_owned(),
        other => format!("Yêu cầu không thực hiện được (mã lỗi {other}): {english}"),
    }
}

/// A JSON value as it reads in a sentence (a string without its quotes).
fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn not_found(what: &str, key: &str) -> String {
    let what = match what {
        "locality" => "đơn vị hành chính",
        "criteria set" => "bộ tiêu chí",
        "event at position" => "sự kiện ở vị trí",
        "locality event at position" => "sự kiện của đơn vị hành chính ở vị trí",
        _ => "đối tượng",
    };
    format!("Không tìm thấy {what} «{key}».")
}

/// A refused input: the rule of the law it breaks, the limit a document exceeds, or the
/// field at fault; an error of the GraphQL engine itself (none of those) quotes its detail.
fn validation(extensions: &Map<String, Value>, english: &str) -> String {
    if let Some(rule) = extensions.get("rule").and_then(Value::as_str) {
        let field = extensions.get("field").map(plain).unwrap_or_default();
        return format!(
            "Không thể ghi nhận vì trái quy định: {} (quy tắc {rule}, trường «{field}»).",
            rule_statement(rule)
        );
    }
    if let Some(limit) = extensions.get("limit").and_then(Value::as_str) {
        return format!("{} (giới hạn {limit}).", limit_statement(limit));
    }
    match extensions.get("field").map(plain) {
        Some(field) => format!("Giá trị không hợp lệ ở «{field}»: {english}"),
        None => format!("Yêu cầu GraphQL không hợp lệ: {english}"),
    }
}

/// A rule of the programme's law (`domain::LawRule`), as an official would state it.
pub fn rule_statement(rule: &str) -> &'static str {
    match rule {
        "LEVEL_NOT_IN_SET" => {
            "bộ tiêu chí chỉ công nhận mức của chính bộ tiêu chí đó và các mức \
            mà điều kiện của nó quy định"
        }
        "LEVEL_NOT_FOR_KIND" => {
            "mức công nhận và bộ tiêu chí phải phù hợp với loại đơn vị hành \
            chính tại ngày ký quyết định"
        }
        "NANG_CAO_REQUIRES_NTM" => {
            "xã chỉ được công nhận nông thôn mới nâng cao khi đang đạt \
            chuẩn nông thôn mới (còn hiệu lực, không chờ thừa nhận) tại ngày ký quyết định"
        }
        "KIEU_MAU_REQUIRES_NANG_CAO" => {
            "xã chỉ được công nhận nông thôn mới kiểu mẫu khi đang \
            đạt chuẩn nông thôn mới nâng cao (còn hiệu lực, không chờ thừa nhận) tại ngày ký \
            quyết định"
        }
        "KIEU_MAU_REQUIRES_OUTSTANDING_FIELD" => {
            "quyết định công nhận xã nông thôn mới kiểu mẫu \
            phải nêu lĩnh vực nổi trội"
        }
        "DECISION_BEFORE_SET" => {
            "quyết định không được ký hoặc có hiệu lực trước khi bộ tiêu \
            chí được ban hành và có hiệu lực"
        }
        "DECISION_AFTER_SET" => {
            "quyết định không được ký sau khi bộ tiêu chí đã được thay thế \
            (hoặc, nếu không có bộ thay thế, sau năm kế tiếp giai đoạn của bộ tiêu chí)"
        }
        "STANDARD_YEAR_OUTSIDE_SET" => {
            "năm đạt chuẩn phải nằm trong các năm bộ tiêu chí có \
            hiệu lực"
        }
        "STANDARD_YEAR_AFTER_DECISION" => "năm đạt chuẩn không được sau năm ký quyết định",
        "CRITERIA_NOT_MET" => {
            "việc công nhận đòi hỏi mọi tiêu chí và mọi điều kiện của mức công \
            nhận đều được đánh giá chính thức là đạt tại ngày công nhận, hoặc có lý do công nhận \
            ngoại lệ"
        }
        "COUNCIL_VOTE_BELOW_MAJORITY" => {
            "lần bỏ phiếu gần nhất của hội đồng thẩm định cho bộ \
            tiêu chí và mức công nhận phải có trên một nửa số phiếu tán thành, hoặc có lý do \
            công nhận ngoại lệ"
        }
        "OVERRIDE_REASON_TOO_SHORT" => {
            "lý do công nhận ngoại lệ phải có ít nhất 20 ký tự và \
            3 từ"
        }
        "REVOCATION_BEFORE_GRANT" => {
            "quyết định thu hồi có hiệu lực từ ngày của quyết định bị \
            thu hồi trở về sau"
        }
        "REVOCATION_NEEDS_OWN_DECISION" => {
            "quyết định thu hồi phải có số quyết định riêng, khác \
            số quyết định bị thu hồi"
        }
        "REVOCATION_NEEDS_ISSUER" => "quyết định thu hồi phải nêu cơ quan ban hành",
        "ACKNOWLEDGES_PENDING_ONLY" => {
            "việc thừa nhận chỉ áp dụng cho các quyết định công nhận \
            đang chờ thừa nhận sau sáp nhập"
        }
        "ACKNOWLEDGEMENT_NOT_AT_PENDING_LEVEL" => {
            "việc thừa nhận phải cùng mức công nhận và \
            cùng bộ tiêu chí với các quyết định được thừa nhận"
        }
        "HIEN_DAI_REQUIRES_NTM" => {
            "xã chỉ được công nhận nông thôn mới hiện đại khi đang đạt \
            chuẩn nông thôn mới (còn hiệu lực, không chờ thừa nhận) tại ngày ký quyết định"
        }
        "DISTRICT_RECOGNISED_BY_PRIME_MINISTER" => {
            "việc công nhận đơn vị cấp huyện là quyết \
            định của Thủ tướng Chính phủ (…/QĐ-TTg)"
        }
        _ => "một quy định của chương trình",
    }
}

/// A limit of the service a request went beyond (docs/limits.md).
fn limit_statement(limit: &str) -> &'static str {
    match limit {
        "QUERIES_ONLY" => "Yêu cầu GET chỉ được dùng để truy vấn; thao tác ghi phải gửi bằng POST",
        "MAX_NESTING" => "Truy vấn lồng nhau quá nhiều cấp ngoặc",
        "MAX_FIELDS" => "Truy vấn chọn quá nhiều trường",
        "MAX_ALIASES" => "Truy vấn dùng quá nhiều bí danh (alias)",
        "FRAGMENT_CYCLE" => "Các fragment của truy vấn tham chiếu vòng lẫn nhau",
        "MAX_DEPTH" => "Truy vấn có độ sâu vượt quá giới hạn",
        "MAX_COMPLEXITY" => "Truy vấn có độ phức tạp vượt quá giới hạn",
        "REQUEST_TIMEOUT" => "Yêu cầu chạy quá thời gian cho phép",
        _ => "Yêu cầu vượt quá giới hạn của hệ thống",
    }
}

#[cfg(test)]
mod tests {
    use super::rule_statement;
    use crate::domain::LawRule;

    #[test]
    fn every_rule_of_the_law_has_its_vietnamese_statement() {
        for rule in LawRule::ALL {
            let statement = rule_statement(rule.name());
            assert_ne!(
                statement,
                rule_statement(""),
                "{} untranslated",
                rule.name()
            );
        }
    }
}
