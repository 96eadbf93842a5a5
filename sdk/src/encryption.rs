//! Encryption of a video file to a recipient's X25519 key with HPKE (RFC 9180, the `hpke`
//! crate: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305), streamed in chunks
//! so memory stays flat. Each chunk is sealed by the HPKE context (its sequence number
//! orders them) with its index and a last-chunk flag as associated data, so reordering,
//! truncation and appended data are all detected.
//!
//! Format: magic ‖ encapsulated key (32 bytes) ‖ chunks, each
//! `last flag (1 byte) ‖ u32 LE length ‖ ciphertext`; the flag is also in the chunk's
//! associated data, so changing it breaks authentication.
use crate::{hashing::fill, KeyPair};
use hpke::{
    aead::ChaCha20Poly1305, kdf::HkdfSha256, kem::X25519HkdfSha256, Deserializable, OpModeR,
    OpModeS, Serializable,
};
use rand_core::OsRng;
use scale::Encode;
use shared_types::X25519PublicKey;
use std::io::{self, Read, Write};

type Kem = X25519HkdfSha256;
type Aead = ChaCha20Poly1305;

const MAGIC: &[u8; 8] = b"VSSIENC1";
/// HPKE `info`: binds every file key to this use.
const INFO: &[u8] = b"vssi/v1/video-file-encryption";
/// Plaintext bytes per chunk.
pub const CHUNK: usize = 64 * 1024;
/// ChaCha20-Poly1305 tag length.
const TAG: usize = 16;

/// Why a file could not be encrypted or decrypted.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    /// Reading or writing failed.
    #[error("i/o: {0}")]
    Io(#[from] io::Error),
    /// The input is not a file this module wrote.
    #[error("not a VSSI encrypted file")]
    NotEncrypted,
    /// The recipient's public key is not a valid X25519 key.
    #[error("invalid recipient key")]
    InvalidKey,
    /// A chunk did not authenticate: wrong key, or the file was tampered with.
    #[error("chunk {0} does not authenticate (wrong key or tampered file)")]
    Tampered(u64),
    /// The file ends before its last chunk.
    #[error("the file is truncated")]
    Truncated,
    /// Bytes follow the last chunk.
    #[error("data after the last chunk")]
    TrailingData,
}

fn aad(index: u64, last: bool) -> Vec<u8> {
    (index, last).encode()
}

/// Encrypts everything `reader` yields to `recipient`, writing the result to `writer`.
/// Returns the number of bytes written.
pub fn encrypt(
    reader: &mut impl Read,
    writer: &mut impl Write,
    recipient: &X25519PublicKey,
) -> Result<u64, CryptoError> {
    let public = <Kem as hpke::Kem>::PublicKey::from_bytes(&recipient.0)
        .map_err(|_| CryptoError::InvalidKey)?;
    let (encapped, mut context) =
        hpke::setup_sender::<Aead, HkdfSha256, Kem, _>(&OpModeS::Base, &public, INFO, &mut OsRng)
            .map_err(|_| CryptoError::InvalidKey)?;
    writer.write_all(MAGIC)?;
    writer.write_all(&encapped.to_bytes())?;
    let mut written = (MAGIC.len() + 32) as u64;
    // One chunk of look-ahead tells whether the current chunk is the last.
    let mut current = vec![0u8; CHUNK];
    let mut next = vec![0u8; CHUNK];
    let mut current_len = fill(reader, &mut current)?;
    let mut index = 0u64;
    loop {
        let next_len = if current_len == CHUNK {
            fill(reader, &mut next)?
        } else {
            0
        };
        let last = next_len == 0;
        let sealed = context
            .seal(&current[..current_len], &aad(index, last))
            .map_err(|_| CryptoError::Tampered(index))?;
        writer.write_all(&[u8::from(last)])?;
        writer.write_all(&(sealed.len() as u32).to_le_bytes())?;
        writer.write_all(&sealed)?;
        written += 5 + sealed.len() as u64;
        if last {
            return Ok(written);
        }
        std::mem::swap(&mut current, &mut next);
        current_len = next_len;
        index += 1;
    }
}

