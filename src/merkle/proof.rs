//! Checking proofs as an outsider does (RFC 9162 §2.1.3.2 and §2.1.4.2): from the proof's
//! hashes alone, never from the stored tree.

use super::{node_hash, Hash};

/// Why a proof does not prove what it was offered for.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    #[error("leaf {index} is not in a tree of {size}")]
    OutOfRange { index: u64, size: u64 },
    #[error("a tree of {old} leaves cannot be the start of one of {new}")]
    Shrunk { old: u64, new: u64 },
    #[error("the proof has {0} hashes, not the number these sizes need")]
    WrongLength(usize),
    #[error("the proof leads to another root: the trees differ")]
    RootMismatch,
}

/// The root that `proof` makes of leaf `index` (its leaf hash `leaf`) in a tree of `size`.
pub fn root_from_inclusion(
    index: u64,
    size: u64,
    leaf: &Hash,
    proof: &[Hash],
) -> Result<Hash, ProofError> {
    if index >= size {
        return Err(ProofError::OutOfRange { index, size });
    }
    let (mut f, mut s) = (index, size - 1);
    let mut root = *leaf;
    for hash in proof {
        if s == 0 {
            return Err(ProofError::WrongLength(proof.len()));
        }
        if f & 1 == 1 || f == s {
            root = node_hash(hash, &root);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            root = node_hash(&root, hash);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(ProofError::WrongLength(proof.len()));
    }
    Ok(root)
}

/// Checks that the tree of `old` leaves with root `old_root` is the start of the tree of `new`
/// leaves with root `new_root`.
pub fn verify_consistency(
    old: u64,
    new: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> Result<(), ProofError> {
    if old > new {
        return Err(ProofError::Shrunk { old, new });
    }
    if old == new || old == 0 {
        if !proof.is_empty() {
            return Err(ProofError::WrongLength(proof.len()));
        }
        return match old == 0 || old_root == new_root {
            true => Ok(()),
            false => Err(ProofError::RootMismatch),
        };
    }
    let Some(first) = proof.first() else {
        return Err(ProofError::WrongLength(0));
    };
    // When the old tree is a complete subtree, its root is the proof's unstated first hash.
    let (start, rest) = match old.is_power_of_two() {
        true => (old_root, proof),
        false => (first, &proof[1..]),
    };
    let (mut f, mut s) = (old - 1, new - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let (mut old_hash, mut new_hash) = (*start, *start);
    for hash in rest {
        if s == 0 {
            return Err(ProofError::WrongLength(proof.len()));
        }
        if f & 1 == 1 || f == s {
            old_hash = node_hash(hash, &old_hash);
            new_hash = node_hash(hash, &new_hash);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            new_hash = node_hash(&new_hash, hash);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(ProofError::WrongLength(proof.len()));
    }
    match old_hash == *old_root && new_hash == *new_root {
        true => Ok(()),
        false => Err(ProofError::RootMismatch),
    }
}
