//! Indicators and targets as written in TOML, converted into typed values with their scope.

use serde::Deserialize;

use super::catalog::{Indicator, Provenance, Target, TargetScope};
use super::catalog_load::{CatalogError, Ctx, Problem};
use super::measure::{Comparator, IndicatorKind, IndicatorValue, Percent, Quantity};
use super::terms::{CommuneGroup, ThresholdRegion};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawIndicator {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub kind: String,
    #[serde(default)]
    pub unit: String,
    pub comparator: String,
    pub provenance: String,
    pub source: Option<String>,
    pub note: Option<String>,
    #[serde(default)]
    pub targets: Vec<RawTarget>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTarget {
    pub region: Option<String>,
    pub group: Option<String>,
    pub years: Option<[u16; 2]>,
    pub value: Option<RawValue>,
    pub provenance: String,
    pub source: Option<String>,
    pub note: Option<String>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(untagged)]
pub(super) enum RawValue {
    Bool(bool),
    Int(i64),
    Float(f64),
}

pub(super) fn convert_indicator(
    ctx: &Ctx,
    parent: &str,
    raw: RawIndicator,
) -> Result<Indicator, CatalogError> {
    let key = format!("{parent}.indicators[{:?}]", raw.code);
    let kind = ctx.spelled(&format!("{key}.kind"), &raw.kind, KINDS, kind_from_spelling)?;
    let comparator = Comparator::from_symbol(&raw.comparator).ok_or_else(|| {
        let expected = ">=, <=, =".into();
        ctx.err(
            format!("{key}.comparator"),
            Problem::UnknownValue {
                found: raw.comparator.clone(),
                expected,
            },
        )
    })?;
    let targets = raw
        .targets
        .iter()
        .enumerate()
        .map(|(n, t)| convert_target(ctx, &format!("{key}.targets[{n}]"), kind, t))
        .collect::<Result<_, _>>()?;
    Ok(Indicator {
        code: ctx.parse(&format!("{key}.code"), &raw.code)?,
        name_vi: raw.name_vi,
        name_en: raw.name_en,
        kind,
        unit: raw.unit,
        comparator,
        targets,
        provenance: ctx.provenance(&key, &raw.provenance, raw.source.as_deref())?,
        note: raw.note,
    })
}

const KINDS: &[IndicatorKind] = &[
    IndicatorKind::Percent,
    IndicatorKind::Number,
    IndicatorKind::Boolean,
    IndicatorKind::Count,
];

fn kind_from_spelling(s: &str) -> Option<IndicatorKind> {
    KINDS.iter().copied().find(|k| k.to_string() == s)
}

fn convert_target(
    ctx: &Ctx,
    key: &str,
    kind: IndicatorKind,
    raw: &RawTarget,
) -> Result<Target, CatalogError> {
    let scope = match (&raw.region, &raw.group) {
        (None, None) => TargetScope::All,
        (Some(r), None) => TargetScope::Region(ctx.spelled(
            &format!("{key}.region"),
            r,
            ThresholdRegion::ALL,
            ThresholdRegion::from_spelling,
        )?),
        (None, Some(g)) => TargetScope::Group(ctx.spelled(
            &format!("{key}.group"),
            g,
            CommuneGroup::ALL,
            CommuneGroup::from_spelling,
        )?),
        (Some(_), Some(_)) => {
            let problem = Problem::Malformed("give `region` or `group`, not both".into());
            return Err(ctx.err(format!("{key}.group"), problem));
        }
    };
    let provenance = ctx.provenance(key, &raw.provenance, raw.source.as_deref())?;
    let value = match (&provenance, raw.value) {
        (Provenance::Unknown, Some(_)) => {
            return Err(ctx.err(format!("{key}.value"), Problem::ValueWithUnknownProvenance))
        }
        (Provenance::Unknown, None) => None,
        (_, None) => return Err(ctx.err(format!("{key}.value"), Problem::MissingValue)),
        (_, Some(v)) => Some(
            typed_value(kind, v)
                .ok_or_else(|| ctx.err(format!("{key}.value"), Problem::ValueKind(kind)))?,
        ),
    };
    Ok(Target {
        scope,
        years: raw
            .years
            .map(|y| ctx.years(&format!("{key}.years"), y))
            .transpose()?,
        value,
        provenance,
        note: raw.note.clone(),
    })
}

fn typed_value(kind: IndicatorKind, raw: RawValue) -> Option<IndicatorValue> {
    let number = match raw {
        RawValue::Int(i) => Some(i as f64),
        RawValue::Float(f) => Some(f),
        RawValue::Bool(_) => None,
    };
    match (kind, raw) {
        (IndicatorKind::Boolean, RawValue::Bool(b)) => Some(IndicatorValue::Boolean(b)),
        (IndicatorKind::Count, RawValue::Int(i)) => {
            u64::try_from(i).ok().map(IndicatorValue::Count)
        }
        (IndicatorKind::Percent, _) => Percent::try_from(number?).ok().map(IndicatorValue::Percent),
        (IndicatorKind::Number, _) => Quantity::try_from(number?).ok().map(IndicatorValue::Number),
        _ => None,
    }
}
