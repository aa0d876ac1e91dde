//! C2SP signed notes: Ed25519 keys in the Go `note` package's text forms, signature lines, and
//! checking a note against a verifier key (docs/transparency-log.md, "Keys").

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

/// The signature type byte of a log's Ed25519 key (signed-note) and of a witness's
/// cosignature key (tlog-cosignature).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyType {
    Ed25519 = 0x01,
    Cosignature = 0x04,
}

/// Why a key or note is not acceptable.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    #[error("not a key: {0}")]
    BadKey(&'static str),
    #[error("not a signed note: {0}")]
    Malformed(&'static str),
    #[error("the note carries no signature by {0}")]
    Unsigned(String),
    #[error("the signature by {0} does not verify: the note was changed or signed by another key")]
    BadSignature(String),
}

/// The 4-byte id of a key: `SHA-256(name || 0x0A || type || public key)[:4]`.
fn key_id(name: &str, kind: KeyType, public: &[u8; 32]) -> u32 {
    let mut hasher = Sha256::new();
    hasher.update(name.as_bytes());
    hasher.update([b'\n', kind as u8]);
    hasher.update(public);
    let hash = hasher.finalize();
    u32::from_be_bytes([hash[0], hash[1], hash[2], hash[3]])
}

fn check_name(name: &str) -> Result<(), NoteError> {
    match !name.is_empty() && !name.contains(|c: char| c.is_whitespace() || c == '+') {
        true => Ok(()),
        false => Err(NoteError::BadKey(
            "a key name is non-empty, without spaces or '+'",
        )),
    }
}

/// A signing key with its name (`PRIVATE+KEY+<name>+<id>+<base64(type || seed)>`).
#[derive(Clone)]
pub struct NoteSigner {
    name: String,
    kind: KeyType,
    key: SigningKey,
}

impl std::fmt::Debug for NoteSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NoteSigner({}, ***)", self.name)
    }
}

impl NoteSigner {
    /// A new key from 32 random bytes of the operating system.
    pub fn generate(name: &str, kind: KeyType) -> Result<Self, NoteError> {
        check_name(name)?;
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|_| NoteError::BadKey("no randomness"))?;
        Ok(NoteSigner {
            name: name.to_owned(),
            kind,
            key: SigningKey::from_bytes(&seed),
        })
    }

    /// Reads the text form; a log key (`0x01`) or a witness key (`0x04`).
    pub fn parse(text: &str) -> Result<Self, NoteError> {
        let bad = NoteError::BadKey("expected PRIVATE+KEY+<name>+<id>+<base64 key>");
        let rest = text.trim().strip_prefix("PRIVATE+KEY+").ok_or(bad)?;
        let (name, id, key) = split_key(rest)?;
        let (kind, seed) = typed_key(key)?;
        let signer = NoteSigner {
            name: name.to_owned(),
            kind,
            key: SigningKey::from_bytes(&seed),
        };
        match signer.verifier().id() == id {
            true => Ok(signer),
            false => Err(NoteError::BadKey("the key id does not match the key")),
        }
    }

    /// The text form, to keep in a file readable only by its owner.
    pub fn to_text(&self) -> String {
        let mut bytes = vec![self.kind as u8];
        bytes.extend_from_slice(&self.key.to_bytes());
        format!(
            "PRIVATE+KEY+{}+{:08x}+{}",
            self.name,
            self.verifier().id(),
            BASE64.encode(bytes)
        )
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn verifier(&self) -> NoteVerifier {
        NoteVerifier {
            name: self.name.clone(),
            kind: self.kind,
            key: self.key.verifying_key(),
        }
    }

    /// The signature line of `message` (`— <name> <base64(id || extra || signature)>`), where
    /// `extra` precedes the signature in the encoded bytes (a cosignature's timestamp).
    pub(crate) fn sign_line(&self, message: &[u8], extra: &[u8]) -> String {
        let mut bytes = self.verifier().id().to_be_bytes().to_vec();
        bytes.extend_from_slice(extra);
        bytes.extend_from_slice(&self.key.sign(message).to_bytes());
        format!("— {} {}\n", self.name, BASE64.encode(bytes))
    }

    /// `text` signed: the text, a blank line and this key's signature line.
    pub fn sign(&self, text: &str) -> String {
        format!("{text}\n{}", self.sign_line(text.as_bytes(), &[]))
    }
}

/// `<name>+<id>+<key>` split at its first two '+' (a name has none; base64 may).
fn split_key(text: &str) -> Result<(&str, u32, &str), NoteError> {
    let mut parts = text.splitn(3, '+');
    let (Some(name), Some(id), Some(key)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(NoteError::BadKey("expected <name>+<id>+<base64 key>"));
    };
    check_name(name)?;
    let id = match id.len() == 8 {
        true => u32::from_str_radix(id, 16).ok(),
        false => None,
    };
    let id = id.ok_or(NoteError::BadKey("the key id is 8 hex digits"))?;
    Ok((name, id, key))
}

