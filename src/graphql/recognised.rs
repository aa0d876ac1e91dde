//! `Locality.recognised`: a locality's recognised status on a date whatever set granted it, and
//! the set in force that grades its criteria then.

use async_graphql::{Context, SimpleObject};
use chrono::NaiveDate;

use super::enums::{from_spelling, LocalityKind, RevocationRisk};
use super::recognised_loader::RecognisedKey;
use super::scalars::Date;
use super::standing::RecognitionView;
use super::{api, scope, ApiError};
use crate::domain::terms::{LocalityKind as DomainKind, RecognitionLevel as DomainLevel};

/// The recognised status of a locality on a date.
#[derive(SimpleObject)]
pub struct Recognised {
    /// The valid date asked for.
    pub on: Date,
    /// Whether the locality exists on `on` (established and not yet ended).
    pub exists: bool,
    /// Its kind on `on`; null when it has none then.
    pub kind: Option<LocalityKind>,
    /// The set that grades the locality's kind on the date: of the sets in force then at its
    /// programme's base level, the one that took effect last. Null when none is.
    pub graded_by: Option<String>,
    /// The highest recognition held on the date, of any set.
    pub recognition: Option<RecognitionView>,
    /// The worst outcome of the revocation rule (QĐ 18/2022) over the recognitions held, each
    /// measured against the set in force for its level; null when none is measured.
    pub at_risk: Option<RevocationRisk>,
    /// Recognitions carried over by a merger and not yet acknowledged (thừa nhận): not held.
    pub pending_acknowledgement: i32,
}

/// The recognised status of `locality` on `on`, from the recognition history.
pub async fn recognised(
    ctx: &Context<'_>,
    locality: &str,
    on: NaiveDate,
) -> async_graphql::Result<Option<Recognised>> {
    let key = RecognisedKey {
        locality: locality.to_owned(),
        on,
    };
    let row = scope(ctx)?.loaders.recognised.load_one(key).await;
    let Some(row) = row.map_err(ApiError::internal)? else {
        return Ok(None);
    };
    let catalog = &api(ctx)?.catalog.current();
    let kind = row.kind.as_deref().and_then(DomainKind::from_spelling);
    let territory = super::grading_set::territory(ctx, locality).await?;
    let graded_by = kind.and_then(|k| {
        let set = catalog.programme_set(k, on, &territory);
        set.map(|s| s.code.to_string())
    });
    let level = from_spelling(row.recognised_level.as_deref(), DomainLevel::from_spelling);
    let recognition = level
        .zip(row.recognition.clone())
        .zip(row.recognised_on)
        .map(|((level, decision), recognised_on)| RecognitionView {
            level,
            decision,
            set: row.recognised_set.clone().unwrap_or_default(),
            override_reason: row.recognition_override.clone(),
            recognised_on: Date(recognised_on),
            standard_year: row.standard_year.unwrap_or_default(),
            batch: row.recognition_batch.clone(),
        });
    Ok(Some(Recognised {
        on: Date(on),
        exists: row.exists_on,
        kind: kind.map(Into::into),
        graded_by,
        recognition,
        at_risk: row
            .at_risk
            .as_deref()
            .and_then(RevocationRisk::from_spelling),
        pending_acknowledgement: row.pending_acknowledgement,
    }))
}
