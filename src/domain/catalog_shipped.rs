//! The catalogue files compiled into the binary (`catalog/*.toml`), and catalogues read from
//! files: the release's sets, before the versions an office publishes are added from the log.

use std::path::Path;

use super::catalog::{Catalog, CatalogError, CriteriaSet, Problem};

/// `(file name, TOML text)` of each named file of `catalog/`.
macro_rules! shipped {
    ($($name:literal),+ $(,)?) => {
        &[$((concat!($name, ".toml"), include_str!(concat!("../../catalog/", $name, ".toml"))),)+]
    };
}

/// The catalogue files shipped with the binary, so it works from any directory.
const SHIPPED: &[(&str, &str)] = shipped![
    "DTVM-2022",
    "HT-KDC-KIEU-MAU-2014",
    "HT-NTM-XA-NANG-CAO-2018-2020",
    "HT-PHUONG-DTVM-2020",
    "NTM-HUYEN-2021-2025",
    "NTM-TINH-2021-2025",
    "NTM-TXTP-2021-2025",
    "NTM-XA-2016-2020",
    "NTM-XA-2021-2025",
    "NTM-XA-2026-2030",
    "NTM-XA-HIEN-DAI-2026-2030",
    "NTM-XA-KIEU-MAU-2018-2020",
    "NTM-XA-NANG-CAO-2021-2025",
    "VMDT-2013",
];

impl Catalog {
    /// The catalogue compiled into the binary from `catalog/`.
    pub fn shipped() -> Result<Self, CatalogError> {
        Self::from_sources(SHIPPED.iter().map(|(f, t)| (f.to_string(), t.to_string())))
    }

    /// The files compiled into the binary, as (file name, TOML text).
    pub fn shipped_files() -> impl Iterator<Item = (&'static str, &'static str)> {
        SHIPPED.iter().copied()
    }

    /// Loads every `*.toml` file of a directory (for custom catalogues).
    pub fn load_dir(dir: &Path) -> Result<Self, CatalogError> {
        super::catalog_load::read_dir(dir).and_then(Self::from_sources)
    }

    /// Parses and validates `(file name, TOML text)` pairs, the files of one release: set codes
    /// must be unique.
    pub fn from_sources(
        sources: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, CatalogError> {
        let mut sets: Vec<CriteriaSet> = Vec::new();
        for (file, text) in sources {
            let mut set = super::catalog_load::parse_set(&file, &text)?;
            if sets.iter().any(|s| s.code == set.code) {
                return Err(CatalogError::Invalid {
                    file,
                    key: "code".into(),
                    problem: Problem::Duplicate(set.code.to_string()),
                });
            }
            set.shipped = true;
            sets.push(set);
        }
        Self::assemble(sets)
    }
}