/// The type byte and 32 key bytes of a base64 key.
fn typed_key(key: &str) -> Result<(KeyType, [u8; 32]), NoteError> {
    let bytes = BASE64
        .decode(key)
        .map_err(|_| NoteError::BadKey("the key is not base64"))?;
    let kind = match bytes.first() {
        Some(0x01) => KeyType::Ed25519,
        Some(0x04) => KeyType::Cosignature,
        _ => {
            return Err(NoteError::BadKey(
                "only Ed25519 keys (type 0x01 or 0x04) are known",
            ))
        }
    };
    let key = bytes[1..]
        .try_into()
        .map_err(|_| NoteError::BadKey("an Ed25519 key is 32 bytes"))?;
    Ok((kind, key))
}

/// A verifier key (vkey): `<name>+<id>+<base64(type || public key)>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteVerifier {
    name: String,
    kind: KeyType,
    key: VerifyingKey,
}

impl NoteVerifier {
    pub fn parse(text: &str) -> Result<Self, NoteError> {
        let (name, id, key) = split_key(text.trim())?;
        let (kind, public) = typed_key(key)?;
        let key = VerifyingKey::from_bytes(&public)
            .map_err(|_| NoteError::BadKey("not an Ed25519 public key"))?;
        let verifier = NoteVerifier {
            name: name.to_owned(),
            kind,
            key,
        };
        match verifier.id() == id {
            true => Ok(verifier),
            false => Err(NoteError::BadKey("the key id does not match the key")),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn kind(&self) -> KeyType {
        self.kind
    }

    pub fn id(&self) -> u32 {
        key_id(&self.name, self.kind, self.key.as_bytes())
    }

    /// The signature bytes this key made in `note` (after the id), if any line is its.
    pub(crate) fn signature_in<'a>(&self, note: &'a SignedNote) -> Option<&'a [u8]> {
        note.signatures
            .iter()
            .find(|(name, bytes)| {
                *name == self.name && bytes.get(..4) == Some(&self.id().to_be_bytes())
            })
            .map(|(_, bytes)| &bytes[4..])
    }

    /// Checks `signature` (64 bytes) of `message` strictly (RFC 8032 with canonical encodings).
    pub(crate) fn check(&self, message: &[u8], signature: &[u8]) -> Result<(), NoteError> {
        let bad = || NoteError::BadSignature(self.name.clone());
        let signature = Signature::from_slice(signature).map_err(|_| bad())?;
        self.key
            .verify_strict(message, &signature)
            .map_err(|_| bad())
    }

    /// Checks that `note` is signed by this (log) key.
    pub fn verify(&self, note: &SignedNote) -> Result<(), NoteError> {
        let signature = self
            .signature_in(note)
            .ok_or_else(|| NoteError::Unsigned(self.name.clone()))?;
        self.check(note.text.as_bytes(), signature)
    }
}

impl std::fmt::Display for NoteVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut bytes = vec![self.kind as u8];
        bytes.extend_from_slice(self.key.as_bytes());
        write!(
            f,
            "{}+{:08x}+{}",
            self.name,
            self.id(),
            BASE64.encode(bytes)
        )
    }
}

/// A signed note taken apart: its text (with the final newline) and its signatures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedNote {
    pub text: String,
    /// Key name and the decoded signature bytes (key id first), in the note's order.
    pub signatures: Vec<(String, Vec<u8>)>,
}

impl SignedNote {
    pub fn parse(note: &str) -> Result<Self, NoteError> {
        if note.chars().any(|c| c.is_control() && c != '\n') {
            return Err(NoteError::Malformed(
                "control characters other than newline",
            ));
        }
        let split = note
            .rfind("\n\n")
            .ok_or(NoteError::Malformed("no blank line before the signatures"))?;
        let (text, lines) = (&note[..=split], &note[split + 2..]);
        let mut signatures = Vec::new();
        for line in lines.split_terminator('\n') {
            let bad = NoteError::Malformed("a signature line is '— <name> <base64>'");
            let rest = line.strip_prefix("— ").ok_or(bad)?;
            let (name, signature) = rest.split_once(' ').ok_or(NoteError::Malformed(
                "a signature line is '— <name> <base64>'",
            ))?;
            let bytes = BASE64
                .decode(signature)
                .map_err(|_| NoteError::Malformed("a signature is base64"))?;
            if bytes.len() < 4 {
                return Err(NoteError::Malformed(
                    "a signature starts with a 4-byte key id",
                ));
            }
            signatures.push((name.to_owned(), bytes));
        }
        if signatures.is_empty() || !lines.ends_with('\n') {
            return Err(NoteError::Malformed("no signature lines"));
        }
        Ok(SignedNote {
            text: text.to_owned(),
            signatures,
        })
    }
}
