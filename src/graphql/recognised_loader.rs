//! The recognised status of localities on a day, loaded in batches: one statement for every
//! period of a batch's localities, the period of each key's day picked in the process.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use chrono::NaiveDate;

use crate::projection::read::Reads;
use crate::projection::rows::RecognitionRow;

/// A locality and the day its status is asked for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RecognisedKey {
    pub locality: String,
    pub on: NaiveDate,
}

/// Loads the recognition-history period of each key's locality valid on its day.
pub struct RecognisedOn {
    reads: Reads,
}

impl RecognisedOn {
    pub fn new(reads: &Reads) -> Self {
        RecognisedOn {
            reads: reads.clone(),
        }
    }
}

impl Loader<RecognisedKey> for RecognisedOn {
    type Value = RecognitionRow;
    type Error = String;

    async fn load(
        &self,
        keys: &[RecognisedKey],
    ) -> Result<HashMap<RecognisedKey, Self::Value>, Self::Error> {
        let mut ids: Vec<String> = keys.iter().map(|k| k.locality.clone()).collect();
        ids.sort_unstable();
        ids.dedup();
        let periods = self
            .reads
            .recognition_periods(&ids)
            .await
            .map_err(|e| e.to_string())?;
        let mut by_locality: HashMap<&str, Vec<&RecognitionRow>> = HashMap::new();
        for row in &periods {
            by_locality.entry(&row.locality_id).or_default().push(row);
        }
        let valid = |row: &&&RecognitionRow, on: NaiveDate| {
            row.valid_from <= on && row.valid_to.is_none_or(|to| on < to)
        };
        Ok(keys
            .iter()
            .filter_map(|key| {
                let rows = by_locality.get(key.locality.as_str())?;
                let row = rows.iter().find(|r| valid(r, key.on))?;
                Some((key.clone(), (*row).clone()))
            })
            .collect())
    }
}
