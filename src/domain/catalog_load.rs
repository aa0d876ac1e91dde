//! Reading and validating catalogue TOML files; every error names the file and the offending key.

use std::path::Path;

use chrono::NaiveDate;

use super::catalog::{CriteriaSet, Provenance, YearRange};
use super::catalog_check::check_set;
use super::catalog_raw::{convert_set, RawSet};
use super::measure::IndicatorKind;
use super::terms::{CommuneGroup, ThresholdRegion};

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
    #[error("{what} {code} is not in the restated set {set}")]
    NotInRestated {
        what: &'static str,
        code: String,
        set: String,
    },
    #[error("{found} differs from the restated set's {expected}")]
    DiffersFromRestated { found: String, expected: String },
    #[error("no set {0} in the catalogue")]
    UnknownSet(String),
    #[error("a set cannot supersede itself")]
    SupersedesItself,
    #[error("version {0} of this set is already published with another file for the same effective date; publish it as a correction to replace it")]
    SameEffectiveDate(String),
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

    pub fn spelled<T: Copy + std::fmt::Display>(
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

    pub fn date(&self, key: &str, s: Option<&str>) -> Result<Option<NaiveDate>, CatalogError> {
        s.map(|s| self.parse::<NaiveDate>(key, s)).transpose()
    }

    pub fn years(&self, key: &str, [from, to]: [u16; 2]) -> Result<YearRange, CatalogError> {
        if from > to {
            return Err(self.err(key, Problem::Malformed(format!("{from} is after {to}"))));
        }
        Ok(YearRange { from, to })
    }

    pub fn provenance(
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
pub fn parse_set(file: &str, text: &str) -> Result<CriteriaSet, CatalogError> {
    let raw: RawSet = toml::from_str(text).map_err(|e| CatalogError::Syntax {
        file: file.to_owned(),
        message: e.to_string(),
    })?;
    let ctx = Ctx { file };
    let set = convert_set(&ctx, raw, text)?;
    // A restatement's targets complete the restated set's: it is checked once merged with it.
    if set.restates.is_none() {
        check_set(&ctx, &set)?;
    }
    Ok(set)
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
