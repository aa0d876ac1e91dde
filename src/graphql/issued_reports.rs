//! `issuedReports(sha256)`: whether a report file was issued, when and by whom — the API's way
//! to prove later what an office sent (the command line's is `ntm report verify FILE`).

use async_graphql::{Context, Object, SimpleObject, ID};

use super::access::{sees_identities, Needs};
use super::scalars::Instant;
use super::{api, ApiError};
use crate::app::reports::{issued_with, Issued};
use crate::auth::Right;

#[derive(Default)]
pub struct IssuedReportsQuery;

/// A report file issued (`REPORT_ISSUED`), as its event records it.
#[derive(SimpleObject)]
pub struct IssuedReport {
    /// The report's id (its stream is `report/<id>`).
    pub report_id: ID,
    /// `summary`, `criteria` or `decisions`.
    pub kind: String,
    /// What was asked, as JSON text: the parent's code, `on`, `compare`, `from`.
    pub parameters: String,
    /// `xlsx` or `csv`.
    pub format: String,
    /// The file's name as it was handed out.
    pub file_name: String,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
    /// The file's size in bytes.
    pub size: i64,
    /// The log's head when the figures were read.
    pub data_position: i64,
    /// The position of the `REPORT_ISSUED` event.
    pub position: i64,
    /// When it was issued (recorded).
    pub issued_at: Instant,
    /// Who issued it (the person's username or the token's name); auditors and admins only,
    /// null for others.
    pub issued_by: Option<String>,
}

impl IssuedReport {
    fn of(issued: Issued, identities: bool) -> Self {
        let e = issued.event;
        IssuedReport {
            report_id: ID(e.report_id.to_string()),
            kind: e.kind,
            parameters: e.parameters.to_string(),
            format: e.format,
            file_name: e.file_name,
            sha256: e.sha256,
            size: i64::try_from(e.size).unwrap_or(i64::MAX),
            data_position: e.data_position,
            position: issued.position,
            issued_at: Instant(issued.recorded_at),
            issued_by: identities.then_some(issued.actor),
        }
    }
}

#[Object]
impl IssuedReportsQuery {
    /// Every issue of the file whose SHA-256 is `sha256`, oldest first; empty when that exact
    /// file was never issued.
    #[graphql(guard = "Needs(Right::Read)")]
    async fn issued_reports(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "SHA-256 of the file's bytes, hexadecimal (64 digits; VALIDATION otherwise)."
        )]
        sha256: String,
    ) -> async_graphql::Result<Vec<IssuedReport>> {
        let digest = sha256.trim().to_ascii_lowercase();
        if digest.len() != 64 || !digest.bytes().all(|b| b.is_ascii_hexdigit()) {
            let message = format!("sha256 must be 64 hexadecimal digits, got {sha256:?}");
            return Err(ApiError::validation("sha256", message).into());
        }
        let store = &api(ctx)?.store;
        let found = issued_with(store, &digest).await.map_err(ApiError::from)?;
        let identities = sees_identities(ctx);
        Ok(found
            .into_iter()
            .map(|i| IssuedReport::of(i, identities))
            .collect())
    }
}
