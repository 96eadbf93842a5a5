//! Multihash and resource ID of a file (F.743.24 I.4 step 1), streamed through a fixed
//! buffer so memory stays flat whatever the file size.
use blake2::{digest::consts::U32, Blake2b};
use sha2::{Digest, Sha256, Sha512};
use sha3::Sha3_256;
use shared_types::{DeviceId, HashAlgorithm, Multihash, ResourceId};
use std::io::{self, Read};
use std::path::Path;

/// Bytes read per step.
const BUFFER: usize = 1 << 20;

/// Reads until `buffer` is full or the input ends; returns how many bytes were read.
pub fn fill(reader: &mut impl Read, buffer: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// SHA-256 of a byte string.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

fn digest_reader<D: Digest>(
    reader: &mut impl Read,
    progress: &mut impl FnMut(u64),
) -> io::Result<Vec<u8>> {
    let mut hasher = D::new();
    let mut buffer = vec![0u8; BUFFER];
    loop {
        let n = fill(reader, &mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        progress(n as u64);
    }
    Ok(hasher.finalize().to_vec())
}

/// The multihash of everything `reader` yields, with `algorithm`. `progress` is told how
/// many bytes each step read.
pub fn multihash_reader(
    reader: &mut impl Read,
    algorithm: HashAlgorithm,
    mut progress: impl FnMut(u64),
) -> io::Result<Multihash> {
    let digest = match algorithm {
        HashAlgorithm::Sha2_256 => digest_reader::<Sha256>(reader, &mut progress)?,
        HashAlgorithm::Sha2_512 => digest_reader::<Sha512>(reader, &mut progress)?,
        HashAlgorithm::Sha3_256 => digest_reader::<Sha3_256>(reader, &mut progress)?,
        HashAlgorithm::Blake2b256 => digest_reader::<Blake2b<U32>>(reader, &mut progress)?,
    };
    // The digest length always matches the algorithm.
    Multihash::wrap(algorithm, &digest).map_err(|e| io::Error::other(format!("{e:?}")))
}

/// The multihash of a file.
pub fn multihash_file(
    path: &Path,
    algorithm: HashAlgorithm,
    progress: impl FnMut(u64),
) -> io::Result<Multihash> {
    multihash_reader(&mut std::fs::File::open(path)?, algorithm, progress)
}

/// The multihash of bytes in memory.
pub fn multihash_bytes(bytes: &[u8], algorithm: HashAlgorithm) -> Multihash {
    multihash_reader(&mut &bytes[..], algorithm, |_| {}).expect("reading memory cannot fail")
}

/// The resource ID of I.4 step 1: SHA-256(PU ID ‖ multihash), as the contract derives it.
pub fn resource_id(pu: &DeviceId, multihash: &Multihash) -> ResourceId {
    ResourceId::derive(pu, multihash, sha256)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answers() {
        // SHA-256("abc") and BLAKE2b-256("abc"), from the algorithms' test vectors.
        let sha = multihash_bytes(b"abc", HashAlgorithm::Sha2_256);
        assert_eq!(
            hex::encode(sha.as_bytes()),
            "1220ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let blake = multihash_bytes(b"abc", HashAlgorithm::Blake2b256);
        assert_eq!(
            hex::encode(blake.digest()),
            "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"
        );
        assert_eq!(blake.algorithm(), HashAlgorithm::Blake2b256);
    }

    #[test]
    fn streaming_equals_one_shot_across_buffer_boundaries() {
        let data: Vec<u8> = (0..(BUFFER * 2 + 17)).map(|i| (i % 251) as u8).collect();
        let mut seen = 0;
        let streamed =
            multihash_reader(&mut &data[..], HashAlgorithm::Sha3_256, |n| seen += n).unwrap();
        assert_eq!(seen, data.len() as u64);
        let one_shot = Multihash::wrap(HashAlgorithm::Sha3_256, &Sha3_256::digest(&data)).unwrap();
        assert_eq!(streamed, one_shot);
    }
}
