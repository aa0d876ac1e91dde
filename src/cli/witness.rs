//! `ntm witness`: an auditor's witness of a log over HTTP — one look, or one every N seconds —
//! printing what each look found (docs/transparency-log.md, "Witnesses").

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use reqwest::header::CONTENT_TYPE;
use reqwest::StatusCode;

use super::transparency::{signing_key, verifier_key};
use crate::checkpoint::witness::{Delivery, LogSource, Look, Witness, WitnessDir, WitnessError};
use crate::checkpoint::{KeyType, NoteSigner, NoteVerifier};
use crate::merkle::Hash;

/// Longest one request to the log may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The exit code of a run that refused a checkpoint.
const REFUSED: u8 = 3;

#[derive(Debug, clap::Args)]
pub struct WitnessArgs {
    /// The log's base URL, plain `http://` (for https, a TLS-terminating proxy on this side).
    #[arg(long, value_name = "URL")]
    pub url: String,
    /// The log's verifier key (`name+id+key`, printed by `ntm key generate`), or a file
    /// holding it.
    #[arg(long = "key", value_name = "VKEY", value_parser = log_key)]
    pub log_key: NoteVerifier,
    /// Where this witness keeps what it accepted and refused.
    #[arg(long, value_name = "DIR")]
    pub store: PathBuf,
    /// This witness's cosignature key (made by `ntm key generate --witness`).
    #[arg(long, value_name = "FILE", value_parser = witness_signing_key)]
    pub signing_key: NoteSigner,
    /// Look again every this many seconds until Ctrl-C or SIGTERM (default: look once).
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub every: Option<u64>,
}

fn log_key(text: &str) -> Result<NoteVerifier, String> {
    let key = verifier_key(text)?;
    match key.kind() {
        KeyType::Ed25519 => Ok(key),
        KeyType::Cosignature => Err(format!("{text}: a witness's key, not the log's")),
    }
}

fn witness_signing_key(text: &str) -> Result<NoteSigner, String> {
    let key = signing_key(text)?;
    match key.verifier().kind() {
        KeyType::Cosignature => Ok(key),
        KeyType::Ed25519 => Err(format!(
            "{text}: a witness signs with a cosignature key (ntm key generate --witness)"
        )),
    }
}

/// The log's HTTP API.
struct HttpLog {
    base: String,
    client: reqwest::Client,
}

impl HttpLog {
    fn new(url: &str) -> Result<Self, WitnessError> {
        let client = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(|e| WitnessError::Http {
                url: url.to_owned(),
                detail: e.to_string(),
            })?;
        Ok(HttpLog {
            base: url.trim_end_matches('/').to_owned(),
            client,
        })
    }

    /// The body of a `200` answer to `GET {base}{path}`.
    async fn get(&self, path: &str) -> Result<String, WitnessError> {
        let url = format!("{}{path}", self.base);
        let failed = |detail: String| WitnessError::Http {
            url: url.clone(),
            detail,
        };
        let response = self
            .client
            .get(&url)
            .send()
            .await
            .map_err(|e| failed(e.to_string()))?;
        let status = response.status();
        let body = response.text().await.map_err(|e| failed(e.to_string()))?;
        match status {
            StatusCode::OK => Ok(body),
            status => Err(failed(format!("HTTP {status}: {}", body.trim()))),
        }
    }
}

#[derive(serde::Deserialize)]
struct ConsistencyAnswer {
    from: u64,
    to: u64,
    hashes: Vec<String>,
}

impl LogSource for HttpLog {
    async fn checkpoint(&self) -> Result<String, WitnessError> {
        self.get("/checkpoint").await
    }

    async fn consistency(&self, from: u64, to: u64) -> Result<Vec<Hash>, WitnessError> {
        let path = format!("/proof/consistency?from={from}&to={to}");
        let body = self.get(&path).await?;
        let malformed = |detail: &str| WitnessError::Http {
            url: format!("{}{path}", self.base),
            detail: format!("not a consistency proof: {detail}"),
        };
        let answer: ConsistencyAnswer =
            serde_json::from_str(&body).map_err(|e| malformed(&e.to_string()))?;
        if (answer.from, answer.to) != (from, to) {
            return Err(malformed("it is for other sizes"));
        }
        answer
            .hashes
            .iter()
            .map(|h| BASE64.decode(h).ok().and_then(|b| b.try_into().ok()))
            .collect::<Option<Vec<Hash>>>()
            .ok_or_else(|| malformed("a hash is not 32 bytes of base64"))
    }

