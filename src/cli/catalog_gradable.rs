//! The gradability section of `ntm catalog show CODE --region R | --group G [--year Y]`: per year,
//! how many criteria readings can grade for that locality, and which cannot.

use std::io::Write;

use anyhow::bail;

use crate::domain::catalog::CriteriaSet;
use crate::domain::terms::{CommuneGroup, ThresholdRegion};

/// The locality a set's gradability is counted for.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct GradableFor {
    /// threshold region (TDMNPB, DBSH, BTB, DHNTB, TN, DNB, DBSCL); a commune under QĐ 318's
    /// special rule uses TDMNPB
    #[arg(long)]
    pub region: Option<String>,
    /// commune group of QĐ 51/2025 (1, 2 or 3)
    #[arg(long)]
    pub group: Option<String>,
    /// one year (default: every year of the set's period)
    #[arg(long)]
    pub year: Option<i32>,
}

fn parse<T: Copy + std::fmt::Display>(
    what: &str,
    s: Option<&str>,
    all: &[T],
    spelled: fn(&str) -> Option<T>,
) -> anyhow::Result<Option<T>> {
    let Some(s) = s else { return Ok(None) };
    match spelled(s) {
        Some(v) => Ok(Some(v)),
        None => {
            let known: Vec<String> = all.iter().map(ToString::to_string).collect();
            bail!("unknown {what} {s:?}; one of {}", known.join(", "))
        }
    }
}

/// Prints the section when a region or group is given, or when the set's targets vary by neither.
pub fn show(set: &CriteriaSet, at: &GradableFor, out: &mut dyn Write) -> anyhow::Result<()> {
    let region = parse(
        "region",
        at.region.as_deref(),
        ThresholdRegion::ALL,
        ThresholdRegion::from_spelling,
    )?;
    let group = parse(
        "group",
        at.group.as_deref(),
        CommuneGroup::ALL,
        CommuneGroup::from_spelling,
    )?;
    let basis_free = set.basis == crate::domain::catalog::ThresholdBasis::None;
    if region.is_none() && group.is_none() && !basis_free {
        writeln!(
            out,
            "Gradable from readings: give --region or --group to count them"
        )?;
        return Ok(());
    }
    let whom = match (region, group) {
        (Some(r), Some(g)) => format!("region {r}, group {}", g.number()),
        (Some(r), None) => format!("region {r}"),
        (None, Some(g)) => format!("group {}", g.number()),
        (None, None) => "every locality".into(),
    };
    writeln!(out, "Gradable from readings for {whom}:")?;
    let years = match at.year {
        Some(y) => y..=y,
        None => i32::from(set.period.from)..=i32::from(set.period.to),
    };
    for year in years {
        let g = set.gradability(region, group, year);
        let not: Vec<&str> = g.not_gradable.iter().map(|c| c.as_str()).collect();
        let untranscribed = if g.untranscribed > 0 {
            format!(" · {} not transcribed", g.untranscribed)
        } else {
            String::new()
        };
        writeln!(
            out,
            "  {year}: {} of {} criteria ({} on verified targets only){untranscribed}; not gradable: {}",
            g.gradable.len(),
            g.criteria,
            g.gradable_on_verified.len(),
            if not.is_empty() { "none".into() } else { not.join(", ") },
        )?;
    }
    Ok(())
}
