//! The ward title "phường đạt chuẩn văn minh đô thị" (TT 02/2013/TT-BVHTTDL, `VMDT-2013`) in
//! Thành phố Hà Tĩnh as published: phường Trần Phú in 2016 (hatinhtv.vn, research §3.2), and
//! Văn Yên, Thạch Linh and Hà Huy Tập by UBND TP Hà Tĩnh's QĐ 19/QĐ-UBND of 08/01/2020
//! (sovhttdl.hatinh.gov.vn, research §3.1). The city's other wards holding it by early 2020 are
//! named by no source, so the demo does not draw them.

use std::sync::Arc;

use anyhow::Context;
use chrono::{Days, NaiveDate};

use super::history::Script;
use crate::app::Register;
use crate::domain::catalog::{Catalog, CriteriaSet};
use crate::domain::locality::{LocalityAction, RecognitionGranted};
use crate::domain::terms::{AssessmentLevel, RecognitionLevel};
use crate::domain::DomainError;

/// The set of the ward title.
pub const WARD_SET: &str = "VMDT-2013";

/// One ward's title: its code then, the decision and the year it reached the standard.
struct Title {
    code: &'static str,
    on: (i32, u32, u32),
    decision: &'static str,
    /// The decision number is the published one (else generated, ending in `-DEMO`).
    published: bool,
    standard_year: u16,
}

/// Trần Phú's decision is not known: its number is generated and its date the end of 2016.
/// QĐ 19/QĐ-UBND's standard year is not stated; the year before its signing is assumed.
const TITLES: &[Title] = &[
    Title {
        code: "18070",
        on: (2016, 12, 20),
        decision: "2016/QĐ-UBND-DEMO",
        published: false,
        standard_year: 2016,
    },
    Title {
        code: "18097",
        on: (2020, 1, 8),
        decision: "19/QĐ-UBND",
        published: true,
        standard_year: 2019,
    },
    Title {
        code: "18094",
        on: (2020, 1, 8),
        decision: "19/QĐ-UBND",
        published: true,
        standard_year: 2019,
    },
    Title {
        code: "18085",
        on: (2020, 1, 8),
        decision: "19/QĐ-UBND",
        published: true,
        standard_year: 2019,
    },
];

/// Each ward enrolled in the title's set from `registered_on`, its standards found met by the
/// city's appraisal, and the city's decision; one append per ward.
pub async fn record_the_ward_titles(
    register: &mut Register,
    catalog: &Arc<Catalog>,
    registered_on: NaiveDate,
    today: NaiveDate,
) -> anyhow::Result<usize> {
    let set = catalog
        .get(&WARD_SET.parse()?)
        .with_context(|| format!("{WARD_SET} is not in the catalogue"))?;
    for (n, title) in TITLES.iter().enumerate() {
        let (y, m, d) = title.on;
        let on = NaiveDate::from_ymd_opt(y, m, d).context("date")?;
        let id = register
            .holder(&title.code.parse()?, on)
            .cloned()
            .with_context(|| format!("ward {} is not registered on {on}", title.code))?;
        let state = register.state(&id).cloned().unwrap_or_default();
        let seed = super::SEED + 20_000 + n as u64;
        let mut script = Script::new(catalog.clone(), catalog, id.clone(), state, today, seed);
        recognise(&mut script, set, title, registered_on, on)
            .with_context(|| format!("the ward title of {}", title.code))?;
        register.record(vec![(id, script.events)], None).await?;
    }
    Ok(TITLES.len())
}

/// The ward's enrolment, its standards met, and the decision, decided one after the other.
fn recognise(
    script: &mut Script<'_>,
    set: &CriteriaSet,
    title: &Title,
    registered_on: NaiveDate,
    on: NaiveDate,
) -> Result<(), DomainError> {
    script.enrol(WARD_SET, registered_on, i32::from(title.standard_year))?;
    let appraised = on - Days::new(20);
    for criterion in &set.criteria {
        let level = AssessmentLevel::DistrictAppraisal;
        script.criterion(set, criterion, appraised, true, level)?;
    }
    let note = if title.published {
        "số quyết định đã công bố"
    } else {
        "số và ngày quyết định sinh cho bản demo"
    };
    script.run(LocalityAction::GrantRecognition(RecognitionGranted {
        effective_on: on,
        decision: title.decision.parse()?,
        signed_on: on,
        issuer: "UBND thành phố Hà Tĩnh".into(),
        signer: format!("Chủ tịch UBND thành phố ({note})"),
        set: set.code.clone(),
        level: RecognitionLevel::VanMinhDoThi,
        standard_year: title.standard_year,
        batch: None,
        outstanding_field: None,
        override_reason: None,
    }))?;
    Ok(())
}
