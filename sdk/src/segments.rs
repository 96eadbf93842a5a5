//! The Merkle tree over fixed-size segments of an encrypted file, so a requester can check
//! one segment against the root on the ledger without the whole file. Leaves are hashed in
//! parallel batches read through a bounded buffer (memory stays flat); the tree and its
//! proofs come from `rs_merkle` with SHA-256 nodes.
use crate::hashing::fill;
use rayon::prelude::*;
use rs_merkle::{algorithms::Sha256 as NodeHash, MerkleProof, MerkleTree};
use scale::Encode;
use sha2::{Digest, Sha256};
use shared_types::SegmentTree;
use std::io::{self, Read};
use std::sync::mpsc;

/// Domain tag of leaf hashes, so no leaf can pass for an inner node.
const LEAF_DOMAIN: &[u8] = b"vssi/v1/segment-leaf";
/// Segments read per parallel batch, per thread.
const BATCH_PER_THREAD: usize = 4;

/// The leaf hash of segment `index`: SHA-256(domain ‖ SCALE(index) ‖ bytes), fed to the
/// hasher piece by piece (no copy of the segment).
pub fn leaf_hash(index: u64, segment: &[u8]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(LEAF_DOMAIN);
    hasher.update(index.encode());
    hasher.update(segment);
    hasher.finalize().into()
}

/// A file's segment tree with every leaf, to answer proofs.
pub struct Segments {
    /// Root, segment size and count, as registered on chain.
    pub tree: SegmentTree,
    merkle: MerkleTree<NodeHash>,
}

/// Why a segment tree cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum SegmentError {
    /// Reading the file failed.
    #[error("reading the file: {0}")]
    Io(#[from] io::Error),
    /// The segment size is zero.
    #[error("the segment size must be at least 1 byte")]
    ZeroSegmentSize,
    /// The file is empty.
    #[error("the file is empty")]
    Empty,
    /// More segments than a u32 counts.
    #[error("too many segments; choose a larger segment size")]
    TooManySegments,
    /// The thread pool could not be built.
    #[error("starting {0} hashing threads failed")]
    Threads(usize),
}

impl Segments {
    /// Builds the tree of everything `reader` yields, cut into `segment_size` segments,
    /// hashing leaves on `threads` threads. `progress` is told the bytes of each batch.
    /// A reader thread fills one batch while the other is hashed: reading overlaps hashing,
    /// and memory stays at two batches.
    pub fn build(
        reader: &mut (impl Read + Send),
        segment_size: u32,
        threads: usize,
        mut progress: impl FnMut(u64),
    ) -> Result<Self, SegmentError> {
        if segment_size == 0 {
            return Err(SegmentError::ZeroSegmentSize);
        }
        let threads = threads.max(1);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|_| SegmentError::Threads(threads))?;
        let size = segment_size as usize;
        let batch = size * threads * BATCH_PER_THREAD;
        let (full_tx, full_rx) = mpsc::sync_channel::<(Vec<u8>, usize)>(1);
        let (empty_tx, empty_rx) = mpsc::sync_channel::<Vec<u8>>(2);
        for _ in 0..2 {
            // Cannot fail: the channel holds two and the receiver is alive.
            let _ = empty_tx.send(vec![0u8; batch]);
        }
        let leaves = std::thread::scope(|scope| {
            let reading = scope.spawn(move || -> io::Result<()> {
                while let Ok(mut buffer) = empty_rx.recv() {
                    let filled = fill(reader, &mut buffer)?;
                    let last = filled < buffer.len();
                    if full_tx.send((buffer, filled)).is_err() || last {
                        break;
                    }
                }
                Ok(())
            });
            let mut leaves: Vec<[u8; 32]> = Vec::new();
            // Ends when the reader has sent its last batch (or failed) and dropped `full_tx`.
            for (buffer, filled) in full_rx.iter() {
                let first = leaves.len() as u64;
                let hashed: Vec<[u8; 32]> = pool.install(|| {
                    buffer[..filled]
                        .par_chunks(size)
                        .enumerate()
                        .map(|(i, segment)| leaf_hash(first + i as u64, segment))
                        .collect()
                });
                leaves.extend(hashed);
                if filled > 0 {
                    progress(filled as u64);
                }
                // The reader may be done already; then the buffer is simply dropped.
                let _ = empty_tx.send(buffer);
            }
            reading
                .join()
                .map_err(|_| io::Error::other("the reader thread panicked"))??;
            Ok::<_, io::Error>(leaves)
        })?;
        if leaves.is_empty() {
            return Err(SegmentError::Empty);
        }
        let segments = u32::try_from(leaves.len()).map_err(|_| SegmentError::TooManySegments)?;
        let merkle = MerkleTree::<NodeHash>::from_leaves(&leaves);
        let root = merkle.root().ok_or(SegmentError::Empty)?;
        Ok(Self {
            tree: SegmentTree {
                root,
                segment_size,
                segments,
            },
            merkle,
        })
    }

    /// The inclusion proof of segment `index` (serialized), or `None` past the last one.
    pub fn proof(&self, index: u32) -> Option<Vec<u8>> {
        if index >= self.tree.segments {
            return None;
        }
        Some(self.merkle.proof(&[index as usize]).to_bytes())
    }
}

/// True when `segment` is segment `index` of the file whose tree is `tree`, by `proof`.
/// Malformed proofs and indices simply fail.
pub fn verify_segment(tree: &SegmentTree, index: u32, segment: &[u8], proof: &[u8]) -> bool {
    if index >= tree.segments || segment.len() > tree.segment_size as usize {
        return false;
    }
    let Ok(proof) = MerkleProof::<NodeHash>::from_bytes(proof) else {
        return false;
    };
    proof.verify(
        tree.root,
        &[index as usize],
        &[leaf_hash(u64::from(index), segment)],
        tree.segments as usize,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 7 % 256) as u8).collect()
    }

    #[test]
    fn every_segment_proves_and_no_other_bytes_do() {
        let data = file(10 * 64 + 5);
        let segments = Segments::build(&mut &data[..], 64, 2, |_| {}).unwrap();
        assert_eq!(segments.tree.segments, 11);
        for (i, chunk) in data.chunks(64).enumerate() {
            let proof = segments.proof(i as u32).unwrap();
            assert!(verify_segment(&segments.tree, i as u32, chunk, &proof));
            let mut tampered = chunk.to_vec();
            tampered[0] ^= 1;
            assert!(!verify_segment(&segments.tree, i as u32, &tampered, &proof));
            assert!(!verify_segment(
                &segments.tree,
                (i as u32 + 1) % 11,
                chunk,
                &proof
            ));
        }
        assert!(segments.proof(11).is_none());
        assert!(!verify_segment(&segments.tree, 11, &data[..5], &[]));
        assert!(!verify_segment(&segments.tree, 0, &data[..64], &[1, 2, 3]));
    }

    #[test]
    fn the_root_does_not_depend_on_threads_or_batches() {
        let data = file(100 * 16 + 1);
        let one = Segments::build(&mut &data[..], 16, 1, |_| {}).unwrap();
        let two = Segments::build(&mut &data[..], 16, 2, |_| {}).unwrap();
        assert_eq!(one.tree, two.tree);
        assert_eq!(one.tree.segments, 101);
        assert!(matches!(
            Segments::build(&mut &[][..], 16, 2, |_| {}),
            Err(SegmentError::Empty)
        ));
        assert!(matches!(
            Segments::build(&mut &data[..], 0, 2, |_| {}),
            Err(SegmentError::ZeroSegmentSize)
        ));
    }
}
