//! Who in Hà Tĩnh is recognised when: the 229 communes of 2016–2019, the communes the 2020
//! mergers formed and their thừa nhận, batches whose sizes are the published figures (research
//! §6.3) and whose named communes are the published cases; the rest drawn with a fixed seed.

mod batches;
mod criteria;

use std::collections::HashSet;

use chrono::{Days, NaiveDate};

use self::batches::{
    Batch, ACKNOWLEDGED, ACKNOWLEDGED_ON, ADVANCED, MODEL, NTM_AFTER_MERGERS, NTM_BEFORE_MERGERS,
    RECOGNISED_AFRESH,
};
use super::readings::Dice;
use crate::domain::terms::RecognitionLevel::{self, Ntm, NtmKieuMau, NtmNangCao};

pub use self::criteria::{AVERAGE_END_2018, CRITERIA_2016};

pub const SET_2016: &str = "NTM-XA-2016-2020";
pub const SET_2021: &str = "NTM-XA-2021-2025";
pub const SET_ADVANCED: &str = "NTM-XA-NANG-CAO-2021-2025";

/// The first day of the communes the 2020 mergers formed (Nghị quyết 819/NQ-UBTVQH14).
pub const MERGED_ON: (i32, u32, u32) = (2020, 1, 1);
/// Communes NTM at the end of 2018 and after đợt 1 of 2019, of 229 (nongnghiep.vn, 02/02/2019;
/// daidoanket.vn, 23/09/2019).
pub const NTM_END_2018: usize = 158;
pub const NTM_AFTER_2019_ROUND_1: usize = 173;
/// Communes at nâng cao or above, and at kiểu mẫu, among those still communes on 30/6/2025
/// (vietnamnet.vn, 14/09/2025).
pub const ADVANCED_MID_2025: usize = 69;
pub const MODEL_MID_2025: usize = 18;

fn date((y, m, d): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// One recognition a commune is given.
#[derive(Debug, Clone, PartialEq)]
pub struct Grant {
    pub on: NaiveDate,
    pub set: &'static str,
    pub level: RecognitionLevel,
    pub decision: String,
    pub batch: &'static str,
    pub standard_year: u16,
    /// The decision number is the published one (else generated, ending in `-DEMO`).
    pub published: bool,
}

/// A commune's part in the story.
#[derive(Debug, Clone)]
pub struct CommuneStory {
    pub code: String,
    pub name: String,
    /// Formed by the 2020 mergers (else a commune since 2016).
    pub formed_2020: bool,
    /// Its commune story ends on 31/12/2019: merged, or made a thị trấn.
    pub ends_2019: bool,
    pub grants: Vec<Grant>,
    /// Criteria of the 2016–2020 set met, from each date on (2016–2020 readings).
    pub criteria: Vec<(NaiveDate, usize)>,
    /// Thừa nhận of its predecessors' NTM (a commune formed by a merger).
    pub acknowledged_on: Option<NaiveDate>,
    /// A key criterion found unmet in 2025: the revocation-risk case.
    pub at_risk: bool,
    /// A back-dated correction of a 2022 reading.
    pub corrected: bool,
    /// A mistyped 2024 reading, retracted.
    pub retracted: bool,
}

impl CommuneStory {
    /// The NTM recognition.
    pub fn ntm(&self) -> Option<&Grant> {
        self.grants.iter().find(|g| g.level == Ntm)
    }

    /// Since when it holds `level` (granted, or for NTM acknowledged).
    fn holds_since(&self, level: RecognitionLevel) -> Option<NaiveDate> {
        let granted = self
            .grants
            .iter()
            .filter(|g| g.level == level)
            .map(|g| g.on);
        let acknowledged = self.acknowledged_on.filter(|_| level == Ntm);
        granted.chain(acknowledged).min()
    }
}

/// A commune the 2020 mergers formed: its code, name and the codes of its sources.
#[derive(Debug, Clone)]
pub struct Formed {
    pub code: String,
    pub name: String,
    pub sources: Vec<String>,
}

/// What the story is told about: the communes of 31/12/2019 (code, name), the communes formed
/// on 1/1/2020, the codes of 2019 communes whose commune story ends then, and the codes of the
/// communes still communes on 30/6/2025.
pub struct Cast<'a> {
    pub before: &'a [(String, String)],
    pub formed: &'a [Formed],
    pub ending: &'a HashSet<String>,
    pub survivors: &'a HashSet<String>,
}

