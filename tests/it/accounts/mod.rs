//! People's accounts (issue 21, item 1): sign-in and sign-out over real HTTP, the session
//! cookie, lock-out, session expiry, CSRF refusals, a scoped person's writes, the admin page,
//! `ntm user` and `ntm verify`, and a sign-in in a real browser.

mod admin_page;
mod browser;
mod command_line;
mod csrf;
mod feed;
mod scope;
mod sign_in;
mod websocket;

use ntm_tracker::app::Origin;
use ntm_tracker::auth::password::Password;
use ntm_tracker::auth::{Accounts, NewUser, Role, SessionSettings};
use ntm_tracker::store::EventStore;
use reqwest::header::{COOKIE, SET_COOKIE};
use reqwest::{Response, StatusCode};
use uuid::Uuid;

use crate::support::server::Server;

/// The password every test account is made with.
pub const PASSWORD: &str = "mật khẩu đủ dài 2026";

/// Creates an account as `ntm user create` does; its id.
pub async fn person(store: &EventStore, username: &str, role: Role, scope: Option<&str>) -> Uuid {
    let new = NewUser {
        username: username.parse().expect("username"),
        role,
        scope: scope.map(|s| s.parse().expect("scope locality id")),
        expires_on: None,
    };
    let password = Password::new(PASSWORD).expect("password");
    Accounts::new(store.clone(), SessionSettings::default())
        .create(new, &password, &Origin::cli("test"))
        .await
        .expect("create account")
        .id()
}

/// A browser-like client of one test server: no redirect followed, cookies kept by hand.
pub struct Visitor {
    client: reqwest::Client,
    base: String,
    /// `name=value` of the session cookie, once signed in.
    pub session: Option<String>,
}

impl Visitor {
    pub fn of(server: &Server) -> Visitor {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Visitor {
            client,
            base: server.url(""),
            session: None,
        }
    }

    /// GET `path` with the session cookie, if any.
    pub async fn get(&self, path: &str) -> Response {
        let mut request = self.client.get(format!("{}{path}", self.base));
        if let Some(cookie) = &self.session {
            request = request.header(COOKIE, cookie);
        }
        request.send().await.expect("GET")
    }

    /// POST `form` to `path` with the session cookie (and `extra` cookies), if any.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)], extra: &str) -> Response {
        let mut request = self.client.post(format!("{}{path}", self.base)).form(form);
        let cookies: Vec<&str> = self
            .session
            .iter()
            .map(String::as_str)
            .chain([extra])
            .collect();
        request = request.header(COOKIE, cookies.join("; "));
        request.send().await.expect("POST")
    }

    /// POST `form` and `files` (`(field, file name, bytes)`) to `path` as
    /// `multipart/form-data`, with the session cookie, as a browser posts a form with files.
    pub async fn post_multipart(
        &self,
        path: &str,
        form: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Response {
        let mut multipart = reqwest::multipart::Form::new();
        for (name, value) in form {
            multipart = multipart.text(name.to_string(), value.to_string());
        }
        for (name, file, bytes) in files {
            let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(file.to_string());
            multipart = multipart.part(name.to_string(), part);
        }
        let mut request = self.client.post(format!("{}{path}", self.base));
        if let Some(cookie) = &self.session {
            request = request.header(COOKIE, cookie);
        }
        request.multipart(multipart).send().await.expect("POST")
    }

    /// Loads the sign-in form and posts it; the answer (303 on success). On success the
    /// session cookie is kept.
    pub async fn sign_in(&mut self, username: &str, password: &str) -> Response {
        let form = self.get("/dang-nhap").await;
        assert_eq!(form.status(), StatusCode::OK);
        let signin_cookie = cookie_pair(&form, "ntm_signin").expect("the form's cookie");
        let page = form.text().await.expect("page");
        let token = hidden_value(&page, "csrf").expect("the form's token");
        let fields = [
            ("username", username),
            ("password", password),
            ("csrf", &token),
        ];
        let answer = self.post_form("/dang-nhap", &fields, &signin_cookie).await;
        if let Some(session) = cookie_pair(&answer, "ntm_session").filter(|c| c.len() > 12) {
            self.session = Some(session);
        }
        answer
    }

    /// The session's CSRF token, as the frame of any page carries it.
    pub async fn csrf(&self) -> String {
        let page = self.get("/nhat-ky").await.text().await.expect("page");
        meta_csrf(&page).expect("a signed-in page carries its CSRF token")
    }

    /// POST a GraphQL request with the session cookie and, if given, `X-CSRF-Token`.
    pub async fn graphql(
        &self,
        query: &str,
        variables: serde_json::Value,
        csrf: Option<&str>,
    ) -> Response {
        let mut request = self.client.post(format!("{}/graphql", self.base));
        if let Some(cookie) = &self.session {
            request = request.header(COOKIE, cookie);
        }
        if let Some(token) = csrf {
            request = request.header("X-CSRF-Token", token);
        }
        let body = serde_json::json!({ "query": query, "variables": variables });
        request.json(&body).send().await.expect("POST /graphql")
    }
}

/// `name=value` of the `Set-Cookie` named `name` in `response`.
pub fn cookie_pair(response: &Response, name: &str) -> Option<String> {
    set_cookie(response, name).map(|line| line.split(';').next().unwrap_or_default().to_owned())
}

/// The whole `Set-Cookie` line of cookie `name`.
pub fn set_cookie(response: &Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|line| line.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

/// The value of the hidden field `name` in `page`.
pub fn hidden_value(page: &str, name: &str) -> Option<String> {
    let at = page.find(&format!("name=\"{name}\" value=\""))?;
    let rest = &page[at + name.len() + 15..];
    Some(rest[..rest.find('"')?].to_owned())
}

/// The `csrf-token` meta of a signed-in page.
pub fn meta_csrf(page: &str) -> Option<String> {
    let at = page.find("name=\"csrf-token\" content=\"")?;
    let rest = &page[at + 27..];
    Some(rest[..rest.find('"')?].to_owned())
}
