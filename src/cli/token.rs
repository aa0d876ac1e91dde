//! `ntm token create|list|revoke`: bearer tokens managed by whoever can reach the database,
//! each change recorded as an event by the command line's actor (`--actor`, `NTM_ACTOR`).

use std::io::Write;
use std::sync::Arc;

use anyhow::Context;
use chrono::NaiveDate;
use clap::builder::PossibleValue;
use clap::{Subcommand, ValueEnum};
use uuid::Uuid;

use crate::app::{Origin, Register};
use crate::auth::{NewToken, Role, Token, Tokens};
use crate::domain::catalog::Catalog;
use crate::domain::locality::LocalityId;
use crate::domain::values::LocalityCode;
use crate::store::EventStore;

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create a token and print its secret on stdout, once; only its SHA-256 is stored.
    Create {
        /// Who holds it (recorded as the actor of everything it writes).
        // The id names the value in `--help`: `--name <token_name>`.
        #[arg(long = "name", id = "token_name")]
        name: String,
        #[arg(long, value_enum)]
        role: Role,
        /// Locality subtree it may write in: a locality id, or the code a locality holds
        /// today (e.g. `42`); without it, the whole register.
        #[arg(long)]
        scope: Option<String>,
        /// Last day (UTC, YYYY-MM-DD) on which it is accepted.
        #[arg(long)]
        expires: Option<NaiveDate>,
    },
    /// Every token, without secrets.
    List,
    /// Refuse a token from now on.
    Revoke { id: Uuid },
}

/// The roles `--role` takes, with what each may do.
impl ValueEnum for Role {
    fn value_variants<'a>() -> &'a [Self] {
        &Role::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let help = match self {
            Role::Viewer => "Reads everything except actor identities",
            Role::Recorder => {
                "Viewer rights plus readings, assessments and enrolments inside its scope"
            }
            Role::Approver => {
                "Recorder rights plus registrations, lineage changes, appraisal votes, \
                 recognitions, revocations and acknowledgements inside its scope"
            }
            Role::Auditor => "Reads everything, including actor identities and token events",
            Role::Admin => "Everything",
        };
        Some(PossibleValue::new(self.as_str()).help(help))
    }
}

/// Runs one token command; changes are recorded by `origin`, through the client `ntm token`.
pub async fn run(
    store: EventStore,
    catalog: Arc<Catalog>,
    command: TokenCommand,
    origin: &Origin,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let by = Origin {
        client: "ntm token".into(),
        ..origin.clone()
    };
    let tokens = Tokens::new(store.clone());
    match command {
        TokenCommand::Create {
            name,
            role,
            scope,
            expires,
        } => {
            let scope = match scope {
                Some(text) => Some(resolve_scope(&store, catalog.clone(), &text).await?),
                None => None,
            };
            let new = NewToken {
                name,
                role,
                scope,
                expires_on: expires,
            };
            let (token, secret) = tokens.create(new, &by).await?;
            eprintln!("created token {}", describe(&token));
            eprintln!("its secret follows, shown this once: store it now");
            writeln!(out, "{}", secret.expose())?;
        }
        TokenCommand::List => {
            for token in tokens.list().await? {
                writeln!(out, "{}", describe(&token))?;
            }
        }
        TokenCommand::Revoke { id } => {
            let token = tokens.revoke(id, &by).await?;
            writeln!(out, "revoked token {}", describe(&token))?;
        }
    }
    Ok(())
}

/// One line per token: id, state, name, role, scope, expiry, creation.
fn describe(token: &Token) -> String {
    let created = &token.created;
    let today = crate::app::clock::today();
    let state = match (token.revoked_at, token.is_valid_on(today)) {
        (Some(_), _) => "revoked",
        (None, false) => "expired",
        (None, true) => "active",
    };
    format!(
        "{}  {state}  {:?}  role={}  scope={}  expires={}  created={} by {}",
        created.token_id,
        created.name,
        created.role,
        created
            .scope
            .as_ref()
            .map_or("all".to_owned(), ToString::to_string),
        created
            .expires_on
            .map_or("never".to_owned(), |d| d.to_string()),
        token.created_at.format("%Y-%m-%d %H:%M UTC"),
        token.created_by,
    )
}

/// The locality with id `text`, or holding `text` as its code today, as the log itself has it
/// (the read tables may not be projected where the command line runs).
pub(super) async fn resolve_scope(
    store: &EventStore,
    catalog: Arc<Catalog>,
    text: &str,
) -> anyhow::Result<LocalityId> {
    let register = Register::load(store, catalog, Origin::cli("cli")).await?;
    if let Ok(id) = text.parse::<LocalityId>() {
        anyhow::ensure!(register.state(&id).is_some(), "no locality {id}");
        return Ok(id);
    }
    let code: LocalityCode = text
        .parse()
        .with_context(|| format!("--scope {text:?} is neither a locality id nor a code"))?;
    register
        .holder(&code, crate::app::clock::today())
        .cloned()
        .with_context(|| format!("no locality holds code {text} today (give its id instead)"))
}
