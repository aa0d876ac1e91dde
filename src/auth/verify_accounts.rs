//! How `ntm verify` checks the accounts' and sessions' indexes against the log, as it does the
//! tokens' (`tokens::check_index`): every entry must be backed by its stream.

use std::collections::HashMap;

use uuid::Uuid;

use super::session::{self, Session};
use super::user::{self, User};
use crate::store::{with_tx, RecordedEvent, StoreError, Tx};

/// The `user_accounts` index (account id, username), read within `tx`.
pub(crate) async fn users_in(tx: &mut Tx) -> Result<Vec<(String, String)>, StoreError> {
    const SQL: &str = "SELECT user_id, username FROM user_accounts ORDER BY user_id";
    let rows = with_tx!(tx, conn, _E => sqlx::query_as(SQL).fetch_all(&mut *conn).await?);
    Ok(rows)
}

/// The `user_sessions` index (session id, digest), read within `tx`.
pub(crate) async fn sessions_in(tx: &mut Tx) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
    const SQL: &str = "SELECT session_id, secret_sha256 FROM user_sessions ORDER BY session_id";
    let rows = with_tx!(tx, conn, _E => sqlx::query_as(SQL).fetch_all(&mut *conn).await?);
    Ok(rows)
}

/// Every `user_accounts` entry names an account whose `UserCreated` carries that username.
/// Returns the number of entries, or the first that differs.
pub fn check_users(
    index: &[(String, String)],
    streams: &HashMap<String, Vec<RecordedEvent>>,
) -> Result<usize, String> {
    for (id, username) in index {
        let Ok(user_id) = id.parse::<Uuid>() else {
            return Err(format!("user_accounts entry {id:?} is not an account id"));
        };
        let events = streams
            .get(&user::stream_id(user_id))
            .map_or(&[][..], Vec::as_slice);
        let agrees = match User::fold(events) {
            Ok(Some(user)) => user.created.username.as_str() == username,
            Ok(None) | Err(_) => false,
        };
        if !agrees {
            return Err(format!(
                "user_accounts entry {id} ({username}) has no UserCreated with its username in the log"
            ));
        }
    }
    Ok(index.len())
}

/// Every `user_sessions` entry names a session whose `SessionStarted` carries that digest.
/// Returns the number of entries, or the first that differs.
pub fn check_sessions(
    index: &[(String, Vec<u8>)],
    streams: &HashMap<String, Vec<RecordedEvent>>,
) -> Result<usize, String> {
    for (id, digest) in index {
        let Ok(session_id) = id.parse::<Uuid>() else {
            return Err(format!("user_sessions entry {id:?} is not a session id"));
        };
        let events = streams
            .get(&session::stream_id(session_id))
            .map_or(&[][..], Vec::as_slice);
        let agrees = match Session::fold(events) {
            Ok(Some(session)) => session.started.secret_sha256 == hex::encode(digest),
            Ok(None) | Err(_) => false,
        };
        if !agrees {
            return Err(format!(
                "user_sessions entry {id} has no SessionStarted with its digest in the log"
            ));
        }
    }
    Ok(index.len())
}
