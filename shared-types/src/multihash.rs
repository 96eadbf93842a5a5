//! Multihash per multiformats: `varint(code) ‖ varint(digest length) ‖ digest`.
//!
//! Only the algorithms F.743.24 video resources use are accepted, each with its full digest
//! length. A [`Multihash`] is valid by construction: parsing and SCALE decoding both reject
//! malformed, truncated, oversized or unknown input with a [`MultihashError`].
use alloc::vec::Vec;
use scale::{Decode, Encode, Input};
use scale_info::TypeInfo;

/// Longest accepted encoding: 3-byte code (0xb220) + 1-byte length + 64-byte digest.
pub const MAX_ENCODED_LEN: usize = 68;

/// Hash algorithms accepted for video resources, with their multicodec codes.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub enum HashAlgorithm {
    /// sha2-256, code 0x12, 32-byte digest.
    Sha2_256,
    /// sha2-512, code 0x13, 64-byte digest.
    Sha2_512,
    /// sha3-256, code 0x16, 32-byte digest.
    Sha3_256,
    /// blake2b-256, code 0xb220, 32-byte digest.
    Blake2b256,
}

impl HashAlgorithm {
    /// Every accepted algorithm.
    pub const ALL: [HashAlgorithm; 4] = [
        Self::Sha2_256,
        Self::Sha2_512,
        Self::Sha3_256,
        Self::Blake2b256,
    ];

    /// The multicodec code.
    pub const fn code(self) -> u64 {
        match self {
            Self::Sha2_256 => 0x12,
            Self::Sha2_512 => 0x13,
            Self::Sha3_256 => 0x16,
            Self::Blake2b256 => 0xb220,
        }
    }

    /// The digest length in bytes.
    pub const fn digest_len(self) -> usize {
        match self {
            Self::Sha2_512 => 64,
            Self::Sha2_256 | Self::Sha3_256 | Self::Blake2b256 => 32,
        }
    }

    /// The algorithm of a multicodec code, if accepted.
    pub fn from_code(code: u64) -> Result<Self, MultihashError> {
        Self::ALL
            .into_iter()
            .find(|a| a.code() == code)
            .ok_or(MultihashError::UnknownAlgorithm)
    }
}

/// Why bytes are not an accepted multihash.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub enum MultihashError {
    /// Longer than [`MAX_ENCODED_LEN`].
    Oversized,
    /// Ends inside a varint or inside the digest.
    Truncated,
    /// A varint longer than 64 bits.
    VarintOverflow,
    /// A varint with superfluous trailing zero groups (not minimally encoded).
    NonMinimalVarint,
    /// A code that is not one of [`HashAlgorithm::ALL`].
    UnknownAlgorithm,
    /// The length field differs from the algorithm's digest length.
    DigestLengthMismatch,
    /// Bytes follow the digest.
    TrailingBytes,
}

/// A validated multihash, stored as its canonical bytes.
#[derive(Clone, PartialEq, Eq, Debug, Encode, TypeInfo)]
#[cfg_attr(feature = "ink", derive(ink::storage::traits::StorageLayout))]
pub struct Multihash {
    bytes: Vec<u8>,
}

impl Multihash {
    /// Wraps a digest computed with `algorithm`.
    pub fn wrap(algorithm: HashAlgorithm, digest: &[u8]) -> Result<Self, MultihashError> {
        if digest.len() != algorithm.digest_len() {
            return Err(MultihashError::DigestLengthMismatch);
        }
        let mut code_buf = unsigned_varint::encode::u64_buffer();
        let mut len_buf = unsigned_varint::encode::u64_buffer();
        let mut bytes = Vec::with_capacity(MAX_ENCODED_LEN);
        bytes.extend_from_slice(unsigned_varint::encode::u64(
            algorithm.code(),
            &mut code_buf,
        ));
        bytes.extend_from_slice(unsigned_varint::encode::u64(
            digest.len() as u64,
            &mut len_buf,
        ));
        bytes.extend_from_slice(digest);
        Ok(Self { bytes })
    }

    /// Parses and validates multihash bytes.
    pub fn from_bytes(input: &[u8]) -> Result<Self, MultihashError> {
        Self::parse(input)?;
        Ok(Self {
            bytes: input.to_vec(),
        })
    }

    /// The canonical encoding `varint(code) ‖ varint(len) ‖ digest`.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The hash algorithm.
    pub fn algorithm(&self) -> HashAlgorithm {
        self.split().0
    }

    /// The digest.
    pub fn digest(&self) -> &[u8] {
        self.split().1
    }

    fn split(&self) -> (HashAlgorithm, &[u8]) {
        // Checked when constructed; parsing again cannot fail.
        Self::parse(&self.bytes).unwrap_or((HashAlgorithm::Sha2_256, &[]))
    }

    fn parse(input: &[u8]) -> Result<(HashAlgorithm, &[u8]), MultihashError> {
        if input.len() > MAX_ENCODED_LEN {
            return Err(MultihashError::Oversized);
        }
        let (code, rest) = unsigned_varint::decode::u64(input).map_err(varint_error)?;
        let algorithm = HashAlgorithm::from_code(code)?;
        let (len, digest) = unsigned_varint::decode::u64(rest).map_err(varint_error)?;
        let expected = algorithm.digest_len();
        if len != expected as u64 {
            return Err(MultihashError::DigestLengthMismatch);
        }
        match digest.len() {
            n if n < expected => Err(MultihashError::Truncated),
            n if n > expected => Err(MultihashError::TrailingBytes),
            _ => Ok((algorithm, digest)),
        }
    }
}

