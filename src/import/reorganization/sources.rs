//! What a reorganisation reads: the files named on the command line (or the texts compiled into
//! the binary for the demo), the ward mapping's rows checked against the new units.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use crate::domain::values::LocalityCode;
use crate::import::curated;
use crate::import::localities::{self, UnitRow};
use crate::import::table::{RowErrors, Table};

/// The files of a reorganisation.
#[derive(Debug, Clone)]
pub struct Files {
    /// `old_code,old_name,old_district_name,old_province_name,new_code,new_name`.
    pub mapping: PathBuf,
    /// The units after the reorganisation (`code,name,kind,parent_code`).
    pub units: PathBuf,
    /// Curated lineage applied first, e.g. catalog/lineage/42-ha-tinh-2025-01-01.toml.
    pub curated: Vec<PathBuf>,
}

/// What the reorganisation reads: the new units, the mapping and the curated lineage.
pub struct Sources {
    pub units: Vec<UnitRow>,
    pub(super) mapping: Vec<MappingRow>,
    /// Named in the events' metadata (`reason`) for what is inferred from it.
    pub(super) mapping_file: String,
    pub curated: Vec<curated::Lineage>,
}

impl Sources {
    pub fn read(files: &Files) -> anyhow::Result<Self> {
        let units = localities::read(&files.units)?;
        let mapping = mapping_rows(Table::read(&files.mapping, MAPPING_COLUMNS)?, &units)?;
        let curated = files
            .curated
            .iter()
            .map(|path| curated::read(path))
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Sources {
            units,
            mapping,
            mapping_file: files.mapping.display().to_string(),
            curated,
        })
    }

    /// From texts (the files compiled into the binary for the demo).
    pub fn parse(
        units: (&str, &str),
        mapping: (&str, &str),
        curated: &[(&str, &str)],
    ) -> anyhow::Result<Self> {
        let units_rows = localities::parse(units.0, units.1)?;
        let table = Table::parse(mapping.0, mapping.1.as_bytes(), MAPPING_COLUMNS)?;
        let mapping_rows = mapping_rows(table, &units_rows)?;
        let curated = curated
            .iter()
            .map(|(file, text)| curated::parse(file, text))
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Sources {
            units: units_rows,
            mapping: mapping_rows,
            mapping_file: mapping.0.to_owned(),
            curated,
        })
    }

    /// Old codes the mapping places in `province` (by name) just before the change, with
    /// the name they had then.
    pub fn old_units_of(&self, province: &str) -> Vec<(&LocalityCode, &str)> {
        self.mapping
            .iter()
            .filter(|m| m.old_province == province)
            .map(|m| (&m.old_code, m.old_name.as_str()))
            .collect()
    }
}

/// One mapping row: old commune-level unit → new one.
#[derive(Debug, Clone)]
pub(super) struct MappingRow {
    pub(super) row: usize,
    pub(super) old_code: LocalityCode,
    pub(super) old_name: String,
    pub(super) old_district: String,
    pub(super) old_province: String,
    pub(super) new_code: LocalityCode,
}

const MAPPING_COLUMNS: &[&str] = &[
    "old_code",
    "old_name",
    "old_district_name",
    "old_province_name",
    "new_code",
    "new_name",
];

fn mapping_rows(table: Table, units: &[UnitRow]) -> Result<Vec<MappingRow>, RowErrors> {
    let units_file = "the new units file";
    let new_codes: HashSet<&LocalityCode> = units.iter().map(|u| &u.code).collect();
    let code = "a 5-digit GSO code";
    let mut errors = Vec::new();
    let mut rows = Vec::new();
    let mut seen = HashMap::new();
    for row in table.rows() {
        let old_code = row.parse::<LocalityCode>("old_code", code, &mut errors);
        let new_code = row.parse::<LocalityCode>("new_code", code, &mut errors);
        let old_name = row.name("old_name", &mut errors);
        let old_district = row.name("old_district_name", &mut errors);
        let old_province = row.name("old_province_name", &mut errors);
        let (
            Some(old_code),
            Some(new_code),
            Some(old_name),
            Some(old_district),
            Some(old_province),
        ) = (old_code, new_code, old_name, old_district, old_province)
        else {
            continue;
        };
        if !new_codes.contains(&new_code) {
            errors.push(row.error("new_code", format!("{new_code} is not in {units_file}")));
        }
        if let Some(first) = seen.insert(old_code.clone(), row.row) {
            errors.push(row.error("old_code", format!("{old_code} is already on row {first}")));
        }
        rows.push(MappingRow {
            row: row.row,
            old_code,
            old_name,
            old_district,
            old_province,
            new_code,
        });
    }
    RowErrors::or_value(errors, rows)
}
