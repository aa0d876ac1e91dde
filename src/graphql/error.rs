//! The one place where failures become GraphQL errors with a stable `extensions.code`.
//!
//! `ApiError` deliberately does not implement `Display`: async-graphql turns any `Display` type
//! into an error without a code, so only the conversion below can build a client-facing error.

use async_graphql::{ErrorExtensionValues, ErrorExtensions, Response};

use crate::app::codec::Undecodable;
use crate::app::publish::PublishError;
use crate::app::CommandError;
use crate::auth::policy::Refusal;
use crate::domain::catalog::CatalogError;
use crate::domain::{DomainError, LawRule};
use crate::projection::ProjectionError;
use crate::store::StoreError;

/// Everything a request can fail with, by what the client should do about it.
#[derive(Debug)]
pub enum ApiError {
    /// The locality, event or criteria set named does not exist.
    NotFound { what: &'static str, key: String },
    /// The input is refused; `field` names the offending input field, `rule` the rule of the
    /// programme's law it breaks, if one does (`LawRule::name`).
    Validation {
        field: String,
        message: String,
        rule: Option<&'static str>,
        /// What the domain found wrong (`DomainError::problem`), when it refused.
        problem: Option<&'static str>,
    },
    /// A criteria set file that does not pass the catalogue's checks: the file, the key at
    /// fault (empty when the file does not parse) and why.
    CatalogInvalid {
        file: String,
        key: String,
        reason: String,
    },
    /// The stream moved on since the client read it: refetch and retry.
    VersionConflict { expected: i64, actual: i64 },
    /// The read tables have not reached the `minPosition` asked for within the wait: retry.
    NotReady { wanted: i64, reached: i64 },
    /// The idempotency key was used before, by the same token, for another input.
    IdempotencyKeyReused,
    /// The request needs a token (none, or none accepted, was presented).
    Unauthenticated,
    /// The token's role or scope does not allow it.
    Forbidden(String),
    /// A fault of ours; the details go to the log only.
    Internal(String),
    /// `inner`, about one locality of a request over several (`locality`, its id) and the
    /// `item`-th of that locality's commands, in `extensions.locality` and `extensions.item`.
    At {
        locality: String,
        item: usize,
        inner: Box<ApiError>,
    },
}

impl ApiError {
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        ApiError::Validation {
            field: field.to_owned(),
            message: message.into(),
            rule: None,
            problem: None,
        }
    }

    pub fn not_found(what: &'static str, key: impl Into<String>) -> Self {
        ApiError::NotFound {
            what,
            key: key.into(),
        }
    }

    pub fn internal(error: impl std::fmt::Display) -> Self {
        ApiError::Internal(error.to_string())
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(error: ApiError) -> Self {
        if let ApiError::At {
            locality,
            item,
            inner,
        } = error
        {
            let mut inner = async_graphql::Error::from(*inner);
            inner.message = format!("locality {locality}: {}", inner.message);
            return inner.extend_with(|_, e| {
                e.set("locality", locality);
                e.set("item", item);
            });
        }
        let (message, code) = match &error {
            ApiError::NotFound { what, key } => (format!("{what} {key} not found"), "NOT_FOUND"),
            ApiError::Validation { message, .. } => (message.clone(), "VALIDATION"),
            ApiError::CatalogInvalid { file, key, reason } => {
                (format!("{file}: {key}: {reason}"), "CATALOG_INVALID")
            }
            ApiError::VersionConflict { expected, actual } => (
                format!(
                    "expected version {expected}, the stream is at {actual}: refetch and retry"
                ),
                "VERSION_CONFLICT",
            ),
            ApiError::NotReady { wanted, reached } => (
                format!("read models reached position {reached}, not yet {wanted}; retry shortly"),
                "NOT_READY",
            ),
            ApiError::IdempotencyKeyReused => (
                "this idempotency key was already used for a different input".to_owned(),
                "IDEMPOTENCY_KEY_REUSED",
            ),
            ApiError::Unauthenticated => (
                "a valid bearer token is required".to_owned(),
                "UNAUTHENTICATED",
            ),
            ApiError::Forbidden(reason) => (format!("forbidden: {reason}"), "FORBIDDEN"),
            ApiError::Internal(details) => {
                tracing::error!(%details, "request failed");
                ("internal error".to_owned(), "INTERNAL")
            }
            ApiError::At { .. } => unreachable!("answered above"),
        };
        async_graphql::Error::new(message).extend_with(|_, e| {
            e.set("code", code);
            match error {
                ApiError::Validation {
                    field,
                    rule,
                    problem,
                    ..
                } => {
                    e.set("field", field);
                    if let Some(rule) = rule {
                        e.set("rule", rule);
                    }
                    if let Some(problem) = problem {
                        e.set("problem", problem);
                    }
                }
                ApiError::VersionConflict { expected, actual } => {
                    e.set("expected", expected);
                    e.set("actual", actual);
                }
                ApiError::NotReady { wanted, reached } => {
                    e.set("field", "minPosition");
                    e.set("wanted", wanted);
                    e.set("reached", reached);
                }
                ApiError::CatalogInvalid { file, key, reason } => {
                    e.set("file", file);
                    e.set("key", key);
                    e.set("reason", reason);
                }
                ApiError::IdempotencyKeyReused => e.set("field", "idempotencyKey"),
                ApiError::NotFound { what, key } => {
                    e.set("what", what);
                    e.set("key", key);
                }
                ApiError::Unauthenticated
                | ApiError::Forbidden(_)
                | ApiError::Internal(_)
                | ApiError::At { .. } => {}
            }
        })
    }
}

impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::Unauthenticated => ApiError::Unauthenticated,
            Refusal::Forbidden(reason) => ApiError::Forbidden(reason),
        }
    }
}

