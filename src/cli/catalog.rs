//! `ntm catalog list | show CODE | publish FILE`: prints the criteria catalogue in Vietnamese and
//! English, with the provenance of every target, how many criteria readings can grade and the
//! versions of each set; publishes a set or a new version of one.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;

use crate::domain::catalog::{
    Catalog, CriteriaSet, Criterion, Indicator, Provenance, Target, TargetScope,
};
use crate::domain::values::SetCode;

use super::catalog_gradable::{self, GradableFor};
use super::catalog_publish;
use crate::app::{CatalogHandle, Origin};
use crate::store::EventStore;

#[derive(clap::Subcommand, Debug)]
pub enum CatalogCommand {
    /// list sets
    List,
    /// show one set; with --region or --group, the criteria readings can grade
    Show {
        code: String,
        #[command(flatten)]
        gradable: GradableFor,
    },
    /// publish a set, or a new version of one, from a TOML file (checked whole; nothing is
    /// written when it is refused; publishing the same file again writes nothing)
    Publish {
        file: PathBuf,
        /// Let the file replace, for every date, the version of its set that starts on the same
        /// day (a transcription fix); without it such a file is refused.
        #[arg(long)]
        correction: bool,
    },
}

pub async fn run(
    store: &EventStore,
    handle: &CatalogHandle,
    cmd: &CatalogCommand,
    origin: &Origin,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match cmd {
        CatalogCommand::Publish { file, correction } => {
            catalog_publish::publish(store, handle, file, *correction, origin, out).await
        }
        _ => print(&handle.current(), cmd, out),
    }
}

/// `list` and `show` of `catalog`.
pub fn print(catalog: &Catalog, cmd: &CatalogCommand, out: &mut dyn Write) -> anyhow::Result<()> {
    match cmd {
        CatalogCommand::List => list(catalog, out),
        CatalogCommand::Show { code, gradable } => {
            let code: SetCode = code.parse()?;
            let set = catalog.get(&code).with_context(|| {
                format!("no criteria set {code}; `ntm catalog list` shows the codes")
            })?;
            show(set, out)?;
            catalog_gradable::show(set, gradable, out)?;
            catalog_publish::versions(catalog, &code, out)
        }
        CatalogCommand::Publish { .. } => anyhow::bail!("publishing needs the database"),
    }
}

fn list(catalog: &Catalog, out: &mut dyn Write) -> anyhow::Result<()> {
    for set in catalog.sets() {
        writeln!(out, "{}", set.code)?;
        writeln!(out, "  {}", set.title_vi)?;
        writeln!(out, "  {}", set.title_en)?;
        let count = set.indicator_count();
        let indicators = match set.declared_indicators.map(|d| d as usize) {
            Some(declared) if declared > count => format!("{count} of {declared} indicators"),
            // An official indicator with two thresholds is read as two.
            Some(declared) if declared < count => {
                format!("{count} indicators read ({declared} official)")
            }
            _ => format!("{count} indicators"),
        };
        let indicators = if set.indicators_complete {
            indicators
        } else {
            format!("{indicators} (partial list)")
        };
        writeln!(
            out,
            "  {} · {}–{} · {} criteria{} · {indicators}",
            legal_act(set),
            set.period.from,
            set.period.to,
            set.criteria.len(),
            if set.criteria_complete {
                ""
            } else {
                " (partial list)"
            },
        )?;
        let t = set.target_provenance();
        writeln!(
            out,
            "  targets: {} verified · {} recalled · {} inferred · {} unknown",
            t.verified, t.recalled, t.inferred, t.unknown
        )?;
        catalog_publish::version_lines(catalog, &set.code, "  ", out)?;
    }
    Ok(())
}

/// Whose territory the set grades, what it restates, and the special-commune region.
fn territory_line(set: &CriteriaSet) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(code) = &set.territory {
        parts.push(format!("territory of province {code}"));
    }
    if let Some(national) = &set.restates {
        parts.push(format!(
            "restates {national} (its targets laid over the national ones)"
        ));
    }
    if let Some(region) = set.special_region {
        parts.push(format!("special communes graded as {region}"));
    }
    (!parts.is_empty()).then(|| format!("Grades: {}", parts.join(" · ")))
}

