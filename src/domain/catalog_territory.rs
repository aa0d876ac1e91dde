//! Sets for a territory: a province's restatement of a national set, merged over it when the
//! catalogue loads, and the set that grades a locality on a date given where it is then.

use chrono::NaiveDate;

use super::catalog::{Catalog, CriteriaSet, Target};
use super::catalog_check::check_set;
use super::catalog_load::{CatalogError, Ctx, Problem};
use super::terms::{LocalityKind, RecognitionLevel};
use super::territory::Territory;
use super::values::{LocalityCode, SetCode};

/// Replaces every restatement by the restated set with the restatement's targets laid over it:
/// over the restated set's latest version (`sets` are in version order), so a correction of the
/// national set reaches its restatements.
pub(super) fn restate_all(sets: &mut [CriteriaSet]) -> Result<(), CatalogError> {
    let originals: Vec<CriteriaSet> = sets.to_vec();
    for set in sets.iter_mut() {
        let Some(code) = set.restates.clone() else {
            continue;
        };
        let file = set.file.clone();
        let ctx = Ctx { file: &file };
        let Some(base) = originals.iter().rev().find(|s| s.code == code) else {
            let problem = Problem::Malformed(format!("no set {code} in the catalogue"));
            return Err(ctx.err("restates", problem));
        };
        *set = restate(&ctx, set, base)?;
    }
    Ok(())
}

/// The restated set's criteria and rules, with the restatement's act, dates, territory and
/// targets: each target of the restatement replaces the national targets of its scope (all of
/// their years when it has none); criteria and indicators it leaves out keep national targets.
fn restate(ctx: &Ctx, r: &CriteriaSet, n: &CriteriaSet) -> Result<CriteriaSet, CatalogError> {
    if n.restates.is_some() || n.territory.is_some() {
        let problem = Problem::Malformed(format!("{} is not a national set", n.code));
        return Err(ctx.err("restates", problem));
    }
    same(ctx, "level", r.level, n.level)?;
    let mut kinds = (r.applies_to.clone(), n.applies_to.clone());
    kinds.0.sort();
    kinds.1.sort();
    same(
        ctx,
        "applies_to",
        format!("{:?}", kinds.0),
        format!("{:?}", kinds.1),
    )?;
    same(ctx, "threshold_basis", r.basis, n.basis)?;
    if r.period.from < n.period.from || r.period.to > n.period.to {
        let (from, to) = (n.period.from, n.period.to);
        let problem = Problem::Malformed(format!("must lie within the restated set's {from}–{to}"));
        return Err(ctx.err("period", problem));
    }
    let mut merged = CriteriaSet {
        code: r.code.clone(),
        title_vi: r.title_vi.clone(),
        title_en: r.title_en.clone(),
        legal_act: r.legal_act.clone(),
        signed_on: r.signed_on,
        effective_from: r.effective_from,
        period: r.period,
        territory: r.territory.clone(),
        restates: r.restates.clone(),
        special_region: r.special_region.or(n.special_region),
        provenance: r.provenance.clone(),
        research: r.research.clone(),
        note: r.note.clone(),
        file: r.file.clone(),
        version: r.version.clone(),
        supersedes: r.supersedes.clone(),
        shipped: r.shipped,
        published_at: r.published_at,
        recorded_at: r.recorded_at,
        ..n.clone()
    };
    for criterion in &r.criteria {
        let key = format!("criteria[{:?}]", criterion.code.as_str());
        let not_in = |what, code: &str| Problem::NotInRestated {
            what,
            code: code.to_owned(),
            set: n.code.to_string(),
        };
        let Some(target) = merged
            .criteria
            .iter_mut()
            .find(|c| c.code == criterion.code)
        else {
            return Err(ctx.err(
                format!("{key}.code"),
                not_in("criterion", criterion.code.as_str()),
            ));
        };
        for indicator in &criterion.indicators {
            let key = format!("{key}.indicators[{:?}]", indicator.code.as_str());
            let Some(national) = target
                .indicators
                .iter_mut()
                .find(|i| i.code == indicator.code)
            else {
                let problem = not_in("indicator", indicator.code.as_str());
                return Err(ctx.err(format!("{key}.code"), problem));
            };
            same(ctx, &format!("{key}.kind"), indicator.kind, national.kind)?;
            let comparator = (indicator.comparator.symbol(), national.comparator.symbol());
            same(
                ctx,
                &format!("{key}.comparator"),
                comparator.0,
                comparator.1,
            )?;
            national.targets = overlay(&indicator.targets, &national.targets);
        }
    }
    check_set(ctx, &merged)?;
    Ok(merged)
}

fn same<T: PartialEq + std::fmt::Debug>(
    ctx: &Ctx,
    key: &str,
    found: T,
    expected: T,
) -> Result<(), CatalogError> {
    if found == expected {
        return Ok(());
    }
    let problem = Problem::DiffersFromRestated {
        found: format!("{found:?}"),
        expected: format!("{expected:?}"),
    };
    Err(ctx.err(key, problem))
}

/// The restatement's targets, then the national ones it does not replace.
fn overlay(own: &[Target], national: &[Target]) -> Vec<Target> {
    let replaced = |n: &Target| {
        own.iter().any(|o| {
            o.scope == n.scope
                && match (o.years, n.years) {
                    (None, _) => true,
                    (Some(a), Some(b)) => a.overlaps(&b),
                    (Some(_), None) => false,
                }
        })
    };
    let kept = national.iter().filter(|n| !replaced(n)).cloned();
    own.iter().cloned().chain(kept).collect()
}

