//! Why a call to the sharing contract was refused.
// The limits the variants' docs name.
#[cfg(doc)]
use crate::data::{MAX_GRANT_DURATION, MAX_POLICY_RESOURCES};

/// Why a call was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum Error {
    /// The caller is not the controlling account of the user it acts for.
    NotController,
    /// The user is suspended or revoked.
    UserNotActive,
    /// The user is not registered in the identity registry.
    UnknownUser,
    /// The terms name no resources, or more than [`MAX_POLICY_RESOURCES`], or one twice.
    InvalidResourceList,
    /// The usage period or the window ends before it starts.
    InvalidPeriod,
    /// The permissions are empty or contain undefined flags.
    InvalidPermissions,
    /// A resource is not registered.
    UnknownResource,
    /// A resource belongs to another user.
    NotResourceOwner,
    /// Private resources are shared by private transfer only (I.5.2).
    PrivateResource,
    /// Only private resources are shared by private transfer.
    NotPrivate,
    /// No policy with this ID exists.
    UnknownPolicy,
    /// No such version of the policy exists.
    UnknownVersion,
    /// The policy is suspended or revoked.
    PolicyNotActive,
    /// The policy is revoked; revocation is final.
    PolicyRevoked,
    /// The policy already has the requested status.
    StatusUnchanged,
    /// Only the policy's current version can be accepted.
    StaleVersion,
    /// The signature does not verify under the signer's current key.
    InvalidSignature,
    /// The value sent is not the version's price.
    WrongPayment,
    /// The price could not be paid to the owner's account.
    PaymentFailed,
    /// This requester accepted this version already.
    AlreadyAgreed,
    /// The usage period is over.
    PeriodOver,
    /// No agreement with this ID exists.
    UnknownAgreement,
    /// The caller is not the account that accepted the agreement.
    NotAgreementHolder,
    /// The agreement was revoked by the owner.
    AgreementRevoked,
    /// No access with this index is recorded under the agreement.
    UnknownAccess,
    /// The access lies outside the usage period.
    OutsidePeriod,
    /// The resource is not covered by the agreed version.
    ResourceNotCovered,
    /// The agreed version does not grant this permission.
    PermissionDenied,
    /// The requested part of the resource lies outside the usable range.
    OutsideWindow,
    /// The device is not registered.
    UnknownDevice,
    /// The device is suspended or revoked.
    DeviceNotActive,
    /// The device is of the wrong kind for this role.
    WrongDeviceKind,
    /// The expiry is not in the future or lies further than [`MAX_GRANT_DURATION`] ahead.
    InvalidExpiry,
    /// No grant with this ID exists.
    UnknownGrant,
    /// The grant is revoked already.
    GrantRevoked,
    /// The private transfer's source is not the resource's source device.
    SourceMismatch,
    /// The two participants of a private transfer must differ.
    SameParticipant,
    /// No private transfer with this ID exists.
    UnknownTransfer,
    /// The caller does not act for the participant that may do this (SeR-14).
    NotParticipant,
    /// The transfer is not in the state this step needs.
    WrongTransferState,
    /// Another registry could not be called or answered unexpectedly.
    RegistryCallFailed,
    /// The identity registry could not say whether the signature verifies.
    SignatureCheckFailed,
    /// A counter would overflow.
    Overflow,
    /// The user whose authority the call relies on (the policy's owner, the grant's owner,
    /// or a granted CU's owner) is suspended or revoked.
    OwnerNotActive,
    /// The grant's expiry has passed.
    GrantExpired,
    /// The key is not the grant's temporary key.
    NotGrantKey,
    /// The PU has changed owner since the grant: the grant was the previous owner's to give.
    OwnerChanged,
}