fn legal_act(set: &CriteriaSet) -> String {
    set.legal_act
        .as_ref()
        .map_or_else(|| "legal act number not found".into(), ToString::to_string)
}

fn provenance(p: &Provenance) -> String {
    match p {
        Provenance::Verified { source } => format!("verified: {source}"),
        other => other.label().to_string(),
    }
}

fn show(set: &CriteriaSet, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(out, "{} — {}", set.code, set.title_vi)?;
    writeln!(out, "{}", set.title_en)?;
    writeln!(
        out,
        "Legal act: {} (signed {})",
        legal_act(set),
        opt(set.signed_on)
    )?;
    writeln!(out, "Period: {}–{}", set.period.from, set.period.to)?;
    let kinds: Vec<String> = set.applies_to.iter().map(ToString::to_string).collect();
    writeln!(
        out,
        "Applies to: {} · level granted: {}",
        kinds.join(", "),
        set.level
    )?;
    writeln!(out, "Thresholds by: {:?}", set.basis)?;
    if let Some(line) = territory_line(set) {
        writeln!(out, "{line}")?;
    }
    let t = set.target_provenance();
    writeln!(
        out,
        "Targets: {} verified · {} recalled · {} inferred · {} unknown",
        t.verified, t.recalled, t.inferred, t.unknown
    )?;
    writeln!(
        out,
        "Provenance: {} · research: {}",
        provenance(&set.provenance),
        set.research
    )?;
    if let Some(note) = &set.note {
        writeln!(out, "Note: {note}")?;
    }
    let keys: Vec<&str> = set.key_criteria.iter().map(|k| k.as_str()).collect();
    match &set.revocation_act {
        Some(act) => writeln!(out, "Key criteria ({act}): {}", keys.join(", "))?,
        None => writeln!(
            out,
            "Key criteria: none (no revocation rule applies to this set)"
        )?,
    }
    writeln!(out)?;
    for criterion in &set.criteria {
        show_criterion(criterion, "Criterion", set.is_key(&criterion.code), out)?;
    }
    for condition in &set.conditions {
        let label = format!("Condition for {}", condition.level);
        show_criterion(&condition.criterion, &label, false, out)?;
    }
    Ok(())
}

fn opt(date: Option<chrono::NaiveDate>) -> String {
    date.map_or_else(|| "date not found".into(), |d| d.to_string())
}

fn show_criterion(
    c: &Criterion,
    label: &str,
    key: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let key = if key { " [key]" } else { "" };
    writeln!(
        out,
        "{label} {}{key}: {} / {}",
        c.code, c.name_vi, c.name_en
    )?;
    writeln!(out, "  provenance: {}", provenance(&c.provenance))?;
    if let Some(note) = &c.note {
        writeln!(out, "  note: {note}")?;
    }
    if c.indicators.is_empty() {
        writeln!(
            out,
            "  (no indicators transcribed: graded by official assessment only)"
        )?;
    }
    for indicator in &c.indicators {
        show_indicator(indicator, out)?;
    }
    Ok(())
}

fn show_indicator(i: &Indicator, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(out, "  {} {} / {}", i.code, i.name_vi, i.name_en)?;
    let unit = if i.unit.is_empty() {
        String::new()
    } else {
        format!(", {}", i.unit)
    };
    writeln!(
        out,
        "    {}{unit}, definition {}",
        i.kind,
        provenance(&i.provenance)
    )?;
    for target in &i.targets {
        writeln!(out, "    {}", target_line(i, target))?;
    }
    Ok(())
}

