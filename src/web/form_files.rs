//! A form posted as `multipart/form-data`: its text fields as pairs and its files (field `tep`),
//! kept in memory until the person and the CSRF token are checked, then stored in the blob
//! store; a file the store does not take is a refusal beside the file field, in words.

use axum::body::Bytes;
use axum::extract::Multipart;
use serde_json::{json, Value};

use super::form_refusal::Refused;
use super::form_words::FormWords;
use super::words::Lang;
use crate::blobs::{BlobError, BlobStore};

/// The name of the file input.
pub const FILES: &str = "tep";

/// The text fields and the files of a posted form.
#[derive(Default)]
pub struct Posted {
    pub pairs: Vec<(String, String)>,
    pub files: Vec<(String, Bytes)>,
}

/// Reads the whole form; `Err` with a message when the body is not a form that can be read
/// (too large, cut short).
pub async fn read(mut multipart: Multipart) -> Result<Posted, String> {
    let mut posted = Posted::default();
    while let Some(field) = multipart.next_field().await.map_err(|e| e.body_text())? {
        let name = field.name().unwrap_or_default().to_owned();
        match field.file_name().map(str::to_owned) {
            // A file input left empty posts a part without a name and without bytes.
            Some(file) if name == FILES => {
                let bytes = field.bytes().await.map_err(|e| e.body_text())?;
                if !file.is_empty() || !bytes.is_empty() {
                    posted.files.push((file, bytes));
                }
            }
            Some(_) => {}
            None => {
                let text = field.text().await.map_err(|e| e.body_text())?;
                posted.pairs.push((name, text));
            }
        }
    }
    Ok(posted)
}

/// Stores `files` and answers the evidence's `attachments` (`[{sha256, name}]`); the first
/// file refused is a refusal beside the file field (the others are not stored either).
pub async fn store(
    blobs: &BlobStore,
    files: &[(String, Bytes)],
    now: chrono::DateTime<chrono::Utc>,
    lang: Lang,
) -> Result<Vec<Value>, Refused> {
    for (name, bytes) in files {
        blobs
            .admit(name, bytes)
            .map_err(|e| refusal(name, &e, lang))?;
    }
    let mut attached = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let stored = blobs
            .put(name, bytes, now)
            .await
            .map_err(|e| refusal(name, &e, lang))?;
        attached.push(json!({ "sha256": stored.sha256, "name": name }));
    }
    Ok(attached)
}

/// `evidence` (a JSON object or null) with `attachments` added.
pub fn with_files(evidence: Value, attachments: &[Value]) -> Value {
    if attachments.is_empty() {
        return evidence;
    }
    let mut evidence = match evidence {
        Value::Object(_) => evidence,
        _ => json!({}),
    };
    evidence["attachments"] = Value::from(attachments.to_vec());
    evidence
}

fn refusal(name: &str, error: &BlobError, lang: Lang) -> Refused {
    let f = FormWords::of(lang);
    let why = match error {
        BlobError::Empty => f.file_empty.to_owned(),
        BlobError::TooLarge { limit, .. } => format!("{} {} MB", f.file_too_large, limit >> 20),
        BlobError::TypeNotAllowed { allowed, .. } => format!("{} {allowed}", f.file_type),
        BlobError::NotItsType { .. } => f.file_not_its_type.to_owned(),
        other => {
            tracing::error!(error = %other, "a form's file could not be stored");
            f.file_not_stored.to_owned()
        }
    };
    Refused::form(FILES, None, &format!("{name}: {why}"))
}
