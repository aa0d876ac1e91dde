//! `ntm catalog publish FILE`, and the versions of a set as `list` and `show` print them.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use crate::app::publish::{publish as publish_set, PublishRequest};
use crate::app::{CatalogHandle, Origin};
use crate::domain::catalog::{Catalog, CriteriaSet};
use crate::domain::values::SetCode;
use crate::store::EventStore;

/// Publishes `file`: prints its code, version and start, or why it was refused (`FILE: key:
/// reason`, and nothing written).
pub async fn publish(
    store: &EventStore,
    handle: &CatalogHandle,
    file: &Path,
    correction: bool,
    origin: &Origin,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let toml = std::fs::read_to_string(file)
        .with_context(|| format!("{}: cannot read", file.display()))?;
    // The name, not the path: the event keeps it, and a local path says nothing to others.
    let name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let request = PublishRequest {
        file: &name,
        toml: &toml,
        correction,
    };
    let origin = Origin {
        client: "ntm catalog publish".into(),
        ..origin.clone()
    };
    let published = publish_set(store, handle, &request, &origin).await?;
    let state = match published.already {
        true => "already published",
        false => "published",
    };
    writeln!(
        out,
        "{} version {} in force from {}: {state} at position {}",
        published.code, published.version, published.effective_on, published.position
    )?;
    Ok(())
}

/// One line per version of `code`, oldest first.
pub fn version_lines(
    catalog: &Catalog,
    code: &SetCode,
    indent: &str,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    for v in catalog.versions_of(code) {
        writeln!(out, "{indent}version {}", describe(v))?;
    }
    Ok(())
}

/// The versions of a set under a heading, for `show`.
pub fn versions(catalog: &Catalog, code: &SetCode, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(out)?;
    writeln!(
        out,
        "Versions (SHA-256 of the file; the one in force grades each date):"
    )?;
    version_lines(catalog, code, "  ", out)
}

fn describe(v: &CriteriaSet) -> String {
    let grades = match (v.version_in_force.until, v.version_in_force.from) {
        (Some(until), from) if until <= from => "replaced by a correction".to_owned(),
        (Some(until), from) => format!("grades {from} to {until} (excluded)"),
        (None, from) => format!("grades from {from}"),
    };
    let published = match v.published_at {
        Some(position) => format!("published at position {position}"),
        None => "shipped, not recorded yet".to_owned(),
    };
    let act = v
        .legal_act
        .as_ref()
        .map_or_else(|| "no act number".to_owned(), ToString::to_string);
    let supersedes = v
        .supersedes
        .as_ref()
        .map(|s| format!(" · supersedes {s}"))
        .unwrap_or_default();
    format!(
        "{} · {act} · {grades} · {published} · {}{supersedes}",
        v.version, v.file
    )
}
