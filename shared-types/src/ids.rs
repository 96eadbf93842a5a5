//! Fixed-size identifiers and public-key material.
use scale::{Decode, Encode};
use scale_info::TypeInfo;

macro_rules! byte_newtype {
    ($(#[$doc:meta])* $name:ident, $len:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Encode, Decode, TypeInfo)]
        #[cfg_attr(feature = "ink", derive(ink::storage::traits::StorageLayout))]
        pub struct $name(pub [u8; $len]);

        impl From<[u8; $len]> for $name {
            fn from(bytes: [u8; $len]) -> Self {
                Self(bytes)
            }
        }

        impl AsRef<[u8]> for $name {
            fn as_ref(&self) -> &[u8] {
                &self.0
            }
        }
    };
}
pub(crate) use byte_newtype;

byte_newtype!(
    /// A user's ID in VSSI (F.743.24 I.1.1 step 1), chosen by the user; not personal data.
    UserId, 32
);
byte_newtype!(
    /// A device's ID (PU, IPU, CU, MCU, MSU, private DB; F.743.24 I.1.2 step 5).
    DeviceId, 32
);
byte_newtype!(
    /// A video resource ID: SHA-256 of (PU ID ‖ multihash of the encrypted file), F.743.24 I.4 step 1.
    ResourceId, 32
);
byte_newtype!(
    /// An ed25519 public (verification) key.
    Ed25519PublicKey, 32
);
byte_newtype!(
    /// An ed25519 signature (R ‖ s).
    Ed25519Signature, 64
);
byte_newtype!(
    /// An X25519 public key, used only for encryption to its holder (never for signing).
    X25519PublicKey, 32
);
byte_newtype!(
    /// Salted commitment to a hardware serial: SHA-256 of
    /// [`crate::payload::serial_commitment_preimage`]. The serial itself never goes on chain.
    SerialCommitment, 32
);

macro_rules! sequence_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// Assigned by its contract from a counter, in order, from 0; encodes as a bare `u64`.
        #[derive(
            Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Encode, Decode, TypeInfo,
        )]
        #[cfg_attr(feature = "ink", derive(ink::storage::traits::StorageLayout))]
        pub struct $name(pub u64);

        impl From<u64> for $name {
            fn from(id: u64) -> Self {
                Self(id)
            }
        }

        impl From<$name> for u64 {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        /// Parses the decimal form [`Display`](core::fmt::Display) prints (CLI arguments).
        impl core::str::FromStr for $name {
            type Err = core::num::ParseIntError;

            fn from_str(decimal: &str) -> Result<Self, Self::Err> {
                decimal.parse().map(Self)
            }
        }
    };
}

sequence_id!(
    /// A sharing policy of sharing_policy (F.743.24 I.3): the versions hang off it.
    PolicyId
);
sequence_id!(
    /// A requester's agreement to one policy version (sharing_policy).
    AgreementId
);
sequence_id!(
    /// A temporary device grant (sharing_policy, F.743.24 I.2).
    GrantId
);
sequence_id!(
    /// A private transfer between two private DBs (sharing_policy, F.743.24 I.5.2).
    TransferId
);
sequence_id!(
    /// A DIVS ledger entry's transaction ID (Y.2247 7.2.2): its position in the
    /// append-only ledger.
    TxId
);

impl ResourceId {
    /// Derives a resource ID exactly as F.743.24 I.4 step 1 describes: the multihash encoding
    /// prefixed with the PU number (PU ID ‖ varint code ‖ varint length ‖ digest), mapped
    /// through SHA-256. `sha256` is injected so a contract can use the host's hash function
    /// and off-chain code the `sha2` crate, over the same preimage.
    pub fn derive(
        pu: &DeviceId,
        multihash: &crate::Multihash,
        sha256: impl FnOnce(&[u8]) -> [u8; 32],
    ) -> Self {
        let preimage = [&pu.0[..], multihash.as_bytes()].concat();
        Self(sha256(&preimage))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DeviceKind, HashAlgorithm, KeySet, Multihash, Status};
    use proptest::prelude::*;
    use scale::{Decode, Encode};

    fn round_trip<T: Encode + Decode + PartialEq + core::fmt::Debug>(value: T) {
        let encoded = value.encode();
        assert_eq!(T::decode(&mut &encoded[..]).unwrap(), value);
    }

    proptest! {
        #[test]
        fn fixed_types_round_trip(a in any::<[u8; 32]>(), s in prop::collection::vec(any::<u8>(), 64)) {
            round_trip(UserId(a));
            round_trip(DeviceId(a));
            round_trip(ResourceId(a));
            round_trip(SerialCommitment(a));
            round_trip(KeySet { signing: Ed25519PublicKey(a), encryption: X25519PublicKey(a) });
            round_trip(Ed25519Signature(s.try_into().unwrap()));
        }

        /// A sequence ID encodes as the bare `u64` it replaced, so every signed statement
        /// that names one keeps its bytes (`Option` too: an endorsement's `previous`).
        #[test]
        fn sequence_ids_encode_as_their_u64(n in any::<u64>()) {
            prop_assert_eq!(PolicyId(n).encode(), n.encode());
            prop_assert_eq!(AgreementId(n).encode(), n.encode());
            prop_assert_eq!(GrantId(n).encode(), n.encode());
            prop_assert_eq!(TransferId(n).encode(), n.encode());
            prop_assert_eq!(TxId(n).encode(), n.encode());
            prop_assert_eq!(Some(TxId(n)).encode(), Some(n).encode());
            prop_assert_eq!(TxId::decode(&mut &n.encode()[..]).unwrap(), TxId(n));
        }

        #[test]
        fn short_input_is_rejected(a in prop::collection::vec(any::<u8>(), 0..32)) {
            prop_assert!(UserId::decode(&mut &a[..]).is_err());
            prop_assert!(Ed25519Signature::decode(&mut &a[..]).is_err());
        }

        #[test]
        fn enum_tags_out_of_range_are_rejected(tag in 6u8..=255) {
            prop_assert!(DeviceKind::decode(&mut &[tag][..]).is_err());
            prop_assert!(Status::decode(&mut &[tag.max(3)][..]).is_err());
        }

        /// Resource IDs depend on the PU and on every byte of the multihash.
        #[test]
        fn resource_id_binds_pu_and_multihash(pu in any::<[u8; 32]>(), digest in any::<[u8; 32]>()) {
            let mh = Multihash::wrap(HashAlgorithm::Sha2_256, &digest).unwrap();
            let toy_hash = |bytes: &[u8]| {
                let mut out = [0u8; 32];
                for (i, b) in bytes.iter().enumerate() { out[i % 32] ^= b.rotate_left(i as u32 % 8); }
                out
            };
            let mut seen = Vec::new();
            ResourceId::derive(&DeviceId(pu), &mh, |pre| { seen = pre.to_vec(); toy_hash(pre) });
            prop_assert_eq!(&seen[..32], &pu[..]);
            prop_assert_eq!(&seen[32..], mh.as_bytes());
        }
    }

    #[test]
    fn device_kinds_round_trip() {
        for kind in [
            DeviceKind::Pu,
            DeviceKind::Ipu,
            DeviceKind::Cu,
            DeviceKind::Mcu,
            DeviceKind::Msu,
            DeviceKind::PrivateDb,
        ] {
            round_trip(kind);
        }
        for status in [Status::Active, Status::Suspended, Status::Revoked] {
            round_trip(status);
        }
    }
}
