//! The Merkle tree over fixed-size segments of an encrypted file, so a requester can check
//! one segment against the root on the ledger without the whole file. Leaves are hashed in
//! parallel batches read through a bounded buffer, or for a file read by position on every
//! thread (memory stays flat either way); the tree and its proofs come from `rs_merkle` with
//! SHA-256 nodes.
use crate::hashing::fill;
use rayon::prelude::*;
use rs_merkle::{algorithms::Sha256 as NodeHash, MerkleProof, MerkleTree};
use scale::Encode;
use sha2::{Digest, Sha256};
use shared_types::SegmentTree;
use std::io::{self, Read};

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

/// The pool of at least one thread that hashes leaves, once the segment size is checked.
fn hashing_pool(
    segment_size: u32,
    threads: usize,
) -> Result<(rayon::ThreadPool, usize), SegmentError> {
    if segment_size == 0 {
        return Err(SegmentError::ZeroSegmentSize);
    }
    let threads = threads.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|_| SegmentError::Threads(threads))?;
    Ok((pool, threads))
}

impl Segments {
    /// Builds the tree of everything `reader` yields, cut into `segment_size` segments,
    /// hashing leaves on `threads` threads. `progress` is told the bytes of each batch.
    /// Reading is the caller's thread's; for a file, [`Segments::build_file`] spreads it over
    /// the threads too.
    pub fn build(
        reader: &mut impl Read,
        segment_size: u32,
        threads: usize,
        mut progress: impl FnMut(u64),
    ) -> Result<Self, SegmentError> {
        let (pool, threads) = hashing_pool(segment_size, threads)?;
        let size = segment_size as usize;
        let mut batch = vec![0u8; size * threads * BATCH_PER_THREAD];
        let mut leaves: Vec<[u8; 32]> = Vec::new();
        loop {
            let filled = fill(reader, &mut batch)?;
            let first = leaves.len() as u64;
            let hashed: Vec<[u8; 32]> = pool.install(|| {
                batch[..filled]
                    .par_chunks(size)
                    .enumerate()
                    .map(|(i, segment)| leaf_hash(first + i as u64, segment))
                    .collect()
            });
            leaves.extend(hashed);
            if filled > 0 {
                progress(filled as u64);
            }
            if filled < batch.len() {
                break;
            }
        }
        Self::from_leaves(&leaves, segment_size)
    }

    /// [`Segments::build`] of the file at `path`, each thread reading its own segments by
    /// position, so that reading is spread over the threads as well as hashing. Memory: one
    /// segment per thread.
    #[cfg(unix)]
    pub fn build_file(
        path: &std::path::Path,
        segment_size: u32,
        threads: usize,
        mut progress: impl FnMut(u64),
    ) -> Result<Self, SegmentError> {
        use std::os::unix::fs::FileExt;
        let (pool, threads) = hashing_pool(segment_size, threads)?;
        let file = std::fs::File::open(path)?;
        let length = file.metadata()?.len();
        let size = u64::from(segment_size);
        let count = length.div_ceil(size);
        let per_batch = (threads * BATCH_PER_THREAD) as u64;
        let mut leaves: Vec<[u8; 32]> = Vec::new();
        for first in (0..count).step_by(per_batch as usize) {
            let last = count.min(first + per_batch);
            let hashed: io::Result<Vec<[u8; 32]>> = pool.install(|| {
                (first..last)
                    .into_par_iter()
                    .map_init(
                        || vec![0u8; segment_size as usize],
                        |buffer, index| {
                            let start = index * size;
                            let len = size.min(length - start) as usize;
                            file.read_exact_at(&mut buffer[..len], start)?;
                            Ok(leaf_hash(index, &buffer[..len]))
                        },
                    )
                    .collect()
            });
            leaves.extend(hashed?);
            progress((last * size).min(length) - first * size);
        }
        Self::from_leaves(&leaves, segment_size)
    }

    /// [`Segments::build`] of the file at `path` (positional reads need a Unix platform).
    #[cfg(not(unix))]
    pub fn build_file(
        path: &std::path::Path,
        segment_size: u32,
        threads: usize,
        progress: impl FnMut(u64),
    ) -> Result<Self, SegmentError> {
        Self::build(
            &mut std::fs::File::open(path)?,
            segment_size,
            threads,
            progress,
        )
    }

    fn from_leaves(leaves: &[[u8; 32]], segment_size: u32) -> Result<Self, SegmentError> {
        if leaves.is_empty() {
            return Err(SegmentError::Empty);
        }
        let segments = u32::try_from(leaves.len()).map_err(|_| SegmentError::TooManySegments)?;
        let merkle = MerkleTree::<NodeHash>::from_leaves(leaves);
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

    /// Reading by position gives the same tree as streaming, on any number of threads.
    #[test]
    fn a_file_read_by_position_gives_the_same_tree() {
        let data = file(100 * 16 + 5);
        let stored = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(stored.path(), &data).unwrap();
        let streamed = Segments::build(&mut &data[..], 16, 2, |_| {}).unwrap();
        let mut seen = 0;
        for threads in [1, 2, 3] {
            let by_position =
                Segments::build_file(stored.path(), 16, threads, |n| seen += n).unwrap();
            assert_eq!(by_position.tree, streamed.tree);
        }
        assert_eq!(seen, 3 * data.len() as u64);
    }

    /// A read error after some batches reaches the caller.
    #[test]
    fn a_read_error_fails_the_build() {
        let data = file(100 * 16);
        let mut failing = (&data[..]).chain(Failing);
        let built = Segments::build(&mut failing, 16, 2, |_| {});
        assert!(matches!(built, Err(SegmentError::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe));
    }

    struct Failing;

    impl Read for Failing {
        fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
    }
}
