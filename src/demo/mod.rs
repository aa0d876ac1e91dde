//! `ntm serve --demo`: the whole country's administrative units (GSO list of 2023, Hà Tĩnh's as
//! they were before its 2020 mergers), a generated but realistic 2016–2025 NTM history for Hà
//! Tĩnh's communes whose headline figures are the published ones, the ward title of the city's
//! named wards, the 2020 mergers with the thừa nhận that followed, and the July 2025
//! reorganisation; loaded into an empty database only.

mod history;
pub mod readings;
pub mod story;
mod wards;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context};
use chrono::{Days, NaiveDate};
use futures::TryStreamExt;

use crate::app::progress::Progress;
use crate::app::{Origin, Register};
use crate::auth::token;
use crate::domain::catalog::Catalog;
use crate::domain::terms::LocalityKind;
use crate::import::curated::{self, Lineage};
use crate::import::localities::{self, Terms};
use crate::import::reorganization::{self, Sources};
use crate::store::EventStore;

const COUNTRY: (&str, &str) = (
    "catalog/localities/localities-vn-pre2025.csv",
    include_str!("../../catalog/localities/localities-vn-pre2025.csv"),
);
const UNITS_2025: (&str, &str) = (
    "catalog/localities/localities-vn-2025.csv",
    include_str!("../../catalog/localities/localities-vn-2025.csv"),
);
const MAPPING_2025: (&str, &str) = (
    "catalog/localities/localities-vn-2025-ward-mapping.csv",
    include_str!("../../catalog/localities/localities-vn-2025-ward-mapping.csv"),
);
const HA_TINH_2020: (&str, &str) = (
    "catalog/lineage/42-ha-tinh-2020-01-01.toml",
    include_str!("../../catalog/lineage/42-ha-tinh-2020-01-01.toml"),
);
const HA_TINH_2025: (&str, &str) = (
    "catalog/lineage/42-ha-tinh-2025-01-01.toml",
    include_str!("../../catalog/lineage/42-ha-tinh-2025-01-01.toml"),
);

/// The client named in the metadata of every demo event; how a demo database is recognised.
pub const CLIENT: &str = "demo";
/// The seed of every generated figure.
pub const SEED: u64 = 2016;
/// Hà Tĩnh's GSO code and name.
pub const PROVINCE: (&str, &str) = ("42", "Tỉnh Hà Tĩnh");
/// The units of the 2023 list are registered from this date, when the demo's history begins.
pub const REGISTERED_ON: &str = "2016-01-01";

/// What loading did.
#[derive(Debug)]
pub enum Loaded {
    /// The database already holds the demo: nothing was written.
    AlreadyThere,
    Fresh {
        events: i64,
        seconds: f64,
    },
}

/// The demo is recorded as one run of an operator named `demo`.
fn origin() -> Origin {
    Origin::new("demo", "admin", CLIENT)
}

