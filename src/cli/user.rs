//! `ntm user create|list|disable|reset-password`: people's accounts managed by whoever can
//! reach the database, each change recorded as an event by the command line's actor
//! (`--actor`, `NTM_ACTOR`). A password is read from standard input, never from arguments.

use std::io::{BufRead, Write};
use std::sync::Arc;

use anyhow::Context;
use chrono::NaiveDate;
use clap::Subcommand;
use uuid::Uuid;

use super::token::resolve_scope;
use crate::app::Origin;
use crate::auth::password::Password;
use crate::auth::user::{User, Username};
use crate::auth::{Accounts, NewUser, Role, SessionSettings};
use crate::domain::catalog::Catalog;
use crate::store::EventStore;

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create a person's account; the password is read from the first line of stdin.
    Create {
        /// The sign-in name: 2 to 64 of a-z, 0-9, '.', '_', '-' (recorded as the actor of
        /// everything the person writes).
        #[arg(long)]
        username: String,
        #[arg(long, value_enum)]
        role: Role,
        /// Locality subtree it may write in: a locality id, or the code a locality holds
        /// today (e.g. `42`); without it, the whole register.
        #[arg(long)]
        scope: Option<String>,
        /// Last day (Vietnam's date, YYYY-MM-DD) on which it may sign in.
        #[arg(long)]
        expires: Option<NaiveDate>,
        /// Read the password from the first line of standard input (required: a password is
        /// never an argument, which shell history and `ps` would keep).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Every account, without password hashes.
    List,
    /// Refuse an account's sign-ins and sessions from now on.
    Disable { id: Uuid },
    /// Replace an account's password (read from the first line of stdin); its sessions end.
    ResetPassword {
        id: Uuid,
        /// Read the new password from the first line of standard input (required).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

/// Runs one account command; changes are recorded by `origin`, through the client `ntm user`.
pub async fn run(
    store: EventStore,
    catalog: Arc<Catalog>,
    command: UserCommand,
    origin: &Origin,
    input: &mut impl BufRead,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let by = Origin {
        client: "ntm user".into(),
        ..origin.clone()
    };
    let accounts = Accounts::new(store.clone(), SessionSettings::default());
    match command {
        UserCommand::Create {
            username,
            role,
            scope,
            expires,
            password_stdin: _,
        } => {
            let username: Username = username.parse().map_err(anyhow::Error::msg)?;
            let scope = match scope {
                Some(text) => Some(resolve_scope(&store, catalog, &text).await?),
                None => None,
            };
            let password = read_password(input)?;
            let new = NewUser {
                username,
                role,
                scope,
                expires_on: expires,
            };
            let user = accounts.create(new, &password, &by).await?;
            writeln!(out, "created account {}", describe(&user))?;
        }
        UserCommand::List => {
            for user in accounts.list().await? {
                writeln!(out, "{}", describe(&user))?;
            }
        }
        UserCommand::Disable { id } => {
            let user = accounts.disable(id, &by).await?;
            writeln!(out, "disabled account {}", describe(&user))?;
        }
        UserCommand::ResetPassword { id, .. } => {
            let password = read_password(input)?;
            let user = accounts.reset_password(id, &password, &by).await?;
            writeln!(out, "new password for account {}", describe(&user))?;
        }
    }
    Ok(())
}

/// The first line of `input`, as a new password.
fn read_password(input: &mut impl BufRead) -> anyhow::Result<Password> {
    let mut line = String::new();
    input
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    Ok(Password::new(&line)?)
}

/// One line per account: id, state, username, role, scope, expiry, creation.
fn describe(user: &User) -> String {
    let created = &user.created;
    let state = match (
        user.disabled_at,
        user.is_valid_on(crate::app::clock::today()),
    ) {
        (Some(_), _) => "disabled",
        (None, false) => "expired",
        (None, true) => "active",
    };
    format!(
        "{}  {state}  {}  role={}  scope={}  expires={}  created={} by {}",
        created.user_id,
        created.username,
        created.role,
        created
            .scope
            .as_ref()
            .map_or("all".to_owned(), ToString::to_string),
        created
            .expires_on
            .map_or("never".to_owned(), |d| d.to_string()),
        user.created_at.format("%Y-%m-%d %H:%M UTC"),
        user.created_by,
    )
}