/// The whole story, seeded.
pub fn plan(cast: &Cast<'_>, seed: u64) -> Vec<CommuneStory> {
    let mut dice = Dice::new(seed);
    let mut stories = untold(cast);
    let mut decision = 2016;
    give_ntm_before_mergers(&mut stories, cast, &mut dice, &mut decision);
    for batch in NTM_AFTER_MERGERS {
        let pool: Vec<usize> = (0..stories.len()).collect();
        let rest = |p: &CommuneStory| {
            !p.ends_2019 && (!p.formed_2020 || RECOGNISED_AFRESH.contains(&p.name.as_str()))
        };
        let size = batch.size.unwrap_or(stories.len());
        give(
            &mut stories,
            batch,
            size,
            &pool,
            rest,
            &mut dice,
            &mut decision,
        );
    }
    criteria::plan(&mut stories, &mut dice);
    acknowledge_in_the_round(&mut stories);
    for (levels, total) in [(ADVANCED, ADVANCED_MID_2025), (MODEL, MODEL_MID_2025)] {
        give_above_ntm(
            &mut stories,
            levels,
            total,
            cast.survivors,
            &mut dice,
            &mut decision,
        );
    }
    acknowledge_with_nang_cao(&mut stories);
    mark_the_exceptions(&mut stories, cast.survivors, &mut dice);
    stories
}

/// Each commune's story before anything happens in it: those of 2016, then those formed in 2020.
fn untold(cast: &Cast<'_>) -> Vec<CommuneStory> {
    let story = |code: &String, name: &String, formed_2020: bool| CommuneStory {
        code: code.clone(),
        name: name.clone(),
        formed_2020,
        ends_2019: !formed_2020 && cast.ending.contains(code),
        grants: Vec::new(),
        criteria: Vec::new(),
        acknowledged_on: None,
        at_risk: false,
        corrected: false,
        retracted: false,
    };
    let before = cast
        .before
        .iter()
        .map(|(code, name)| story(code, name, false));
    let formed = cast.formed.iter().map(|f| story(&f.code, &f.name, true));
    before.chain(formed).collect()
}

/// The 173 communes NTM by đợt 1 of 2019: every source of a merged commune that was
/// acknowledged afterwards, the named ones, and a draw among the communes that stay communes;
/// then spread over the batches, named ones in theirs.
fn give_ntm_before_mergers(
    stories: &mut [CommuneStory],
    cast: &Cast<'_>,
    dice: &mut Dice,
    decision: &mut u32,
) {
    let acknowledged_later = cast
        .formed
        .iter()
        .filter(|f| !RECOGNISED_AFRESH.contains(&f.name.as_str()));
    let must: HashSet<&String> = acknowledged_later.flat_map(|f| &f.sources).collect();
    let named_later: Vec<&str> = NTM_AFTER_MERGERS
        .iter()
        .flat_map(|b| b.named)
        .copied()
        .collect();
    let index = |i: &usize| &stories[*i];
    let mut chosen: Vec<usize> = (0..stories.len())
        .filter(|i| !index(i).formed_2020 && must.contains(&index(i).code))
        .collect();
    let mut others: Vec<usize> = (0..stories.len())
        .filter(|i| {
            let p = index(i);
            !p.formed_2020 && !p.ends_2019 && !named_later.contains(&p.name.as_str())
        })
        .collect();
    dice.shuffle(&mut others);
    chosen.extend(
        others
            .into_iter()
            .take(NTM_AFTER_2019_ROUND_1 - chosen.len()),
    );
    dice.shuffle(&mut chosen);
    for batch in NTM_BEFORE_MERGERS.iter().rev() {
        let size = batch.size.unwrap_or(0);
        let pool = chosen.clone();
        give(stories, batch, size, &pool, |_| true, dice, decision);
        chosen.retain(|&i| stories[i].ntm().is_none());
    }
}

/// The batches of one level above NTM (`levels`), the last filling up to `total` among the
/// communes that survive until mid-2025.
fn give_above_ntm(
    stories: &mut [CommuneStory],
    levels: &[Batch],
    total: usize,
    survivors: &HashSet<String>,
    dice: &mut Dice,
    decision: &mut u32,
) {
    let pool: Vec<usize> = (0..stories.len()).collect();
    let lasts = |p: &CommuneStory| !p.ends_2019 && survivors.contains(&p.code);
    for batch in levels {
        let level = batch.level;
        let counted = stories
            .iter()
            .filter(|p| lasts(p) && p.grants.iter().any(|g| g.level == level))
            .count();
        let size = batch.size.unwrap_or(total.saturating_sub(counted));
        let on = batch.date();
        // Nâng cao a year after NTM at least, kiểu mẫu after nâng cao.
        let (below, gap) = match level {
            NtmKieuMau => (NtmNangCao, 1),
            _ => (Ntm, 365),
        };
        let eligible = |p: &CommuneStory| {
            lasts(p)
                && p.holds_since(below)
                    .is_some_and(|d| d < on - Days::new(gap))
        };
        give(stories, batch, size, &pool, eligible, dice, decision);
    }
}

