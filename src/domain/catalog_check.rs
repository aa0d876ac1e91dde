//! Consistency checks over a parsed criteria set: unique codes, indicators under their criterion,
//! comparators that fit the kind, and targets that cover every region or group without overlap.

use std::collections::HashSet;

use super::catalog::{CriteriaSet, Criterion, Indicator, TargetScope, ThresholdBasis};
use super::catalog_load::{CatalogError, Ctx, Problem};
use super::measure::{Comparator, IndicatorKind};
use super::terms::{CommuneGroup, ThresholdRegion};

pub(super) fn check_set(ctx: &Ctx, set: &CriteriaSet) -> Result<(), CatalogError> {
    if set.criteria.is_empty() {
        return Err(ctx.err(
            "criteria",
            Problem::Malformed("a set needs criteria".into()),
        ));
    }
    let mut criterion_codes = HashSet::new();
    let mut indicator_codes = HashSet::new();
    let conditions = set.conditions.iter().map(|c| ("conditions", &c.criterion));
    let all = set
        .criteria
        .iter()
        .map(|c| ("criteria", c))
        .chain(conditions);
    for (table, criterion) in all {
        let key = format!("{table}[{:?}]", criterion.code.as_str());
        if !criterion_codes.insert(criterion.code.clone()) {
            let problem = Problem::Duplicate(criterion.code.to_string());
            return Err(ctx.err(format!("{key}.code"), problem));
        }
        check_criterion(ctx, set.basis, &key, criterion, &mut indicator_codes)?;
    }
    for key in &set.key_criteria {
        if set.criterion(key).is_none() {
            return Err(ctx.err("key_criteria", Problem::UnknownCriterion(key.to_string())));
        }
    }
    if set.supersedes.as_ref() == Some(&set.code) {
        return Err(ctx.err("supersedes", Problem::SupersedesItself));
    }
    Ok(())
}

fn check_criterion(
    ctx: &Ctx,
    basis: ThresholdBasis,
    key: &str,
    criterion: &Criterion,
    seen: &mut HashSet<super::values::IndicatorCode>,
) -> Result<(), CatalogError> {
    for indicator in &criterion.indicators {
        let key = format!("{key}.indicators[{:?}]", indicator.code.as_str());
        if !seen.insert(indicator.code.clone()) {
            let problem = Problem::Duplicate(indicator.code.to_string());
            return Err(ctx.err(format!("{key}.code"), problem));
        }
        if !indicator.code.belongs_to(&criterion.code) {
            let problem = Problem::NotUnderCriterion(criterion.code.to_string());
            return Err(ctx.err(format!("{key}.code"), problem));
        }
        if indicator.kind == IndicatorKind::Boolean && indicator.comparator != Comparator::Equal {
            let problem = Problem::ComparatorForKind {
                comparator: indicator.comparator.symbol().into(),
                kind: indicator.kind,
            };
            return Err(ctx.err(format!("{key}.comparator"), problem));
        }
        check_targets(ctx, basis, &key, indicator)?;
    }
    Ok(())
}

fn check_targets(
    ctx: &Ctx,
    basis: ThresholdBasis,
    key: &str,
    indicator: &Indicator,
) -> Result<(), CatalogError> {
    let targets = &indicator.targets;
    if targets.is_empty() {
        return Err(ctx.err(format!("{key}.targets"), Problem::NoTargets));
    }
    for (n, t) in targets.iter().enumerate() {
        let fits = match t.scope {
            TargetScope::All => true,
            TargetScope::Region(_) => basis == ThresholdBasis::Region,
            TargetScope::Group(_) => basis == ThresholdBasis::Group,
        };
        if !fits {
            let problem = Problem::ScopeAgainstBasis(format!("{basis:?}").to_lowercase());
            return Err(ctx.err(format!("{key}.targets[{n}]"), problem));
        }
        let overlapping = targets[..n].iter().position(|o| {
            o.scope == t.scope
                && match (o.years, t.years) {
                    (Some(a), Some(b)) => a.overlaps(&b),
                    (None, None) => true,
                    _ => false,
                }
        });
        if let Some(m) = overlapping {
            let problem = Problem::OverlappingTargets(format!("targets[{m}]"));
            return Err(ctx.err(format!("{key}.targets[{n}]"), problem));
        }
    }
    check_coverage(ctx, key, indicator)
}

/// A target given for some regions (or groups) must be given for all of them, unless a target
/// for all localities stands in for the rest: a missing region is an error, not a silent pass.
fn check_coverage(ctx: &Ctx, key: &str, indicator: &Indicator) -> Result<(), CatalogError> {
    let scopes: Vec<TargetScope> = indicator.targets.iter().map(|t| t.scope).collect();
    if scopes.contains(&TargetScope::All) {
        return Ok(());
    }
    let key = format!("{key}.targets");
    if scopes.iter().any(|s| matches!(s, TargetScope::Region(_))) {
        if let Some(r) = ThresholdRegion::ALL
            .iter()
            .find(|r| !scopes.contains(&TargetScope::Region(**r)))
        {
            return Err(ctx.err(key, Problem::MissingRegionTarget(*r)));
        }
    }
    if scopes.iter().any(|s| matches!(s, TargetScope::Group(_))) {
        if let Some(g) = CommuneGroup::ALL
            .iter()
            .find(|g| !scopes.contains(&TargetScope::Group(**g)))
        {
            return Err(ctx.err(key, Problem::MissingGroupTarget(*g)));
        }
    }
    Ok(())
}
