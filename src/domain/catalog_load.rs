//! Reading and validating catalogue TOML files; every error names the file and the offending key.

use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::catalog::{
    Condition, CriteriaSet, Criterion, Indicator, Provenance, Target, TargetScope, ThresholdBasis,
    YearRange,
};
use super::catalog_check::check_set;
use super::measure::{Comparator, IndicatorKind, IndicatorValue, Percent, Quantity};
use super::terms::{CommuneGroup, LocalityKind, RecognitionLevel, ThresholdRegion};

/// A catalogue that cannot be loaded, with the file and the key at fault.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CatalogError {
    #[error("{file}: cannot read: {message}")]
    Read { file: String, message: String },
    #[error("{file}: not a valid catalogue file: {message}")]
    Syntax { file: String, message: String },
    #[error("{file}: {key}: {problem}")]
    Invalid {
        file: String,
        key: String,
        problem: Problem,
    },
}

/// What is wrong with a key's value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Problem {
    #[error("unknown value {found:?}; expected one of {expected}")]
    UnknownValue { found: String, expected: String },
    #[error("duplicate code {0}")]
    Duplicate(String),
    #[error("no target for threshold region {0} and no target for all regions")]
    MissingRegionTarget(ThresholdRegion),
    #[error("no target for commune group {0} and no target for all groups")]
    MissingGroupTarget(CommuneGroup),
    #[error("indicator has no target at all (declare an `unknown` one)")]
    NoTargets,
    #[error("value does not fit kind {0}")]
    ValueKind(IndicatorKind),
    #[error("comparator {comparator} cannot test a {kind} indicator")]
    ComparatorForKind {
        comparator: String,
        kind: IndicatorKind,
    },
    #[error("provenance `verified` needs a `source`")]
    MissingSource,
    #[error("a target with provenance `unknown` must not carry a value")]
    ValueWithUnknownProvenance,
    #[error("a target with provenance other than `unknown` needs a value")]
    MissingValue,
    #[error("targets overlap with {0}")]
    OverlappingTargets(String),
    #[error("indicator code does not sit under criterion {0}")]
    NotUnderCriterion(String),
    #[error("no criterion {0} in this set")]
    UnknownCriterion(String),
    #[error("scope does not match the set's threshold basis {0}")]
    ScopeAgainstBasis(String),
    #[error("invalid: {0}")]
    Malformed(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSet {
    pub code: String,
    pub title_vi: String,
    pub title_en: String,
    pub legal_act: Option<String>,
    pub signed_on: Option<String>,
    pub effective_from: Option<String>,
    pub period: [u16; 2],
    pub applies_to: Vec<String>,
    pub level: String,
    pub threshold_basis: String,
    #[serde(default)]
    pub key_criteria: Vec<String>,
    pub revocation_act: Option<String>,
    pub declared_criteria: Option<u32>,
    pub declared_indicators: Option<u32>,
    pub criteria_complete: bool,
    pub indicators_complete: bool,
    pub provenance: String,
    pub source: Option<String>,
    pub research: String,
    pub note: Option<String>,
    pub criteria: Vec<RawCriterion>,
    #[serde(default)]
    pub conditions: Vec<RawCriterion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCriterion {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    /// Only for conditions: the level the condition gates and the act that sets it.
    pub level: Option<String>,
    pub legal_act: Option<String>,
    pub provenance: String,
    pub source: Option<String>,
    pub note: Option<String>,
    #[serde(default)]
    pub indicators: Vec<RawIndicator>,
}

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

/// Converts raw values at a key path, producing errors that name the file and key.
pub(super) struct Ctx<'a> {
    pub file: &'a str,
}

impl Ctx<'_> {
    pub fn err(&self, key: impl Into<String>, problem: Problem) -> CatalogError {
        CatalogError::Invalid {
            file: self.file.to_owned(),
            key: key.into(),
            problem,
        }
    }

    pub fn parse<T: std::str::FromStr>(&self, key: &str, s: &str) -> Result<T, CatalogError>
    where
        T::Err: std::fmt::Display,
    {
        s.parse()
            .map_err(|e: T::Err| self.err(key, Problem::Malformed(e.to_string())))
    }

    fn spelled<T: Copy + std::fmt::Display>(
        &self,
        key: &str,
        s: &str,
        all: &[T],
        find: fn(&str) -> Option<T>,
    ) -> Result<T, CatalogError> {
        find(s).ok_or_else(|| {
            let expected: Vec<String> = all.iter().map(ToString::to_string).collect();
            let expected = expected.join(", ");
            self.err(
                key,
                Problem::UnknownValue {
                    found: s.into(),
                    expected,
                },
            )
        })
    }

    fn date(&self, key: &str, s: Option<&str>) -> Result<Option<NaiveDate>, CatalogError> {
        s.map(|s| self.parse::<NaiveDate>(key, s)).transpose()
    }

    fn years(&self, key: &str, [from, to]: [u16; 2]) -> Result<YearRange, CatalogError> {
        if from > to {
            return Err(self.err(key, Problem::Malformed(format!("{from} is after {to}"))));
        }
        Ok(YearRange { from, to })
    }

    fn provenance(
        &self,
        key: &str,
        label: &str,
        source: Option<&str>,
    ) -> Result<Provenance, CatalogError> {
        match (label, source) {
            ("verified", Some(s)) if !s.trim().is_empty() => Ok(Provenance::Verified {
                source: s.to_owned(),
            }),
            ("verified", _) => Err(self.err(format!("{key}.source"), Problem::MissingSource)),
            ("recalled", _) => Ok(Provenance::Recalled),
            ("inferred", _) => Ok(Provenance::Inferred),
            ("unknown", _) => Ok(Provenance::Unknown),
            (other, _) => Err(self.err(
                format!("{key}.provenance"),
                Problem::UnknownValue {
                    found: other.into(),
                    expected: "verified, recalled, inferred, unknown".into(),
                },
            )),
        }
    }
}

