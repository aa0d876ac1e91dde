//! The order of a summary's children, sorted on the server so a table of them needs no
//! sorting by the client.

use async_graphql::{Context, Enum};
use futures::future::try_join_all;

use super::locality::load_locality_on;
use super::summary::Summary;

/// What a summary's `children` are ordered by; ties by the child's id.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum SummaryOrder {
    /// The child's official code on the date (mã đơn vị hành chính), the order of the official
    /// lists; a child without a code comes last.
    #[default]
    Code,
    /// The child's name on the date, as Unicode orders it (diacritics after plain letters).
    Name,
    /// The number of units counted under the child (`units`).
    Units,
    /// The share of the child's units holding a level of the programme (100 − unrecognised %).
    RecognisedPercent,
    /// The average criteria met per unit (`averageCriteriaMet`).
    AverageCriteriaMet,
    /// The number of units at risk of revocation (`atRisk`).
    AtRisk,
}

/// The share of units holding a level, 0 without units.
fn recognised_percent(s: &Summary) -> f64 {
    if s.units == 0 {
        0.0
    } else {
        (s.units - s.unrecognised) as f64 * 100.0 / s.units as f64
    }
}

/// `children` ordered by `order` (reversed with `descending`), ties by id; the names and codes
/// on the date are read through the loaders, all children's in one batch.
pub async fn order_children<'s>(
    ctx: &Context<'_>,
    children: &'s [Summary],
    order: SummaryOrder,
    descending: bool,
) -> async_graphql::Result<Vec<&'s Summary>> {
    let labels: Vec<Option<String>> = match order {
        SummaryOrder::Code | SummaryOrder::Name => {
            let nodes = children
                .iter()
                .map(|c| load_locality_on(ctx, &c.locality_id, Some(c.on.0)));
            let nodes = try_join_all(nodes).await?;
            nodes
                .into_iter()
                .map(|node| {
                    let row = node.map(|n| n.row)?;
                    match order {
                        SummaryOrder::Code => row.code,
                        _ => row.name,
                    }
                })
                .collect()
        }
        _ => vec![None; children.len()],
    };
    let mut ordered: Vec<(&Summary, Option<String>)> = children.iter().zip(labels).collect();
    ordered.sort_by(|(a, la), (b, lb)| {
        // A child without a code or name comes after every other, whichever the direction.
        let missing = la.is_none().cmp(&lb.is_none());
        let by = match order {
            // Codes are digits, as numbers: "436" before "18070".
            SummaryOrder::Code => {
                let numeric = |l: &Option<String>| l.as_ref().map(|c| (c.len(), c.clone()));
                numeric(la).cmp(&numeric(lb))
            }
            SummaryOrder::Name => la.cmp(lb),
            SummaryOrder::Units => a.units.cmp(&b.units),
            SummaryOrder::RecognisedPercent => {
                recognised_percent(a).total_cmp(&recognised_percent(b))
            }
            SummaryOrder::AverageCriteriaMet => {
                a.average_criteria_met.total_cmp(&b.average_criteria_met)
            }
            SummaryOrder::AtRisk => a.at_risk.cmp(&b.at_risk),
        };
        let by = if descending { by.reverse() } else { by };
        missing
            .then(by)
            .then_with(|| a.locality_id.cmp(&b.locality_id))
    });
    Ok(ordered.into_iter().map(|(s, _)| s).collect())
}