/// Decrypts a file written by [`encrypt`] with the recipient's keys.
/// Returns the number of plaintext bytes written.
pub fn decrypt(
    reader: &mut impl Read,
    writer: &mut impl Write,
    recipient: &KeyPair,
) -> Result<u64, CryptoError> {
    let secret = recipient.encryption_secret();
    let mut header = [0u8; 40];
    if fill(reader, &mut header)? != header.len() || &header[..8] != MAGIC {
        return Err(CryptoError::NotEncrypted);
    }
    let private =
        <Kem as hpke::Kem>::PrivateKey::from_bytes(&secret).map_err(|_| CryptoError::InvalidKey)?;
    let encapped = <Kem as hpke::Kem>::EncappedKey::from_bytes(&header[8..])
        .map_err(|_| CryptoError::NotEncrypted)?;
    let mut context =
        hpke::setup_receiver::<Aead, HkdfSha256, Kem>(&OpModeR::Base, &private, &encapped, INFO)
            .map_err(|_| CryptoError::Tampered(0))?;
    let mut plain_bytes = 0u64;
    let mut sealed = vec![0u8; CHUNK + TAG];
    for index in 0u64.. {
        let mut frame = [0u8; 5];
        match fill(reader, &mut frame)? {
            5 => {}
            _ => return Err(CryptoError::Truncated),
        }
        let last = match frame[0] {
            0 => false,
            1 => true,
            _ => return Err(CryptoError::Tampered(index)),
        };
        let length = u32::from_le_bytes([frame[1], frame[2], frame[3], frame[4]]) as usize;
        if !(TAG..=CHUNK + TAG).contains(&length) {
            return Err(CryptoError::Tampered(index));
        }
        if fill(reader, &mut sealed[..length])? != length {
            return Err(CryptoError::Truncated);
        }
        let plain = context
            .open(&sealed[..length], &aad(index, last))
            .map_err(|_| CryptoError::Tampered(index))?;
        writer.write_all(&plain)?;
        plain_bytes += plain.len() as u64;
        if last {
            let mut probe = [0u8; 1];
            if fill(reader, &mut probe)? != 0 {
                return Err(CryptoError::TrailingData);
            }
            return Ok(plain_bytes);
        }
    }
    Err(CryptoError::Truncated)
}

/// Seals a short message (a handshake message) to `recipient` in one HPKE shot, with
/// `context` as associated data: encapsulated key (32 bytes) ‖ ciphertext.
pub fn seal_message(
    recipient: &X25519PublicKey,
    context: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let public = <Kem as hpke::Kem>::PublicKey::from_bytes(&recipient.0)
        .map_err(|_| CryptoError::InvalidKey)?;
    let (encapped, ciphertext) = hpke::single_shot_seal::<Aead, HkdfSha256, Kem, _>(
        &OpModeS::Base,
        &public,
        INFO,
        plaintext,
        context,
        &mut OsRng,
    )
    .map_err(|_| CryptoError::InvalidKey)?;
    Ok([&encapped.to_bytes()[..], &ciphertext].concat())
}

/// Opens a message sealed by [`seal_message`] for `recipient` with the same `context`.
pub fn open_message(
    recipient: &KeyPair,
    context: &[u8],
    sealed: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    if sealed.len() < 32 + TAG {
        return Err(CryptoError::NotEncrypted);
    }
    let private = <Kem as hpke::Kem>::PrivateKey::from_bytes(&recipient.encryption_secret())
        .map_err(|_| CryptoError::InvalidKey)?;
    let encapped = <Kem as hpke::Kem>::EncappedKey::from_bytes(&sealed[..32])
        .map_err(|_| CryptoError::NotEncrypted)?;
    hpke::single_shot_open::<Aead, HkdfSha256, Kem>(
        &OpModeR::Base,
        &private,
        &encapped,
        INFO,
        &sealed[32..],
        context,
    )
    .map_err(|_| CryptoError::Tampered(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(len: usize) {
        let bob = KeyPair::generate();
        let plain: Vec<u8> = (0..len).map(|i| (i % 253) as u8).collect();
        let mut sealed = Vec::new();
        encrypt(&mut &plain[..], &mut sealed, &bob.public().encryption).unwrap();
        let mut opened = Vec::new();
        decrypt(&mut &sealed[..], &mut opened, &bob).unwrap();
        assert_eq!(opened, plain);
    }

    #[test]
    fn round_trips_at_chunk_boundaries() {
        for len in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK] {
            round_trip(len);
        }
    }

    #[test]
    fn wrong_key_tampering_truncation_and_trailing_data_fail() {
        let (bob, eve) = (KeyPair::generate(), KeyPair::generate());
        let plain = vec![7u8; 2 * CHUNK + 10];
        let mut sealed = Vec::new();
        encrypt(&mut &plain[..], &mut sealed, &bob.public().encryption).unwrap();
        let open = |bytes: &[u8], key: &KeyPair| decrypt(&mut &bytes[..], &mut Vec::new(), key);
        assert!(matches!(open(&sealed, &eve), Err(CryptoError::Tampered(0))));
        let mut flipped = sealed.clone();
        flipped[100] ^= 1;
        assert!(matches!(
            open(&flipped, &bob),
            Err(CryptoError::Tampered(0))
        ));
        // Dropping the last chunk: the second chunk was sealed as "not last".
        let first_two = 40 + 2 * (5 + CHUNK + TAG);
        assert!(matches!(
            open(&sealed[..first_two], &bob),
            Err(CryptoError::Truncated)
        ));
        let mut longer = sealed.clone();
        longer.push(0);
        assert!(matches!(
            open(&longer, &bob),
            Err(CryptoError::TrailingData)
        ));
        assert!(matches!(
            open(b"not encrypted at all, definitely not", &bob),
            Err(CryptoError::NotEncrypted)
        ));
    }
}
