//! What token, account and session streams share: secrets of 256 random bits as hex behind a
//! prefix naming their kind, of which the server keeps only the SHA-256, and the check that an
//! event of theirs is one this build reads.

use sha2::{Digest, Sha256};

use crate::store::RecordedEvent;

const SECRET_BYTES: usize = 32;

/// A new secret: `prefix` and 256 random bits from the operating system, in hex.
pub(super) fn generate_secret(prefix: &str) -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; SECRET_BYTES];
    getrandom::fill(&mut bytes)?;
    Ok(format!("{prefix}{}", hex::encode(bytes)))
}

/// Whether `text` has the shape of a secret made by [`generate_secret`] with `prefix`.
pub(super) fn is_secret_shaped(text: &str, prefix: &str) -> bool {
    text.strip_prefix(prefix).is_some_and(|hex_part| {
        hex_part.len() == SECRET_BYTES * 2 && hex_part.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// The SHA-256 of a secret: all the server keeps of it.
pub(super) fn secret_digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

/// The rest of each identity stream's `check_event`, once its payload was decoded as the
/// event's type (`decoded`): the error names the type, and only schema version 1 is read.
pub(super) fn check_decoded(
    event: &RecordedEvent,
    decoded: Result<(), serde_json::Error>,
) -> Result<(), String> {
    decoded.map_err(|error| format!("payload is not a {}: {error}", event.event_type))?;
    match event.schema_version {
        1 => Ok(()),
        other => Err(format!(
            "schema_version {other} of {} is not supported (this build reads 1)",
            event.event_type
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::{generate_secret, is_secret_shaped};

    #[test]
    fn a_generated_secret_has_its_prefix_and_shape() {
        let secret = generate_secret("ntm_").expect("randomness");
        assert!(is_secret_shaped(&secret, "ntm_"));
        assert!(!is_secret_shaped(&secret, "ntms_"));
        assert!(!is_secret_shaped(&secret[..secret.len() - 1], "ntm_"));
        assert!(!is_secret_shaped(
            &format!("{}g", &secret[..secret.len() - 1]),
            "ntm_"
        ));
        assert_ne!(secret, generate_secret("ntm_").expect("randomness"));
    }
}
