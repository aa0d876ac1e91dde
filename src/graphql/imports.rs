//! `importFacts(kind, file, dryRun)`: a fact file uploaded (GraphQL multipart request spec),
//! checked whole as `ntm import KIND` checks it, then authorised for the uploader (role and
//! scope, every event) and appended atomically through the command service, or not at all.

use async_graphql::{Context, Enum, SimpleObject, Upload};
use sha2::{Digest, Sha256};

use super::access::actor;
use super::command::Commands;
use super::{api, ApiError};
use crate::app::progress::Quiet;
use crate::app::{Origin, Register};
use crate::import::fact_kind::FactKind;
use crate::import::facts::{self, Checked};
use crate::import::table::RowError;

/// The kind of an uploaded file; `ntm template KIND` and the upload page give its template.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ImportKind {
    /// The year's registration list (danh sách đăng ký đạt chuẩn).
    Enrolments,
    /// Indicator readings (số liệu chỉ số).
    Readings,
    /// Criterion assessments (đánh giá tiêu chí).
    Assessments,
    /// Appraisal council votes (biểu quyết của hội đồng thẩm định).
    Votes,
    /// Recognition decisions, one row per commune (quyết định công nhận).
    Decisions,
    /// Acknowledgements after mergers (thừa nhận đạt chuẩn).
    Acknowledgements,
    /// Revocations (thu hồi quyết định công nhận).
    Revocations,
}

impl From<ImportKind> for FactKind {
    fn from(kind: ImportKind) -> FactKind {
        match kind {
            ImportKind::Enrolments => FactKind::Enrolments,
            ImportKind::Readings => FactKind::Readings,
            ImportKind::Assessments => FactKind::Assessments,
            ImportKind::Votes => FactKind::Votes,
            ImportKind::Decisions => FactKind::Decisions,
            ImportKind::Acknowledgements => FactKind::Acknowledgements,
            ImportKind::Revocations => FactKind::Revocations,
        }
    }
}

/// One problem of a file, where a spreadsheet shows it.
#[derive(SimpleObject, Debug, Clone)]
pub struct ImportRowError {
    /// The row as a spreadsheet numbers it (the header is row 1).
    pub row: i32,
    /// The column as the file names it; `(header)` or `(row)` when not one cell.
    pub column: String,
    /// What is wrong, with what was expected.
    pub message: String,
    /// `FILE` (the file or its header cannot be read), `ROW` (a cell or a refused row).
    pub code: String,
    /// The domain's name of the refusal when the domain refused the row or cell (as
    /// `extensions.problem` of a mutation's error, e.g. `EFFECTIVE_IN_FUTURE`); null otherwise.
    pub problem: Option<String>,
}

impl From<&RowError> for ImportRowError {
    fn from(error: &RowError) -> Self {
        let code = match error.column.as_str() {
            "(header)" | "(file)" => "FILE",
            _ => "ROW",
        };
        ImportRowError {
            row: i32::try_from(error.row).unwrap_or(i32::MAX),
            column: error.column.clone(),
            message: error.problem.clone(),
            code: code.to_owned(),
            problem: error.reason.map(str::to_owned),
        }
    }
}

/// What an upload did or, with errors or as a dry run, would do.
#[derive(SimpleObject, Debug, Clone)]
pub struct ImportSummary {
    /// What the file holds.
    pub kind: ImportKind,
    /// The file's name as uploaded.
    pub file: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
    /// Rows read (the header not counted).
    pub rows: i32,
    /// Rows recorded (or that would be).
    pub recorded: i32,
    /// Every problem, in file order; any one means nothing was written.
    pub errors: Vec<ImportRowError>,
    /// Whether this was a dry run (checked and authorised only).
    pub dry_run: bool,
    /// Whether the file was appended (one atomic append).
    pub written: bool,
    /// The log position of the append's last event: pass it as `minPosition` to read it.
    pub position: Option<i64>,
}

/// Largest file accepted (10 MiB): about 100,000 rows of CSV.
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;

/// Checks the uploaded file and, unless `dry_run` or it has errors, appends it.
pub async fn import_facts(
    ctx: &Context<'_>,
    kind: ImportKind,
    file: Upload,
    dry_run: bool,
) -> Result<ImportSummary, ApiError> {
    let upload = file
        .value(ctx)
        .map_err(|e| ApiError::validation("file", format!("the upload cannot be read: {e}")))?;
    let bytes = upload.content.to_vec();
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let name = upload.filename.clone();
    let checked = check(ctx, kind.into(), &name, &bytes).await?;
    let mut summary = ImportSummary {
        kind,
        file: name,
        sha256: sha256.clone(),
        rows: count(checked.report.rows),
        recorded: count(checked.report.recorded),
        errors: checked.report.errors.iter().map(Into::into).collect(),
        dry_run,
        written: false,
        position: None,
    };
    if !summary.errors.is_empty() || checked.streams.is_empty() {
        return Ok(summary);
    }
    let service = &api(ctx)?.commands;
    if dry_run {
        service
            .authorise_only(actor(ctx)?, &checked.streams)
            .await?;
        return Ok(summary);
    }
    let involved = checked.involved();
    let catalog = service.catalog();
    let today = super::clock(ctx).today();
    let key = format!("import-{}/{sha256}", FactKind::from(kind).slug());
    let decide = |states: &_| facts::decide_again(catalog.clone(), &checked.rows, states, today);
    let result = Commands::of(ctx)?
        .many(&involved[0], &involved, &key, decide)
        .await?;
    summary.written = true;
    summary.position = Some(result.position);
    Ok(summary)
}

/// The file decided against the whole register, as the uploader.
async fn check(
    ctx: &Context<'_>,
    kind: FactKind,
    name: &str,
    bytes: &[u8],
) -> Result<Checked, ApiError> {
    let context = api(ctx)?;
    let origin = Origin::token(actor(ctx)?, "graphql");
    let catalog = context.commands.catalog();
    let register = Register::load(&context.store, catalog, origin).await?;
    let today = super::clock(ctx).today();
    facts::check(&register, kind, name, bytes, today, &Quiet).map_err(ApiError::internal)
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}
