//! Filling an empty PostgreSQL table with `COPY … FROM STDIN` (text format) instead of
//! multi-row inserts: a rebuild writes about a million rows, and COPY takes them with no
//! statement to parse or parameter to bind per row.

use std::fmt::Write;

use chrono::NaiveDate;
use sqlx::PgConnection;

use super::ProjectionError;

/// A value as one field of COPY's text format.
pub trait CopyField {
    fn push_field(&self, out: &mut String);
}

impl CopyField for String {
    fn push_field(&self, out: &mut String) {
        for c in self.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\t' => out.push_str("\\t"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                c => out.push(c),
            }
        }
    }
}

impl CopyField for NaiveDate {
    fn push_field(&self, out: &mut String) {
        let _ = write!(out, "{}", self.format("%Y-%m-%d"));
    }
}

impl CopyField for bool {
    fn push_field(&self, out: &mut String) {
        out.push(if *self { 't' } else { 'f' });
    }
}

impl CopyField for i32 {
    fn push_field(&self, out: &mut String) {
        let _ = write!(out, "{self}");
    }
}

impl CopyField for i64 {
    fn push_field(&self, out: &mut String) {
        let _ = write!(out, "{self}");
    }
}

impl<T: CopyField> CopyField for Option<T> {
    fn push_field(&self, out: &mut String) {
        match self {
            Some(value) => value.push_field(out),
            None => out.push_str("\\N"),
        }
    }
}

/// Appends one row, its fields in column order, to a COPY text.
pub fn push_row(out: &mut String, fields: &[&dyn CopyField]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push('\t');
        }
        field.push_field(out);
    }
    out.push('\n');
}

/// Sends `rows` (COPY text) into `table`'s `columns` on a connection inside a transaction.
pub async fn copy_in(
    conn: &mut PgConnection,
    table: &str,
    columns: &[&str],
    rows: String,
) -> Result<(), ProjectionError> {
    let statement = format!("COPY {table} ({}) FROM STDIN", columns.join(", "));
    let mut copy = conn.copy_in_raw(&statement).await?;
    copy.send(rows.into_bytes()).await?;
    copy.finish().await?;
    Ok(())
}
