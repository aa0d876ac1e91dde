//! Administrative units, villages, the July 2025 reorganisation, readings and every other fact
//! kind from files, each checked whole before anything is written (`ntm import …`).

pub mod attributes;
pub mod columns;
pub mod curated;
pub mod fact_kind;
pub mod fact_row;
pub mod facts;
pub mod localities;
pub mod reading_row;
pub mod readings;
pub mod reorganization;
pub mod sheet;
pub mod table;
pub mod template;
pub mod village_row;
pub mod villages;
