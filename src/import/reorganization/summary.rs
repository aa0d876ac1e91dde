//! What a reorganisation recorded, and what the data could not explain, as `ntm` prints it.

use std::fmt;

/// What the reorganisation recorded, and what the data could not explain.
#[derive(Debug, Default)]
pub struct Summary {
    pub curated_established: usize,
    pub curated_changes: usize,
    pub curated_mergers: usize,
    pub inferred_renames: Vec<String>,
    pub inferred_reclassifications: Vec<String>,
    pub inferred_units: Vec<String>,
    pub absorbed: Vec<String>,
    pub provinces_continued: usize,
    pub provinces_merged: usize,
    pub units_continued: usize,
    pub units_merged: usize,
    pub units_without_sources: Vec<String>,
    pub districts_ended: usize,
    pub unchanged: bool,
    pub events: usize,
}

fn list(f: &mut fmt::Formatter<'_>, title: &str, items: &[String]) -> fmt::Result {
    writeln!(f, "{title}: {}", items.len())?;
    for item in items {
        writeln!(f, "  {item}")?;
    }
    Ok(())
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.unchanged {
            return writeln!(f, "already recorded: nothing new (0 events)");
        }
        writeln!(
            f,
            "curated lineage: {} units established, {} changes, {} mergers",
            self.curated_established, self.curated_changes, self.curated_mergers
        )?;
        list(
            f,
            "renamed before the reorganisation (inferred from the mapping's old names)",
            &self.inferred_renames,
        )?;
        list(
            f,
            "reclassified before the reorganisation (inferred from the name's prefix)",
            &self.inferred_reclassifications,
        )?;
        list(
            f,
            "in the mapping but not in the register (established, inferred)",
            &self.inferred_units,
        )?;
        list(
            f,
            "absent from the mapping: ended as absorbed, successor unknown",
            &self.absorbed,
        )?;
        writeln!(
            f,
            "provinces: {} continue, {} of them absorbing others",
            self.provinces_continued, self.provinces_merged
        )?;
        writeln!(
            f,
            "commune-level units: {} continue, {} new ones formed by merger",
            self.units_continued, self.units_merged
        )?;
        list(
            f,
            "new units with no mapping row (established without predecessors)",
            &self.units_without_sources,
        )?;
        writeln!(f, "districts ended: {}", self.districts_ended)?;
        writeln!(f, "{} events recorded", self.events)
    }
}
