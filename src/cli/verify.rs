//! `ntm verify`: what held on stdout, the first finding on stderr, and the run recorded.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::app::clock::Clock;
use crate::app::verifications::{self, Verification};
use crate::app::verify::{verify, Finding, Report};
use crate::blobs::{AttachmentSettings, BlobStore};
use crate::domain::catalog::Catalog;
use crate::store::Db;

/// Exit 0 when everything matches, 2 on a finding. The run is recorded either way; a record
/// that cannot be written is said on stderr and changes neither the output nor the exit code.
/// Attached files are read from `blob_dir` (`None`: the database).
pub async fn run(db: Db, blob_dir: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let clock = Clock::SYSTEM;
    let started_at = clock.now();
    let settings = AttachmentSettings {
        dir: blob_dir,
        ..AttachmentSettings::default()
    };
    let blobs = BlobStore::new(db.clone(), settings);
    let report = verify(&db, &Catalog::shipped()?, &blobs).await?;
    let run = Verification::of(&report, started_at, clock.now());
    print_held(&report);
    if let Some(finding) = &report.finding {
        eprintln!("{finding}");
    }
    match verifications::record(&db, &run).await {
        Ok(id) => println!(
            "recorded: verification {id}, {} at {}",
            if run.ok() { "ok" } else { "failed" },
            run.finished_at.to_rfc3339()
        ),
        Err(error) => eprintln!("warning: this verification could not be recorded: {error}"),
    }
    Ok(match report.finding {
        Some(_) => ExitCode::from(2),
        None => ExitCode::SUCCESS,
    })
}

/// The checks that held, in order, up to the first that did not.
fn print_held(report: &Report) {
    let reached = match &report.finding {
        None => 6,
        Some(Finding::Event(_)) => 0,
        Some(Finding::Cycle(_)) => 1,
        Some(Finding::Projection(_)) => 2,
        Some(Finding::TokenIndex(_)) => 3,
        Some(Finding::AccountIndex(_)) => 4,
        Some(Finding::Attachment(_)) => 5,
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
        format!(
            "ok: the indexes of {} accounts and {} sessions match their events",
            report.users, report.sessions
        ),
        format!(
            "ok: {} attached files are in the blob store, each whole",
            report.attachments
        ),
    ];
    for line in &held[..reached] {
        println!("{line}");
    }
}
