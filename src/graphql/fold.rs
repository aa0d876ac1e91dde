//! Vietnamese-insensitive matching: "thach trung" finds "Xã Thạch Trung". Folding drops case,
//! tone marks and vowel marks (ă â ê ô ơ ư → a a e o o u, đ → d), and collapses spaces.

/// Base letter of each accented lower-case Vietnamese letter.
const FOLDS: &[(char, &str)] = &[
    ('a', "àáảãạăằắẳẵặâầấẩẫậ"),
    ('e', "èéẻẽẹêềếểễệ"),
    ('i', "ìíỉĩị"),
    ('o', "òóỏõọôồốổỗộơờớởỡợ"),
    ('u', "ùúủũụưừứửữự"),
    ('y', "ỳýỷỹỵ"),
    ('d', "đ"),
];

fn fold_char(c: char) -> Option<char> {
    // Combining marks (text typed in decomposed form) carry no letter.
    if ('\u{300}'..='\u{36f}').contains(&c) {
        return None;
    }
    Some(
        FOLDS
            .iter()
            .find(|(_, accented)| accented.contains(c))
            .map_or(c, |(base, _)| *base),
    )
}

/// Lower case, without diacritics, single-spaced and trimmed.
pub fn fold(text: &str) -> String {
    let folded: String = text
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(fold_char)
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `name` contains `query`, ignoring case and diacritics.
pub fn matches(name: &str, query: &str) -> bool {
    fold(name).contains(&fold(query))
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
            assert_eq!(matches(name, query), expected, "{name:?} ~ {query:?}");
        }
    }
}
