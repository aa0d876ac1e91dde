//! Relay-style paging: opaque cursors over a stable sort key, and `PageInfo`.

use async_graphql::SimpleObject;

use super::ApiError;

/// Where a page sits in its list.
#[derive(SimpleObject, Clone, Debug, Default)]
pub struct PageInfo {
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub start_cursor: Option<String>,
    pub end_cursor: Option<String>,
}

/// A sort key: the ordered value (name, code, position…) and a tie-breaking id.
pub type SortKey = (String, String);

const SEPARATOR: char = '\u{1f}';

/// An opaque cursor: clients pass it back as `after`, and never parse it.
pub fn encode_cursor(key: &SortKey) -> String {
    hex::encode(format!("1{SEPARATOR}{}{SEPARATOR}{}", key.0, key.1))
}

pub fn decode_cursor(cursor: &str) -> Result<SortKey, ApiError> {
    let invalid = || ApiError::validation("after", "not a cursor this API returned");
    let bytes = hex::decode(cursor).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let mut parts = text.split(SEPARATOR);
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("1"), Some(value), Some(id), None) => Ok((value.to_owned(), id.to_owned())),
        _ => Err(invalid()),
    }
}

/// One page of `sorted` (ascending by key) after the `after` cursor: the items with their
/// cursors, and the page info.
pub fn page<T>(
    sorted: Vec<(SortKey, T)>,
    after: Option<&str>,
    first: usize,
) -> Result<(Vec<(String, T)>, PageInfo), ApiError> {
    let after = after.map(decode_cursor).transpose()?;
    let start = after
        .as_ref()
        .map_or(0, |a| sorted.partition_point(|(key, _)| key <= a));
    let has_next_page = sorted.len() > start + first;
    let items: Vec<(String, T)> = sorted
        .into_iter()
        .skip(start)
        .take(first)
        .map(|(key, item)| (encode_cursor(&key), item))
        .collect();
    let info = PageInfo {
        has_next_page,
        has_previous_page: start > 0,
        start_cursor: items.first().map(|(c, _)| c.clone()),
        end_cursor: items.last().map(|(c, _)| c.clone()),
    };
    Ok((items, info))
}

/// A numeric sort key (positions, versions) that orders like the number.
pub fn numeric_key(n: i64) -> SortKey {
    (format!("{n:020}"), String::new())
}

/// The number in a cursor made by [`numeric_key`].
pub fn decode_numeric(cursor: &str) -> Result<i64, ApiError> {
    decode_cursor(cursor)?
        .0
        .parse()
        .map_err(|_| ApiError::validation("after", "not a cursor of this list"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_follow_each_other_without_gaps_or_repeats() {
        let sorted: Vec<(SortKey, i32)> = (0..7)
            .map(|i| ((format!("name {}", i / 2), format!("id{i}")), i))
            .collect();
        let mut seen = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let (items, info) = page(sorted.clone(), after.as_deref(), 3).expect("page");
            seen.extend(items.iter().map(|(_, i)| *i));
            if !info.has_next_page {
                break;
            }
            after = info.end_cursor;
        }
        assert_eq!(seen, (0..7).collect::<Vec<_>>());
        assert!(decode_cursor("zz").is_err());
        assert_eq!(
            decode_numeric(&encode_cursor(&numeric_key(42))).ok(),
            Some(42)
        );
    }
}
