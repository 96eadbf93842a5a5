//! Types shared by the VSSI (ITU-T F.743.24) and DIVS (ITU-T Y.2247) contracts and the
//! off-chain SDK: identifiers, keys, multihash, device kinds and statuses, resource and
//! sharing terms, DIVS parameters and ledger entries, and the ONE
//! builder of every signed statement (see [`payload`]).
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod divs;
pub mod epochs;
pub mod ids;
pub mod multihash;
pub mod oracle;
pub mod payload;
pub mod resource;
pub mod status;

#[cfg(feature = "verify")]
pub mod verify;

pub use divs::{
    AccountState, AccountStatus, Endorsement, EndorsementBatch, Entry, EntryAddress, EntryKind,
    IdentityCommitment, PartialAnswer, SignatureAlgorithm, UeIdentity, UeParameters,
};
pub use ids::{
    AgreementId, DeviceId, Ed25519PublicKey, Ed25519Signature, GrantId, PolicyId, ResourceId,
    SerialCommitment, TransferId, TxId, UserId, X25519PublicKey,
};
pub use multihash::{HashAlgorithm, Multihash, MultihashError};
pub use oracle::SignatureOracle;
pub use payload::KeySet;
pub use resource::{
    Classification, Permissions, PolicyTerms, ResourceContent, SegmentTree, TimeSpan, Window,
    WindowUnit,
};
pub use status::{reason, DeviceKind, ReasonCode, Status};

/// Raw 32-byte chain account / contract address, as `ink::primitives::AccountId` encodes it.
pub type AccountBytes = [u8; 32];
/// The contracts a sharing_policy deployment trusts for users, devices and resources, as its
/// `registries` message answers, and the ones an evidence bundle's records come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, scale::Encode, scale::Decode, scale_info::TypeInfo)]
#[cfg_attr(feature = "ink", derive(ink::storage::traits::StorageLayout))]
pub struct Registries {
    /// identity_registry.
    pub identity: AccountBytes,
    /// device_registry.
    pub devices: AccountBytes,
    /// resource_registry.
    pub resources: AccountBytes,
}

/// Block timestamp in milliseconds since the Unix epoch (pallet-timestamp's unit).
pub type Timestamp = u64;
