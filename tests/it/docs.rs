//! Every link from README.md and docs/ to a file of the repository leads to one.

use std::path::{Path, PathBuf};

/// README.md and every Markdown file below docs/.
fn documents(root: &Path) -> Vec<PathBuf> {
    let mut found = vec![root.join("README.md")];
    let mut folders = vec![root.join("docs")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("docs/ is readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                found.push(path);
            }
        }
    }
    found
}

/// The targets of the Markdown links `[text](target)` in `text`, without any `#anchor`.
fn link_targets(text: &str) -> Vec<&str> {
    text.split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .map(|target| target.split('#').next().unwrap_or_default())
        .filter(|target| !target.is_empty() && !target.contains("://"))
        .collect()
}

#[test]
fn links_to_files_lead_to_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut broken = Vec::new();
    for document in documents(root) {
        let text = std::fs::read_to_string(&document).expect("readable");
        let folder = document.parent().expect("a folder");
        for target in link_targets(&text) {
            if !folder.join(target).exists() {
                broken.push(format!("{}: {target}", document.display()));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_link_reader_finds_file_links_only() {
    let text = "[a](docs/a.md) [b](https://x.org) [c](#here) [d](b.md#part)";
    assert_eq!(link_targets(text), ["docs/a.md", "b.md"]);
}