/// Thừa nhận of the merged communes in the published round, except those recognised afresh
/// and those re-recognised at nâng cao instead (named in a nâng cao batch, not in the round).
fn acknowledge_in_the_round(stories: &mut [CommuneStory]) {
    let advanced_named = |name: &str| ADVANCED.iter().any(|b| b.named.contains(&name));
    for story in stories.iter_mut().filter(|s| s.formed_2020) {
        let name = story.name.as_str();
        let exempt = RECOGNISED_AFRESH.contains(&name)
            || (advanced_named(name) && !ACKNOWLEDGED.contains(&name));
        if !exempt {
            story.acknowledged_on = Some(date(ACKNOWLEDGED_ON));
        }
    }
}

/// Those re-recognised at nâng cao (QĐ 283 and QĐ 1337) were spared a separate thừa nhận: the
/// demo records it on the day of that decision, so that nâng cao follows NTM held.
fn acknowledge_with_nang_cao(stories: &mut [CommuneStory]) {
    for story in stories.iter_mut().filter(|s| s.formed_2020) {
        if story.acknowledged_on.is_none() && !RECOGNISED_AFRESH.contains(&story.name.as_str()) {
            story.acknowledged_on = story
                .grants
                .iter()
                .find(|g| g.level == NtmNangCao)
                .map(|g| g.on);
        }
    }
}

/// Among surviving communes with the NTM recognition only, one at risk, one with a retracted
/// reading and three with a corrected one.
fn mark_the_exceptions(stories: &mut [CommuneStory], survivors: &HashSet<String>, dice: &mut Dice) {
    let mut plain: Vec<usize> = (0..stories.len())
        .filter(|&i| {
            let p = &stories[i];
            !p.ends_2019 && !p.formed_2020 && survivors.contains(&p.code) && p.grants.len() == 1
        })
        .collect();
    dice.shuffle(&mut plain);
    if let [risk, retract, c1, c2, c3, ..] = plain[..] {
        stories[risk].at_risk = true;
        stories[retract].retracted = true;
        for i in [c1, c2, c3] {
            stories[i].corrected = true;
        }
    }
}

/// Gives `batch` to its named communes, then to `size` in all drawn from the eligible ones.
fn give(
    stories: &mut [CommuneStory],
    batch: &Batch,
    size: usize,
    pool: &[usize],
    eligible: impl Fn(&CommuneStory) -> bool,
    dice: &mut Dice,
    decision: &mut u32,
) {
    let level = batch.level;
    let has = |p: &CommuneStory| p.grants.iter().any(|g| g.level == level);
    let named_anywhere = |p: &CommuneStory| {
        [NTM_BEFORE_MERGERS, NTM_AFTER_MERGERS, ADVANCED, MODEL]
            .iter()
            .flat_map(|b| b.iter())
            .filter(|b| b.level == level)
            .any(|b| b.named.contains(&p.name.as_str()))
    };
    *decision += 1;
    let on = batch.date();
    let grant = Grant {
        on,
        set: batch.set,
        level,
        decision: batch
            .decision
            .map_or_else(|| format!("{decision}/QĐ-UBND-DEMO"), str::to_owned),
        batch: batch.label,
        standard_year: batch
            .standard_year
            .unwrap_or_else(|| u16::try_from(chrono::Datelike::year(&on)).unwrap_or(2025)),
        published: batch.decision.is_some(),
    };
    let alive = |p: &CommuneStory| !p.ends_2019 || on < date(MERGED_ON);
    let mut chosen: Vec<usize> = pool
        .iter()
        .copied()
        .filter(|&i| {
            let p = &stories[i];
            batch.named.contains(&p.name.as_str()) && !has(p) && alive(p)
        })
        .collect();
    let mut others: Vec<usize> = pool
        .iter()
        .copied()
        .filter(|&i| {
            let p = &stories[i];
            !has(p) && !named_anywhere(p) && alive(p) && eligible(p)
        })
        .collect();
    dice.shuffle(&mut others);
    let wanted = size.saturating_sub(chosen.len());
    chosen.extend(others.into_iter().take(wanted));
    for i in chosen {
        stories[i].grants.push(grant.clone());
    }
}