impl From<DomainError> for ApiError {
    fn from(error: DomainError) -> Self {
        use DomainError as D;
        let field = match &error {
            D::NotEstablished(id) | D::LocalityNotLoaded(id) => {
                return ApiError::not_found("locality", id.to_string())
            }
            D::Invalid { field, .. } => input_field(field),
            D::Empty { field } => input_field(field),
            D::AlreadyEstablished(_) => "id",
            D::EffectiveInFuture { .. }
            | D::BeforeEstablishment { .. }
            | D::LocalityEnded { .. } => "effectiveOn",
            D::UnknownSet(_) | D::SetNotApplicable { .. } | D::NotEnrolled(_) => "set",
            D::CriteriaNotMet { .. } => "set",
            D::UnknownIndicator { .. } => "indicator",
            D::UnknownCriterion { .. } => "criterion",
            D::ValueKindMismatch { .. } => "value",
            D::RecognitionNotFound(_) | D::RecognitionAlreadyRevoked(_) => "revoked",
            D::DuplicateDecision(_) => "decision",
            D::NothingToAcknowledge => "acknowledges",
            D::Law { rule, .. } => law_field(*rule),
            D::UnknownVersion(_) | D::NotRetractable { .. } | D::AlreadyRetracted(_) => "position",
            D::DuplicateLocality(_) => "sources",
            D::CodeInUse { .. } => "code",
            // A parent that does not exist is a refused input, not a missing subject: NOT_FOUND
            // is kept for the locality the mutation acts on.
            D::ParentCycle { .. } | D::ParentNotAlive { .. } | D::ParentChainTooDeep { .. } => {
                "parent"
            }
        };
        ApiError::Validation {
            field: field.to_owned(),
            message: error.to_string(),
            rule: error.law_rule().map(LawRule::name),
            problem: Some(error.problem()),
        }
    }
}

/// The GraphQL input field a broken rule of the law points at.
fn law_field(rule: LawRule) -> &'static str {
    use LawRule as R;
    match rule {
        R::LevelNotInSet
        | R::LevelNotForKind
        | R::NangCaoRequiresNtm
        | R::KieuMauRequiresNangCao
        | R::HienDaiRequiresNtm
        | R::AcknowledgementNotAtPendingLevel => "level",
        R::KieuMauRequiresOutstandingField => "outstandingField",
        R::DecisionBeforeSet | R::DecisionAfterSet => "signedOn",
        R::StandardYearOutsideSet | R::StandardYearAfterDecision => "standardYear",
        R::CriteriaNotMet => "set",
        R::CouncilVoteBelowMajority => "set",
        R::OverrideReasonTooShort => "overrideReason",
        R::RevocationBeforeGrant => "effectiveOn",
        R::RevocationNeedsOwnDecision | R::DistrictRecognisedByPrimeMinister => "decision",
        R::RevocationNeedsIssuer => "issuer",
        R::AcknowledgesPendingOnly => "acknowledges",
    }
}

