//! The language of error messages: English unless the client prefers Vietnamese
//! (`Accept-Language: vi`, or `acceptLanguage` in a WebSocket's `connection_init`), in which
//! case each error's `message` is Vietnamese and the English one moves to
//! `extensions.messageEn`; codes and every other field stay as they are.

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{ACCEPT_LANGUAGE, CONTENT_LANGUAGE, CONTENT_LENGTH, CONTENT_TYPE, VARY};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::Value;

use super::messages_vi;

/// The languages error messages are written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Language {
    #[default]
    English,
    Vietnamese,
}

impl Language {
    /// The client's preference among ours in an `Accept-Language` value (RFC 9110 §12.5.4):
    /// the range with the highest q-value that names `vi` or `en` (any region), the first one
    /// on a tie; `*` and everything else leave English.
    pub fn preferred(accept_language: &str) -> Self {
        let mut best: Option<(f32, Self)> = None;
        for range in accept_language.split(',') {
            let mut parts = range.split(';');
            let tag = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let quality = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or_default();
            let language = match primary {
                "vi" => Self::Vietnamese,
                "en" | "*" => Self::English,
                _ => continue,
            };
            if quality > 0.0 && best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, language));
            }
        }
        best.map_or(Self::English, |(_, language)| language)
    }

    /// The language asked for by a request's headers.
    pub fn of_headers(headers: &HeaderMap) -> Self {
        headers
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map_or(Self::English, Self::preferred)
    }

    /// The language a `connection_init` payload asks for (`acceptLanguage` or
    /// `Accept-Language`, any case), if it names one.
    pub fn of_init_payload(payload: &serde_json::Map<String, Value>) -> Option<Self> {
        payload
            .iter()
            .find(|(key, _)| {
                key.eq_ignore_ascii_case("acceptLanguage")
                    || key.eq_ignore_ascii_case("accept-language")
            })
            .and_then(|(_, value)| value.as_str())
            .map(Self::preferred)
    }
}

/// Writes every error of `errors` (a JSON array of GraphQL errors) in Vietnamese.
pub fn translate_errors(errors: &mut Value) {
    let Some(errors) = errors.as_array_mut() else {
        return;
    };
    for error in errors {
        let Some(error) = error.as_object_mut() else {
            continue;
        };
        let english = error
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let extensions = error
            .entry("extensions")
            .or_insert_with(|| Value::Object(serde_json::Map::new()));
        let Some(extensions) = extensions.as_object_mut() else {
            continue;
        };
        let code = extensions
            .get("code")
            .and_then(Value::as_str)
            .unwrap_or("VALIDATION");
        let vietnamese = messages_vi::message(code, extensions, &english);
        extensions.insert("messageEn".into(), Value::String(english));
        error.insert("message".into(), Value::String(vietnamese));
    }
}

/// The errors of a GraphQL-over-HTTP body (`{"errors": […]}`, or an array of them for a
/// batch) in Vietnamese; `false` when it holds none.
fn translate_body(body: &mut Value) -> bool {
    match body {
        Value::Array(responses) => responses
            .iter_mut()
            .fold(false, |any, r| translate_body(r) | any),
        Value::Object(response) => match response.get_mut("errors") {
            Some(errors) => {
                translate_errors(errors);
                true
            }
            None => false,
        },
        _ => false,
    }
}

/// The middleware of `/graphql`: every response varies by `Accept-Language`; a JSON body with
/// errors, for a client preferring Vietnamese, is rewritten with Vietnamese messages.
pub async fn errors_in_language(request: Request, next: Next) -> Response {
    let language = Language::of_headers(request.headers());
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .append(VARY, HeaderValue::from_static("accept-language"));
    if language == Language::English || !is_json(response.headers()) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let mut json: Value = match serde_json::from_slice(&bytes) {
        Ok(json) => json,
        Err(_) => return Response::from_parts(parts, Body::from(bytes)),
    };
    if !translate_body(&mut json) {
        return Response::from_parts(parts, Body::from(bytes));
    }
    parts.headers.remove(CONTENT_LENGTH);
    parts
        .headers
        .insert(CONTENT_LANGUAGE, HeaderValue::from_static("vi"));
    let text = serde_json::to_vec(&json).unwrap_or_else(|_| bytes.to_vec());
    Response::from_parts(parts, Body::from(text))
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.contains("json"))
}

/// A graphql-transport-ws message with its errors in Vietnamese (`next` with errors in its
/// payload, `error` with a list of errors); other messages unchanged.
pub fn translate_ws_text(text: &str) -> Option<String> {
    let mut message: Value = serde_json::from_str(text).ok()?;
    match message.get("type").and_then(Value::as_str)? {
        "next" => translate_errors(message.get_mut("payload")?.get_mut("errors")?),
        "error" => translate_errors(message.get_mut("payload")?),
        _ => return None,
    }
    serde_json::to_string(&message).ok()
}

#[cfg(test)]
mod tests {
    use super::Language::{self, English, Vietnamese};

    #[test]
    fn q_values_and_regions_choose_the_language() {
        for (header, expected) in [
            ("vi", Vietnamese),
            ("vi-VN", Vietnamese),
            ("VI-vn,en;q=0.5", Vietnamese),
            ("en-US,vi;q=0.9", English),
            ("en;q=0.4, vi-VN;q=0.8", Vietnamese),
            ("fr, vi;q=0.1", Vietnamese),
            ("fr, de", English),
            ("*", English),
            ("vi;q=0", English),
            ("", English),
        ] {
            assert_eq!(Language::preferred(header), expected, "{header:?}");
        }
    }
}
