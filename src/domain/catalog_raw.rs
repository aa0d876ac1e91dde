//! The catalogue file schema as written in TOML, and its conversion into the typed set.

use serde::Deserialize;
use sha2::{Digest, Sha256};

use chrono::NaiveDate;

use super::catalog::{Band, Condition, CriteriaSet, Criterion, InForce, ThresholdBasis};
use super::catalog_indicator::{convert_indicator, RawIndicator};
use super::catalog_load::{CatalogError, Ctx, Problem};
use super::terms::{LocalityKind, RecognitionLevel, ThresholdRegion};
use super::values::DecisionNumber;

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
    /// GSO code of the province whose territory the set grades; absent: national.
    pub territory: Option<String>,
    /// The national set this one restates for its territory.
    pub restates: Option<String>,
    /// The region a special commune (QĐ 318, Điều 1) is graded against, e.g. "TDMNPB".
    pub special_region: Option<String>,
    #[serde(default)]
    pub key_criteria: Vec<String>,
    pub revocation_act: Option<String>,
    /// The code of a set this one ends from its own start.
    pub supersedes: Option<String>,
    pub declared_criteria: Option<u32>,
    pub declared_indicators: Option<u32>,
    pub criteria_complete: bool,
    pub indicators_complete: bool,
    /// `[[from, to], …]`, highest first; default: all criteria, then the rest.
    pub bands: Option<Vec<[u32; 2]>>,
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

pub(super) fn convert_set(ctx: &Ctx, raw: RawSet, text: &str) -> Result<CriteriaSet, CatalogError> {
    if raw.restates.is_some() {
        refuse_inherited(ctx, &raw)?;
    }
    let special_region = raw
        .special_region
        .as_deref()
        .map(|r| {
            let all = ThresholdRegion::ALL;
            ctx.spelled("special_region", r, all, ThresholdRegion::from_spelling)
        })
        .transpose()?;
    let basis = threshold_basis(ctx, &raw.threshold_basis)?;
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
    let bands = bands(ctx, raw.bands.as_deref(), raw.criteria.len())?;
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
    let unplaced = InForce {
        from: NaiveDate::MIN,
        until: None,
    };
    Ok(CriteriaSet {
        code: ctx.parse("code", &raw.code)?,
        title_vi: raw.title_vi,
        title_en: raw.title_en,
        legal_act: optional_act(ctx, "legal_act", raw.legal_act.as_deref())?,
        signed_on: ctx.date("signed_on", raw.signed_on.as_deref())?,
        effective_from: ctx.date("effective_from", raw.effective_from.as_deref())?,
        period: ctx.years("period", raw.period)?,
        applies_to,
        level: level(ctx, "level", &raw.level)?,
        basis,
        territory: raw
            .territory
            .as_deref()
            .map(|t| ctx.parse("territory", t))
            .transpose()?,
        restates: raw
            .restates
            .as_deref()
            .map(|r| ctx.parse("restates", r))
            .transpose()?,
        special_region,
        criteria,
        conditions,
        key_criteria,
        revocation_act: optional_act(ctx, "revocation_act", raw.revocation_act.as_deref())?,
        declared_criteria: raw.declared_criteria,
        declared_indicators: raw.declared_indicators,
        criteria_complete: raw.criteria_complete,
        indicators_complete: raw.indicators_complete,
        bands,
        in_force: unplaced,
        version_in_force: unplaced,
        supersedes: raw
            .supersedes
            .as_deref()
            .map(|s| ctx.parse("supersedes", s))
            .transpose()?,
        provenance: ctx.provenance("", &raw.provenance, raw.source.as_deref())?,
        research: raw.research,
        note: raw.note,
        file: ctx.file.to_owned(),
        version: hex::encode(Sha256::digest(text.as_bytes())),
        published_at: None,
        recorded_at: None,
        shipped: false,
    })
}

/// A restatement takes its structure and the revocation rule from the set it restates: keys that
/// would say otherwise are refused rather than ignored.
fn refuse_inherited(ctx: &Ctx, raw: &RawSet) -> Result<(), CatalogError> {
    let given = [
        ("territory", raw.territory.is_none()),
        ("key_criteria", !raw.key_criteria.is_empty()),
        ("revocation_act", raw.revocation_act.is_some()),
        ("declared_criteria", raw.declared_criteria.is_some()),
        ("declared_indicators", raw.declared_indicators.is_some()),
        ("bands", raw.bands.is_some()),
        ("conditions", !raw.conditions.is_empty()),
    ];
    match given.into_iter().find(|(_, wrong)| *wrong) {
        Some(("territory", _)) => Err(ctx.err(
            "territory",
            Problem::Malformed("a restatement needs the territory it grades".into()),
        )),
        Some((key, _)) => Err(ctx.err(
            key,
            Problem::Malformed("taken from the restated set; leave it out".into()),
        )),
        None => Ok(()),
    }
}

/// The report bands: they must not overlap and must cover 0 to the number of criteria.
fn bands(ctx: &Ctx, raw: Option<&[[u32; 2]]>, criteria: usize) -> Result<Vec<Band>, CatalogError> {
    let total = u32::try_from(criteria).unwrap_or(u32::MAX);
    let Some(raw) = raw else {
        let mut all = vec![Band {
            from: total,
            to: total,
        }];
        if total > 0 {
            all.push(Band {
                from: 0,
                to: total - 1,
            });
        }
        return Ok(all);
    };
    let mut bands: Vec<Band> = raw
        .iter()
        .map(|[from, to]| Band {
            from: *from,
            to: *to,
        })
        .collect();
    bands.sort_by_key(|b| std::cmp::Reverse(b.from));
    let mut expected = total;
    for band in &bands {
        if band.from > band.to || band.to != expected {
            let found = format!("{}–{}", band.from, band.to);
            let expected = format!("bands covering 0–{total} without gaps or overlaps");
            return Err(ctx.err("bands", Problem::UnknownValue { found, expected }));
        }
        expected = band.from.wrapping_sub(1);
    }
    if bands.last().is_some_and(|b| b.from != 0) {
        let expected = format!("bands down to 0 of {total}");
        return Err(ctx.err(
            "bands",
            Problem::UnknownValue {
                found: "a gap".into(),
                expected,
            },
        ));
    }
    Ok(bands)
}

fn threshold_basis(ctx: &Ctx, basis: &str) -> Result<ThresholdBasis, CatalogError> {
    match basis {
        "region" => Ok(ThresholdBasis::Region),
        "group" => Ok(ThresholdBasis::Group),
        "none" => Ok(ThresholdBasis::None),
        other => Err(ctx.err(
            "threshold_basis",
            Problem::UnknownValue {
                found: other.into(),
                expected: "region, group, none".into(),
            },
        )),
    }
}

fn level(ctx: &Ctx, key: &str, level: &str) -> Result<RecognitionLevel, CatalogError> {
    ctx.spelled(
        key,
        level,
        RecognitionLevel::ALL,
        RecognitionLevel::from_spelling,
    )
}

/// An act given or not; parsed when given.
fn optional_act(
    ctx: &Ctx,
    key: &str,
    act: Option<&str>,
) -> Result<Option<DecisionNumber>, CatalogError> {
    act.map(|a| ctx.parse(key, a)).transpose()
}

fn convert_condition(ctx: &Ctx, raw: RawCriterion) -> Result<Condition, CatalogError> {
    let key = format!("conditions[{:?}]", raw.code);
    let raw_level = raw.level.clone().unwrap_or_default();
    Ok(Condition {
        level: level(ctx, &format!("{key}.level"), &raw_level)?,
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
