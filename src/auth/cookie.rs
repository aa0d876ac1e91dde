//! The session cookie as plain headers: finding it among a request's `Cookie` headers, and
//! the `Set-Cookie` values that set and clear it (`HttpOnly`, `SameSite=Strict`, `Secure` when
//! the page came over TLS).

use axum::http::header::COOKIE;
use axum::http::{HeaderMap, HeaderValue};

use super::session::SessionSecret;

/// The cookie holding the session's secret.
pub const SESSION_COOKIE: &str = "ntm_session";
/// The cookie holding the sign-in form's own CSRF token (before any session exists).
pub const SIGNIN_COOKIE: &str = "ntm_signin";
/// The header a cookie-authenticated POST to `/graphql` carries its CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The value of cookie `name` among `headers`' `Cookie` headers, if any.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find_map(|(key, value)| (key == name).then_some(value.trim()))
}

/// The session secret the request's cookie holds, if it has the shape of one.
pub fn session_secret(headers: &HeaderMap) -> Option<SessionSecret> {
    cookie(headers, SESSION_COOKIE).and_then(SessionSecret::parse)
}

/// Whether the page came over TLS: the setting (`NTM_SECURE_COOKIES`), or the reverse proxy
/// in front says so (`X-Forwarded-Proto: https`; a client that lies only gets a stricter
/// cookie).
pub fn over_tls(headers: &HeaderMap, secure_setting: bool) -> bool {
    secure_setting
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"))
}

/// `Set-Cookie` for `name=value` on `path`, kept `max_age` seconds (0: cleared now).
pub fn set_cookie(name: &str, value: &str, path: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let text = format!(
        "{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"
    );
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("ntm_invalid=1"))
}

#[cfg(test)]
mod tests {
    use axum::http::header::COOKIE;
    use axum::http::HeaderMap;

    use super::{cookie, set_cookie};

    #[test]
    fn a_cookie_is_found_among_others_and_set_strictly() {
        let mut headers = HeaderMap::new();
        headers.append(COOKIE, "a=1; ntm_session=abc".parse().expect("value"));
        headers.append(COOKIE, "b=2".parse().expect("value"));
        assert_eq!(cookie(&headers, "ntm_session"), Some("abc"));
        assert_eq!(cookie(&headers, "b"), Some("2"));
        assert_eq!(cookie(&headers, "ntm"), None);
        let set = set_cookie("ntm_session", "abc", "/", 60, true);
        assert_eq!(
            set.to_str().expect("text"),
            "ntm_session=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Strict; Secure"
        );
    }
}
