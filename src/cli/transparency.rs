//! `ntm key generate`, `ntm checkpoint`, `ntm prove`: the log's keys, signed checkpoints and
//! proofs (docs/transparency-log.md); the settings they share.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;

use crate::checkpoint::{KeyType, LogSettings, NoteSigner, NoteVerifier};
use crate::merkle;
use crate::store::EventStore;

/// The checkpoints' key, the log's name, and the witnesses whose cosignatures are kept.
#[derive(Clone, Debug, Default, clap::Args)]
pub struct LogArgs {
    /// The Ed25519 key that signs checkpoints: a file holding `PRIVATE+KEY+…` (made by
    /// `ntm key generate`), or the key itself. Without it no checkpoint is made.
    #[arg(
        id = "checkpoint_key",
        long = "checkpoint-key",
        env = "NTM_CHECKPOINT_KEY",
        global = true,
        hide_env_values = true,
        value_name = "FILE",
        value_parser = signing_key
    )]
    pub key: Option<NoteSigner>,
    /// The log's name in its checkpoints (default: the key's name).
    #[arg(
        id = "log_origin",
        long = "log-origin",
        env = "NTM_LOG_ORIGIN",
        global = true
    )]
    pub origin: Option<String>,
    /// Witnesses' verifier keys (`name+id+key`, made by `ntm key generate --witness`),
    /// comma-separated: their cosignatures are checked and kept.
    #[arg(
        id = "witness_keys",
        long = "witness-keys",
        env = "NTM_WITNESS_KEYS",
        global = true,
        value_delimiter = ',',
        value_name = "VKEY",
        value_parser = witness_key
    )]
    pub witnesses: Vec<NoteVerifier>,
}

impl LogArgs {
    pub fn settings(&self) -> LogSettings {
        LogSettings {
            signer: self.key.clone(),
            origin: self.origin.clone(),
            witnesses: self.witnesses.clone(),
        }
    }
}

/// A signing key given as a file or as its text.
pub fn signing_key(text: &str) -> Result<NoteSigner, String> {
    let read = match text.trim().starts_with("PRIVATE+KEY+") {
        true => text.to_owned(),
        false => std::fs::read_to_string(text)
            .map_err(|e| format!("cannot read the key file {text}: {e}"))?,
    };
    NoteSigner::parse(&read).map_err(|e| format!("{text}: {e}"))
}

/// A verifier key given as its text or as a file holding it.
pub fn verifier_key(text: &str) -> Result<NoteVerifier, String> {
    let read = match Path::new(text).is_file() {
        true => std::fs::read_to_string(text)
            .map_err(|e| format!("cannot read the key file {text}: {e}"))?,
        false => text.to_owned(),
    };
    NoteVerifier::parse(&read).map_err(|e| format!("{text}: {e}"))
}

fn witness_key(text: &str) -> Result<NoteVerifier, String> {
    let key = verifier_key(text)?;
    match key.kind() {
        KeyType::Cosignature => Ok(key),
        KeyType::Ed25519 => Err(format!(
            "{text}: a witness key is a cosignature key (ntm key generate --witness)"
        )),
    }
}

/// `ntm key`.
#[derive(Debug, clap::Subcommand)]
pub enum KeyCommand {
    /// Write a new Ed25519 signing key to a file readable only by its owner, and print its
    /// verifier key, to hand to whoever checks the signatures.
    Generate(GenerateArgs),
}

#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// The key's name, a URL-like name without spaces or '+', e.g. `ntm.hatinh.gov.vn/log`.
    #[arg(long)]
    pub name: String,
    /// A witness's key (it cosigns checkpoints) instead of a log's key.
    #[arg(long)]
    pub witness: bool,
    /// Where to write the key; an existing file is never overwritten.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

pub fn key(command: KeyCommand, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let KeyCommand::Generate(args) = command;
    let kind = match args.witness {
        true => KeyType::Cosignature,
        false => KeyType::Ed25519,
    };
    let key = NoteSigner::generate(&args.name, kind)?;
    write_private(&args.out, &key.to_text())?;
    writeln!(out, "{}", key.verifier())?;
    eprintln!(
        "key written to {}; the line above is its verifier key (public)",
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes `text` to a new file only its owner may read.
pub fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create {} (it must not exist yet)", path.display()))?;
    writeln!(file, "{text}").with_context(|| format!("cannot write {}", path.display()))
}

/// `ntm checkpoint`: signs the log as it is now and prints the signed note.
pub async fn checkpoint(
    store: EventStore,
    log: &LogSettings,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    let kept = log.checkpoints(store).make().await?;
    write!(out, "{}", kept.cosigned_note())?;
    Ok(ExitCode::SUCCESS)
}

/// `ntm prove`.
#[derive(Debug, clap::Args)]
pub struct ProveArgs {
    /// The position of the event to prove included.
    #[arg(required_unless_present = "from", conflicts_with_all = ["from", "to"])]
    pub position: Option<i64>,
    /// The size (number of events) of the checkpoint the event is proven in; default the
    /// newest checkpoint's.
    #[arg(long)]
    pub checkpoint: Option<u64>,
    /// Prove the tree of this many events is the start of the tree of `--to` events.
    #[arg(long, requires = "to")]
    pub from: Option<u64>,
    #[arg(long, requires = "from")]
    pub to: Option<u64>,
}

/// Prints the proof as JSON, checked against the stored roots before it is printed.
pub async fn prove(
    store: EventStore,
    log: &LogSettings,
    args: ProveArgs,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    let answer = match (args.position, args.from, args.to) {
        (Some(position), _, _) => {
            let size = match args.checkpoint {
                Some(size) => size,
                None => {
                    log.checkpoints(store.clone())
                        .latest()
                        .await?
                        .context("no checkpoint has been made yet: name a size with --checkpoint")?
                        .size
                }
            };
            let proof = store.inclusion_proof(position, size).await?;
            let root = store.tree_root(size).await?;
            let leaf = leaf_of(&store, position).await?;
            let index = u64::try_from(position - 1).unwrap_or(0);
            anyhow::ensure!(
                merkle::root_from_inclusion(index, size, &leaf, &proof)? == root,
                "the stored tree does not prove position {position}: run `ntm verify`"
            );
            serde_json::json!({
                "position": position,
                "leafIndex": index,
                "treeSize": size,
                "rootHash": BASE64.encode(root),
                "hashes": merkle::base64_hashes(&proof),
            })
        }
        (None, Some(from), Some(to)) => {
            let proof = store.consistency_proof(from, to).await?;
            let (old, new) = (store.tree_root(from).await?, store.tree_root(to).await?);
            merkle::verify_consistency(from, to, &old, &new, &proof)
                .context("the stored tree does not prove itself consistent: run `ntm verify`")?;
            serde_json::json!({
                "from": from,
                "to": to,
                "fromRoot": BASE64.encode(old),
                "toRoot": BASE64.encode(new),
                "hashes": merkle::base64_hashes(&proof),
            })
        }
        _ => anyhow::bail!("name a position, or --from and --to"),
    };
    serde_json::to_writer_pretty(&mut *out, &answer)?;
    writeln!(out)?;
    Ok(ExitCode::SUCCESS)
}

/// The leaf hash of the event at `position`, from its stored hash.
async fn leaf_of(store: &EventStore, position: i64) -> anyhow::Result<merkle::Hash> {
    let event = store
        .read_all(position - 1, 1)
        .await?
        .into_iter()
        .next()
        .filter(|e| e.position == position)
        .with_context(|| format!("no event at position {position}"))?;
    Ok(merkle::leaf_hash(&event.hash))
}
