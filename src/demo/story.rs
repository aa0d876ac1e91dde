//! Who in Hà Tĩnh is recognised when: batches whose sizes are the published figures (research
//! §6.3) and whose named communes are the published cases; the rest are drawn with a fixed seed.

use std::collections::HashSet;

use chrono::NaiveDate;

use super::readings::Dice;
use crate::domain::terms::RecognitionLevel;

pub const SET_2016: &str = "NTM-XA-2016-2020";
pub const SET_2021: &str = "NTM-XA-2021-2025";
pub const SET_ADVANCED: &str = "NTM-XA-NANG-CAO-2021-2025";

/// One recognition a commune is given.
#[derive(Debug, Clone, PartialEq)]
pub struct Grant {
    pub on: NaiveDate,
    pub set: &'static str,
    pub level: RecognitionLevel,
    pub decision: String,
    pub batch: &'static str,
    /// The decision number is the published one (else generated, ending in `-DEMO`).
    pub published: bool,
}

/// A commune's part in the story.
#[derive(Debug, Clone)]
pub struct CommuneStory {
    pub code: String,
    pub name: String,
    pub grants: Vec<Grant>,
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
}

struct Batch {
    on: (i32, u32, u32),
    set: &'static str,
    level: RecognitionLevel,
    label: &'static str,
    /// Published size of the batch (`None`: whatever makes the end-of-story totals).
    size: Option<usize>,
    named: &'static [&'static str],
    decision: Option<&'static str>,
}