/// Why a set grades a locality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// A national set (no territory).
    National,
    /// A set for the territory of the province with this code (its own or a restatement).
    Territory(LocalityCode),
}

impl CriteriaSet {
    pub fn reason(&self) -> Reason {
        self.territory
            .clone()
            .map_or(Reason::National, Reason::Territory)
    }
}

impl Catalog {
    /// Whether any set grades only a territory: then where a locality is matters.
    pub fn has_territorial_sets(&self) -> bool {
        self.sets().iter().any(|s| s.territory.is_some())
    }

    /// The set that grades a locality of `kind` at `level` on `on`, inside `territory` then:
    /// among the sets in force for the kind and level, national or for a province the locality
    /// is in, a restatement beats the set it restates; otherwise the latest to take effect.
    pub fn grading_set(
        &self,
        kind: LocalityKind,
        level: RecognitionLevel,
        on: NaiveDate,
        territory: &Territory,
    ) -> Option<&CriteriaSet> {
        self.resolve(kind, &[level], on, territory)
    }

    /// The set that grades a locality of `kind` on `on` in its programme, inside `territory`:
    /// of the sets in force for the kind at a base level (NTM for communes; the civilised-urban
    /// titles for wards and towns; the model area for villages), resolved as [`Self::grading_set`].
    /// A ward is graded by TT 02/2013's set until a later urban set takes effect (QĐ
    /// 18/2020/QĐ-UBND in Hà Tĩnh, QĐ 04/2022/QĐ-TTg), see docs/decisions/ward-title-2013.md.
    pub fn programme_set(
        &self,
        kind: LocalityKind,
        on: NaiveDate,
        territory: &Territory,
    ) -> Option<&CriteriaSet> {
        use RecognitionLevel as L;
        let base = [L::Ntm, L::DoThiVanMinh, L::VanMinhDoThi, L::KhuDanCuKieuMau];
        self.resolve(kind, &base, on, territory)
    }

    fn resolve(
        &self,
        kind: LocalityKind,
        levels: &[RecognitionLevel],
        on: NaiveDate,
        territory: &Territory,
    ) -> Option<&CriteriaSet> {
        let candidates: Vec<&CriteriaSet> = self
            .versions()
            .iter()
            .filter(|s| levels.contains(&s.level) && s.applies_to(kind))
            .filter(|s| s.version_in_force.contains(on))
            .filter(|s| {
                s.territory
                    .as_ref()
                    .is_none_or(|t| territory.contains(t, on))
            })
            .collect();
        let restated = |s: &CriteriaSet| {
            candidates
                .iter()
                .any(|o| o.restates == Some(s.code.clone()))
        };
        candidates
            .iter()
            .filter(|s| !restated(s))
            .max_by_key(|s| (s.in_force.from, &s.code))
            .copied()
    }

    /// `set` with every restatement of it: what grades standings keyed by its code.
    pub fn grading<'c>(&'c self, set: &'c CriteriaSet) -> Grading<'c> {
        let restatements = self
            .versions()
            .iter()
            .filter(|s| s.restates.as_ref() == Some(&set.code))
            .collect();
        let versions = self.versions_of(&set.code);
        Grading {
            base: set,
            versions: if versions.is_empty() {
                std::slice::from_ref(set)
            } else {
                versions
            },
            restatements,
        }
    }
}

/// A set and its restatements: standings are keyed by the set, graded on each date by the
/// restatement in force for the locality's territory if there is one, else by the set's version
/// in force then; facts recorded under any of their codes count for all of them.
#[derive(Debug, Clone)]
pub struct Grading<'c> {
    /// The set's latest version: its code keys the standing.
    pub base: &'c CriteriaSet,
    /// Every version of the set, oldest first.
    versions: &'c [CriteriaSet],
    /// Every version of every restatement of it.
    restatements: Vec<&'c CriteriaSet>,
}

impl<'c> Grading<'c> {
    /// One set grading on its own (a restatement still counts facts of the set it restates).
    pub fn alone(set: &'c CriteriaSet) -> Self {
        Grading {
            base: set,
            versions: std::slice::from_ref(set),
            restatements: Vec::new(),
        }
    }

    /// The set that grades on `on` a locality inside `territory`: a restatement's version in
    /// force for it, else the set's version in force then (before the first, the first).
    pub fn set_on(&self, on: NaiveDate, territory: &Territory) -> &'c CriteriaSet {
        let restatement = self
            .restatements
            .iter()
            .filter(|r| r.version_in_force.contains(on))
            .filter(|r| {
                r.territory
                    .as_ref()
                    .is_some_and(|t| territory.contains(t, on))
            })
            .max_by_key(|r| (r.in_force.from, &r.code))
            .copied();
        restatement.unwrap_or_else(|| {
            let started = self.versions.iter().rev().find(|v| v.starts_on() <= on);
            started.or(self.versions.first()).unwrap_or(self.base)
        })
    }

    /// Whether a fact recorded under `code` counts.
    pub fn counts(&self, code: &SetCode) -> bool {
        self.base.code == *code
            || self.base.restates.as_ref() == Some(code)
            || self.restatements.iter().any(|r| r.code == *code)
    }

    /// Every set and version that may grade, the set's versions first.
    pub fn sets(&self) -> impl Iterator<Item = &'c CriteriaSet> + '_ {
        self.versions
            .iter()
            .chain(self.restatements.iter().copied())
    }
}
