//! The device registry's requests, records and errors, and [`DeviceLookup`].
use ink::{prelude::vec::Vec, primitives::AccountId};
#[cfg(doc)]
use shared_types::payload;
use shared_types::{
    DeviceId, DeviceKind, Ed25519Signature, KeySet, ReasonCode, SerialCommitment, Status, TimeSpan,
    Timestamp, TxId, UserId,
};

/// Why a call was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum Error {
    /// The caller is not a registrar of the identity registry.
    NotRegistrar,
    /// The owner's user ID is not registered in the identity registry.
    UnknownOwner,
    /// The owner (or the new owner) is suspended or revoked.
    OwnerNotActive,
    /// A device with this ID is registered already.
    DeviceExists,
    /// No device with this ID is registered.
    UnknownDevice,
    /// The owner's signature does not verify under the owner's current key.
    InvalidOwnerSignature,
    /// The device's proof of possession does not verify under the (new) device key.
    InvalidDeviceSignature,
    /// The X25519 encryption key is of small order, on the twist or not canonical: nothing
    /// could be sealed to it safely.
    WeakEncryptionKey,
    /// The new owner's signature does not verify under the new owner's current key.
    InvalidNewOwnerSignature,
    /// The device is suspended or revoked.
    DeviceNotActive,
    /// The device is revoked; revocation is final.
    DeviceRevoked,
    /// The device already has the requested status.
    StatusUnchanged,
    /// The new signing key equals the current one.
    KeyUnchanged,
    /// The new owner is the current owner.
    SameOwner,
    /// Only the owner's controlling account or the owner's registrar, while it is a
    /// registrar, may change the device's status.
    NotAuthorized,
    /// Only the party that suspended the device (its owner or the owner's registrar) may
    /// reactivate it.
    NotSuspender,
    /// The identity registry could not be called or answered unexpectedly.
    IdentityRegistryCallFailed,
    /// A counter would overflow.
    Overflow,
    /// No key of the device was valid at that time: it was not registered yet.
    NoKeyAtTime,
    /// The DIVS ledger named in the link could not be called or answered unexpectedly.
    DivsLedgerCallFailed,
    /// The DIVS ledger named in the link has no entry with its transaction ID.
    UnknownDivsEntry,
    /// The linked DIVS entry is not a UE registration.
    NotADivsRegistration,
    /// The linked DIVS entry's signatures were never checked on chain (a batch entry).
    DivsEntryNotVerified,
    /// The linked DIVS entry endorses another key than the device's current signing key.
    DivsKeyMismatch,
    /// The UE of the linked DIVS entry is terminated: its endorsement ended for good.
    DivsUeTerminated,
}

/// Who suspended a device: only that party lifts the suspension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum Suspender {
    /// The owner's controlling account.
    Owner,
    /// The owner's registrar in the identity registry.
    Registrar,
}

/// A registration request (F.743.24 I.1.2 steps 5-7).
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub struct DeviceRegistration {
    /// The device's ID.
    pub device: DeviceId,
    /// Its kind.
    pub kind: DeviceKind,
    /// The owning user.
    pub owner: UserId,
    /// The device's public keys.
    pub keys: KeySet,
    /// Salted commitment of the hardware serial (SyR-7); never the serial itself.
    pub serial: SerialCommitment,
    /// The owner's signature of [`payload::device_registration`].
    pub owner_signature: Ed25519Signature,
    /// The device key's signature of [`payload::device_proof_of_possession`] (nonce 0).
    pub device_signature: Ed25519Signature,
}

/// A registered device.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct DeviceRecord {
    /// Its kind.
    pub kind: DeviceKind,
    /// The owning user.
    pub owner: UserId,
    /// Current keys.
    pub keys: KeySet,
    /// Index of the current keys in the key history (0 at registration).
    pub key_version: u32,
    /// Salted commitment of the hardware serial.
    pub serial: SerialCommitment,
    /// Current status.
    pub status: Status,
    /// Reason code of the last status change.
    pub status_reason: ReasonCode,
    /// Who suspended the device, while suspended.
    pub suspended_by: Option<Suspender>,
    /// Counts owner-signed changes; signed into each so none can be replayed.
    pub nonce: u32,
    /// The registrar that registered it (its status follows the owner's current registrar).
    pub registrar: AccountId,
    /// Block time of registration.
    pub registered_at: Timestamp,
    /// Position in the owner's device list (kept so a transfer can unlist it in O(1)).
    pub owner_index: u32,
    /// The Y.2247 DIVS registration of the current signing key, if the owner linked one (a
    /// rotation clears it; the key history keeps each key's link).
    pub divs: Option<DivsLink>,
}

/// A device's reference to the DIVS ledger entry endorsing the same hardware: a verified
/// registration of the device's signing key, so what the device signs (e.g. a capture
/// attestation) is checked against that endorsement's validity. The ledger is the owner's
/// choice: whoever relies on the link pins the ledger it trusts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct DivsLink {
    /// The DIVS ledger contract.
    pub ledger: AccountId,
    /// The transaction ID of the UE's registration entry there.
    pub tx_id: TxId,
}

/// A device's keys over `[valid_from, valid_until)`, and the DIVS entry that endorsed them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct DeviceKeyEpoch {
    /// The keys.
    pub keys: KeySet,
    /// Block time from which they are valid.
    pub valid_from: Timestamp,
    /// Block time from which they are replaced; `None` while current.
    pub valid_until: Option<Timestamp>,
    /// The owner's link to the DIVS registration of these keys, if she made one while they
    /// were current.
    pub divs: Option<DivsLink>,
}

/// The device registry's look-ups that other contracts of the suite call.
#[ink::trait_definition]
pub trait DeviceLookup {
    /// The device's record.
    ///
    /// # Errors
    /// [`Error::UnknownDevice`].
    #[ink(message)]
    fn device(&self, device: DeviceId) -> Result<DeviceRecord, Error>;

    /// Whether `signature` of `message` verifies under the signing key the device had
    /// throughout `span` (the key of its start, its registered key for a start before
    /// registration, and no later rotation before the span's end) while the device and
    /// its owner are active: resource_registry checks a capture attestation over the
    /// capture span, so footage captured before a rotation and registered after it keeps
    /// its PU signature, and a retired key signs no span reaching past its retirement.
    /// Other contracts of the suite check device signatures through this query, so they
    /// carry no ed25519 code.
    ///
    /// # Errors
    /// [`Error::UnknownDevice`]; [`Error::UnknownOwner`];
    /// [`Error::IdentityRegistryCallFailed`].
    #[ink(message)]
    fn verify_signature_during(
        &self,
        device: DeviceId,
        span: TimeSpan,
        message: Vec<u8>,
        signature: Ed25519Signature,
    ) -> Result<bool, Error>;

    /// The identity registry this one trusts.
    #[ink(message)]
    fn identity_registry(&self) -> AccountId;
}
