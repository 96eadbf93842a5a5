//! What the sharing contract emits: one event per kind of change, and [`Event`], which the
//! logic in [`crate::data`] returns and the contract emits.
use crate::data::TransferState;
use shared_types::{
    AgreementId, DeviceId, Ed25519PublicKey, GrantId, Permissions, PolicyId, ResourceId, Status,
    Timestamp, TransferId, UserId, Window,
};

/// A policy version was created (a new policy is version 1).
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct PolicyVersionCreated {
    /// The policy.
    #[ink(topic)]
    pub policy: PolicyId,
    /// Its owner.
    #[ink(topic)]
    pub owner: UserId,
    /// The new version.
    pub version: u32,
    /// Its hash.
    pub hash: [u8; 32],
}

/// A policy was suspended, reactivated or revoked.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct PolicyStatusChanged {
    /// The policy.
    #[ink(topic)]
    pub policy: PolicyId,
    /// The new status.
    pub status: Status,
}

/// A requester signed a version and paid (I.5.1 step 1).
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct AgreementSigned {
    /// The agreement.
    #[ink(topic)]
    pub agreement: AgreementId,
    /// The policy.
    #[ink(topic)]
    pub policy: PolicyId,
    /// The requester.
    #[ink(topic)]
    pub requester: UserId,
    /// The accepted version.
    pub version: u32,
    /// Its hash.
    pub version_hash: [u8; 32],
    /// The price paid to the owner.
    pub paid: u128,
}

/// The owner revoked an agreement.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct AgreementRevoked {
    /// The agreement.
    #[ink(topic)]
    pub agreement: AgreementId,
}

/// An access under an agreement was checked and recorded (I.5.1 step 4).
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct AccessRecorded {
    /// The agreement.
    #[ink(topic)]
    pub agreement: AgreementId,
    /// The resource.
    #[ink(topic)]
    pub resource: ResourceId,
    /// What was done.
    pub permission: Permissions,
    /// Which part.
    pub window: Option<Window>,
    /// Index of this access under the agreement.
    pub index: u32,
}

/// A PU owner granted a CU a temporary key.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct DeviceGrantIssued {
    /// The grant.
    #[ink(topic)]
    pub grant: GrantId,
    /// The PU.
    #[ink(topic)]
    pub pu: DeviceId,
    /// The CU.
    #[ink(topic)]
    pub cu: DeviceId,
    /// The temporary key.
    pub temporary_key: Ed25519PublicKey,
    /// Its expiry.
    pub expires_at: Timestamp,
}

/// A grant was revoked before its expiry.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct DeviceGrantRevoked {
    /// The grant.
    #[ink(topic)]
    pub grant: GrantId,
}

/// A private transfer moved to a new state. Deliberately carries nothing but the IDs.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct PrivateTransferUpdated {
    /// The transfer.
    #[ink(topic)]
    pub transfer: TransferId,
    /// The private resource.
    #[ink(topic)]
    pub resource: ResourceId,
    /// The new state.
    pub state: TransferState,
}

/// What a successful call emits.
#[derive(Debug, PartialEq, Eq)]
pub enum Event {
    /// See [`PolicyVersionCreated`].
    PolicyVersionCreated(PolicyVersionCreated),
    /// See [`PolicyStatusChanged`].
    PolicyStatusChanged(PolicyStatusChanged),
    /// See [`AgreementSigned`].
    AgreementSigned(AgreementSigned),
    /// See [`AgreementRevoked`].
    AgreementRevoked(AgreementRevoked),
    /// See [`AccessRecorded`].
    AccessRecorded(AccessRecorded),
    /// See [`DeviceGrantIssued`].
    DeviceGrantIssued(DeviceGrantIssued),
    /// See [`DeviceGrantRevoked`].
    DeviceGrantRevoked(DeviceGrantRevoked),
    /// See [`PrivateTransferUpdated`].
    PrivateTransferUpdated(PrivateTransferUpdated),
}