fn varint_error(e: unsigned_varint::decode::Error) -> MultihashError {
    match e {
        unsigned_varint::decode::Error::Overflow => MultihashError::VarintOverflow,
        unsigned_varint::decode::Error::NotMinimal => MultihashError::NonMinimalVarint,
        _ => MultihashError::Truncated,
    }
}

impl Decode for Multihash {
    fn decode<I: Input>(input: &mut I) -> Result<Self, scale::Error> {
        let bytes = Vec::<u8>::decode(input)?;
        Self::from_bytes(&bytes).map_err(|_| "invalid multihash".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn algorithm() -> impl Strategy<Value = HashAlgorithm> {
        prop::sample::select(HashAlgorithm::ALL.to_vec())
    }

    fn valid() -> impl Strategy<Value = Multihash> {
        algorithm().prop_flat_map(|a| {
            prop::collection::vec(any::<u8>(), a.digest_len())
                .prop_map(move |d| Multihash::wrap(a, &d).unwrap())
        })
    }

    #[test]
    fn known_vectors() {
        // Prefixes from the multicodec table: 0x12 = sha2-256, 0xb220 = blake2b-256 (varint a0 e4 02).
        let mh = Multihash::wrap(HashAlgorithm::Sha2_256, &[0u8; 32]).unwrap();
        assert_eq!(&mh.as_bytes()[..2], &[0x12, 0x20]);
        let mh = Multihash::wrap(HashAlgorithm::Blake2b256, &[0u8; 32]).unwrap();
        assert_eq!(&mh.as_bytes()[..4], &[0xa0, 0xe4, 0x02, 0x20]);
        assert_eq!(
            Multihash::from_bytes(&[0x11, 0x14]).unwrap_err(),
            MultihashError::UnknownAlgorithm
        );
        assert_eq!(
            Multihash::from_bytes(&[0x12, 0x80, 0x00]).unwrap_err(),
            MultihashError::NonMinimalVarint
        );
        assert_eq!(
            Multihash::from_bytes(&[]).unwrap_err(),
            MultihashError::Truncated
        );
        assert_eq!(
            Multihash::from_bytes(&[0xff; 11]).unwrap_err(),
            MultihashError::VarintOverflow
        );
    }

    proptest! {
        #[test]
        fn bytes_round_trip(mh in valid()) {
            let parsed = Multihash::from_bytes(mh.as_bytes()).unwrap();
            prop_assert_eq!(parsed.digest(), mh.digest());
            prop_assert_eq!(parsed.algorithm(), mh.algorithm());
            prop_assert_eq!(parsed, mh);
        }

        #[test]
        fn scale_round_trip(mh in valid()) {
            let encoded = mh.encode();
            prop_assert_eq!(Multihash::decode(&mut &encoded[..]).unwrap(), mh);
        }

        #[test]
        fn truncation_is_rejected(mh in valid(), cut in 1usize..68) {
            let bytes = mh.as_bytes();
            let keep = bytes.len().saturating_sub(cut);
            prop_assert!(Multihash::from_bytes(&bytes[..keep]).is_err());
            // The SCALE path rejects it too.
            let encoded = bytes[..keep].to_vec().encode();
            prop_assert!(Multihash::decode(&mut &encoded[..]).is_err());
        }

        #[test]
        fn trailing_bytes_are_rejected(mh in valid(), extra in prop::collection::vec(any::<u8>(), 1..4)) {
            let mut bytes = mh.as_bytes().to_vec();
            bytes.extend(extra);
            prop_assert!(Multihash::from_bytes(&bytes).is_err());
        }

        #[test]
        fn oversized_is_rejected(bytes in prop::collection::vec(any::<u8>(), MAX_ENCODED_LEN + 1..200)) {
            prop_assert_eq!(Multihash::from_bytes(&bytes).unwrap_err(), MultihashError::Oversized);
        }

        #[test]
        fn unknown_codes_are_rejected(code in any::<u64>(), digest in prop::collection::vec(any::<u8>(), 0..64)) {
            prop_assume!(HashAlgorithm::from_code(code).is_err());
            let mut code_buf = unsigned_varint::encode::u64_buffer();
            let mut bytes = unsigned_varint::encode::u64(code, &mut code_buf).to_vec();
            bytes.push(digest.len() as u8);
            bytes.extend(digest);
            prop_assert!(Multihash::from_bytes(&bytes).is_err());
        }

        #[test]
        fn wrong_digest_length_is_rejected(a in algorithm(), len in 0usize..65) {
            prop_assume!(len != a.digest_len());
            prop_assert_eq!(Multihash::wrap(a, &vec![0; len]).unwrap_err(), MultihashError::DigestLengthMismatch);
        }

        /// Arbitrary bytes either fail or parse to a value that re-encodes to the same bytes.
        #[test]
        fn arbitrary_bytes_are_canonical_or_rejected(bytes in prop::collection::vec(any::<u8>(), 0..80)) {
            if let Ok(mh) = Multihash::from_bytes(&bytes) {
                let rewrapped = Multihash::wrap(mh.algorithm(), mh.digest()).unwrap();
                prop_assert_eq!(rewrapped.as_bytes(), &bytes[..]);
            }
        }
    }
}
