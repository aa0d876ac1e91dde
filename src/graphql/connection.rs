//! Relay-style paging: the window a client asks for (`first`/`after` or `last`/`before`),
//! opaque cursors over a stable sort key, and `PageInfo`. Connections that page in SQL use
//! [`Window`] and [`KeyCursor`]; those that page a sorted list in memory use [`page`].

use async_graphql::SimpleObject;

use super::{ApiError, MAX_PAGE};

/// Where a page sits in its list.
#[derive(SimpleObject, Clone, Debug, Default)]
pub struct PageInfo {
    /// More items follow the page in the list's order (with `last`/`before`: the `before`
    /// cursor's item follows it).
    pub has_next_page: bool,
    /// Items come before the page in the list's order (with `first`/`after`: the `after`
    /// cursor's item comes before it).
    pub has_previous_page: bool,
    /// The cursor of the page's first item.
    pub start_cursor: Option<String>,
    /// The cursor of the page's last item: pass it as `after` for the next page.
    pub end_cursor: Option<String>,
}

/// The slice of a list a client asks for: `size` items from the start of what follows
/// `after` (`first`), or from the end of what precedes `before` (`last`); both cursors may be
/// given together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    pub size: usize,
    /// Counted from the end (`last`) rather than the start (`first`).
    pub from_end: bool,
    pub after: Option<String>,
    pub before: Option<String>,
}

impl Window {
    /// The window of a connection's arguments: `first` or `last` (not both; default `first:
    /// 20`), each from 1 to [`MAX_PAGE`].
    pub fn new(
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Self, ApiError> {
        let size = |field: &str, n: i32| match n {
            n @ 1..=MAX_PAGE => Ok(n as usize),
            n => Err(ApiError::validation(
                field,
                format!("{field} must be from 1 to {MAX_PAGE}, got {n}"),
            )),
        };
        let (size, from_end) = match (first, last) {
            (Some(_), Some(_)) => {
                return Err(ApiError::validation("last", "give first or last, not both"))
            }
            (None, Some(n)) => (size("last", n)?, true),
            (first, None) => (size("first", first.unwrap_or(20))?, false),
        };
        Ok(Window {
            size,
            from_end,
            after,
            before,
        })
    }

    /// The page info of `cursors` (the page's items in list order), given whether the list
    /// held more items beyond the window's far end (`more`): past the end with `first`,
    /// before the start with `last`. The near side is known from the cursors given.
    pub fn page_info(&self, cursors: &[String], more: bool) -> PageInfo {
        let (has_previous_page, has_next_page) = if self.from_end {
            (more, self.before.is_some())
        } else {
            (self.after.is_some(), more)
        };
        PageInfo {
            has_next_page,
            has_previous_page,
            start_cursor: cursors.first().cloned(),
            end_cursor: cursors.last().cloned(),
        }
    }
}

/// A cursor over a sort key that may be null, with the id that breaks ties, tagged with the
/// list and order it belongs to so that a cursor of another order is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyCursor {
    pub key: Option<String>,
    pub id: String,
}

impl KeyCursor {
    /// The opaque text of this cursor for the list ordered as `order` (e.g. `code-asc`).
    pub fn encode(&self, order: &str) -> String {
        let key = match &self.key {
            Some(value) => format!("v{value}"),
            None => "n".to_owned(),
        };
        hex::encode(format!(
            "2{SEPARATOR}{order}{SEPARATOR}{key}{SEPARATOR}{}",
            self.id
        ))
    }

    /// The cursor `text` given as argument `field`, which must belong to `order`.
    pub fn decode(text: &str, order: &str, field: &str) -> Result<Self, ApiError> {
        let invalid = |why: &str| ApiError::validation(field, why.to_owned());
        let bytes = hex::decode(text).map_err(|_| invalid("not a cursor this API returned"))?;
        let text =
            String::from_utf8(bytes).map_err(|_| invalid("not a cursor this API returned"))?;
        let parts: Vec<&str> = text.split(SEPARATOR).collect();
        let [version, tag, key, id] = parts[..] else {
            return Err(invalid("not a cursor this API returned"));
        };
        if version != "2" {
            return Err(invalid("not a cursor this API returned"));
        }
        if tag != order {
            return Err(invalid("a cursor of another order of this list"));
        }
        let key = match key.split_at_checked(1) {
            Some(("v", value)) => Some(value.to_owned()),
            Some(("n", "")) => None,
            _ => return Err(invalid("not a cursor this API returned")),
        };
        Ok(KeyCursor {
            key,
            id: id.to_owned(),
        })
    }
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

    #[test]
    fn key_cursors_round_trip_and_belong_to_one_order() {
        for key in [Some("thach ha".to_owned()), Some(String::new()), None] {
            let cursor = KeyCursor {
                key,
                id: "0190-id".to_owned(),
            };
            let text = cursor.encode("name-asc");
            assert_eq!(
                KeyCursor::decode(&text, "name-asc", "after").ok(),
                Some(cursor)
            );
            assert!(KeyCursor::decode(&text, "code-asc", "after").is_err());
        }
        assert!(KeyCursor::decode("zz", "name-asc", "before").is_err());
        assert!(KeyCursor::decode(&encode_cursor(&numeric_key(1)), "name-asc", "after").is_err());
    }

    #[test]
    fn a_window_takes_first_or_last_never_both() {
        assert!(Window::new(Some(5), None, Some(5), None).is_err());
        assert!(Window::new(None, None, Some(0), None).is_err());
        let last = Window::new(None, None, Some(3), Some("c".into())).expect("last");
        assert!(last.from_end && last.size == 3);
        let info = last.page_info(&["a".into(), "b".into()], false);
        assert!(info.has_next_page && !info.has_previous_page);
        assert_eq!(info.start_cursor.as_deref(), Some("a"));
        let first = Window::new(None, None, None, None).expect("default");
        assert_eq!((first.size, first.from_end), (20, false));
        let info = first.page_info(&[], true);
        assert!(info.has_next_page && !info.has_previous_page);
    }
}
