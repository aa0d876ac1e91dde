//! Bulk imports of every fact kind (issue 21, item 4): from the command line, from a GraphQL
//! upload and from the upload page; the templates.

mod kinds;
mod page;
mod setup;
mod template;
mod upload;
