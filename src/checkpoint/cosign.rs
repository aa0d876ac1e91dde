//! Witness cosignatures (C2SP tlog-cosignature v1): a timestamped Ed25519 signature of
//! `cosignature/v1\ntime <t>\n` followed by the checkpoint's text.

use super::note::{KeyType, NoteError, NoteSigner, NoteVerifier, SignedNote};

fn message(text: &str, time: u64) -> Vec<u8> {
    format!("cosignature/v1\ntime {time}\n{text}").into_bytes()
}

/// The cosignature line of a checkpoint's `text` by `witness`, at `time` (Unix seconds).
pub fn cosign(witness: &NoteSigner, text: &str, time: u64) -> Result<String, NoteError> {
    if witness.verifier().kind() != KeyType::Cosignature {
        return Err(NoteError::BadKey(
            "a witness signs with a cosignature key (type 0x04)",
        ));
    }
    Ok(witness.sign_line(&message(text, time), &time.to_be_bytes()))
}

/// The time of `witness`'s cosignature in `note`, checked.
pub fn verify_cosignature(witness: &NoteVerifier, note: &SignedNote) -> Result<u64, NoteError> {
    if witness.kind() != KeyType::Cosignature {
        return Err(NoteError::BadKey(
            "a witness's key is a cosignature key (type 0x04)",
        ));
    }
    let bytes = witness
        .signature_in(note)
        .ok_or_else(|| NoteError::Unsigned(witness.name().to_owned()))?;
    let bad = || NoteError::BadSignature(witness.name().to_owned());
    let (time, signature) = bytes.split_at_checked(8).ok_or_else(bad)?;
    let time = u64::from_be_bytes(time.try_into().map_err(|_| bad())?);
    if time > i64::MAX as u64 {
        return Err(bad());
    }
    witness.check(&message(&note.text, time), signature)?;
    Ok(time)
}
