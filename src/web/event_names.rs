//! The log's event types (`EventType`) in words.

use super::words::Lang;

/// Every event type's name in the schema, in its order, for the audit page's filter.
pub fn event_types() -> impl Iterator<Item = &'static str> {
    crate::graphql::EventType::schema_names()
}

/// An event type's name; the API's value when it is not one we know.
pub fn event_name(lang: Lang, event_type: &str) -> String {
    let (vi, en) = match event_type {
        "LOCALITY_ESTABLISHED" => ("Thành lập đơn vị", "Unit established"),
        "LOCALITY_RENAMED" => ("Đổi tên", "Renamed"),
        "LOCALITY_RECLASSIFIED" => ("Đổi loại đơn vị", "Reclassified"),
        "LOCALITY_RECODED" => ("Đổi mã", "Recoded"),
        "LOCALITY_TRANSFERRED" => ("Chuyển đơn vị cấp trên", "Transferred"),
        "THRESHOLD_ASSIGNED" => ("Xếp vùng/nhóm chỉ tiêu", "Threshold region assigned"),
        "MERGED_INTO" => ("Sáp nhập vào đơn vị khác", "Merged into another unit"),
        "LOCALITIES_MERGED" => ("Hợp nhất các đơn vị", "Units merged"),
        "LOCALITY_SPLIT" => ("Chia tách", "Split"),
        "LOCALITY_DISSOLVED" => ("Giải thể", "Dissolved"),
        "PROGRAMME_ENROLLED" => ("Đăng ký xây dựng", "Enrolled in a programme"),
        "INDICATOR_RECORDED" => ("Ghi số liệu chỉ tiêu", "Indicator reading recorded"),
        "CRITERION_ASSESSED" => ("Đánh giá tiêu chí", "Criterion assessed"),
        "APPRAISAL_VOTED" => ("Hội đồng thẩm định bỏ phiếu", "Appraisal council vote"),
        "RECOGNITION_GRANTED" => ("Công nhận đạt chuẩn", "Recognition granted"),
        "RECOGNITION_REVOKED" => ("Thu hồi công nhận", "Recognition revoked"),
        "RECOGNITION_ACKNOWLEDGED" => ("Thừa nhận sau sáp nhập", "Acknowledged after a merger"),
        "EVENT_RETRACTED" => ("Rút lại sự kiện ghi sai", "Event retracted"),
        "TOKEN_CREATED" => ("Cấp khóa truy cập", "Token created"),
        "TOKEN_REVOKED" => ("Thu hồi khóa truy cập", "Token revoked"),
        "USER_CREATED" => ("Tạo tài khoản", "Account created"),
        "USER_DISABLED" => ("Khóa tài khoản", "Account disabled"),
        "USER_PASSWORD_RESET" => ("Đặt lại mật khẩu", "Password reset"),
        "SESSION_STARTED" => ("Đăng nhập", "Signed in"),
        "SESSION_ENDED" => ("Đăng xuất", "Signed out"),
        "CRITERIA_SET_PUBLISHED" => ("Ban hành bộ tiêu chí", "Criteria set published"),
        "REPORT_ISSUED" => ("Phát hành báo cáo", "Report issued"),
        other => return other.to_owned(),
    };
    lang.pick(vi, en).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_type_of_the_schema_is_listed_and_named() {
        let values = super::super::words::schema_enum("EventType");
        assert_eq!(values, event_types().collect::<Vec<_>>());
        for value in &values {
            assert_ne!(&event_name(Lang::Vi, value), value);
            assert_ne!(&event_name(Lang::En, value), value);
        }
    }
}
