//! The reports coordination offices send upward (issue 21, item 5), in Vietnamese, as `.xlsx`
//! or CSV: the periodic summary by unit, the commune × criteria sheet, and the recognitions and
//! revocations of a period. Their figures are read through the API's own documents, run in the
//! process as the caller ([`InProcess`]), so a report says what `summary`, `standing` and the
//! `events` feed say for the same date. Issuing one records its SHA-256 (`app::reports`).

mod criteria;
mod decisions;
mod render;
mod summary;
mod table;

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::json;

use crate::auth::Actor;
use crate::graphql::{InProcess, InProcessError};
pub use render::Format;
pub use table::{Cell, Table};

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    /// Báo cáo tổng hợp: per child unit, recognised communes, bands, averages, risks.
    Summary,
    /// Bảng tiêu chí: communes × criteria.
    Criteria,
    /// Danh sách quyết định: recognitions, revocations and acknowledgements of a period.
    Decisions,
}

impl ReportKind {
    pub const ALL: [ReportKind; 3] = [
        ReportKind::Summary,
        ReportKind::Criteria,
        ReportKind::Decisions,
    ];

    /// `summary`, `criteria`, `decisions` or their Vietnamese slugs.
    pub fn parse(text: &str) -> Option<ReportKind> {
        Self::ALL
            .into_iter()
            .find(|k| text == k.name() || text == k.slug())
    }

    /// The English name (`ntm report KIND`, the event's `kind`).
    pub fn name(self) -> &'static str {
        match self {
            ReportKind::Summary => "summary",
            ReportKind::Criteria => "criteria",
            ReportKind::Decisions => "decisions",
        }
    }

    /// The Vietnamese slug (the form's value and the file's name).
    pub fn slug(self) -> &'static str {
        match self {
            ReportKind::Summary => "tong-hop",
            ReportKind::Criteria => "bang-tieu-chi",
            ReportKind::Decisions => "quyet-dinh",
        }
    }

    /// Its name in the form.
    pub fn label(self) -> &'static str {
        match self {
            ReportKind::Summary => "Báo cáo tổng hợp theo đơn vị",
            ReportKind::Criteria => "Bảng tiêu chí của từng xã",
            ReportKind::Decisions => "Danh sách quyết định công nhận, thu hồi",
        }
    }
}

/// What a report is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub kind: ReportKind,
    /// The code of the parent unit on `on` (a province; a district before 1/7/2025).
    pub parent: String,
    /// The date the figures are of; for `decisions`, the last day of the period.
    pub on: NaiveDate,
    /// A second date for the summary's changes.
    pub compare: Option<NaiveDate>,
    /// For `decisions`: the first day of the period (default: 1 January of `on`'s year).
    pub from: Option<NaiveDate>,
}

impl Request {
    /// The first day of a decisions report's period.
    pub fn period_start(&self) -> NaiveDate {
        self.from
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(self.on.year(), 1, 1).unwrap_or(self.on))
    }

    /// The parameters as the issued event records them.
    pub fn parameters(&self) -> serde_json::Value {
        let from = (self.kind == ReportKind::Decisions).then(|| self.period_start());
        json!({ "parent": self.parent, "on": self.on, "compare": self.compare, "from": from })
    }

    /// A file name without accents or spaces, e.g. `tong-hop-42-2024-12-31.xlsx`.
    pub fn file_name(&self, format: Format) -> String {
        let code: String = self
            .parent
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let dates = match self.kind {
            ReportKind::Decisions => format!("{}-{}", self.period_start(), self.on),
            _ => self.on.to_string(),
        };
        format!("{}-{code}-{dates}.{}", self.kind.slug(), format.extension())
    }
}

/// Why no report was made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("không có đơn vị mang mã {code} vào ngày {on}")]
    UnknownParent { code: String, on: NaiveDate },
    #[error("{0}")]
    Invalid(String),
    #[error("không đọc được số liệu: {0}")]
    Read(#[from] InProcessError),
    #[error("không tạo được tệp: {0}")]
    File(String),
}

/// Where the figures come from: the API in the process, read as `actor`.
pub struct Source<'a> {
    pub api: &'a InProcess,
    pub actor: Option<Actor>,
}

