//! Where a locality is over valid time: the official codes of itself and of its ancestors on
//! each date, from the dated links (code and parent) of the directory.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;

use super::profile::Profile;
use super::tree::MAX_TREE_DEPTH;
use super::values::LocalityCode;

/// A stretch of valid time in which a locality's code and parent do not change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub from: NaiveDate,
    /// First day of the next stretch or of the locality's end; `None`: still so.
    pub until: Option<NaiveDate>,
    pub code: Option<LocalityCode>,
    /// The parent's locality id.
    pub parent: Option<String>,
}

impl Link {
    fn holds_on(&self, on: NaiveDate) -> bool {
        self.from <= on && self.until.is_none_or(|u| on < u)
    }
}

/// The links of every locality a territory may be built from, by locality id.
pub type Ancestry = HashMap<String, Vec<Link>>;

/// The codes a locality sits under on each date: its own and its ancestors'. A territorial
/// criteria set grades a locality while its province's code is among them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Territory {
    /// (from, codes), in date order; before the first entry the locality is nowhere.
    changes: Vec<(NaiveDate, Vec<LocalityCode>)>,
}

/// The territory of a locality known nowhere (no directory): no territorial set grades it.
pub static NOWHERE: Territory = Territory {
    changes: Vec::new(),
};

impl Territory {
    /// The territory of a locality with links `own`, its ancestors' links looked up in
    /// `ancestry` (an ancestor missing there contributes nothing).
    pub fn build(own: &[Link], ancestry: &Ancestry) -> Self {
        let mut dates = BTreeSet::new();
        let mut seen = HashSet::new();
        collect_dates(own, ancestry, &mut dates, &mut seen, 0);
        let mut changes: Vec<(NaiveDate, Vec<LocalityCode>)> = Vec::new();
        for on in dates {
            let mut codes = Vec::new();
            codes_on(own, ancestry, on, &mut codes, 0);
            let last = changes.last().map_or(&[][..], |(_, c)| c.as_slice());
            if last != codes.as_slice() {
                changes.push((on, codes));
            }
        }
        Territory { changes }
    }

    /// The codes on `on`: the locality's own first, then its parent's, up to the root.
    pub fn codes_on(&self, on: NaiveDate) -> &[LocalityCode] {
        let at = self.changes.partition_point(|(d, _)| *d <= on);
        at.checked_sub(1).map_or(&[], |i| &self.changes[i].1)
    }

    /// Whether the locality is inside the unit holding `code` on `on` (or holds it itself).
    pub fn contains(&self, code: &LocalityCode, on: NaiveDate) -> bool {
        self.codes_on(on).contains(code)
    }

    /// The dates on which the codes change.
    pub fn change_dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.changes.iter().map(|(d, _)| *d)
    }
}

fn collect_dates(
    links: &[Link],
    ancestry: &Ancestry,
    dates: &mut BTreeSet<NaiveDate>,
    seen: &mut HashSet<String>,
    depth: usize,
) {
    for link in links {
        dates.insert(link.from);
        dates.extend(link.until);
        let Some(parent) = &link.parent else { continue };
        if depth < MAX_TREE_DEPTH && seen.insert(parent.clone()) {
            if let Some(up) = ancestry.get(parent) {
                collect_dates(up, ancestry, dates, seen, depth + 1);
            }
        }
    }
}

fn codes_on(
    links: &[Link],
    ancestry: &Ancestry,
    on: NaiveDate,
    codes: &mut Vec<LocalityCode>,
    depth: usize,
) {
    let Some(link) = links.iter().rev().find(|l| l.holds_on(on)) else {
        return;
    };
    codes.extend(link.code.clone());
    let up = link.parent.as_ref().and_then(|p| ancestry.get(p));
    if let Some(up) = up.filter(|_| depth < MAX_TREE_DEPTH) {
        codes_on(up, ancestry, on, codes, depth + 1);
    }
}

/// A locality's links from its register entry: one per change of code or parent, from its
/// establishment to its end.
pub fn links(profile: &Profile) -> Vec<Link> {
    let Some(established) = profile.established_on else {
        return Vec::new();
    };
    let ended = profile.ended.as_ref().map(|e| e.on);
    let mut dates: Vec<NaiveDate> = profile.codes.entries().iter().map(|(d, _)| *d).collect();
    dates.extend(profile.parents.entries().iter().map(|(d, _)| *d));
    dates.push(established);
    dates.retain(|d| *d >= established && ended.is_none_or(|e| *d < e));
    dates.sort_unstable();
    dates.dedup();
    let mut out: Vec<Link> = Vec::new();
    for on in dates {
        let code = profile.codes.on(on).cloned().flatten();
        let parent = profile
            .parents
            .on(on)
            .cloned()
            .flatten()
            .map(|p| p.to_string());
        if let Some(last) = out.last_mut() {
            if last.code == code && last.parent == parent {
                continue;
            }
            last.until = Some(on);
        }
        out.push(Link {
            from: on,
            until: ended,
            code,
            parent,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    fn link(from: NaiveDate, until: Option<NaiveDate>, code: &str, parent: Option<&str>) -> Link {
        Link {
            from,
            until,
            code: Some(code.parse().expect("a code")),
            parent: parent.map(str::to_owned),
        }
    }

    #[test]
    fn a_commune_transferred_to_another_province_changes_territory_on_the_day() {
        let mut ancestry = Ancestry::new();
        ancestry.insert("ht".into(), vec![link(day(2000, 1, 1), None, "42", None)]);
        ancestry.insert("na".into(), vec![link(day(2000, 1, 1), None, "40", None)]);
        ancestry.insert(
            "district".into(),
            vec![
                link(day(2000, 1, 1), Some(day(2024, 7, 1)), "436", Some("na")),
                link(day(2024, 7, 1), Some(day(2025, 7, 1)), "436", Some("ht")),
            ],
        );
        let own = vec![link(day(2010, 1, 1), None, "18112", Some("district"))];
        let territory = Territory::build(&own, &ancestry);
        let ht: LocalityCode = "42".parse().expect("a code");
        let na: LocalityCode = "40".parse().expect("a code");
        assert!(territory.codes_on(day(2009, 12, 31)).is_empty());
        assert!(territory.contains(&na, day(2024, 6, 30)));
        assert!(!territory.contains(&ht, day(2024, 6, 30)));
        assert!(territory.contains(&ht, day(2024, 7, 1)));
        // The district ended its stretches on 1/7/2025: the commune is then under no province.
        assert_eq!(
            territory.codes_on(day(2025, 7, 1)),
            ["18112".parse().expect("a code")]
        );
        let dates: Vec<NaiveDate> = territory.change_dates().collect();
        assert_eq!(dates, [day(2010, 1, 1), day(2024, 7, 1), day(2025, 7, 1)]);
    }

    #[test]
    fn a_cycle_in_the_links_ends_at_the_depth_limit() {
        let mut ancestry = Ancestry::new();
        ancestry.insert(
            "a".into(),
            vec![link(day(2000, 1, 1), None, "42", Some("b"))],
        );
        ancestry.insert(
            "b".into(),
            vec![link(day(2000, 1, 1), None, "40", Some("a"))],
        );
        let own = ancestry["a"].clone();
        let territory = Territory::build(&own, &ancestry);
        assert!(territory.codes_on(day(2001, 1, 1)).len() <= MAX_TREE_DEPTH + 2);
    }
}
