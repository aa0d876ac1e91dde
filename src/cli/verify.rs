//! `ntm verify`: what held on stdout, the first finding on stderr.

use std::process::ExitCode;

use crate::app::verify::{verify, Finding};
use crate::domain::catalog::Catalog;
use crate::store::Db;

/// Exit 0 when everything matches, 2 on a finding.
pub async fn run(db: Db) -> anyhow::Result<ExitCode> {
    let report = verify(&db, &Catalog::shipped()?).await?;
    let reached = match &report.finding {
        None => 4,
        Some(Finding::Event(_)) => 0,
        Some(Finding::Cycle(_)) => 1,
        Some(Finding::Projection(_)) => 2,
        Some(Finding::TokenIndex(_)) => 3,
    };
    let held = [
        format!(
            "ok: {} events in {} streams, every hash chain holds and every event decodes",
            report.events, report.streams
        ),
        "ok: the locality tree has no cycle on any date".to_owned(),
        format!(
            "ok: projections of {} localities match the log up to position {}",
            report.localities, report.checkpoint
        ),
        format!(
            "ok: the index of {} tokens matches their TokenCreated events",
            report.tokens
        ),
    ];
    for line in &held[..reached] {
        println!("{line}");
    }
    match report.finding {
        Some(finding) => {
            eprintln!("{finding}");
            Ok(ExitCode::from(2))
        }
        None => Ok(ExitCode::SUCCESS),
    }
}