    async fn send_cosignature(&self, size: u64, line: &str) -> Delivery {
        let url = format!("{}/checkpoints/{size}/cosignatures", self.base);
        let sent = self
            .client
            .post(&url)
            .header(CONTENT_TYPE, "text/plain; charset=utf-8")
            .body(line.to_owned())
            .send()
            .await;
        let failed = |detail: String| Delivery::Failed(WitnessError::Http { url, detail });
        match sent {
            Ok(response) if response.status().is_success() => Delivery::Kept,
            Ok(response) => {
                let status = response.status();
                let body = response.text().await.unwrap_or_default();
                match status {
                    StatusCode::UNPROCESSABLE_ENTITY => Delivery::Unknown(body.trim().to_owned()),
                    status => failed(format!("HTTP {status}: {}", body.trim())),
                }
            }
            Err(error) => failed(error.to_string()),
        }
    }
}

fn unix_now() -> u64 {
    u64::try_from(crate::app::clock::now().timestamp()).unwrap_or(0)
}

/// Prints one look: accepted or unchanged on stdout, refusals and warnings on stderr.
fn print(look: &Look, out: &mut impl Write) -> std::io::Result<()> {
    let warn = |delivery: &Delivery| match delivery {
        Delivery::Kept => {}
        Delivery::Unknown(message) => eprintln!(
            "warning: the log does not know this witness's key (NTM_WITNESS_KEYS) and did not \
             keep its cosignature; the witness's own record stands: {message}"
        ),
        Delivery::Failed(error) => eprintln!(
            "warning: the cosignature was not delivered ({error}); the witness's own record \
             stands and it is sent again at the next look"
        ),
    };
    match look {
        Look::Cosigned {
            checkpoint: c,
            since,
            delivery,
        } => {
            let how = match since {
                Some(old) => format!("consistent with {old}"),
                None => "first checkpoint seen: trusted on first use".to_owned(),
            };
            let root = BASE64.encode(c.root);
            writeln!(
                out,
                "cosigned: {} size {} root {root} ({how})",
                c.origin, c.size
            )?;
            warn(delivery);
        }
        Look::Unchanged {
            checkpoint: c,
            delivery,
        } => {
            let root = BASE64.encode(c.root);
            writeln!(
                out,
                "nothing new: {} size {} root {root} (already cosigned)",
                c.origin, c.size
            )?;
            if let Some(delivery) = delivery {
                warn(delivery);
            }
        }
        Look::Refused { refused, evidence } => {
            eprintln!("refused: {refused} (evidence: {})", evidence.display());
        }
    }
    out.flush()
}

/// `ntm witness`: exit 0 (accepted or nothing new), 3 (a checkpoint refused), 1 (the log could
/// not be read or the directory written).
pub async fn run(args: WitnessArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let log = HttpLog::new(&args.url)?;
    let witness = Witness {
        log: args.log_key,
        signer: args.signing_key,
        dir: WitnessDir::new(args.store),
    };
    let Some(every) = args.every else {
        let look = witness.look(&log, unix_now()).await?;
        print(&look, out)?;
        return Ok(exit_code(matches!(look, Look::Refused { .. }), false));
    };
    let (mut refused, mut failed) = (false, false);
    let stop = super::serve::shutdown_signal();
    tokio::pin!(stop);
    let mut ticks = tokio::time::interval(Duration::from_secs(every));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = &mut stop => break,
            _ = ticks.tick() => {}
        }
        match witness.look(&log, unix_now()).await {
            Ok(look) => {
                refused |= matches!(look, Look::Refused { .. });
                print(&look, out)?;
            }
            Err(error) => {
                failed = true;
                eprintln!("error: {error}");
            }
        }
    }
    Ok(exit_code(refused, failed))
}

fn exit_code(refused: bool, failed: bool) -> ExitCode {
    match (refused, failed) {
        (true, _) => ExitCode::from(REFUSED),
        (false, true) => ExitCode::FAILURE,
        (false, false) => ExitCode::SUCCESS,
    }
}
