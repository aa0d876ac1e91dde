//! How many of the 2016–2020 set's 19 criteria each commune meets from 2016 to its NTM decision:
//! rising from a baseline, all 19 when recognised, and at the end of 2018 an average over the
//! 229 communes of 17.7 with none below 11 (nongnghiep.vn, 02/02/2019).

use chrono::{Datelike, Days, NaiveDate};

use super::{CommuneStory, Grant, SET_2016};
use crate::demo::readings::Dice;

/// Criteria of the 2016–2020 set.
pub const CRITERIA_2016: usize = 19;
/// Published average of criteria met per commune at the end of 2018.
pub const AVERAGE_END_2018: f64 = 17.7;
/// The fewest criteria a commune met at the end of 2018.
const FEWEST_END_2018: usize = 11;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

fn end_2018() -> NaiveDate {
    date(2018, 12, 31)
}

/// The NTM decision under the 2016–2020 set, if any.
fn first_grant(story: &CommuneStory) -> Option<&Grant> {
    story.ntm().filter(|g| g.set == SET_2016)
}

/// Each commune's path; the communes not NTM at the end of 2018 share out what makes the
/// average, one criterion at a time, between 11 and 18.
pub(super) fn plan(stories: &mut [CommuneStory], dice: &mut Dice) {
    let of_2016: Vec<usize> = (0..stories.len())
        .filter(|&i| !stories[i].formed_2020)
        .collect();
    let lagging: Vec<usize> = of_2016
        .iter()
        .copied()
        .filter(|&i| first_grant(&stories[i]).is_none_or(|g| g.on > end_2018()))
        .collect();
    let recognised = of_2016.len() - lagging.len();
    let total = (AVERAGE_END_2018 * of_2016.len() as f64).round() as usize;
    let share = total.saturating_sub(CRITERIA_2016 * recognised);
    let mut met: Vec<usize> = lagging
        .iter()
        .map(|&i| match first_grant(&stories[i]) {
            Some(g) if g.on.year() == 2019 => 16 + dice.roll(3) as usize,
            _ => FEWEST_END_2018 + dice.roll(7) as usize,
        })
        .collect();
    even_out(&mut met, share);
    for (&i, &m) in lagging.iter().zip(&met) {
        stories[i].criteria = lagging_path(&stories[i], m, dice);
    }
    for &i in of_2016.iter().filter(|i| !lagging.contains(i)) {
        stories[i].criteria = early_path(&stories[i], dice);
    }
    for story in stories.iter_mut().filter(|s| s.formed_2020) {
        if let Some(g) = first_grant(story).cloned() {
            let start = 16 + dice.roll(2) as usize;
            story.criteria = vec![(date(2020, 3, 31), start), (decided(&g), CRITERIA_2016)];
        }
    }
}

/// One criterion more or less at a time, within 11..=18, until the values sum to `sum`.
fn even_out(values: &mut [usize], sum: usize) {
    let top = CRITERIA_2016 - 1;
    let room = values.len() * (top - FEWEST_END_2018);
    for i in 0..=room {
        let now: usize = values.iter().sum();
        if now == sum || values.is_empty() {
            return;
        }
        let v = &mut values[i % values.len()];
        if now < sum && *v < top {
            *v += 1;
        } else if now > sum && *v > FEWEST_END_2018 {
            *v -= 1;
        }
    }
}

/// The last assessment before a decision: 45 days before it, by the provincial council.
pub fn decided(grant: &Grant) -> NaiveDate {
    grant.on - Days::new(45)
}

/// Recognised by the end of 2018: from a baseline that is higher the earlier the decision.
fn early_path(story: &CommuneStory, dice: &mut Dice) -> Vec<(NaiveDate, usize)> {
    let Some(grant) = first_grant(story) else {
        return Vec::new();
    };
    let year = grant.on.year();
    let baseline = match year {
        2016 => 14,
        2017 => 12,
        _ => 10,
    } + dice.roll(3) as usize;
    let mut path: Vec<(NaiveDate, usize)> = (2016..year)
        .map(|y| {
            let step = (CRITERIA_2016 - 1 - baseline) * (y - 2016) as usize;
            (
                date(y, 3, 31),
                baseline + step / (year - 2016).max(1) as usize,
            )
        })
        .collect();
    if path.is_empty() {
        path.push((date(2016, 3, 31), baseline));
    }
    path.push((decided(grant), CRITERIA_2016));
    path
}

/// Not recognised by the end of 2018: `at_2018` met on 31/3/2018, rising after it towards
/// the decision (2019 or 2020) or to at most 18 until the commune ends or the period does.
fn lagging_path(story: &CommuneStory, at_2018: usize, dice: &mut Dice) -> Vec<(NaiveDate, usize)> {
    let baseline = at_2018.min(7 + dice.roll(5) as usize);
    let mut path = vec![
        (date(2016, 3, 31), baseline),
        (date(2017, 3, 31), (baseline + at_2018) / 2),
        (date(2018, 3, 31), at_2018),
    ];
    let top = CRITERIA_2016 - 1;
    match first_grant(story) {
        Some(g) if g.on.year() == 2019 => {}
        Some(_) => path.push((date(2019, 3, 31), (at_2018 + 1).min(top))),
        None => {
            path.push((date(2019, 3, 31), (at_2018 + 1).min(top)));
            if !story.ends_2019 {
                path.push((date(2020, 3, 31), (at_2018 + 2).min(top)));
            }
        }
    }
    if let Some(g) = first_grant(story) {
        path.push((decided(g), CRITERIA_2016));
    }
    path
}
