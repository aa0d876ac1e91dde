//! Attachments in the API: a fact's evidence names files uploaded first (`POST /tep`) by their
//! SHA-256 and a name; the service checks each is stored and whole, and records its type and
//! size from the store, never from the client.

use async_graphql::{InputObject, SimpleObject};

use super::error::ApiError;
use crate::blobs::{media, BlobError, BlobStore};
use crate::domain::event::{Attachment as DomainAttachment, Evidence};
use crate::domain::locality::LocalityAction;

/// A file already uploaded (`POST /tep` answers its `sha256`), attached to the fact.
#[derive(InputObject, Clone, Debug)]
pub struct AttachmentInput {
    /// The SHA-256 of the file's bytes, as the upload answered it; a file not stored is
    /// `VALIDATION` (`field: evidence.attachments`).
    pub sha256: String,
    /// The file's name, e.g. `bien-ban-tham-dinh.pdf`; its extension names its type, which must
    /// be one the service takes.
    pub name: String,
}

/// A file behind a fact, kept by the SHA-256 of its bytes.
#[derive(SimpleObject, Clone, Debug)]
pub struct Attachment {
    /// The SHA-256 of the file's bytes: the download is checked against it.
    pub sha256: String,
    /// The file's name as the office gave it.
    pub name: String,
    /// Its media type, e.g. `application/pdf`.
    pub media_type: String,
    /// Its size in bytes.
    pub size: u64,
    /// Where to download it (relative to the service), e.g. `/tep/ab12…?ten=bien-ban.pdf`.
    pub url: String,
}

impl From<&DomainAttachment> for Attachment {
    fn from(a: &DomainAttachment) -> Self {
        Attachment {
            sha256: a.sha256.clone(),
            name: a.name.clone(),
            media_type: a.media_type.clone(),
            size: a.size,
            url: download_path(&a.sha256, &a.name),
        }
    }
}

/// The path of a file's download, its name in the query so the browser saves it as such.
pub fn download_path(sha256: &str, name: &str) -> String {
    format!("/tep/{sha256}?ten={}", percent_encoded(name))
}

/// RFC 3986's percent-encoding of `text`'s UTF-8 bytes, unreserved characters kept (also
/// RFC 5987's for `filename*`).
pub fn percent_encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The attachments of `inputs` as recorded: each file must be stored and whole, of a type
/// taken; its media type comes from its name and its size from the store.
pub async fn attachments(
    blobs: &BlobStore,
    inputs: &[AttachmentInput],
) -> Result<Vec<DomainAttachment>, ApiError> {
    let mut attached = Vec::with_capacity(inputs.len());
    for input in inputs {
        let refused = |message: String| ApiError::validation("evidence.attachments", message);
        let sha256 = input.sha256.trim().to_ascii_lowercase();
        let name = input.name.trim().to_owned();
        let extension = media::extension(&name).unwrap_or_default();
        let media_type = media::media_type(&name)
            .filter(|_| blobs.settings().types.contains(&extension))
            .ok_or_else(|| {
                refused(format!(
                    "{name:?}: files of type {extension:?} are not taken; allowed: {}",
                    blobs.settings().types.join(", ")
                ))
            })?;
        let size = match blobs.size(&sha256).await {
            Ok(size) => size,
            Err(e @ (BlobError::NotFound(_) | BlobError::Altered { .. })) => {
                return Err(refused(format!(
                    "{name:?}: {e}; upload it first (POST /tep)"
                )))
            }
            Err(e) => return Err(ApiError::internal(e.to_string())),
        };
        attached.push(DomainAttachment {
            sha256,
            name,
            media_type: media_type.to_owned(),
            size,
        });
    }
    Ok(attached)
}

/// `action` with its evidence's attachments as recorded (see [`attachments`]).
pub async fn attach(
    blobs: &BlobStore,
    mut action: LocalityAction,
    inputs: &[AttachmentInput],
) -> Result<LocalityAction, ApiError> {
    if inputs.is_empty() {
        return Ok(action);
    }
    let attached = attachments(blobs, inputs).await?;
    if let Some(evidence) = evidence_of(&mut action) {
        evidence.attachments = attached;
    }
    Ok(action)
}

fn evidence_of(action: &mut LocalityAction) -> Option<&mut Evidence> {
    match action {
        LocalityAction::RecordIndicator(e) => Some(&mut e.evidence),
        LocalityAction::AssessCriterion(e) => Some(&mut e.evidence),
        LocalityAction::RecordAppraisalVote(e) => Some(&mut e.evidence),
        _ => None,
    }
}
