//! A form's refusals: the API's errors (or the form's own checks) as messages beside the
//! fields they concern, worded in the page's language with the rule that refused them.

use maud::{html, Markup};

use super::words::Lang;
use crate::graphql::{rule_statement, vietnamese_message, AnsweredError, InProcessError};

/// One refusal, beside one field of the form.
#[derive(Debug, Clone)]
pub struct Refused {
    /// The field at fault, as the API names it (`value`, `effectiveOn`, `decision`, …), or
    /// the form's own field name for its checks.
    pub field: String,
    /// Which item of a list (a reading), when the refusal is about one.
    pub item: Option<usize>,
    /// The locality (id) of a refusal about one of several.
    pub locality: Option<String>,
    pub message: String,
}

impl Refused {
    /// A refusal of the form's own checks (before anything is sent).
    pub fn form(field: &str, item: Option<usize>, message: &str) -> Refused {
        Refused {
            field: field.to_owned(),
            item,
            locality: None,
            message: message.to_owned(),
        }
    }
}

/// The refusals of an API answer, in `lang`.
pub fn refusals(error: &InProcessError, lang: Lang) -> Vec<Refused> {
    match error {
        InProcessError::Api(errors) => errors.iter().map(|e| refused(e, lang)).collect(),
        InProcessError::Shape(detail) => vec![Refused::form("form", None, detail)],
    }
}

fn refused(error: &AnsweredError, lang: Lang) -> Refused {
    let code = error.code.as_deref().unwrap_or("INTERNAL");
    let field = match code {
        "FORBIDDEN" | "NOT_FOUND" => "locality".to_owned(),
        _ => error
            .extension("field")
            .unwrap_or_else(|| "form".to_owned()),
    };
    let message = match lang {
        Lang::En => error.message.clone(),
        Lang::Vi => vietnamese(error, code),
    };
    Refused {
        field,
        item: error.extension("item").and_then(|i| i.parse().ok()),
        locality: error.extension("locality"),
        message,
    }
}

/// The refusal in Vietnamese: the rule of the law in an official's words, or what is wrong
/// with the field.
fn vietnamese(error: &AnsweredError, code: &str) -> String {
    if let Some(rule) = error.extension("rule") {
        return format!(
            "Không ghi được vì trái quy định: {} (quy tắc {rule}).",
            rule_statement(&rule)
        );
    }
    let problem = error.extension("problem");
    if let Some(said) = problem.and_then(|p| problem_in_vietnamese(&p, &error.message)) {
        return said;
    }
    match code {
        "FORBIDDEN" => "Không được phép: vai trò hoặc phạm vi địa bàn của bạn không cho phép \
                        ghi cho đơn vị này."
            .to_owned(),
        _ => vietnamese_message(code, &error.extensions, &error.message),
    }
}

/// A domain refusal (`DomainError::problem`) in an official's words, where it has them; an
/// invalid value with its `detail`.
pub fn problem_in_vietnamese(problem: &str, detail: &str) -> Option<String> {
    if problem == "INVALID" {
        return Some(format!("Giá trị không hợp lệ (chi tiết: {detail})."));
    }
    let said = match problem {
        "EFFECTIVE_IN_FUTURE" => "Ngày hiệu lực không được sau hôm nay.",
        "BEFORE_ESTABLISHMENT" => "Ngày hiệu lực không được trước ngày thành lập đơn vị.",
        "LOCALITY_ENDED" => {
            "Đơn vị đã chấm dứt tồn tại; không ghi được sự việc có hiệu lực từ ngày đó."
        }
        "NOT_ENROLLED" => "Đơn vị chưa đăng ký bộ tiêu chí này.",
        "UNKNOWN_SET" => "Không có bộ tiêu chí này.",
        "SET_NOT_APPLICABLE" => "Bộ tiêu chí không áp dụng cho loại đơn vị này.",
        "UNKNOWN_INDICATOR" => "Bộ tiêu chí không có chỉ tiêu này.",
        "UNKNOWN_CRITERION" => "Bộ tiêu chí không có tiêu chí này.",
        "VALUE_KIND_MISMATCH" => "Giá trị không đúng loại của chỉ tiêu.",
        "RECOGNITION_NOT_FOUND" => "Đơn vị không có quyết định công nhận này.",
        "RECOGNITION_ALREADY_REVOKED" => "Quyết định công nhận này đã bị thu hồi.",
        "DUPLICATE_DECISION" => "Số quyết định này đã được ghi cho đơn vị.",
        "EMPTY" => "Trường này không được để trống.",
        "DUPLICATE_LOCALITY" => "Một đơn vị được chọn hai lần.",
        _ => return None,
    };
    Some(said.to_owned())
}

/// The message beside `field` (of `item`, when given), if refused.
pub fn beside<'r>(refusals: &'r [Refused], field: &str, item: Option<usize>) -> Option<&'r str> {
    refusals
        .iter()
        .find(|r| r.field == field && (item.is_none() || r.item == item))
        .map(|r| r.message.as_str())
}

/// The message, marked as an alert with the id a field's `aria-describedby` names.
pub fn alert(id: &str, message: Option<&str>) -> Markup {
    html! {
        @if let Some(message) = message {
            span.field-error id=(format!("{id}-error")) role="alert" { (message) }
        }
    }
}
