//! Trusted documents (`NTM_TRUSTED_DOCUMENTS`): the manifest of the only documents a
//! production service runs, read and checked once at start (docs/decisions/trusted-documents.md).

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use sha2::{Digest, Sha256};

/// The documents of a manifest by the SHA-256 of their text (lowercase hex).
#[derive(Clone, Default)]
pub struct TrustedDocuments {
    by_hash: HashMap<String, String>,
}

impl std::fmt::Debug for TrustedDocuments {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TrustedDocuments({} documents)", self.by_hash.len())
    }
}

/// A manifest that cannot be used: the file, the entry at fault (empty when the whole file is)
/// and why.
#[derive(Debug, thiserror::Error)]
#[error("trusted documents {file}: {entry}: {reason}")]
pub struct ManifestError {
    pub file: String,
    pub entry: String,
    pub reason: String,
}

/// The two manifest formats: Apollo's persisted-query manifest, and the plain map of hash to
/// document that graphql-codegen's client preset writes (`persisted-documents.json`).
#[derive(Deserialize)]
#[serde(untagged)]
enum Manifest {
    Apollo {
        format: String,
        version: u32,
        operations: Vec<ApolloOperation>,
    },
    Plain(HashMap<String, String>),
}

#[derive(Deserialize)]
struct ApolloOperation {
    id: String,
    #[serde(default)]
    name: Option<String>,
    body: String,
}

/// The lowercase hex SHA-256 of a document's text, as both manifests and Apollo's
/// persisted-query link compute it.
pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

impl TrustedDocuments {
    /// The manifest in `path`, each entry's id checked against its document's hash.
    pub fn load(path: &Path) -> Result<Self, ManifestError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ManifestError {
            file: file.clone(),
            entry: String::new(),
            reason: e.to_string(),
        })?;
        Self::parse(&file, &text)
    }

    /// The manifest `text` read from `file`.
    pub fn parse(file: &str, text: &str) -> Result<Self, ManifestError> {
        let fault = |entry: &str, reason: String| ManifestError {
            file: file.to_owned(),
            entry: entry.to_owned(),
            reason,
        };
        let manifest: Manifest = serde_json::from_str(text).map_err(|e| {
            fault(
                "",
                format!("neither an Apollo persisted-query manifest nor a map of hash to document ({e})"),
            )
        })?;
        let entries: Vec<(String, String, String)> = match manifest {
            Manifest::Apollo {
                format,
                version,
                operations,
            } => {
                if format != "apollo-persisted-query-manifest" || version != 1 {
                    return Err(fault(
                        "format",
                        format!("{format} version {version} is not apollo-persisted-query-manifest version 1"),
                    ));
                }
                operations
                    .into_iter()
                    .map(|o| {
                        let label = o.name.map_or(o.id.clone(), |n| format!("{} ({n})", o.id));
                        (label, o.id, o.body)
                    })
                    .collect()
            }
            Manifest::Plain(map) => map
                .into_iter()
                .map(|(id, body)| (id.clone(), id, body))
                .collect(),
        };
        let mut by_hash = HashMap::with_capacity(entries.len());
        for (label, id, body) in entries {
            let hash = sha256_hex(&body);
            if !id.eq_ignore_ascii_case(&hash) {
                return Err(fault(
                    &label,
                    format!("the id is not the SHA-256 of the document, which is {hash}"),
                ));
            }
            by_hash.insert(hash, body);
        }
        if by_hash.is_empty() {
            return Err(fault("", "the manifest lists no document".to_owned()));
        }
        Ok(TrustedDocuments { by_hash })
    }

    /// The document of `hash` (lowercase hex), if listed.
    pub fn get(&self, hash: &str) -> Option<&str> {
        self.by_hash.get(hash).map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.by_hash.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_hash.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUERY: &str = "{ criteriaSets { code } }";

    #[test]
    fn both_manifest_formats_are_read_and_checked() {
        let hash = sha256_hex(QUERY);
        let apollo = serde_json::json!({
            "format": "apollo-persisted-query-manifest", "version": 1,
            "operations": [{ "id": hash, "name": "Sets", "type": "query", "body": QUERY }],
        });
        let trusted = TrustedDocuments::parse("m.json", &apollo.to_string()).expect("apollo");
        assert_eq!(trusted.get(&hash), Some(QUERY));
        let plain = serde_json::json!({ hash.clone(): QUERY });
        let trusted = TrustedDocuments::parse("p.json", &plain.to_string()).expect("plain");
        assert_eq!(trusted.len(), 1);

        let wrong = serde_json::json!({
            "format": "apollo-persisted-query-manifest", "version": 1,
            "operations": [{ "id": "ab".repeat(32), "name": "Sets", "type": "query", "body": QUERY }],
        });
        let error = TrustedDocuments::parse("m.json", &wrong.to_string()).expect_err("bad id");
        assert_eq!(error.file, "m.json");
        assert!(error.entry.contains("(Sets)"), "{error}");
        let error = TrustedDocuments::parse("x.json", "[1]").expect_err("not a manifest");
        assert_eq!(error.entry, "");
    }
}
