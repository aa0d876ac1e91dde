//! `ntm report summary|criteria|decisions`: a report as offices send it, read through the API
//! in the process once the read tables include the whole log, written to a file and (without
//! `--draft`) recorded as issued; `ntm report verify FILE` says whether that exact file was.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use uuid::Uuid;

use crate::app::clock::Clock;
use crate::app::reports::{issue, issued_with, sha256_hex, Issued, ToIssue};
use crate::app::{CatalogHandle, CommandService, Origin, Redecide};
use crate::auth::{Actor, Role};
use crate::blobs::{AttachmentSettings, BlobStore};
use crate::graphql::{ApiContext, InProcess, ResponseCache};
use crate::metrics::Metrics;
use crate::projection::read::Readers;
use crate::projection::{self, ProjectorConfig};
use crate::report::{make, Format, ReportKind, Request, Source};
use crate::store::EventStore;

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// Báo cáo tổng hợp: per child unit, communes recognised, bands, average, at risk.
    #[command(alias = "tong-hop")]
    Summary(MakeArgs),
    /// Bảng tiêu chí: communes × criteria, with the totals per criterion.
    #[command(alias = "bang-tieu-chi")]
    Criteria(MakeArgs),
    /// Danh sách quyết định: recognitions, revocations, acknowledgements of a period.
    #[command(alias = "quyet-dinh")]
    Decisions(MakeArgs),
    /// Whether FILE is a report issued (its SHA-256 recorded), when and by whom.
    Verify { file: PathBuf },
}

#[derive(Args, Debug)]
pub struct MakeArgs {
    /// Code of the parent unit on the date (a province; a district before 1/7/2025).
    #[arg(long)]
    parent: String,
    /// The date the figures are of (default today in Vietnam); for `decisions`, the period's
    /// last day unless `--to` is given.
    #[arg(long)]
    on: Option<NaiveDate>,
    /// A second date: the summary's changes since then.
    #[arg(long)]
    compare: Option<NaiveDate>,
    /// For `decisions`: the period's first day (default 1 January of its last day's year).
    #[arg(long)]
    from: Option<NaiveDate>,
    /// For `decisions`: the period's last day.
    #[arg(long)]
    to: Option<NaiveDate>,
    /// `xlsx` (default) or `csv`.
    #[arg(long, default_value = "xlsx", value_parser = parse_format)]
    format: Format,
    /// Where to write the file (default: its name, e.g. tong-hop-42-2024-12-31.xlsx).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Make the file without recording it as issued.
    #[arg(long)]
    draft: bool,
}

fn parse_format(text: &str) -> Result<Format, String> {
    Format::parse(text).ok_or_else(|| format!("{text:?} is not a report format (xlsx, csv)"))
}

pub async fn run(
    store: EventStore,
    catalog: CatalogHandle,
    command: ReportCommand,
    origin: &Origin,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    let (kind, args) = match command {
        ReportCommand::Summary(args) => (ReportKind::Summary, args),
        ReportCommand::Criteria(args) => (ReportKind::Criteria, args),
        ReportCommand::Decisions(args) => (ReportKind::Decisions, args),
        ReportCommand::Verify { file } => return verify(&store, &file, out).await,
    };
    let clock = Clock::SYSTEM;
    let on = args.to.or(args.on).unwrap_or_else(|| clock.today());
    let request = Request {
        kind,
        parent: args.parent.trim().to_owned(),
        on,
        compare: args.compare,
        from: args.from,
    };
    let api = reading_api(&store, catalog).await?;
    let actor = Actor {
        token_id: Uuid::nil(),
        user_id: None,
        name: origin.actor.clone(),
        role: Role::Admin,
        scope: None,
    };
    let source = Source {
        api: &api,
        actor: Some(actor),
    };
    let made = make(&source, &request, args.format, clock.now()).await?;
    let path = args.out.unwrap_or_else(|| PathBuf::from(&made.file_name));
    std::fs::write(&path, &made.bytes).with_context(|| format!("writing {}", path.display()))?;
    let sha256 = sha256_hex(&made.bytes);
    writeln!(
        out,
        "{}: {} bytes, SHA-256 {sha256}, figures read at event {}",
        path.display(),
        made.bytes.len(),
        made.position
    )?;
    if args.draft {
        writeln!(out, "draft: not recorded as issued")?;
        return Ok(ExitCode::SUCCESS);
    }
    let issued = issue(
        &store,
        ToIssue {
            kind: kind.name(),
            parameters: request.parameters(),
            format: args.format.extension(),
            file_name: &made.file_name,
            bytes: &made.bytes,
            data_position: made.position,
        },
        origin,
    )
    .await?;
    writeln!(
        out,
        "issued: report/{} recorded at position {}",
        issued.event.report_id, issued.position
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The API over `store`, read as it stands once the read tables include every event so far.
async fn reading_api(store: &EventStore, catalog: CatalogHandle) -> anyhow::Result<InProcess> {
    let (projections, _projector) =
        projection::spawn(store.clone(), catalog.clone(), ProjectorConfig::default());
    let head = store.last_position().await?;
    projections
        .wait_for(head, Duration::from_secs(600))
        .await
        .context("bringing the read tables up to the end of the log")?;
    let clock = Clock::SYSTEM;
    let context = ApiContext {
        store: store.clone(),
        catalog: catalog.clone(),
        projections,
        public_read: false,
        readers: Readers::new(store.db().clone()),
        commands: CommandService::new(store.clone(), catalog, Redecide::default())
            .with_clock(clock),
        clock,
        request_timeout: Duration::from_secs(600),
        introspection: false,
        metrics: Metrics::default(),
        responses: ResponseCache::new(0),
        // Reports read no attached file.
        blobs: BlobStore::new(store.db().clone(), AttachmentSettings::default()),
        checkpoints: crate::checkpoint::LogSettings::default().checkpoints(store.clone()),
    };
    Ok(InProcess::new(context))
}

/// Prints every issue of `file`'s exact bytes; fails when it was never issued.
async fn verify(
    store: &EventStore,
    file: &PathBuf,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let sha256 = sha256_hex(&bytes);
    let issued = issued_with(store, &sha256).await?;
    if issued.is_empty() {
        writeln!(
            out,
            "{}: SHA-256 {sha256} was never issued (not this exact file)",
            file.display()
        )?;
        return Ok(ExitCode::FAILURE);
    }
    for Issued {
        event,
        position,
        recorded_at,
        actor,
        role,
    } in &issued
    {
        writeln!(
            out,
            "{}: issued as {} ({} {}, {}) at {recorded_at} by {actor} ({role}), event {position}, figures read at event {}",
            file.display(),
            event.file_name,
            event.kind,
            event.format,
            event.parameters,
            event.data_position
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
