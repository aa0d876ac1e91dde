//! `ntm catalog list|show` on the sets added for the programme's other titles (issue 18, item 5):
//! each is listed with its act (or that the act was not found), its counts and whether the list is
//! partial, and shown with every target's provenance.

use crate::support::cli::{ntm, succeeded};

/// `ntm catalog …` needs no database; any URL will do.
fn catalog(args: &[&str]) -> String {
    let mut all = vec!["catalog"];
    all.extend_from_slice(args);
    succeeded(&ntm("sqlite::memory:", &all))
}

#[test]
fn the_new_sets_are_listed_with_their_counts() {
    let text = catalog(&["list"]);
    for (code, line) in [
        (
            "VMDT-2013",
            "02/2013/TT-BVHTTDL · 2013–2021 · 5 criteria (partial list) · 0 indicators (partial list)",
        ),
        (
            "NTM-XA-KIEU-MAU-2018-2020",
            "691/QĐ-TTg · 2018–2020 · 4 criteria (partial list) · 5 indicators (partial list)",
        ),
        (
            "HT-NTM-XA-NANG-CAO-2018-2020",
            "legal act number not found · 2018–2020 · 1 criteria (partial list)",
        ),
        (
            "NTM-XA-HIEN-DAI-2026-2030",
            "51/2025/QĐ-TTg · 2026–2030 · 1 criteria (partial list)",
        ),
    ] {
        let listed = text.split_once(&format!("{code}\n")).map(|(_, rest)| rest);
        let block: Vec<&str> = listed.unwrap_or_default().lines().take(4).collect();
        assert!(block.iter().any(|l| l.contains(line)), "{code}: {block:?}");
    }
}

#[test]
fn show_prints_the_verified_kieu_mau_2018_items_with_their_sources() {
    let text = catalog(&["show", "NTM-XA-KIEU-MAU-2018-2020"]);
    assert!(
        text.contains("Targets: 5 verified · 0 recalled · 0 inferred · 0 unknown"),
        "{text}"
    );
    assert!(
        text.contains("all: >= 95 % (verified: https://tuoitrethudo.vn/"),
        "{text}"
    );
    assert!(
        text.contains("all: >= 2 (verified: https://vinhhien.thuathienhue.gov.vn/"),
        "{text}"
    );
    let ward = catalog(&["show", "VMDT-2013"]);
    assert!(ward.contains("level granted: van-minh-do-thi"), "{ward}");
    assert!(ward.contains("provenance: inferred"), "{ward}");
}
