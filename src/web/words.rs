//! The dashboard's words in Vietnamese (first) and English; each page adds its own table
//! beside its code, in the same shape: one `const` per language, chosen by [`Lang`].

/// The language a page is written in: `?lang=en` switches to English, Vietnamese otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    /// From the `lang` query parameter: `en` is English, anything else Vietnamese.
    pub fn from_param(param: Option<&str>) -> Self {
        match param {
            Some(p) if p.eq_ignore_ascii_case("en") => Lang::En,
            _ => Lang::Vi,
        }
    }

    /// The `lang` attribute of the page.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// The other language, for the switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }

    /// Picks one of two texts.
    pub fn pick<T>(self, vi: T, en: T) -> T {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

/// The words every page's frame uses.
pub struct Common {
    pub product: &'static str,
    pub skip_to_content: &'static str,
    pub overview: &'static str,
    pub audit: &'static str,
    pub reports: &'static str,
    pub graphiql: &'static str,
    pub search: &'static str,
    pub search_placeholder: &'static str,
    pub date: &'static str,
    pub show: &'static str,
    pub today: &'static str,
    pub switch_language: &'static str,
    pub as_of_event: &'static str,
    pub recorded_at: &'static str,
    pub read_tables_at: &'static str,
    pub empty_log: &'static str,
    pub bad_date: &'static str,
    pub not_found: &'static str,
    pub failed: &'static str,
    pub province: &'static str,
    pub district: &'static str,
    pub commune: &'static str,
    pub ward: &'static str,
    pub township: &'static str,
    pub special_zone: &'static str,
    pub village: &'static str,
    pub unrecognised: &'static str,
}

pub const COMMON_VI: Common = Common {
    product: "Theo dõi Nông thôn mới",
    skip_to_content: "Đến nội dung chính",
    overview: "Tổng quan",
    audit: "Nhật ký kiểm tra",
    reports: "Báo cáo",
    graphiql: "GraphiQL",
    search: "Tìm",
    search_placeholder: "Tên (không cần dấu) hoặc mã đơn vị",
    date: "Ngày",
    show: "Xem",
    today: "Hôm nay",
    switch_language: "English",
    as_of_event: "Tính đến sự kiện",
    recorded_at: "ghi lúc",
    read_tables_at: "bảng đọc đã xử lý đến sự kiện",
    empty_log: "Chưa có sự kiện nào.",
    bad_date: "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 31/12/2020",
    not_found: "Không tìm thấy đơn vị này vào ngày đã chọn.",
    failed: "Không đọc được dữ liệu",
    province: "Tỉnh/thành phố",
    district: "Huyện/thị xã/thành phố",
    commune: "Xã",
    ward: "Phường",
    township: "Thị trấn",
    special_zone: "Đặc khu",
    village: "Thôn/tổ dân phố",
    unrecognised: "Chưa đạt chuẩn",
};

pub const COMMON_EN: Common = Common {
    product: "New Rural Development tracker",
    skip_to_content: "Skip to main content",
    overview: "Overview",
    audit: "Audit log",
    reports: "Reports",
    graphiql: "GraphiQL",
    search: "Search",
    search_placeholder: "Name (diacritics optional) or unit code",
    date: "Date",
    show: "Show",
    today: "Today",
    switch_language: "Tiếng Việt",
    as_of_event: "As of event",
    recorded_at: "recorded",
    read_tables_at: "read tables projected to event",
    empty_log: "No event yet.",
    bad_date: "Not a valid date; write it as year-month-day, e.g. 2020-12-31",
    not_found: "No such unit on the chosen date.",
    failed: "The data could not be read",
    province: "Province",
    district: "District",
    commune: "Commune",
    ward: "Ward",
    township: "Township",
    special_zone: "Special zone",
    village: "Village",
    unrecognised: "Not recognised",
};

impl Common {
    pub fn of(lang: Lang) -> &'static Common {
        lang.pick(&COMMON_VI, &COMMON_EN)
    }

    /// A locality kind (`PROVINCE`, …) in words.
    pub fn kind(&self, kind: &str) -> &'static str {
        match kind {
            "PROVINCE" => self.province,
            "DISTRICT" => self.district,
            "COMMUNE" => self.commune,
            "WARD" => self.ward,
            "TOWNSHIP" => self.township,
            "SPECIAL_ZONE" => self.special_zone,
            "VILLAGE" => self.village,
            _ => "",
        }
    }
}

/// The values of the schema's enum `name`, in the schema's order (tests of the words tables).
#[cfg(test)]
pub fn schema_enum(name: &str) -> Vec<String> {
    let sdl = crate::graphql::sdl();
    let start = sdl
        .find(&format!("enum {name} {{"))
        .unwrap_or_else(|| panic!("no enum {name}"));
    let body = &sdl[start..start + sdl[start..].find('}').expect("its end")];
    body.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        .map(str::to_owned)
        .collect()
}
