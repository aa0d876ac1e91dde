//! Name search that ignores Vietnamese diacritics: "thach trung" finds "Xã Thạch Trung". The
//! search key drops case, tone marks and vowel marks (ă â ê ô ơ ư → a a e o o u, đ → d), and
//! collapses spaces.

/// Base letter of each accented lower-case Vietnamese letter.
const BASE_LETTERS: &[(char, &str)] = &[
    ('a', "àáảãạăằắẳẵặâầấẩẫậ"),
    ('e', "èéẻẽẹêềếểễệ"),
    ('i', "ìíỉĩị"),
    ('o', "òóỏõọôồốổỗộơờớởỡợ"),
    ('u', "ùúủũụưừứửữự"),
    ('y', "ỳýỷỹỵ"),
    ('d', "đ"),
];

/// The base letter of `c`; `None` for a combining mark.
fn base_letter(c: char) -> Option<char> {
    // Combining marks (text typed in decomposed form) carry no letter.
    if ('\u{300}'..='\u{36f}').contains(&c) {
        return None;
    }
    Some(
        BASE_LETTERS
            .iter()
            .find(|(_, accented)| accented.contains(c))
            .map_or(c, |(base, _)| *base),
    )
}

/// Lower case, without diacritics, single-spaced and trimmed.
pub fn search_key(text: &str) -> String {
    let bare: String = text
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(base_letter)
        .collect();
    bare.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `name` contains `query`, ignoring case and diacritics.
pub fn name_matches(name: &str, query: &str) -> bool {
    search_key(name).contains(&search_key(query))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diacritics_and_case_are_ignored() {
        for (name, query, expected) in [
            ("Xã Thạch Trung", "thach trung", true),
            ("Xã Thạch Trung", "THẠCH  TRUNG", true),
            ("Phường Đồng Môn", "dong mon", true),
            ("Phường Đồng Môn", "đồng", true),
            ("Xã Thạch Hạ", "thach trung", false),
            ("Phường Hà Huy Tập", "huy tap", true),
            // Decomposed input: "Thạch" typed as "Tha" + combining dot below + "ch".
            ("Xã Thạch Hạ", "tha\u{323}ch ha", true),
        ] {
            assert_eq!(name_matches(name, query), expected, "{name:?} ~ {query:?}");
        }
    }
}