fn date((y, m, d): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

use RecognitionLevel::{Ntm, NtmKieuMau, NtmNangCao};

/// NTM: 113 by end 2017, +45 in 2018 = 158 (68.99 %), +15 in đợt 1 2019 = 173; the last ones
/// named in the 2021 and 2022 rounds. The first batch takes whatever the register holds more.
const NTM: &[Batch] = &[
    Batch {
        on: (2016, 12, 20),
        set: SET_2016,
        level: Ntm,
        label: "năm 2016",
        size: None,
        named: &[],
        decision: None,
    },
    Batch {
        on: (2017, 12, 20),
        set: SET_2016,
        level: Ntm,
        label: "năm 2017",
        size: Some(45),
        named: &[],
        decision: None,
    },
    Batch {
        on: (2018, 12, 20),
        set: SET_2016,
        level: Ntm,
        label: "năm 2018",
        size: Some(45),
        named: &[],
        decision: None,
    },
    Batch {
        on: (2019, 9, 30),
        set: SET_2016,
        level: Ntm,
        label: "đợt 1 năm 2019",
        size: Some(15),
        named: &[],
        decision: None,
    },
    Batch {
        on: (2020, 12, 20),
        set: SET_2016,
        level: Ntm,
        label: "năm 2020",
        size: Some(3),
        named: &[],
        decision: None,
    },
    // Decided under the 2016–2020 set, which governed until QĐ 318/QĐ-TTg (08/03/2022).
    Batch {
        on: (2021, 12, 20),
        set: SET_2016,
        level: Ntm,
        label: "năm 2021",
        size: Some(2),
        named: &["Xã Kỳ Lạc", "Xã Kỳ Tây"],
        decision: None,
    },
    Batch {
        on: (2022, 7, 15),
        set: SET_2021,
        level: Ntm,
        label: "đợt 1 năm 2022",
        size: Some(4),
        named: &[
            "Xã Phúc Đồng",
            "Xã Hòa Hải",
            "Xã Hương Bình",
            "Xã Hương Thủy",
        ],
        decision: None,
    },
];

/// Nâng cao: 25 in 2021, 6 in đợt 1 2022, 5 by QĐ 1763/QĐ-UBND in 2024; the 2023 and 2025
/// rounds fill up to 69 communes by mid-2025.
const ADVANCED: &[Batch] = &[
    // The 2021 round was decided under criteria the catalogue lacks (Hà Tĩnh's 2018–2020
    // nâng cao set); recorded on the first days the 2021–2025 sets govern (QĐ 318, 08/03/2022).
    Batch {
        on: (2022, 3, 15),
        set: SET_ADVANCED,
        level: NtmNangCao,
        label: "năm 2021",
        size: Some(25),
        named: &[
            "Xã Thạch Bình",
            "Xã Tượng Sơn",
            "Xã Thạch Hạ",
            "Xã Cẩm Bình",
            "Xã Xuân Thành",
            "Xã Thiên Lộc",
            "Xã Mai Phụ",
            "Xã Xuân Phổ",
        ],
        decision: None,
    },
    Batch {
        on: (2022, 7, 15),
        set: SET_ADVANCED,
        level: NtmNangCao,
        label: "đợt 1 năm 2022",
        size: Some(6),
        named: &[],
        decision: None,
    },
    Batch {
        on: (2023, 12, 20),
        set: SET_ADVANCED,
        level: NtmNangCao,
        label: "năm 2023",
        size: Some(20),
        named: &[],
        decision: None,
    },
    Batch {
        on: (2024, 6, 28),
        set: SET_ADVANCED,
        level: NtmNangCao,
        label: "đợt 1 năm 2024",
        size: Some(5),
        named: &[
            "Xã Đồng Môn",
            "Xã Thạch Liên",
            "Xã Xuân Hải",
            "Xã Xuân Yên",
            "Xã Xuân Mỹ",
        ],
        decision: Some("1763/QĐ-UBND"),
    },
    Batch {
        on: (2025, 5, 30),
        set: SET_ADVANCED,
        level: NtmNangCao,
        label: "đợt 1 năm 2025",
        size: None,
        named: &[],
        decision: None,
    },
];

/// Kiểu mẫu: Tượng Sơn in 2021, four in đợt 1 2022, two by QĐ 1763/QĐ-UBND in 2024; the 2023
/// and 2025 rounds fill up to 18 communes by mid-2025.
const MODEL: &[Batch] = &[
    // As the nâng cao round of 2021: QĐ 691/QĐ-TTg (2018–2020) is not in the catalogue.
    Batch {
        on: (2022, 3, 25),
        set: SET_ADVANCED,
        level: NtmKieuMau,
        label: "năm 2021",
        size: Some(1),
        named: &["Xã Tượng Sơn"],
        decision: None,
    },
    Batch {
        on: (2022, 7, 15),
        set: SET_ADVANCED,
        level: NtmKieuMau,
        label: "đợt 1 năm 2022",
        size: Some(4),
        named: &[
            "Xã Cẩm Bình",
            "Xã Xuân Thành",
            "Xã Thiên Lộc",
            "Xã Thạch Hạ",
        ],
        decision: None,
    },
    Batch {
        on: (2023, 12, 28),
        set: SET_ADVANCED,
        level: NtmKieuMau,
        label: "năm 2023",
        size: Some(6),
        named: &[],
        decision: None,
    },
    Batch {
        on: (2024, 6, 28),
        set: SET_ADVANCED,
        level: NtmKieuMau,
        label: "đợt 1 năm 2024",
        size: Some(2),
        named: &["Xã Mai Phụ", "Xã Xuân Phổ"],
        decision: Some("1763/QĐ-UBND"),
    },
    Batch {
        on: (2025, 5, 30),
        set: SET_ADVANCED,
        level: NtmKieuMau,
        label: "đợt 1 năm 2025",
        size: None,
        named: &[],
        decision: None,
    },
];

/// Communes at nâng cao or above, and at kiểu mẫu, among those still communes on 30/6/2025
/// (vietnamnet.vn, 14/09/2025).
pub const ADVANCED_MID_2025: usize = 69;
pub const MODEL_MID_2025: usize = 18;

/// The story of `communes` (code, name, registered as communes in 2016), of which `survivors`
/// are still communes on 30/6/2025.
pub fn plan(
    communes: &[(String, String)],
    survivors: &HashSet<String>,
    seed: u64,
) -> Vec<CommuneStory> {
    let mut dice = Dice::new(seed);
    let mut stories = untold(communes);
    let mut decision = 2016;
    give_ntm(&mut stories, &mut dice, &mut decision);
    for (levels, total) in [(ADVANCED, ADVANCED_MID_2025), (MODEL, MODEL_MID_2025)] {
        give_above_ntm(
            &mut stories,
            levels,
            total,
            survivors,
            &mut dice,
            &mut decision,
        );
    }
    mark_the_exceptions(&mut stories, survivors, &mut dice);
    stories
}

/// Each commune's story before anything happens in it.
fn untold(communes: &[(String, String)]) -> Vec<CommuneStory> {
    communes
        .iter()
        .map(|(code, name)| CommuneStory {
            code: code.clone(),
            name: name.clone(),
            grants: Vec::new(),
            at_risk: false,
            corrected: false,
            retracted: false,
        })
        .collect()
}

/// The NTM batches, drawn among every commune; the first takes whatever the others leave.
fn give_ntm(stories: &mut [CommuneStory], dice: &mut Dice, decision: &mut u32) {
    let everyone: Vec<usize> = (0..stories.len()).collect();
    let fixed: usize = NTM.iter().filter_map(|b| b.size).sum();
    for batch in NTM {
        let size = batch.size.unwrap_or(stories.len().saturating_sub(fixed));
        let eligible = |_: &CommuneStory| true;
        give(stories, batch, size, &everyone, eligible, dice, decision);
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
    for batch in levels {
        let level = batch.level;
        let held = |p: &CommuneStory| {
            survivors.contains(&p.code) && p.grants.iter().any(|g| g.level == level)
        };
        let counted = stories.iter().filter(|p| held(p)).count();
        let size = batch.size.unwrap_or(total.saturating_sub(counted));
        let on = date(batch.on);
        // Drawn among communes that last until mid-2025: nâng cao a year after NTM at
        // least, kiểu mẫu after nâng cao.
        let (below, gap) = match level {
            NtmKieuMau => (NtmNangCao, 1),
            _ => (Ntm, 365),
        };
        let eligible = |p: &CommuneStory| {
            survivors.contains(&p.code)
                && p.grants
                    .iter()
                    .any(|g| g.level == below && g.on < on - chrono::Days::new(gap))
        };
        give(stories, batch, size, &pool, eligible, dice, decision);
    }
}

/// Among surviving communes with the NTM recognition only, one at risk, one with a retracted
/// reading and three with a corrected one.
fn mark_the_exceptions(stories: &mut [CommuneStory], survivors: &HashSet<String>, dice: &mut Dice) {
    let mut plain: Vec<usize> = (0..stories.len())
        .filter(|&i| survivors.contains(&stories[i].code) && stories[i].grants.len() == 1)
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
        [NTM, ADVANCED, MODEL]
            .iter()
            .flat_map(|b| b.iter())
            .filter(|b| b.level == level)
            .any(|b| b.named.contains(&p.name.as_str()))
    };
    *decision += 1;
    let grant = Grant {
        on: date(batch.on),
        set: batch.set,
        level,
        decision: batch
            .decision
            .map_or_else(|| format!("{decision}/QĐ-UBND-DEMO"), str::to_owned),
        batch: batch.label,
        published: batch.decision.is_some(),
    };
    let mut chosen: Vec<usize> = pool
        .iter()
        .copied()
        .filter(|&i| batch.named.contains(&stories[i].name.as_str()) && !has(&stories[i]))
        .collect();
    let mut others: Vec<usize> = pool
        .iter()
        .copied()
        .filter(|&i| {
            let p = &stories[i];
            !has(p) && !named_anywhere(p) && eligible(p)
        })
        .collect();
    dice.shuffle(&mut others);
    let wanted = size.saturating_sub(chosen.len());
    chosen.extend(others.into_iter().take(wanted));
    for i in chosen {
        stories[i].grants.push(grant.clone());
    }
}
