//! Where localities are, for the sets of a territory: the directory links (code and parent over
//! time) of a batch's localities and of their ancestors, from the batch's own streams first and
//! the stored periods otherwise; and the stored descendants a moved locality carries along.

use std::collections::{BTreeSet, HashMap};

use sqlx::QueryBuilder;

use crate::domain::locality::LocalityEvent;
use crate::domain::profile::Profile;
use crate::domain::standing::{effective_facts, Recorded};
use crate::domain::territory::{self, Ancestry, Link, Territory};
use crate::domain::tree::MAX_TREE_DEPTH;
use crate::store::{with_db, Db};

use super::rows::PeriodRow;
use super::table_set::TableSet;
use super::ProjectionError;

/// Ids per `IN (…)` list.
const IDS_PER_STATEMENT: usize = 400;

/// A locality's links from its stream.
pub fn stream_links(events: &[Recorded<LocalityEvent>]) -> Vec<Link> {
    let known: Vec<(u64, &LocalityEvent)> = events.iter().map(|r| (r.version, &r.event)).collect();
    territory::links(&Profile::fold(effective_facts(&known)))
}

/// Links from directory periods (of one locality, in date order), consecutive periods with the
/// same code and parent joined: what [`stream_links`] gives for the stream that wrote them.
pub fn period_links(periods: &[PeriodRow]) -> Vec<Link> {
    let mut links: Vec<Link> = Vec::new();
    for p in periods {
        let code = p.code.as_deref().and_then(|c| c.parse().ok());
        let parent = p.parent_id.clone();
        match links.last_mut() {
            Some(last) if last.code == code && last.parent == parent => last.until = p.valid_to,
            _ => links.push(Link {
                from: p.valid_from,
                until: p.valid_to,
                code,
                parent,
            }),
        }
    }
    links
}

/// `known` completed with the stored links of every ancestor they reach that it lacks, level
/// by level up the tree.
pub async fn complete(
    db: &Db,
    set: TableSet,
    mut known: Ancestry,
) -> Result<Ancestry, ProjectionError> {
    let mut frontier = missing_parents(known.values(), &known);
    for _ in 0..MAX_TREE_DEPTH {
        if frontier.is_empty() {
            break;
        }
        let found = stored_links(db, set, &frontier).await?;
        // An id with no stored period is still asked for once only.
        for id in &frontier {
            known.entry(id.clone()).or_default();
        }
        for (id, links) in found {
            known.insert(id, links);
        }
        let fetched = frontier.iter().filter_map(|id| known.get(id));
        frontier = missing_parents(fetched, &known);
    }
    Ok(known)
}

fn missing_parents<'a>(
    links: impl Iterator<Item = &'a Vec<Link>>,
    known: &Ancestry,
) -> Vec<String> {
    let parents: BTreeSet<&String> = links
        .flatten()
        .filter_map(|l| l.parent.as_ref())
        .filter(|p| !known.contains_key(*p))
        .collect();
    parents.into_iter().cloned().collect()
}

/// The stored links of `ids`, from their directory periods.
async fn stored_links(db: &Db, set: TableSet, ids: &[String]) -> Result<Ancestry, ProjectionError> {
    let table = set.table("proj_locality_periods");
    let sql = format!("SELECT * FROM {table} WHERE locality_id IN (");
    let mut rows: Vec<PeriodRow> = select_in(db, &sql, ids).await?;
    rows.sort_by(|a, b| (&a.locality_id, a.valid_from).cmp(&(&b.locality_id, b.valid_from)));
    Ok(rows
        .chunk_by(|a, b| a.locality_id == b.locality_id)
        .map(|periods| (periods[0].locality_id.clone(), period_links(periods)))
        .collect())
}

/// The rows of `sql` (a `SELECT … IN (` without its list) for `ids`, a statement per chunk.
async fn select_in<R>(db: &Db, sql: &str, ids: &[String]) -> Result<Vec<R>, ProjectionError>
where
    R: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin,
{
    let mut rows = Vec::new();
    for chunk in ids.chunks(IDS_PER_STATEMENT) {
        let found: Vec<R> = with_db!(db, pool => {
            let mut query = QueryBuilder::new(sql);
            let mut list = query.separated(", ");
            for id in chunk {
                list.push_bind(id.as_str());
            }
            query.push(")");
            query.build_query_as().fetch_all(pool).await?
        });
        rows.extend(found);
    }
    Ok(rows)
}

/// Every stored locality that has, on some date, one of `ids` as an ancestor (not `ids`).
pub async fn stored_descendants(
    db: &Db,
    set: TableSet,
    ids: &[String],
) -> Result<Vec<String>, ProjectionError> {
    let table = set.table("proj_locality_periods");
    let sql = format!("SELECT DISTINCT locality_id FROM {table} WHERE parent_id IN (");
    let mut seen: BTreeSet<String> = ids.iter().cloned().collect();
    let mut found = Vec::new();
    let mut frontier: Vec<String> = ids.to_vec();
    for _ in 0..MAX_TREE_DEPTH {
        let children: Vec<(String,)> = select_in(db, &sql, &frontier).await?;
        let next: Vec<String> = children
            .into_iter()
            .map(|(c,)| c)
            .filter(|c| seen.insert(c.clone()))
            .collect();
        if next.is_empty() {
            break;
        }
        found.extend(next.iter().cloned());
        frontier = next;
    }
    Ok(found)
}

/// The territories of `ids` as the live directory places them: one statement per tree level
/// for all of them.
pub async fn territories_of(
    db: &Db,
    ids: &[String],
) -> Result<HashMap<String, Territory>, ProjectionError> {
    let own = stored_links(db, TableSet::Live, ids).await?;
    let ancestry = complete(db, TableSet::Live, own).await?;
    Ok(ids
        .iter()
        .map(|id| {
            let links = ancestry.get(id).cloned().unwrap_or_default();
            (id.clone(), Territory::build(&links, &ancestry))
        })
        .collect())
}

/// Whether every ancestor `links` reach is in `ancestry` (a parent not seen yet is missing).
pub fn reaches_known(links: &[Link], ancestry: &Ancestry) -> bool {
    let mut frontier: Vec<&String> = links.iter().filter_map(|l| l.parent.as_ref()).collect();
    let mut seen: HashMap<&String, ()> = HashMap::new();
    while let Some(id) = frontier.pop() {
        if seen.insert(id, ()).is_some() {
            continue;
        }
        let Some(up) = ancestry.get(id) else {
            return false;
        };
        frontier.extend(up.iter().filter_map(|l| l.parent.as_ref()));
    }
    true
}
