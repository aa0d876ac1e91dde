//! `ntm template KIND [--out FILE]`: the `.xlsx` template of an import, with its sheet of valid
//! codes from the catalogue in force.

use std::path::PathBuf;

use anyhow::Context;

use crate::domain::catalog::Catalog;
use crate::import::fact_kind::FactKind;
use crate::import::template;

#[derive(Debug, clap::Args)]
pub struct TemplateArgs {
    /// The kind of file.
    #[arg(value_enum)]
    pub kind: FactKind,
    /// Where to write it (default: mau-KIND.xlsx in the working directory).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Writes the template and says where, on stdout.
pub fn run(args: &TemplateArgs, catalog: &Catalog) -> anyhow::Result<()> {
    let bytes = template::workbook(args.kind, catalog).context("writing the template")?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(template::file_name(args.kind)));
    std::fs::write(&out, bytes).with_context(|| format!("cannot write {}", out.display()))?;
    println!(
        "{}: {} ({})",
        out.display(),
        args.kind.title_vi(),
        args.kind.title_en()
    );
    Ok(())
}
