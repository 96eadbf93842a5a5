//! The resource registry's requests, records and errors, and [`ResourceLookup`].
use admin_role::NotAdmin;
use ink::{prelude::vec::Vec, primitives::AccountId};
#[cfg(doc)]
use shared_types::payload;
use shared_types::{
    DeviceId, Ed25519Signature, ResourceContent, ResourceId, Status, Timestamp, UserId,
};

/// Longest storage index / location a record may carry, in bytes.
pub const MAX_LOCATION_LEN: usize = 128;

/// Why a call was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum Error {
    /// Only the admin may do this.
    NotAdmin,
    /// The fault threshold must be at least 1.
    InvalidThreshold,
    /// This account is a storage provider already.
    ProviderExists,
    /// This account is not a registered storage provider.
    UnknownProvider,
    /// The storage provider is suspended.
    ProviderSuspended,
    /// The provider already has the requested status.
    StatusUnchanged,
    /// The caller is neither the owner's controlling account nor a storage provider.
    NotAuthorized,
    /// A provider writing a record must name itself as the record's provider.
    ProviderMismatch,
    /// The owner's signature of the upload statement is missing or does not verify.
    InvalidOwnerSignature,
    /// The PU's capture attestation does not verify under the PU's key valid throughout the
    /// capture span.
    InvalidPuSignature,
    /// The resource ID is not SHA-256(PU ID ‖ multihash) (F.743.24 I.4 step 1).
    ResourceIdMismatch,
    /// A resource with this ID is registered already.
    ResourceExists,
    /// No resource with this ID is registered.
    UnknownResource,
    /// The PU is not registered in the device registry.
    UnknownDevice,
    /// The PU belongs to another user.
    DeviceNotOwned,
    /// The PU is suspended or revoked.
    DeviceNotActive,
    /// The device cannot be a resource's source: general video comes from a PU or IPU,
    /// private video from a PU, IPU or private DB.
    NotASourceDevice,
    /// The owner is not registered in the identity registry.
    UnknownOwner,
    /// The owner (or the reporting user) is suspended or revoked.
    UserNotActive,
    /// The caller does not control the reporting user.
    NotController,
    /// Private resources stay in the owner's private DB and name no storage provider.
    PrivateResourceWithProvider,
    /// The capture span ends before it starts.
    InvalidCaptureSpan,
    /// The size is zero.
    EmptyResource,
    /// The segment tree's segment size is zero or its segment count does not match the size.
    InvalidSegmentTree,
    /// The storage location is longer than [`MAX_LOCATION_LEN`].
    LocationTooLong,
    /// The submitted hash uses another algorithm than the ledger's, so it cannot be compared.
    AlgorithmMismatch,
    /// A fault report whose hash matches the ledger's: the copy is intact.
    HashesMatch,
    /// A fault report on a resource no provider holds (private resources stay with the owner).
    NoProviderCopy,
    /// This user has reported a fault of this provider already (since its last
    /// reactivation): faults count distinct reporters.
    AlreadyReported,
    /// The device registry could not be called or answered unexpectedly.
    DeviceRegistryCallFailed,
    /// The identity registry could not be called or answered unexpectedly.
    IdentityRegistryCallFailed,
    /// A registry could not say whether a signature verifies.
    SignatureCheckFailed,
    /// A counter would overflow.
    Overflow,
    /// Only the resource's owner may report its copy: the registry knows of no one else
    /// whom the provider served it to.
    NotEntitled,
    /// The record was not written by the provider it names, so the provider never agreed to
    /// hold the copy: no fault counts against it.
    NotWrittenByProvider,
}

impl From<NotAdmin> for Error {
    fn from(_: NotAdmin) -> Self {
        Self::NotAdmin
    }
}

/// A registration request (F.743.24 I.4 steps 1-2).
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub struct ResourceRegistration {
    /// The resource ID as the owner derived it; the contract derives it again.
    pub resource: ResourceId,
    /// The owning user.
    pub owner: UserId,
    /// The source device (PU ID of I.4 step 1, or the private DB of I.5.2 step 2).
    pub pu: DeviceId,
    /// Multihash, classification, size, capture span and segment tree.
    pub content: ResourceContent,
    /// The storage provider holding the cloud copy, if any.
    pub provider: Option<AccountId>,
    /// The storage index / location of the copy (at most [`MAX_LOCATION_LEN`] bytes).
    pub location: Vec<u8>,
    /// The owner's signature of [`payload::resource_upload`] naming the caller; required when
    /// a provider writes the record, optional for the owner. Kept in the record, it makes
    /// the owner's claim on the video checkable offline (evidence bundles).
    pub owner_signature: Option<Ed25519Signature>,
    /// The PU's signature of [`payload::capture_attestation`], if the PU signs captures.
    pub pu_signature: Option<Ed25519Signature>,
}

/// A registered resource.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct ResourceRecord {
    /// The owning user.
    pub owner: UserId,
    /// The source device.
    pub pu: DeviceId,
    /// Multihash, classification, size, capture span and segment tree.
    pub content: ResourceContent,
    /// The storage provider holding the cloud copy, if any.
    pub provider: Option<AccountId>,
    /// Storage index / location of the copy.
    pub location: Vec<u8>,
    /// The owner's upload statement naming `registered_by`, checked at registration.
    pub owner_signature: Option<Ed25519Signature>,
    /// The PU's capture attestation, checked at registration.
    pub pu_signature: Option<Ed25519Signature>,
    /// Who wrote the record: the owner's account or the provider.
    pub registered_by: AccountId,
    /// Block time of registration.
    pub registered_at: Timestamp,
}

/// A storage provider (cloud store or MSU) and its fault count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct ProviderRecord {
    /// Active or suspended.
    pub status: Status,
    /// Faults since registration or the last reactivation: distinct reporters.
    pub faults: u32,
    /// Reactivations so far; a reporter counts once per round.
    pub round: u32,
    /// Block time of registration.
    pub registered_at: Timestamp,
}

/// The resource registry's look-ups that other contracts of the suite call.
#[ink::trait_definition]
pub trait ResourceLookup {
    /// The resource's record.
    ///
    /// # Errors
    /// [`Error::UnknownResource`].
    #[ink(message)]
    fn resource(&self, resource: ResourceId) -> Result<ResourceRecord, Error>;

    /// The device registry this one trusts.
    #[ink(message)]
    fn device_registry(&self) -> AccountId;

    /// The identity registry this one trusts.
    #[ink(message)]
    fn identity_registry(&self) -> AccountId;
}