fn target_line(i: &Indicator, t: &Target) -> String {
    let scope = match t.scope {
        TargetScope::All => "all".to_string(),
        TargetScope::Region(r) => format!("region {r}"),
        TargetScope::Group(g) => format!("group {}", g.number()),
    };
    let years = t
        .years
        .map_or_else(String::new, |y| format!(" {}–{}", y.from, y.to));
    let value = t.value.map_or_else(
        || "unknown".to_string(),
        |v| format!("{} {v}", i.comparator.symbol()),
    );
    let note = t
        .note
        .as_ref()
        .map_or_else(String::new, |n| format!(" — {n}"));
    format!(
        "{scope}{years}: {value} ({}){note}",
        provenance(&t.provenance)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Catalog {
        Catalog::shipped().expect("catalogue")
    }

    fn output(cmd: CatalogCommand) -> String {
        let mut out = Vec::new();
        print(&shipped(), &cmd, &mut out).expect("command runs");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn list_prints_every_set_with_both_names() {
        let text = output(CatalogCommand::List);
        for code in [
            "NTM-XA-2016-2020",
            "NTM-XA-2021-2025",
            "NTM-XA-2026-2030",
            "DTVM-2022",
        ] {
            assert!(text.contains(code), "{code} missing");
        }
        assert!(text.contains("Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2016–2020"));
        assert!(text.contains("19 criteria · 50 indicators read (49 official)"));
        assert!(text.contains("0 of 47 indicators (partial list)"));
        assert!(text.contains("targets: 52 verified · 29 recalled · 0 inferred · 11 unknown"));
    }

    #[test]
    fn show_prints_targets_with_provenance_and_key_criteria() {
        let text = output(CatalogCommand::Show {
            code: "NTM-XA-2016-2020".into(),
            gradable: GradableFor::default(),
        });
        assert!(text.contains("region BTB: >= 98 % (recalled)"), "{text}");
        assert!(text.contains("region DNB 2020–2020: >= 59 (verified"));
        let text = output(CatalogCommand::Show {
            code: "NTM-XA-2021-2025".into(),
            gradable: GradableFor::default(),
        });
        assert!(text.contains("Criterion 10 [key]: Thu nhập / Income"));
        let mut sink = Vec::new();
        let missing = CatalogCommand::Show {
            code: "NOPE".into(),
            gradable: GradableFor::default(),
        };
        assert!(print(&shipped(), &missing, &mut sink).is_err());
    }

    fn gradable(
        code: &str,
        region: Option<&str>,
        group: Option<&str>,
        year: Option<i32>,
    ) -> String {
        output(CatalogCommand::Show {
            code: code.into(),
            gradable: GradableFor {
                region: region.map(Into::into),
                group: group.map(Into::into),
                year,
            },
        })
    }

    #[test]
    fn show_counts_the_criteria_readings_can_grade_for_a_region() {
        let text = gradable("NTM-XA-2021-2025", Some("BTB"), None, Some(2024));
        assert!(
            text.contains("Gradable from readings for region BTB:"),
            "{text}"
        );
        assert!(text.contains(
            "  2024: 7 of 19 criteria (2 on verified targets only); not gradable: 2, 4, 6, 8, 9, 10, 11, 12, 14, 15, 16, 17"
        ));
        let every_year = gradable("NTM-XA-2016-2020", Some("BTB"), None, None);
        assert!(every_year.contains(
            "  2019: 16 of 19 criteria (2 on verified targets only); not gradable: 2, 10, 17"
        ));
        assert!(every_year.contains(
            "  2020: 17 of 19 criteria (3 on verified targets only); not gradable: 2, 17"
        ));
        let partial = gradable("NTM-XA-NANG-CAO-2021-2025", Some("BTB"), None, Some(2024));
        assert!(
            partial.contains("0 of 19 criteria (0 on verified targets only) · 14 not transcribed"),
            "{partial}"
        );
        let without = gradable("NTM-XA-2021-2025", None, None, None);
        assert!(without.contains("give --region or --group"));
        let mut sink = Vec::new();
        let bad = CatalogCommand::Show {
            code: "NTM-XA-2021-2025".into(),
            gradable: GradableFor {
                region: Some("HT".into()),
                ..GradableFor::default()
            },
        };
        let error = print(&shipped(), &bad, &mut sink)
            .expect_err("unknown region")
            .to_string();
        assert!(
            error.contains("unknown region \"HT\"; one of TDMNPB"),
            "{error}"
        );
    }
}
