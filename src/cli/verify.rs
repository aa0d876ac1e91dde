//! `ntm verify`: what held on stdout, the first finding on stderr, and the run recorded.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::app::clock::Clock;
use crate::app::verifications::{self, Verification};
use anyhow::Context;

use super::transparency::verifier_key;
use crate::app::verify::{verify_held, Finding, Held, Report};
use crate::blobs::{AttachmentSettings, BlobStore};
use crate::checkpoint::{Checkpoint, LogSettings, NoteVerifier};
use crate::domain::catalog::Catalog;
use crate::store::Db;

/// `ntm verify`'s arguments.
#[derive(Debug, Default, clap::Args)]
pub struct VerifyArgs {
    /// A checkpoint held outside the database (a signed note kept from `ntm checkpoint` or
    /// `GET /checkpoint`): the log must still begin with exactly the events it signed.
    /// Repeatable.
    #[arg(long = "checkpoint", value_name = "FILE")]
    pub checkpoints: Vec<PathBuf>,
    /// The log's verifier key (`name+id+key`, or a file holding it) that signed them; default:
    /// the verifier of `--checkpoint-key`.
    #[arg(id = "verifier_key", long = "key", value_name = "VKEY", value_parser = verifier_key)]
    pub key: Option<NoteVerifier>,
}

impl VerifyArgs {
    /// The checkpoints held outside, each checked against the key, and the key.
    fn held(&self, log: &LogSettings) -> anyhow::Result<Held> {
        let key = self
            .key
            .clone()
            .or_else(|| log.signer.as_ref().map(|s| s.verifier()));
        let mut outside = Vec::new();
        for path in &self.checkpoints {
            let key = key.as_ref().context(
                "a checkpoint held outside needs the log's verifier key: give --key VKEY",
            )?;
            let note = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let (checkpoint, _) = Checkpoint::open(&note, key).with_context(|| {
                format!("{} is not a checkpoint signed by {key}", path.display())
            })?;
            outside.push(checkpoint);
        }
        Ok(Held { outside, key })
    }
}

/// Exit 0 when everything matches, 2 on a finding. The run is recorded either way; a record
/// that cannot be written is said on stderr and changes neither the output nor the exit code.
/// Attached files are read from `blob_dir` (`None`: the database).
pub async fn run(
    db: Db,
    blob_dir: Option<PathBuf>,
    args: &VerifyArgs,
    log: &LogSettings,
) -> anyhow::Result<ExitCode> {
    let held = args.held(log)?;
    let clock = Clock::SYSTEM;
    let started_at = clock.now();
    let settings = AttachmentSettings {
        dir: blob_dir,
        ..AttachmentSettings::default()
    };
    let blobs = BlobStore::new(db.clone(), settings);
    let report = verify_held(&db, &Catalog::shipped()?, &blobs, &held).await?;
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
        None => 7,
        Some(Finding::Event(_)) => 0,
        Some(Finding::Tree(_)) => 1,
        Some(Finding::Cycle(_)) => 2,
        Some(Finding::Projection(_)) => 3,
        Some(Finding::TokenIndex(_)) => 4,
        Some(Finding::AccountIndex(_)) => 5,
        Some(Finding::Attachment(_)) => 6,
    };
    let held = [
        format!(
            "ok: {} events in {} streams, every hash chain holds and every event decodes",
            report.events, report.streams
        ),
        format!(
            "ok: the Merkle tree of {} events matches its stored nodes and {} checkpoints",
            report.events, report.checkpoints
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
