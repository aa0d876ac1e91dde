//! The RFC 6962 Merkle tree over the event log: hashing, the ranges a root or proof is made of,
//! the frontier an append grows, and proof verification (docs/transparency-log.md).
//!
//! Pure: the stored nodes are read by `store::tree`; here a node is whatever the caller's
//! lookup answers for a [`NodeId`].

mod proof;
#[cfg(test)]
mod tests;

use sha2::{Digest, Sha256};

pub use proof::{root_from_inclusion, verify_consistency, ProofError};

/// A SHA-256 hash.
pub type Hash = [u8; 32];

/// The leaf hash of `data` (RFC 6962 §2.1: `SHA-256(0x00 || data)`).
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0u8]);
    hasher.update(data);
    hasher.finalize().into()
}

/// An interior node (`SHA-256(0x01 || left || right)`).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([1u8]);
    hasher.update(left);
    hasher.update(right);
    hasher.finalize().into()
}

/// Hashes as the HTTP answers, GraphQL, the bundle and the witness write them: standard base64
/// each (the encoding of a checkpoint's root line).
pub fn base64_hashes(hashes: &[Hash]) -> Vec<String> {
    use base64::Engine;
    let engine = base64::engine::general_purpose::STANDARD;
    hashes.iter().map(|h| engine.encode(h)).collect()
}

/// The root of the empty tree: the hash of nothing.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// The root of a complete subtree: `level` 0 is a leaf; `index` counts subtrees of that size
/// from the left, so the node covers leaves `[index·2^level, (index+1)·2^level)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId {
    pub level: u8,
    pub index: u64,
}

/// Leaves `[start, end)` of the tree, the unit RFC 6962 defines its hashes and proofs over.
/// Every range this module makes starts at a multiple of a power of two at least its size, so
/// its hash is a fold of stored complete subtrees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    pub start: u64,
    pub end: u64,
}

impl Range {
    pub fn new(start: u64, end: u64) -> Self {
        Range { start, end }
    }

    fn len(self) -> u64 {
        self.end - self.start
    }

    /// The complete subtrees whose roots make up this range, left to right (largest first).
    pub fn nodes(self) -> Vec<NodeId> {
        let mut nodes = Vec::new();
        let mut start = self.start;
        while start < self.end {
            let level = (self.end - start).ilog2();
            let level = level.min(start.trailing_zeros());
            nodes.push(NodeId {
                level: level as u8,
                index: start >> level,
            });
            start += 1 << level;
        }
        nodes
    }

    /// `MTH(D[start:end])`, from the roots of [`Range::nodes`] looked up with `node`.
    pub fn hash(self, node: &mut impl FnMut(NodeId) -> Hash) -> Hash {
        if self.len() == 0 {
            return empty_root();
        }
        let mut roots = self.nodes().into_iter().map(&mut *node).collect::<Vec<_>>();
        let mut root = roots.pop().unwrap_or_else(empty_root);
        while let Some(left) = roots.pop() {
            root = node_hash(&left, &root);
        }
        root
    }
}

/// The largest power of two below `n` (`n` ≥ 2): where RFC 6962 splits a tree of `n` leaves.
fn split(n: u64) -> u64 {
    1 << (n - 1).ilog2()
}

/// The ranges whose hashes prove leaf `index` in a tree of `size` leaves (RFC 6962 §2.1.1
/// `PATH`), from the leaf's sibling up.
pub fn inclusion_ranges(index: u64, size: u64) -> Vec<Range> {
    let mut ranges = Vec::new();
    path(index, Range::new(0, size), &mut ranges);
    ranges
}

fn path(index: u64, range: Range, out: &mut Vec<Range>) {
    if range.len() <= 1 {
        return;
    }
    let middle = range.start + split(range.len());
    if index < middle {
        path(index, Range::new(range.start, middle), out);
        out.push(Range::new(middle, range.end));
    } else {
        path(index, Range::new(middle, range.end), out);
        out.push(Range::new(range.start, middle));
    }
}

/// The ranges whose hashes prove a tree of `old` leaves is the start of one of `new` leaves
/// (RFC 6962 §2.1.2 `PROOF`); empty when `old` is 0 or equal to `new`.
pub fn consistency_ranges(old: u64, new: u64) -> Vec<Range> {
    let mut ranges = Vec::new();
    if 0 < old && old < new {
        subproof(old, Range::new(0, new), true, &mut ranges);
    }
    ranges
}

fn subproof(m: u64, range: Range, whole: bool, out: &mut Vec<Range>) {
    if m == range.len() {
        if !whole {
            out.push(range);
        }
        return;
    }
    let middle = range.start + split(range.len());
    if m <= middle - range.start {
        subproof(m, Range::new(range.start, middle), whole, out);
        out.push(Range::new(middle, range.end));
    } else {
        subproof(
            m - (middle - range.start),
            Range::new(middle, range.end),
            false,
            out,
        );
        out.push(Range::new(range.start, middle));
    }
}

/// Every stored node the hashes of `ranges` are made of, each once.
pub fn nodes_of(ranges: &[Range]) -> Vec<NodeId> {
    let mut nodes: Vec<NodeId> = ranges.iter().flat_map(|r| r.nodes()).collect();
    nodes.sort_unstable();
    nodes.dedup();
    nodes
}

/// The right edge of a tree: the roots of its complete subtrees, largest first. Appending a
/// leaf merges equal subtrees like carrying in a binary counter, and yields the nodes to store.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Frontier {
    size: u64,
    roots: Vec<(NodeId, Hash)>,
}

impl Frontier {
    /// The frontier of a tree of `size` leaves from its roots (as [`Frontier::nodes`] lists).
    pub fn from_roots(size: u64, roots: Vec<Hash>) -> Option<Self> {
        let ids = Self::nodes(size);
        (ids.len() == roots.len()).then(|| Frontier {
            size,
            roots: ids.into_iter().zip(roots).collect(),
        })
    }

    /// The complete subtrees of a tree of `size` leaves, largest first.
    pub fn nodes(size: u64) -> Vec<NodeId> {
        Range::new(0, size).nodes()
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    pub fn hashes(&self) -> impl DoubleEndedIterator<Item = &Hash> {
        self.roots.iter().map(|(_, hash)| hash)
    }

    /// Appends a leaf whose data is `data`; returns the nodes this completes (the leaf first).
    pub fn push(&mut self, data: &[u8]) -> Vec<(NodeId, Hash)> {
        let leaf = (
            NodeId {
                level: 0,
                index: self.size,
            },
            leaf_hash(data),
        );
        self.size += 1;
        let mut made = vec![leaf];
        self.roots.push(leaf);
        while let [.., (left_id, left), (right_id, right)] = self.roots[..] {
            if left_id.level != right_id.level {
                break;
            }
            let parent = (
                NodeId {
                    level: left_id.level + 1,
                    index: left_id.index >> 1,
                },
                node_hash(&left, &right),
            );
            self.roots.truncate(self.roots.len() - 2);
            self.roots.push(parent);
            made.push(parent);
        }
        made
    }

    /// The tree's root hash.
    pub fn root(&self) -> Hash {
        let mut hashes = self.hashes().rev();
        let Some(last) = hashes.next() else {
            return empty_root();
        };
        hashes.fold(*last, |root, left| node_hash(left, &root))
    }
}
