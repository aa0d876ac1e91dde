//! Passwords of people's accounts: the text is only ever held in a [`Password`] (never
//! printed), and stored as an Argon2id PHC string (`$argon2id$v=19$…`) with its own salt.

use std::fmt;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// Shortest password accepted.
pub const MIN_CHARS: usize = 10;
/// Longest password accepted: Argon2 takes any length, but a megabyte "password" is an attack.
pub const MAX_CHARS: usize = 256;

/// A password as a person typed it. `Debug` never shows it.
pub struct Password(String);

/// Why a password is not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordRefusal {
    #[error("a password needs at least {MIN_CHARS} characters")]
    TooShort,
    #[error("a password has at most {MAX_CHARS} characters")]
    TooLong,
}

impl Password {
    /// A new password, checked for length (one trailing newline, as `--password-stdin` reads
    /// it, is not part of it).
    pub fn new(text: &str) -> Result<Password, PasswordRefusal> {
        let text = text.strip_suffix('\n').unwrap_or(text);
        let text = text.strip_suffix('\r').unwrap_or(text);
        match text.chars().count() {
            n if n < MIN_CHARS => Err(PasswordRefusal::TooShort),
            n if n > MAX_CHARS => Err(PasswordRefusal::TooLong),
            _ => Ok(Password(text.to_owned())),
        }
    }

    /// A password presented at sign-in: not checked for length (any wrong one is just wrong),
    /// only cut at a length no stored password has.
    pub fn presented(text: &str) -> Password {
        Password(text.chars().take(MAX_CHARS + 1).collect())
    }

    /// Argon2id (the crate's defaults: 19 MiB, 2 passes, 1 lane; OWASP's minimum) with a
    /// random 128-bit salt, as a PHC string.
    pub fn hash(&self) -> Result<String, HashError> {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|_| HashError)?;
        let salt = SaltString::encode_b64(&salt).map_err(|_| HashError)?;
        let hash = Argon2::default()
            .hash_password(self.0.as_bytes(), &salt)
            .map_err(|_| HashError)?;
        Ok(hash.to_string())
    }

    /// Whether this is the password `phc` was made from (the comparison is the crate's,
    /// in constant time); a malformed `phc` matches nothing.
    pub fn matches(&self, phc: &str) -> bool {
        let Ok(hash) = PasswordHash::new(phc) else {
            return false;
        };
        Argon2::default()
            .verify_password(self.0.as_bytes(), &hash)
            .is_ok()
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// No randomness for a salt, or Argon2 refused its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the password could not be hashed")]
pub struct HashError;

#[cfg(test)]
mod tests {
    use super::{Password, PasswordRefusal};

    #[test]
    fn a_password_is_stored_as_a_salted_argon2id_hash_that_only_it_matches() {
        let password = Password::new("đúng ngựa pin ghim\n").expect("long enough");
        let (a, b) = (
            password.hash().expect("hash"),
            password.hash().expect("hash"),
        );
        assert!(a.starts_with("$argon2id$v=19$"), "{a}");
        assert_ne!(a, b, "each hash has its own salt");
        assert!(!a.contains("ngựa") && !format!("{password:?}").contains("ngựa"));
        assert!(password.matches(&a) && password.matches(&b));
        assert!(!Password::presented("đúng ngựa pin ghìm").matches(&a));
        assert!(!password.matches("not a phc string"));
    }

    #[test]
    fn short_and_overlong_passwords_are_refused() {
        assert_eq!(Password::new("ngắn").err(), Some(PasswordRefusal::TooShort));
        let long = "x".repeat(super::MAX_CHARS + 1);
        assert_eq!(Password::new(&long).err(), Some(PasswordRefusal::TooLong));
    }
}
