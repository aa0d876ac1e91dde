//! RFC 6962's test vectors (as the Certificate Transparency and transparency-dev/merkle test
//! data give them), and proofs from stored nodes against a naive recomputation.

use std::collections::HashMap;

use proptest::prelude::*;

use super::*;

fn h(hex: &str) -> Hash {
    let bytes = hex::decode(hex).expect("hex");
    bytes.try_into().expect("32 bytes")
}

/// transparency-dev/merkle `testonly/constants.go` `LeafInputs`.
const LEAVES: [&str; 8] = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
];

/// `RootHashes`, by tree size from 0.
const ROOTS: [&str; 9] = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

/// `proof/verify_test.go` `inclusionProofs` (leaf index from 0 here).
const INCLUSION: [(u64, u64, &[&str]); 4] = [
    (
        0,
        8,
        &[
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        &[
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        3,
        &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
    ),
    (
        1,
        5,
        &[
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
];

/// `consistencyProofs`.
const CONSISTENCY: [(u64, u64, &[&str]); 4] = [
    (
        1,
        8,
        &[
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        &[
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        &[
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        &[
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
];

/// A tree grown leaf by leaf, every node it completed kept as the store keeps them.
fn grow(leaves: &[Vec<u8>]) -> (Frontier, HashMap<NodeId, Hash>) {
    let mut frontier = Frontier::default();
    let mut stored = HashMap::new();
    for leaf in leaves {
        stored.extend(frontier.push(leaf));
    }
    (frontier, stored)
}

fn vector_leaves() -> Vec<Vec<u8>> {
    LEAVES
        .iter()
        .map(|l| hex::decode(l).expect("hex"))
        .collect()
}

fn hashes(ranges: &[Range], stored: &HashMap<NodeId, Hash>) -> Vec<Hash> {
    let mut node = |id: NodeId| stored[&id];
    ranges.iter().map(|r| r.hash(&mut node)).collect()
}

/// `MTH` straight from RFC 6962 §2.1, over the leaves' data.
fn naive_root(leaves: &[Vec<u8>]) -> Hash {
    match leaves.len() {
        0 => empty_root(),
        1 => leaf_hash(&leaves[0]),
        n => {
            let k = split(n as u64) as usize;
            node_hash(&naive_root(&leaves[..k]), &naive_root(&leaves[k..]))
        }
    }
}

#[test]
fn roots_of_every_size_are_the_rfc_vectors() {
    let leaves = vector_leaves();
    for (size, expected) in ROOTS.iter().enumerate() {
        let (frontier, stored) = grow(&leaves[..size]);
        assert_eq!(frontier.root(), h(expected), "frontier root of {size}");
        let mut node = |id: NodeId| stored[&id];
        let root = Range::new(0, size as u64).hash(&mut node);
        assert_eq!(root, h(expected), "stored root of {size}");
    }
}

#[test]
fn inclusion_proofs_are_the_rfc_vectors_and_verify() {
    let leaves = vector_leaves();
    let (_, stored) = grow(&leaves);
    for (index, size, proof) in INCLUSION {
        let expected: Vec<Hash> = proof.iter().map(|p| h(p)).collect();
        let made = hashes(&inclusion_ranges(index, size), &stored);
        assert_eq!(made, expected, "proof of {index} in {size}");
        let leaf = leaf_hash(&leaves[index as usize]);
        let root = root_from_inclusion(index, size, &leaf, &made).expect("verifies");
        assert_eq!(root, h(ROOTS[size as usize]));
        let mut flipped = made.clone();
        flipped[0][0] ^= 8;
        let wrong = root_from_inclusion(index, size, &leaf, &flipped).expect("same length");
        assert_ne!(wrong, root, "a flipped bit changes the root");
        assert_ne!(
            root_from_inclusion(index, size, &leaf, &made[1..]),
            Ok(root)
        );
    }
}

#[test]
fn consistency_proofs_are_the_rfc_vectors_and_verify() {
    let leaves = vector_leaves();
    let (_, stored) = grow(&leaves);
    for (old, new, proof) in CONSISTENCY {
        let expected: Vec<Hash> = proof.iter().map(|p| h(p)).collect();
        let made = hashes(&consistency_ranges(old, new), &stored);
        assert_eq!(made, expected, "proof of {old} in {new}");
        let (old_root, new_root) = (h(ROOTS[old as usize]), h(ROOTS[new as usize]));
        verify_consistency(old, new, &old_root, &new_root, &made).expect("verifies");
        assert_eq!(
            verify_consistency(old, new, &new_root, &old_root, &made),
            Err(ProofError::RootMismatch)
        );
        assert!(verify_consistency(old, new, &old_root, &new_root, &made[1..]).is_err());
        assert!(verify_consistency(new, old, &old_root, &new_root, &made).is_err());
    }
}

#[test]
fn a_tree_is_consistent_with_itself_and_the_empty_tree_only() {
    let root = h(ROOTS[5]);
    assert!(verify_consistency(5, 5, &root, &root, &[]).is_ok());
    assert!(verify_consistency(0, 5, &empty_root(), &root, &[]).is_ok());
    assert_eq!(
        verify_consistency(5, 5, &root, &h(ROOTS[4]), &[]),
        Err(ProofError::RootMismatch)
    );
    assert!(verify_consistency(5, 5, &root, &root, &[root]).is_err());
}

#[test]
fn a_frontier_restored_from_its_roots_grows_the_same_tree() {
    let leaves = vector_leaves();
    let (whole, _) = grow(&leaves);
    let (part, _) = grow(&leaves[..5]);
    let mut restored =
        Frontier::from_roots(5, part.hashes().copied().collect()).expect("three roots for 5");
    for leaf in &leaves[5..] {
        restored.push(leaf);
    }
    assert_eq!(restored, whole);
    assert!(Frontier::from_roots(5, vec![empty_root()]).is_none());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn proofs_from_stored_nodes_match_a_naive_tree(
        size in 1u64..300,
        seed in any::<u64>(),
    ) {
        let leaves: Vec<Vec<u8>> = (0..size).map(|i| (seed ^ i).to_be_bytes().to_vec()).collect();
        let (frontier, stored) = grow(&leaves);
        let root = naive_root(&leaves);
        prop_assert_eq!(frontier.root(), root);
        let index = seed % size;
        let proof = hashes(&inclusion_ranges(index, size), &stored);
        let leaf = leaf_hash(&leaves[index as usize]);
        prop_assert_eq!(root_from_inclusion(index, size, &leaf, &proof), Ok(root));
        let old = seed.rotate_left(17) % size + 1;
        let old_root = naive_root(&leaves[..old as usize]);
        let mut node = |id: NodeId| stored[&id];
        prop_assert_eq!(Range::new(0, old).hash(&mut node), old_root);
        let proof = hashes(&consistency_ranges(old, size), &stored);
        prop_assert_eq!(verify_consistency(old, size, &old_root, &root, &proof), Ok(()));
        if old < size {
            let other = naive_root(&leaves[..old as usize - 1]);
            prop_assert!(verify_consistency(old, size, &other, &root, &proof).is_err());
        }
    }
}
