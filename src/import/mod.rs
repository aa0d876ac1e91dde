//! Administrative units, villages, the July 2025 reorganisation and readings from files, each checked
//! whole before anything is written (`ntm import …`).

pub mod attributes;
pub mod curated;
pub mod localities;
pub mod reading_row;
pub mod readings;
pub mod reorganization;
pub mod sheet;
pub mod table;
pub mod village_row;
pub mod villages;
