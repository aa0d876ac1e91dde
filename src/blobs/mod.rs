//! The blob store: the files attached to facts, kept by the SHA-256 of their bytes, in a
//! directory or in the database's `blobs` table. An event names a file by that hash, so every
//! read checks it: bytes that no longer hash to their name are refused, never served.

pub mod media;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::store::{with_db, Db};

/// Where the files are kept and which ones are taken.
#[derive(Clone, Debug)]
pub struct AttachmentSettings {
    /// A directory (`NTM_BLOB_DIR`); `None`: the database's `blobs` table.
    pub dir: Option<PathBuf>,
    /// The largest file taken, in bytes (`NTM_ATTACHMENT_MAX_MB`).
    pub max_bytes: usize,
    /// The extensions taken (`NTM_ATTACHMENT_TYPES`), lowercase.
    pub types: Vec<String>,
}

/// Megabytes of one attachment by default.
pub const DEFAULT_MAX_MB: usize = 20;

impl Default for AttachmentSettings {
    fn default() -> Self {
        AttachmentSettings {
            dir: None,
            max_bytes: DEFAULT_MAX_MB << 20,
            types: media::DEFAULT_TYPES.split(',').map(str::to_owned).collect(),
        }
    }
}

/// Why a file was not taken or cannot be given back.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is {size} bytes; at most {limit} are taken")]
    TooLarge { size: usize, limit: usize },
    #[error("files of type {extension:?} are not taken; allowed: {allowed}")]
    TypeNotAllowed { extension: String, allowed: String },
    #[error("the file's bytes are not those of a {extension} file")]
    NotItsType { extension: String },
    #[error("no file with SHA-256 {0} is stored")]
    NotFound(String),
    #[error("the file stored as {expected} now hashes to {actual}: it was altered")]
    Altered { expected: String, actual: String },
    #[error("the blob store cannot be read or written: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// A file as stored: its hash, size and the media type of its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    pub sha256: String,
    pub size: u64,
    pub media_type: &'static str,
}

/// The files attached to facts.
#[derive(Clone)]
pub struct BlobStore {
    db: Db,
    settings: AttachmentSettings,
}

impl BlobStore {
    pub fn new(db: Db, settings: AttachmentSettings) -> Self {
        BlobStore { db, settings }
    }

    pub fn settings(&self) -> &AttachmentSettings {
        &self.settings
    }

    /// Whether a file named `name` of `bytes` would be taken, and as which media type.
    pub fn admit(&self, name: &str, bytes: &[u8]) -> Result<&'static str, BlobError> {
        if bytes.is_empty() {
            return Err(BlobError::Empty);
        }
        if bytes.len() > self.settings.max_bytes {
            return Err(BlobError::TooLarge {
                size: bytes.len(),
                limit: self.settings.max_bytes,
            });
        }
        let extension = media::extension(name).unwrap_or_default();
        let media_type = media::media_type(name)
            .filter(|_| self.settings.types.contains(&extension))
            .ok_or_else(|| BlobError::TypeNotAllowed {
                extension: extension.clone(),
                allowed: self.settings.types.join(", "),
            })?;
        if !media::looks_like(name, bytes) {
            return Err(BlobError::NotItsType { extension });
        }
        Ok(media_type)
    }

    /// Keeps `bytes` (a file named `name`) under their SHA-256; the same bytes again are kept
    /// once.
    pub async fn put(
        &self,
        name: &str,
        bytes: &[u8],
        now: DateTime<Utc>,
    ) -> Result<Stored, BlobError> {
        let media_type = self.admit(name, bytes)?;
        let sha256 = hex::encode(Sha256::digest(bytes));
        match &self.settings.dir {
            Some(dir) => write_file(&path_in(dir, &sha256), bytes).await?,
            None => insert(&self.db, &sha256, bytes, now).await?,
        }
        Ok(Stored {
            sha256,
            size: bytes.len() as u64,
            media_type,
        })
    }

    /// The bytes kept under `sha256`, checked against it.
    pub async fn get(&self, sha256: &str) -> Result<Vec<u8>, BlobError> {
        if !is_sha256(sha256) {
            return Err(BlobError::NotFound(sha256.to_owned()));
        }
        let bytes = match &self.settings.dir {
            Some(dir) => match tokio::fs::read(path_in(dir, sha256)).await {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                read => Some(read?),
            },
            None => select(&self.db, sha256).await?,
        };
        let bytes = bytes.ok_or_else(|| BlobError::NotFound(sha256.to_owned()))?;
        let actual = hex::encode(Sha256::digest(&bytes));
        if actual != sha256 {
            return Err(BlobError::Altered {
                expected: sha256.to_owned(),
                actual,
            });
        }
        Ok(bytes)
    }

    /// The size of the file kept under `sha256`, checked against its hash.
    pub async fn size(&self, sha256: &str) -> Result<u64, BlobError> {
        Ok(self.get(sha256).await?.len() as u64)
    }
}

fn is_sha256(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// `dir/ab/abcdef…`: two hex digits of fan-out keep directories small.
fn path_in(dir: &Path, sha256: &str) -> PathBuf {
    dir.join(&sha256[..2]).join(sha256)
}

/// Writes the file whole or not at all (a temporary file renamed into place); a file already
/// there has these bytes, since its name is their hash.
async fn write_file(path: &Path, bytes: &[u8]) -> Result<(), BlobError> {
    if tokio::fs::try_exists(path).await? {
        return Ok(());
    }
    let parent = path.parent().unwrap_or(Path::new("."));
    tokio::fs::create_dir_all(parent).await?;
    let partial = path.with_extension(format!("part-{}", uuid::Uuid::new_v4()));
    tokio::fs::write(&partial, bytes).await?;
    tokio::fs::rename(&partial, path).await?;
    Ok(())
}

async fn insert(db: &Db, sha256: &str, bytes: &[u8], now: DateTime<Utc>) -> sqlx::Result<()> {
    let sql = "INSERT INTO blobs (sha256, size, bytes, stored_at) VALUES ($1, $2, $3, $4) \
               ON CONFLICT (sha256) DO NOTHING";
    with_db!(db, pool => {
        sqlx::query(sql)
            .bind(sha256)
            .bind(bytes.len() as i64)
            .bind(bytes)
            .bind(now)
            .execute(pool)
            .await
            .map(drop)?
    });
    Ok(())
}

async fn select(db: &Db, sha256: &str) -> sqlx::Result<Option<Vec<u8>>> {
    let sql = "SELECT bytes FROM blobs WHERE sha256 = $1";
    let found: Option<(Vec<u8>,)> = with_db!(db, pool => {
        sqlx::query_as(sql).bind(sha256).fetch_optional(pool).await?
    });
    Ok(found.map(|(bytes,)| bytes))
}