/// The GraphQL input field for a domain field name (`locality code` → `code`).
fn input_field(domain_field: &str) -> &'static str {
    match domain_field {
        "locality code" => "code",
        "criterion code" => "criterion",
        "indicator code" => "indicator",
        "criteria set code" => "set",
        "decision number" => "decision",
        "percent" | "quantity" | "value" => "value",
        "locality id" => "id",
        "name" => "name",
        "reason" => "reason",
        "issuer" => "issuer",
        "sources" => "sources",
        "parts" => "parts",
        _ => "input",
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::VersionConflict {
                expected, actual, ..
            } => ApiError::VersionConflict { expected, actual },
            StoreError::IdempotencyKeyReused { .. } => ApiError::IdempotencyKeyReused,
            // A tree larger than the log, or a leaf outside a tree: sizes the client gave.
            StoreError::TreeTooSmall { size, .. } => {
                ApiError::not_found("tree of size", size.to_string())
            }
            ref error @ StoreError::NotInTree { .. } => {
                ApiError::validation("position", error.to_string())
            }
            other => ApiError::internal(other),
        }
    }
}

/// The one mapping of a command's failure to the API's errors.
impl From<CommandError> for ApiError {
    fn from(error: CommandError) -> Self {
        match error {
            CommandError::Refused(refusal) => refusal.into(),
            CommandError::RefusedAt {
                locality,
                item,
                error,
            } => ApiError::At {
                locality: locality.to_string(),
                item,
                inner: Box::new(error.into()),
            },
            CommandError::VersionConflict {
                expected, actual, ..
            } => ApiError::VersionConflict { expected, actual },
            CommandError::Forbidden(reason) => ApiError::Forbidden(reason),
            CommandError::KeyReused { .. } => ApiError::IdempotencyKeyReused,
            CommandError::Undecodable(_) | CommandError::Store(_) | CommandError::Directory(_) => {
                ApiError::internal(error)
            }
        }
    }
}

/// The one mapping of a refused publication: the file's fault, or ours.
impl From<PublishError> for ApiError {
    fn from(error: PublishError) -> Self {
        match error {
            PublishError::Invalid(CatalogError::Invalid { file, key, problem }) => {
                ApiError::CatalogInvalid {
                    file,
                    key,
                    reason: problem.to_string(),
                }
            }
            PublishError::Invalid(
                CatalogError::Syntax { file, message } | CatalogError::Read { file, message },
            ) => ApiError::CatalogInvalid {
                file,
                key: String::new(),
                reason: message,
            },
            PublishError::Store(store) => store.into(),
            PublishError::Load(load) => ApiError::internal(load),
        }
    }
}

impl From<Undecodable> for ApiError {
    fn from(error: Undecodable) -> Self {
        ApiError::internal(error)
    }
}

impl From<ProjectionError> for ApiError {
    fn from(error: ProjectionError) -> Self {
        match error {
            ProjectionError::Timeout { wanted, reached } => ApiError::NotReady { wanted, reached },
            other => ApiError::internal(other),
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        ApiError::internal(error)
    }
}

/// The engine's own refusals of a document's depth and cost, by the messages async-graphql
/// gives them (it has no other way to tell them apart); `costly_fields_count_what_they_cost` in
/// the attack tests fails if a new version words them otherwise. `MAX_DEPTH` is the name
/// responses have always given [`MAX_QUERY_DEPTH`](super::MAX_QUERY_DEPTH).
const ENGINE_LIMITS: [(&str, &str); 2] = [
    ("Query is too complex.", "MAX_COMPLEXITY"),
    ("Query is nested too deep.", "MAX_DEPTH"),
];

/// Errors raised by the GraphQL engine itself (syntax, unknown fields, bad argument values,
/// depth and complexity limits) carry no code: they are the client's to fix. The depth and
/// complexity limits are named in `limit`, as the service's own limits are.
pub fn label_engine_errors(response: &mut Response) {
    for error in &mut response.errors {
        let limit = ENGINE_LIMITS
            .iter()
            .find(|(message, _)| error.message == *message)
            .map(|(_, limit)| *limit);
        let extensions = error
            .extensions
            .get_or_insert_with(ErrorExtensionValues::default);
        if extensions.get("code").is_none() {
            extensions.set("code", "VALIDATION");
            if let Some(limit) = limit {
                extensions.set("limit", limit);
            }
        }
    }
}
