//! The demo's recognitions obey the rules recognition commands enforce: each level after the
//! one below it is held, decisions within their set's period and not before the act that
//! issued it, standard years not after the decision, thừa nhận at the predecessor's level and set.

use chrono::{Datelike, NaiveDate};
use ntm_tracker::app::Register;
use ntm_tracker::domain::catalog::Catalog;
use ntm_tracker::domain::locality::LocalityId;
use ntm_tracker::domain::profile::{Held, Profile};
use ntm_tracker::domain::terms::RecognitionLevel;

/// The level a recognition at `level` requires to be held first.
fn below(level: RecognitionLevel) -> Option<RecognitionLevel> {
    match level {
        RecognitionLevel::NtmNangCao => Some(RecognitionLevel::Ntm),
        RecognitionLevel::NtmKieuMau => Some(RecognitionLevel::NtmNangCao),
        _ => None,
    }
}

fn holds(profile: &Profile, level: RecognitionLevel, on: NaiveDate, version: u64) -> bool {
    profile
        .recognitions_in_force()
        .any(|r| r.level == level && r.effective_on <= on && r.version < version)
}

/// Every breach of those rules among the recognitions of `ids`, described.
pub fn breaches(register: &Register, catalog: &Catalog, ids: &[LocalityId]) -> Vec<String> {
    let mut found = Vec::new();
    for id in ids {
        let profile = register.state(id).expect("state").profile();
        let name = profile.names.entries().last().map(|(_, n)| n.clone());
        let mut say = |what: String| found.push(format!("{name:?}: {what}"));
        for r in &profile.recognitions {
            let set = catalog.get(&r.set).expect("set");
            let year = r.effective_on.year();
            let issued = set.effective_from.or(set.signed_on);
            let std_year = i32::from(r.standard_year);
            if r.held == Held::Granted {
                if !set.period.contains(year) || issued.is_some_and(|d| r.effective_on < d) {
                    say(format!(
                        "{} of {} outside {}",
                        r.decision, r.effective_on, r.set
                    ));
                }
                if std_year > year || !set.period.contains(std_year) {
                    say(format!("{} standard year {}", r.decision, r.standard_year));
                }
            }
            if let Some(level) = below(r.level) {
                if !holds(profile, level, r.effective_on, r.version) {
                    say(format!("{} without {level:?} held", r.decision));
                }
            }
            if r.held == Held::Acknowledged {
                let alike = profile
                    .inherited
                    .iter()
                    .all(|p| p.set == r.set && p.level == r.level);
                if !alike {
                    say(format!("{} acknowledges another level or set", r.decision));
                }
            }
        }
    }
    found
}