/// Parses and validates one catalogue file.
pub(super) fn parse_set(file: &str, text: &str) -> Result<CriteriaSet, CatalogError> {
    let raw: RawSet = toml::from_str(text).map_err(|e| CatalogError::Syntax {
        file: file.to_owned(),
        message: e.to_string(),
    })?;
    let ctx = Ctx { file };
    let set = convert_set(&ctx, raw, text)?;
    check_set(&ctx, &set)?;
    Ok(set)
}

fn convert_set(ctx: &Ctx, raw: RawSet, text: &str) -> Result<CriteriaSet, CatalogError> {
    let basis = match raw.threshold_basis.as_str() {
        "region" => ThresholdBasis::Region,
        "group" => ThresholdBasis::Group,
        "none" => ThresholdBasis::None,
        other => {
            return Err(ctx.err(
                "threshold_basis",
                Problem::UnknownValue {
                    found: other.into(),
                    expected: "region, group, none".into(),
                },
            ))
        }
    };
    let applies_to = raw
        .applies_to
        .iter()
        .map(|k| {
            ctx.spelled(
                "applies_to",
                k,
                LocalityKind::ALL,
                LocalityKind::from_spelling,
            )
        })
        .collect::<Result<_, _>>()?;
    let criteria = raw
        .criteria
        .into_iter()
        .map(|c| convert_criterion(ctx, "criteria", c))
        .collect::<Result<_, _>>()?;
    let conditions = raw
        .conditions
        .into_iter()
        .map(|c| convert_condition(ctx, c))
        .collect::<Result<_, _>>()?;
    let key_criteria = raw
        .key_criteria
        .iter()
        .map(|k| ctx.parse("key_criteria", k))
        .collect::<Result<_, _>>()?;
    Ok(CriteriaSet {
        code: ctx.parse("code", &raw.code)?,
        title_vi: raw.title_vi,
        title_en: raw.title_en,
        legal_act: raw
            .legal_act
            .map(|a| ctx.parse("legal_act", &a))
            .transpose()?,
        signed_on: ctx.date("signed_on", raw.signed_on.as_deref())?,
        effective_from: ctx.date("effective_from", raw.effective_from.as_deref())?,
        period: ctx.years("period", raw.period)?,
        applies_to,
        level: ctx.spelled(
            "level",
            &raw.level,
            RecognitionLevel::ALL,
            RecognitionLevel::from_spelling,
        )?,
        basis,
        criteria,
        conditions,
        key_criteria,
        revocation_act: raw
            .revocation_act
            .map(|a| ctx.parse("revocation_act", &a))
            .transpose()?,
        declared_criteria: raw.declared_criteria,
        declared_indicators: raw.declared_indicators,
        criteria_complete: raw.criteria_complete,
        indicators_complete: raw.indicators_complete,
        provenance: ctx.provenance("", &raw.provenance, raw.source.as_deref())?,
        research: raw.research,
        note: raw.note,
        file: ctx.file.to_owned(),
        content_sha256: hex::encode(Sha256::digest(text.as_bytes())),
    })
}

fn convert_condition(ctx: &Ctx, raw: RawCriterion) -> Result<Condition, CatalogError> {
    let key = format!("conditions[{:?}]", raw.code);
    let level = raw.level.clone().unwrap_or_default();
    Ok(Condition {
        level: ctx.spelled(
            &format!("{key}.level"),
            &level,
            RecognitionLevel::ALL,
            RecognitionLevel::from_spelling,
        )?,
        legal_act: raw
            .legal_act
            .as_deref()
            .map(|a| ctx.parse(&format!("{key}.legal_act"), a))
            .transpose()?,
        criterion: convert_criterion(ctx, "conditions", raw)?,
    })
}

fn convert_criterion(ctx: &Ctx, table: &str, raw: RawCriterion) -> Result<Criterion, CatalogError> {
    let key = format!("{table}[{:?}]", raw.code);
    if table == "criteria" && (raw.level.is_some() || raw.legal_act.is_some()) {
        let problem = Problem::Malformed("`level` and `legal_act` belong to conditions".into());
        return Err(ctx.err(format!("{key}.level"), problem));
    }
    let indicators = raw
        .indicators
        .into_iter()
        .map(|i| convert_indicator(ctx, &key, i))
        .collect::<Result<_, _>>()?;
    Ok(Criterion {
        code: ctx.parse(&format!("{key}.code"), &raw.code)?,
        name_vi: raw.name_vi,
        name_en: raw.name_en,
        provenance: ctx.provenance(&key, &raw.provenance, raw.source.as_deref())?,
        indicators,
        note: raw.note,
    })
}

fn convert_indicator(
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

/// Reads every `*.toml` file of a directory, sorted by file name.
pub(super) fn read_dir(dir: &Path) -> Result<Vec<(String, String)>, CatalogError> {
    let read_err = |file: &Path, e: std::io::Error| CatalogError::Read {
        file: file.display().to_string(),
        message: e.to_string(),
    };
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| read_err(dir, e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).map_err(|e| read_err(&p, e))?;
            let name = p
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            Ok((name, text))
        })
        .collect()
}