impl Source<'_> {
    async fn query<T: serde::de::DeserializeOwned>(
        &self,
        document: &str,
        variables: serde_json::Value,
    ) -> Result<T, InProcessError> {
        self.api
            .query(document, variables, self.actor.clone())
            .await
    }

    /// Every node of the one connection `document` selects at its root, page after page:
    /// `variables` with `after` set to each page's end cursor.
    async fn every_node<N: serde::de::DeserializeOwned>(
        &self,
        document: &str,
        mut variables: serde_json::Value,
    ) -> Result<Vec<N>, InProcessError> {
        let mut all = Vec::new();
        loop {
            let root: HashMap<String, Connection<N>> =
                self.query(document, variables.clone()).await?;
            let Some(page) = root.into_values().next() else {
                return Ok(all);
            };
            all.extend(page.edges.into_iter().map(|e| e.node));
            match page.page_info {
                PageInfo {
                    has_next_page: true,
                    end_cursor: Some(cursor),
                } => variables["after"] = serde_json::Value::from(cursor),
                _ => return Ok(all),
            }
        }
    }
}

/// One page of a connection.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Connection<N> {
    page_info: PageInfo,
    edges: Vec<Edge<N>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PageInfo {
    has_next_page: bool,
    end_cursor: Option<String>,
}

#[derive(Deserialize)]
struct Edge<N> {
    node: N,
}

/// The log's head as the report's reads saw it (`head`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Head {
    pub position: i64,
    pub recorded_at: Option<DateTime<Utc>>,
    /// The read tables' checkpoint.
    pub projected: i64,
}

/// A unit as the documents name it.
#[derive(Debug, Clone, Deserialize)]
pub struct Unit {
    pub id: String,
    pub name: Option<String>,
    pub code: Option<String>,
}

impl Unit {
    fn name(&self) -> String {
        self.name.clone().unwrap_or_default()
    }
}

/// A report made: its table, the data's position, and the file.
pub struct Made {
    pub table: Table,
    /// The log head the figures were read at.
    pub position: i64,
    pub bytes: Vec<u8>,
    pub format: Format,
    pub file_name: String,
}

/// Makes the report `request` asks for, read from `source`, made at `now`.
pub async fn make(
    source: &Source<'_>,
    request: &Request,
    format: Format,
    now: DateTime<Utc>,
) -> Result<Made, ReportError> {
    let (table, head) = table_of(source, request, now).await?;
    let bytes = format.render(&table).map_err(ReportError::File)?;
    Ok(Made {
        table,
        position: head.position,
        bytes,
        format,
        file_name: request.file_name(format),
    })
}

/// The table of `request` and the head its reads saw.
pub async fn table_of(
    source: &Source<'_>,
    request: &Request,
    now: DateTime<Utc>,
) -> Result<(Table, Head), ReportError> {
    if request.kind == ReportKind::Decisions && request.period_start() > request.on {
        let message = format!(
            "ngày bắt đầu {} sau ngày kết thúc {}",
            request.period_start(),
            request.on
        );
        return Err(ReportError::Invalid(message));
    }
    let (mut table, head, unit) = match request.kind {
        ReportKind::Summary => summary::table(source, request).await?,
        ReportKind::Criteria => criteria::table(source, request).await?,
        ReportKind::Decisions => decisions::table(source, request).await?,
    };
    let mut preface = vec![(
        "Đơn vị".to_owned(),
        format!(
            "{} (mã {})",
            unit.name(),
            unit.code.as_deref().unwrap_or("—")
        ),
    )];
    preface.append(&mut table.preface);
    preface.push(("Số liệu đến sự kiện số".into(), position_text(&head)));
    let made = now.with_timezone(&crate::app::clock::VIETNAM);
    preface.push((
        "Lập lúc".into(),
        made.format("%d/%m/%Y %H:%M:%S (giờ Việt Nam)").to_string(),
    ));
    table.preface = preface;
    Ok((table, head))
}

fn position_text(head: &Head) -> String {
    let at = head.recorded_at.map_or(String::new(), |t| {
        let local = t.with_timezone(&crate::app::clock::VIETNAM);
        format!(", ghi lúc {}", local.format("%d/%m/%Y %H:%M:%S"))
    });
    format!(
        "{}{at}; bảng đọc đã cập nhật đến sự kiện số {}",
        head.position, head.projected
    )
}

/// A date as offices write it: 31/12/2024.
fn day(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// The unit holding `code` on `on`, or a refusal naming both.
fn found(unit: Option<Unit>, request: &Request) -> Result<Unit, ReportError> {
    unit.ok_or_else(|| unknown(request))
}

/// The refusal of a parent code no unit holds on the date.
fn unknown(request: &Request) -> ReportError {
    ReportError::UnknownParent {
        code: request.parent.clone(),
        on: request.on,
    }
}
