//! Publishing a criteria set through the API (admins only), and the versions of a set as
//! GraphQL: hash, start, position in the log, legal act and the set it supersedes.

use async_graphql::{Context, InputObject, SimpleObject};

use super::access::actor;
use super::scalars::Date;
use super::{api, scope, ApiError};
use crate::app::publish::{publish, PublishError, PublishRequest};
use crate::app::Origin;
use crate::domain::catalog::{parse_set, CriteriaSet};
use crate::projection::read::TreeOn;

/// A criteria set file to publish (the format of `catalog/*.toml`, see catalog/README.md).
#[derive(InputObject)]
pub struct PublishCriteriaSetInput {
    /// The TOML text of the file, whole: its SHA-256 is the version.
    pub toml: String,
    /// The file's name, shown with the version and in refusals (default `published.toml`).
    pub file_name: Option<String>,
    /// Let the file replace, for every date, the version of its set that starts on the same day
    /// (a transcription fix); without it such a file is refused.
    #[graphql(default)]
    pub correction: bool,
}

/// One version of a criteria set.
#[derive(SimpleObject, Clone)]
#[graphql(name = "CriteriaSetVersion")]
pub struct CriteriaSetVersionView {
    /// The set's code, e.g. `NTM-XA-2021-2025`.
    pub code: String,
    /// SHA-256 of the version's file, hex.
    pub hash: String,
    /// The file's name, e.g. `NTM-XA-2021-2025.toml` (as published: `fileName`).
    pub file: String,
    /// The day it takes effect (the later of the act's signing and entry into force).
    pub effective_on: Date,
    /// Last day it grades; null while no later version or successor takes over. Before
    /// `effectiveOn`: a correction of the same start replaced it for every date.
    pub grades_until: Option<Date>,
    /// Position of its `CriteriaSetPublished` event in the log; null: shipped with this release
    /// and not recorded yet.
    pub published_at: Option<i64>,
    /// The legal act that issued this version, e.g. `318/QĐ-TTg`; null when not found.
    pub legal_act: Option<String>,
    /// The set whose period it ends from its start.
    pub supersedes: Option<String>,
    /// Whether it was published just now (false: the same file was published before, nothing
    /// was written).
    pub newly_published: bool,
}

impl From<&CriteriaSet> for CriteriaSetVersionView {
    fn from(v: &CriteriaSet) -> Self {
        CriteriaSetVersionView {
            code: v.code.to_string(),
            hash: v.version.clone(),
            file: v.file.clone(),
            effective_on: Date(v.version_in_force.from),
            grades_until: v
                .version_in_force
                .until
                .and_then(|u| u.pred_opt())
                .map(Date),
            published_at: v.published_at,
            legal_act: v.legal_act.as_ref().map(ToString::to_string),
            supersedes: v.supersedes.as_ref().map(ToString::to_string),
            newly_published: false,
        }
    }
}

/// Checks and records the file as the request's admin; the version as the catalogue now holds it.
pub async fn publish_criteria_set(
    ctx: &Context<'_>,
    input: PublishCriteriaSetInput,
) -> Result<CriteriaSetVersionView, ApiError> {
    let api = api(ctx)?;
    let origin = Origin::token(actor(ctx)?, "graphql").with_ids(scope(ctx)?.ids);
    let file = input.file_name.unwrap_or_else(|| "published.toml".into());
    let request = PublishRequest {
        file: &file,
        toml: &input.toml,
        correction: input.correction,
    };
    require_in_scope(ctx, &file, &input.toml).await?;
    let handle = api.commands.catalog_handle();
    let published = publish(&api.store, handle, &request, &origin).await?;
    let catalog = handle.current();
    let version = catalog
        .version(&published.version)
        .ok_or_else(|| ApiError::internal("the published version is not in the catalogue"))?;
    Ok(CriteriaSetVersionView {
        newly_published: !published.already,
        published_at: Some(published.position),
        ..version.into()
    })
}

/// A token scoped to a locality publishes only a set for a territory inside its scope: the unit
/// holding the set's `territory` code today is the scope's root or below it. A national set
/// needs an admin of the whole country (docs/decisions/published-criteria-sets.md).
async fn require_in_scope(ctx: &Context<'_>, file: &str, toml: &str) -> Result<(), ApiError> {
    let Some(root) = &actor(ctx)?.scope else {
        return Ok(());
    };
    let set = parse_set(file, toml).map_err(PublishError::Invalid)?;
    let Some(territory) = &set.territory else {
        return Err(ApiError::Forbidden(format!(
            "a token scoped to {root} publishes only a set for a territory inside its scope \
             (`territory`); a national set needs an admin without a scope"
        )));
    };
    let reads = &scope(ctx)?.reads;
    let tree = TreeOn {
        on: super::clock(ctx).today(),
        include_ended: false,
    };
    let holder = reads.holder_of_code(territory.as_str(), tree.on).await?;
    let inside = match holder {
        Some(unit) => reads.is_within(&unit, &root.to_string(), tree).await?,
        None => false,
    };
    match inside {
        true => Ok(()),
        false => Err(ApiError::Forbidden(format!(
            "territory {territory} is not inside the token's scope {root}"
        ))),
    }
}
