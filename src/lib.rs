pub mod catalog_cli;
pub mod domain;