/// Loads the demo into an empty database; a database that already holds it is left alone and
/// any other database is refused. Tokens and published criteria sets do not count: the first
/// admin token and the release's sets (recorded at start-up) may come first.
/// Each part loaded is told to `progress` in a line.
pub async fn load(
    store: &EventStore,
    catalog: Arc<Catalog>,
    progress: &dyn Progress,
) -> anyhow::Result<Loaded> {
    if holds_the_demo(store).await? {
        return Ok(Loaded::AlreadyThere);
    }
    let started = Instant::now();
    let today = crate::app::clock::today();
    let mut register = Register::load(store, catalog.clone(), origin()).await?;
    let registered_on: NaiveDate = REGISTERED_ON.parse()?;
    let mergers = curated::parse(HA_TINH_2020.0, HA_TINH_2020.1)?;
    register_the_country(&mut register, &mergers, registered_on, today, progress).await?;
    let sources = Sources::parse(UNITS_2025, MAPPING_2025, &[HA_TINH_2025])?;
    let stories = ha_tinh_stories(&register, &sources, &mergers);
    let (before, after): (Vec<_>, Vec<_>) = stories.iter().partition(|s| !s.formed_2020);
    let first = Era::First(registered_on);
    record_the_histories(&mut register, &catalog, &before, first, today, progress).await?;
    merge_in_2020(&mut register, &mergers, today, progress).await?;
    let titles = wards::record_the_ward_titles(&mut register, &catalog, registered_on, today);
    let titles = titles.await?;
    progress.note(&format!(
        "demo: {titles} wards of Thành phố Hà Tĩnh given the title of {}",
        wards::WARD_SET
    ));
    let continuing = before.iter().copied().filter(|s| !s.ends_2019);
    let second: Vec<&story::CommuneStory> = after.into_iter().chain(continuing).collect();
    let era = Era::Second(mergers.effective);
    record_the_histories(&mut register, &catalog, &second, era, today, progress).await?;
    reorganise(&mut register, &sources, today, progress).await?;
    Ok(Loaded::Fresh {
        events: store.last_position().await?,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Whether the log (tokens aside) begins with the demo; an empty log does not, and a log that
/// begins with anything else is refused.
async fn holds_the_demo(store: &EventStore) -> anyhow::Result<bool> {
    let mut log = store.catch_up(0).try_filter(|e| {
        let other = [token::CATEGORY, crate::app::catalog::CATEGORY];
        std::future::ready(!other.iter().any(|c| e.stream_id.starts_with(c)))
    });
    let Some(first) = log.try_next().await? else {
        return Ok(false);
    };
    if first.metadata()?.client.as_deref() == Some(CLIENT) {
        return Ok(true);
    }
    bail!(
        "--demo loads into an empty database only, and this one already holds {} events \
         (not the demo's); point DATABASE_URL at a new file, e.g. sqlite://demo.db?mode=rwc",
        store.last_position().await?
    );
}

/// Every unit of the 2023 list, Hà Tĩnh's as they were before its 2020 mergers, registered from
/// `registered_on`.
async fn register_the_country(
    register: &mut Register,
    mergers: &Lineage,
    registered_on: NaiveDate,
    today: NaiveDate,
    progress: &dyn Progress,
) -> anyhow::Result<()> {
    let units = mergers.as_before(&localities::parse(COUNTRY.0, COUNTRY.1)?);
    let terms = Terms {
        file: COUNTRY.0.into(),
        effective_on: registered_on,
        act: None,
        today,
    };
    let country = localities::import(register, &units, &terms, progress).await?;
    progress.note(&format!(
        "demo: {} units of Vietnam registered from {registered_on}",
        country.created
    ));
    Ok(())
}

/// The story of Hà Tĩnh's communes: those of 2019, those the 2020 mergers form, knowing from
/// the mapping which are still communes in mid-2025.
fn ha_tinh_stories(
    register: &Register,
    sources: &Sources,
    mergers: &Lineage,
) -> Vec<story::CommuneStory> {
    let survivors: HashSet<String> = sources
        .old_units_of(PROVINCE.1)
        .into_iter()
        .filter(|(_, name)| name.starts_with("Xã "))
        .map(|(code, _)| code.to_string())
        .collect();
    let before = ha_tinh_communes(register, mergers.effective - Days::new(1));
    let formed: Vec<story::Formed> = mergers
        .merge
        .iter()
        .filter(|m| m.kind == Some(LocalityKind::Commune))
        .filter_map(|m| {
            Some(story::Formed {
                code: m.code.as_ref()?.to_string(),
                name: m.name.clone()?,
                sources: m.from.iter().map(ToString::to_string).collect(),
            })
        })
        .collect();
    let becomes_other = mergers
        .change
        .iter()
        .filter(|c| c.kind.is_some_and(|k| k != LocalityKind::Commune))
        .flat_map(|c| &c.codes);
    let ending: HashSet<String> = mergers
        .merge
        .iter()
        .flat_map(|m| &m.from)
        .chain(becomes_other)
        .map(ToString::to_string)
        .collect();
    let cast = story::Cast {
        before: &before,
        formed: &formed,
        ending: &ending,
        survivors: &survivors,
    };
    story::plan(&cast, SEED)
}

/// Which part of the history is recorded: until the 2020 mergers for the communes registered
/// on the date, or from them for the communes alive that day.
#[derive(Clone, Copy)]
enum Era {
    First(NaiveDate),
    Second(NaiveDate),
}

/// Each commune's history in `era`, one append per commune.
async fn record_the_histories(
    register: &mut Register,
    catalog: &Arc<Catalog>,
    stories: &[&story::CommuneStory],
    era: Era,
    today: NaiveDate,
    progress: &dyn Progress,
) -> anyhow::Result<()> {
    let (on, label) = match era {
        Era::First(on) => (on, "2016–2019"),
        Era::Second(on) => (on, "2020–2025"),
    };
    progress.stage(&format!("history {label}"), Some(stories.len() as u64));
    for (n, story) in stories.iter().enumerate() {
        progress.inc(1);
        let code = story.code.parse()?;
        let id = register
            .holder(&code, on)
            .cloned()
            .with_context(|| format!("commune {} is not registered on {on}", story.code))?;
        let state = register.state(&id).cloned().unwrap_or_default();
        let seed = SEED
            + n as u64
            + if matches!(era, Era::First(_)) {
                0
            } else {
                10_000
            };
        let mut script =
            history::Script::new(catalog.clone(), catalog, id.clone(), state, today, seed);
        let told = match era {
            Era::First(_) => history::first_period(&mut script, story),
            Era::Second(_) if story.formed_2020 => history::first_period(&mut script, story)
                .and_then(|()| history::second_period(&mut script, story)),
            Era::Second(_) => history::second_period(&mut script, story),
        };
        told.with_context(|| format!("the demo history of {} {}", story.code, story.name))?;
        register.record(vec![(id, script.events)], None).await?;
    }
    progress.note(&format!(
        "demo: the {label} history of {} Hà Tĩnh communes",
        stories.len()
    ));
    Ok(())
}

/// The 2020 mergers (Nghị quyết 819/NQ-UBTVQH14), as `ntm import reorganization --curated`
/// records them.
async fn merge_in_2020(
    register: &mut Register,
    mergers: &Lineage,
    today: NaiveDate,
    progress: &dyn Progress,
) -> anyhow::Result<()> {
    let applied = curated::apply(register, mergers, today).await?;
    progress.note(&format!(
        "demo: Hà Tĩnh's mergers of {} ({} mergers, {} changes, {} events)",
        mergers.effective, applied.mergers, applied.changes, applied.events
    ));
    Ok(())
}

/// The July 2025 reorganisation, as `ntm import reorganization` records it.
async fn reorganise(
    register: &mut Register,
    sources: &Sources,
    today: NaiveDate,
    progress: &dyn Progress,
) -> anyhow::Result<()> {
    let terms = reorganization::Terms {
        effective: "2025-07-01".parse()?,
        act: "19/2025/QĐ-TTg".parse()?,
        prior_effective: "2025-01-01".parse()?,
        prior_act: "35/2023/UBTVQH15".parse()?,
    };
    let summary = reorganization::run(register, sources, &terms, today, progress).await?;
    progress.note(&format!(
        "demo: the July 2025 reorganisation ({} events; {} units absorbed earlier, {} renames inferred)",
        summary.events,
        summary.absorbed.len(),
        summary.inferred_renames.len()
    ));
    Ok(())
}

/// Hà Tĩnh's communes (code, name) on `on`, in code order.
fn ha_tinh_communes(register: &Register, on: NaiveDate) -> Vec<(String, String)> {
    let province = PROVINCE
        .0
        .parse()
        .ok()
        .and_then(|c| register.holder(&c, on).cloned());
    let mut communes: Vec<(String, String)> = register
        .alive_on(on)
        .into_iter()
        .filter_map(|id| {
            let profile = register.state(id)?.profile();
            let district = profile.parents.on(on)?.as_ref()?;
            let parent_of_district = register.state(district)?.profile().parents.on(on)?.clone();
            (profile.kinds.on(on) == Some(&LocalityKind::Commune) && parent_of_district == province)
                .then(|| {
                    Some((
                        profile.code_on(on)?.to_string(),
                        profile.names.on(on)?.clone(),
                    ))
                })?
        })
        .collect();
    communes.sort();
    communes
}
