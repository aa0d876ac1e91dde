//! Automatic persisted queries (Apollo's protocol: `extensions.persistedQuery {version: 1,
//! sha256Hash}`) and, with trusted documents, the allow-list: which text a request runs.
//! docs/api.md "Persisted queries" tells the protocol.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_graphql::{ErrorExtensionValues, Request, ServerError, ServerResult, Value};

use super::trusted::{sha256_hex, TrustedDocuments};

/// Documents remembered at most, and their total size: the least recently used go first.
/// A client whose hash was forgotten is told `PersistedQueryNotFound` and sends the text again.
const MOST_REMEMBERED: usize = 1_024;
const MOST_REMEMBERED_BYTES: usize = 4 * 1024 * 1024;

/// The code and message Apollo's persisted-query link retries on, with the full text.
pub const NOT_FOUND: &str = "PERSISTED_QUERY_NOT_FOUND";
/// A document outside the trusted documents (allow-list mode).
pub const NOT_ALLOWED: &str = "PERSISTED_QUERY_NOT_ALLOWED";
/// A text whose SHA-256 is not the hash sent with it.
pub const HASH_MISMATCH: &str = "PERSISTED_QUERY_HASH_MISMATCH";

/// The persisted documents of the service: the trusted ones, if any, and those registered.
#[derive(Clone, Default)]
pub struct Persisted {
    trusted: Option<Arc<TrustedDocuments>>,
    remembered: Arc<Mutex<Recent>>,
}

impl Persisted {
    pub fn new(trusted: Option<Arc<TrustedDocuments>>) -> Self {
        Persisted {
            trusted,
            remembered: Arc::default(),
        }
    }

    /// Gives `request` the text it asks for by hash, or refuses it; a `privileged` caller (an
    /// admin) is not bound by the trusted documents. Returns the hash to
    /// [`remember`](Self::remember) once the text is admitted, when the request registers one.
    pub fn resolve(&self, request: &mut Request, privileged: bool) -> ServerResult<Option<String>> {
        let restricted = self.trusted.is_some() && !privileged;
        let Some(hash) = asked_hash(request)? else {
            if restricted && self.trusted(&sha256_hex(&request.query)).is_none() {
                return Err(not_allowed());
            }
            return Ok(None);
        };
        if request.query.is_empty() {
            if let Some(text) = self.trusted(&hash) {
                request.query = text.to_owned();
                return Ok(None);
            }
            if restricted {
                return Err(not_allowed());
            }
            return match self.recall(&hash) {
                Some(text) => {
                    request.query = text.to_string();
                    Ok(None)
                }
                None => Err(error(NOT_FOUND, "PersistedQueryNotFound")),
            };
        }
        let actual = sha256_hex(&request.query);
        if actual != hash {
            return Err(error(
                HASH_MISMATCH,
                &format!("the document's SHA-256 is {actual}, not the sha256Hash {hash} sent"),
            ));
        }
        if restricted && self.trusted(&hash).is_none() {
            return Err(not_allowed());
        }
        Ok((self.trusted(&hash).is_none()).then_some(hash))
    }

    /// Keeps `text` under `hash` (already checked), forgetting the least recently used.
    pub fn remember(&self, hash: String, text: &str) {
        if let Ok(mut recent) = self.remembered.lock() {
            recent.insert(hash, text);
        }
    }

    fn trusted(&self, hash: &str) -> Option<&str> {
        self.trusted.as_deref()?.get(hash)
    }

    fn recall(&self, hash: &str) -> Option<Arc<str>> {
        self.remembered.lock().ok()?.get(hash)
    }
}

/// The `sha256Hash` of a request's `extensions.persistedQuery` (lowercased), if it has one.
fn asked_hash(request: &Request) -> ServerResult<Option<String>> {
    let Some(persisted) = request.extensions.get("persistedQuery") else {
        return Ok(None);
    };
    let Value::Object(fields) = persisted else {
        return Err(malformed("extensions.persistedQuery must be an object"));
    };
    if fields.get("version") != Some(&Value::from(1)) {
        return Err(malformed("extensions.persistedQuery.version must be 1"));
    }
    match fields.get("sha256Hash") {
        Some(Value::String(hash))
            if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            Ok(Some(hash.to_ascii_lowercase()))
        }
        _ => Err(malformed(
            "extensions.persistedQuery.sha256Hash must be 64 hexadecimal digits",
        )),
    }
}

fn not_allowed() -> ServerError {
    error(
        NOT_ALLOWED,
        "this service runs trusted documents only, and this document is not one of them",
    )
}

fn malformed(message: &str) -> ServerError {
    let mut error = error("VALIDATION", message);
    if let Some(extensions) = error.extensions.as_mut() {
        extensions.set("field", "persistedQuery");
    }
    error
}

fn error(code: &str, message: &str) -> ServerError {
    let mut error = ServerError::new(message, None);
    let mut extensions = ErrorExtensionValues::default();
    extensions.set("code", code);
    error.extensions = Some(extensions);
    error
}

/// Texts by hash, each with the tick of its last use.
#[derive(Default)]
struct Recent {
    texts: HashMap<String, (Arc<str>, u64)>,
    bytes: usize,
    tick: u64,
}

impl Recent {
    fn get(&mut self, hash: &str) -> Option<Arc<str>> {
        self.tick += 1;
        let (text, used) = self.texts.get_mut(hash)?;
        *used = self.tick;
        Some(text.clone())
    }

    fn insert(&mut self, hash: String, text: &str) {
        if text.len() > MOST_REMEMBERED_BYTES || self.get(&hash).is_some() {
            return;
        }
        while self.texts.len() >= MOST_REMEMBERED || self.bytes + text.len() > MOST_REMEMBERED_BYTES
        {
            let Some(oldest) = self
                .texts
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(hash, _)| hash.clone())
            else {
                break;
            };
            if let Some((gone, _)) = self.texts.remove(&oldest) {
                self.bytes -= gone.len();
            }
        }
        self.bytes += text.len();
        self.texts.insert(hash, (text.into(), self.tick));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_recently_used_is_forgotten_first() {
        let mut recent = Recent::default();
        for i in 0..MOST_REMEMBERED {
            recent.insert(format!("h{i}"), "{ a }");
        }
        assert!(
            recent.get("h0").is_some(),
            "h0 used again: h1 is now the oldest"
        );
        recent.insert("new".to_owned(), "{ b }");
        assert_eq!(recent.texts.len(), MOST_REMEMBERED);
        assert!(recent.get("h1").is_none());
        assert!(recent.get("h0").is_some() && recent.get("new").is_some());
        assert_eq!(recent.bytes, 5 * MOST_REMEMBERED);
    }
}
