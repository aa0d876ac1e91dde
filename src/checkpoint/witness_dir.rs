//! What a witness keeps in its directory: `latest` (the accepted checkpoint, cosigned),
//! `checkpoints/<size>.txt` (every one it accepted) and `refused/<size>-<time>.txt` (the
//! evidence of each refusal). Files are written whole or not at all (a temporary file renamed).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::witness::{Refused, WitnessError};
use crate::merkle::Hash;

/// A witness's directory.
#[derive(Clone, Debug)]
pub struct WitnessDir {
    root: PathBuf,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WitnessError + '_ {
    move |source| WitnessError::Io {
        path: path.to_owned(),
        source,
    }
}

impl WitnessDir {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        WitnessDir { root: root.into() }
    }

    pub fn latest_path(&self) -> PathBuf {
        self.root.join("latest")
    }

    /// The accepted note, with this witness's cosignature; `None` before the first.
    pub fn latest(&self) -> Result<Option<String>, WitnessError> {
        let path = self.latest_path();
        match std::fs::read_to_string(&path) {
            Ok(note) => Ok(Some(note)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(io(&path)(error)),
        }
    }

    /// Keeps an accepted, cosigned note: `checkpoints/<size>.txt` first, then `latest`.
    pub fn keep_accepted(&self, size: u64, note: &str) -> Result<(), WitnessError> {
        let copy = self.root.join("checkpoints").join(format!("{size}.txt"));
        write_atomically(&copy, note)?;
        write_atomically(&self.latest_path(), note)
    }

    /// Keeps the evidence of a refusal: the reason, the offered note, the accepted one and the
    /// proof the log offered; returns the file's path.
    pub fn keep_refused(
        &self,
        refused: &Refused,
        size: Option<u64>,
        now: u64,
        offered: &str,
        accepted: Option<&str>,
        proof: &[Hash],
    ) -> Result<PathBuf, WitnessError> {
        let size = size.map_or_else(|| "unreadable".to_owned(), |s| s.to_string());
        let path = self.root.join("refused").join(format!("{size}-{now}.txt"));
        let proof = crate::merkle::base64_hashes(proof);
        let text = format!(
            "refused: {refused}\nat: {now} (Unix seconds)\n\n\
             offered checkpoint, as the log served it:\n{offered}\n\
             previously accepted checkpoint:\n{}\n\
             consistency proof offered by the log (base64):\n{}\n",
            accepted.unwrap_or("(none)\n"),
            proof.join("\n"),
        );
        write_atomically(&path, &text)?;
        Ok(path)
    }
}

/// `text` written to a temporary file beside `path`, flushed to disk, then renamed over it:
/// a crash leaves the old file or the new one, never half of one.
fn write_atomically(path: &Path, text: &str) -> Result<(), WitnessError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut file = std::fs::File::create(&temporary).map_err(io(&temporary))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(io(&temporary))?;
    std::fs::rename(&temporary, path).map_err(io(path))?;
    // The rename itself reaches the disk when the directory does.
    if let Ok(directory) = std::fs::File::open(dir) {
        let _ = directory.sync_all();
    }
    Ok(())
}
