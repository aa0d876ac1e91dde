//! The `Node` interface and its global ids (docs/decisions/global-ids.md): a locality and an
//! event by their UUIDs, a standing by what it is a standing of; `node`/`nodes` read them in
//! batches.

use std::collections::HashMap;

use async_graphql::{Context, Interface, ID};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::access::sees_identities;
use super::events::{visible, EventView};
use super::locality::LocalityNode;
use super::standing::StandingView;
use super::{scope, ApiError};

/// Most ids one `nodes` may ask for.
pub const MAX_NODE_IDS: usize = 500;

/// Anything with a global id that `node(id:)` reads back; a client's normalized cache keys it
/// by `__typename` and `id`.
#[derive(Interface)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "Its global id: a locality's and an event's UUID, a standing's `standing:…` name."
))]
pub enum Node {
    Locality(LocalityNode),
    Event(EventView),
    Standing(StandingView),
}

const STANDING: &str = "standing";

/// A parsed global id.
#[derive(Debug, Clone, PartialEq, Eq)]
enum GlobalId {
    /// A locality or an event: UUIDs never collide across the two.
    Uuid(Uuid),
    /// A standing: present, or graded on a date as known at a time.
    Standing {
        locality: Uuid,
        set: String,
        at: Option<(NaiveDate, DateTime<Utc>)>,
    },
}

impl GlobalId {
    fn parse(text: &str, field: &str) -> Result<Self, ApiError> {
        let refused = || {
            let message = format!(
                "{text:?} is not a global id: a UUID, or standing:<locality id>:<set>[:<on>:<knownAt>]"
            );
            ApiError::validation(field, message)
        };
        if let Ok(id) = text.parse::<Uuid>() {
            return Ok(GlobalId::Uuid(id));
        }
        let mut parts = text.splitn(5, ':');
        let (Some(STANDING), Some(locality), Some(set)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return Err(refused());
        };
        let locality = locality.parse().map_err(|_| refused())?;
        let at = match (parts.next(), parts.next()) {
            (None, None) => None,
            (Some(on), Some(known_at)) => {
                let on = on.parse().map_err(|_| refused())?;
                let known_at = DateTime::parse_from_rfc3339(known_at).map_err(|_| refused())?;
                Some((on, known_at.with_timezone(&Utc)))
            }
            _ => return Err(refused()),
        };
        if set.is_empty() {
            return Err(refused());
        }
        let set = set.to_owned();
        Ok(GlobalId::Standing { locality, set, at })
    }
}

/// The global id of a standing.
pub fn standing_id(view: &StandingView) -> String {
    let present = format!("{STANDING}:{}:{}", view.locality, view.set);
    match view.known_at {
        None => present,
        Some(known_at) => {
            let known_at = known_at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
            format!("{present}:{}:{known_at}", view.on.0)
        }
    }
}

/// The nodes of `ids`, in their order, null where none is visible; a malformed id is
/// VALIDATION (`field` names the argument). Localities, events and present standings are read
/// in one statement each, whatever the number of ids; a time-travel standing grades its
/// stream.
pub async fn nodes(
    ctx: &Context<'_>,
    ids: &[ID],
    field: &str,
) -> async_graphql::Result<Vec<Option<Node>>> {
    if ids.len() > MAX_NODE_IDS {
        let message = format!("at most {MAX_NODE_IDS} ids, got {}", ids.len());
        return Err(ApiError::validation(field, message).into());
    }
    let parsed: Vec<GlobalId> = ids
        .iter()
        .map(|id| GlobalId::parse(id.as_str(), field))
        .collect::<Result<_, _>>()?;
    let mut uuids: Vec<String> = Vec::new();
    let mut standing_of: Vec<String> = Vec::new();
    for id in &parsed {
        match id {
            GlobalId::Uuid(id) => uuids.push(id.to_string()),
            GlobalId::Standing { locality, at, .. } if at.is_none() => {
                standing_of.push(locality.to_string())
            }
            GlobalId::Standing { .. } => {}
        }
    }
    let loaders = &scope(ctx)?.loaders;
    let localities = loaders.localities.load_many(uuids.clone());
    let standings = loaders.standings.load_many(standing_of);
    let (localities, standings) =
        futures::try_join!(localities, standings).map_err(ApiError::internal)?;
    let unknown: Vec<Uuid> = parsed
        .iter()
        .filter_map(|id| match id {
            GlobalId::Uuid(id) if localities.get(&id.to_string()).is_none_or(|r| r.is_empty()) => {
                Some(*id)
            }
            _ => None,
        })
        .collect();
    let identities = sees_identities(ctx);
    let events: HashMap<Uuid, _> = scope(ctx)?
        .reads
        .events_by_id(&unknown)
        .await
        .map_err(ApiError::from)?
        .into_iter()
        .filter(|e| visible(e, identities))
        .map(|e| (e.event_id, e))
        .collect();
    let mut out = Vec::with_capacity(parsed.len());
    for id in parsed {
        let node = match id {
            GlobalId::Uuid(id) => {
                let row = localities.get(&id.to_string()).and_then(|r| r.first());
                match row {
                    Some(row) => Some(Node::Locality(LocalityNode {
                        row: row.clone(),
                        on: None,
                    })),
                    None => events.get(&id).cloned().map(|e| Node::Event(EventView(e))),
                }
            }
            GlobalId::Standing {
                locality,
                set,
                at: None,
            } => standings
                .get(&locality.to_string())
                .and_then(|rows| rows.iter().find(|r| r.set_code == set))
                .map(|row| Node::Standing(StandingView::from_row(row))),
            GlobalId::Standing {
                locality,
                set,
                at: Some((on, known_at)),
            } => {
                let catalog = super::api(ctx)?.catalog.current();
                if super::streams::standing_code(&catalog, &set).is_err() {
                    out.push(None);
                    continue;
                }
                let locality = locality.to_string();
                let graded = super::streams::time_travel(ctx, &locality, &set, on, known_at);
                graded.await?.map(Node::Standing)
            }
        };
        out.push(node);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::GlobalId;

    #[test]
    fn global_ids_parse_or_are_refused() {
        let locality = "0190a0b0-0000-7000-8000-000000000001";
        assert_eq!(
            GlobalId::parse(locality, "id").ok(),
            Some(GlobalId::Uuid(locality.parse().expect("uuid")))
        );
        let present = format!("standing:{locality}:NTM-XA-2021-2025");
        assert!(matches!(
            GlobalId::parse(&present, "id"),
            Ok(GlobalId::Standing { at: None, .. })
        ));
        let dated = format!("{present}:2021-06-01:2026-01-02T03:04:05.123456Z");
        assert!(matches!(
            GlobalId::parse(&dated, "id"),
            Ok(GlobalId::Standing { at: Some(_), .. })
        ));
        for refused in [
            "abc",
            "standing:abc:NTM-XA-2021-2025",
            &format!("standing:{locality}"),
            &format!("standing:{locality}:"),
            &format!("{present}:2021-06-01"),
            &format!("{present}:2021-13-01:2026-01-02T03:04:05Z"),
            &format!("event:{locality}"),
        ] {
            assert!(GlobalId::parse(refused, "id").is_err(), "{refused}");
        }
    }
}
