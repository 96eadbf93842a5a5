//! The identity registry's requests, records and errors, and [`IdentityLookup`].
use admin_role::NotAdmin;
use ink::{prelude::vec::Vec, primitives::AccountId};
#[cfg(doc)]
use shared_types::payload;
use shared_types::{
    Ed25519PublicKey, Ed25519Signature, KeySet, ReasonCode, Status, Timestamp, UserId,
};

/// Why a call was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum Error {
    /// The caller is not the admin.
    NotAdmin,
    /// The caller is not a registrar.
    NotRegistrar,
    /// The account is a registrar already.
    RegistrarExists,
    /// The account is not a registrar.
    UnknownRegistrar,
    /// A user with this ID is registered already.
    UserExists,
    /// No user with this ID is registered.
    UnknownUser,
    /// The user's proof-of-possession signature does not verify under the registered key.
    InvalidProofOfPossession,
    /// The registrar's signature over the record or the recovery does not verify under its
    /// key.
    InvalidRegistrarSignature,
    /// The rotation is not signed by the current signing key (or was used already).
    InvalidOldKeySignature,
    /// The rotation or the recovery is not signed by the new signing key (or was used
    /// already).
    InvalidNewKeySignature,
    /// The controller change is not signed by the user's current signing key for the
    /// user's controller nonce (or was used already).
    InvalidUserSignature,
    /// The new signing key equals the current one.
    KeyUnchanged,
    /// The user has this controller already.
    ControllerUnchanged,
    /// The user is suspended or revoked.
    UserNotActive,
    /// The user is revoked; revocation is final.
    UserRevoked,
    /// The user is not suspended: a recovery needs its registrar's suspension first, so
    /// that a takeover is public before it happens.
    UserNotSuspended,
    /// The user already has the requested status.
    StatusUnchanged,
    /// Only the user's registrar, while it is a registrar, or the admin may change its
    /// status.
    NotUserRegistrar,
    /// Only the party that suspended the user (its registrar or the admin), or the admin,
    /// may reactivate it.
    NotSuspender,
    /// The user has this registrar already.
    RegistrarUnchanged,
    /// The X25519 encryption key is of small order, on the twist or not canonical: nothing
    /// could be sealed to it safely.
    WeakEncryptionKey,
    /// The user had no key at the requested time (it was registered later).
    NoKeyAtTime,
    /// A counter would overflow.
    Overflow,
}

impl From<NotAdmin> for Error {
    fn from(_: NotAdmin) -> Self {
        Self::NotAdmin
    }
}

/// Who suspended a user: only that party, or the admin, lifts the suspension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum Suspender {
    /// The contract's admin.
    Admin,
    /// The user's registrar (whichever account holds that role when it is lifted).
    Registrar,
}

/// A registration request from a registrar (F.743.24 I.1.1 steps 1-3).
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub struct UserRegistration {
    /// The user's ID, chosen by the user.
    pub user: UserId,
    /// The user's public keys.
    pub keys: KeySet,
    /// The chain account that acts for the user.
    pub controller: AccountId,
    /// Hash of the information-collection notice the user accepted (ABVSSI-7).
    pub notice_hash: [u8; 32],
    /// Version of that notice.
    pub notice_version: u32,
    /// The user's signature of [`payload::user_proof_of_possession`], naming the registrar
    /// that submits it and the notice.
    pub proof_of_possession: Ed25519Signature,
    /// The registrar's signature of [`payload::registrar_attestation`].
    pub registrar_signature: Ed25519Signature,
}

/// A registered user. Holds no personal data: the real identity stays with the registrar.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct UserRecord {
    /// The chain account that acts for the user.
    pub controller: AccountId,
    /// Current keys.
    pub keys: KeySet,
    /// Index of the current keys in the key history (0 at registration).
    pub key_version: u32,
    /// Current status.
    pub status: Status,
    /// Reason code of the last status change.
    pub status_reason: ReasonCode,
    /// Who suspended the user, while suspended.
    pub suspended_by: Option<Suspender>,
    /// The user's registrar (ISP), which may change its status: the one that registered
    /// it, or the one the admin reassigned it to.
    pub registrar: AccountId,
    /// The attesting registrar's key at registration, so the attestation can be checked off
    /// chain (a reassignment keeps it).
    pub registrar_key: Ed25519PublicKey,
    /// The registrar's signature of [`payload::registrar_attestation`].
    pub registrar_signature: Ed25519Signature,
    /// Hash of the accepted information-collection notice (ABVSSI-7).
    pub notice_hash: [u8; 32],
    /// Version of that notice.
    pub notice_version: u32,
    /// Block time of registration.
    pub registered_at: Timestamp,
}

/// How a key epoch's keys were put in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum KeyChangeKind {
    /// Registered: the registrar attested them ([`payload::registrar_attestation`]).
    Registered,
    /// Rotated: the outgoing signing key signed [`payload::user_key_rotation`].
    Rotated,
    /// Recovered by the user's registrar after its suspension: the registrar signed
    /// [`payload::user_recovery`] (the new key's signature of it was checked on chain).
    Recovered,
}

/// What put a key epoch's keys in place and the signature that authorized it: from the
/// registrar's attestation, a verifier off chain follows the user's keys to any epoch,
/// trusting a registered or recovered epoch as far as the registrar key that signed it.
/// (A struct rather than an enum with data: the SCALE derive of such enums casts in ways
/// the contracts' clippy profile denies.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct KeyChange {
    /// How.
    pub kind: KeyChangeKind,
    /// The key that signed: the registrar's attestation key (registered, recovered) or the
    /// outgoing signing key (rotated).
    pub signer: Ed25519PublicKey,
    /// Its signature of the statement `kind` names.
    pub signature: Ed25519Signature,
    /// The controlling account that statement names: the one the registrar attested (the
    /// record's may have changed since) or the one the recovery set; `None` for a rotation,
    /// whose statement names none.
    pub controller: Option<AccountId>,
}

/// Keys valid over `[valid_from, valid_until)`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct KeyEpoch {
    /// The keys.
    pub keys: KeySet,
    /// Block time from which they are valid.
    pub valid_from: Timestamp,
    /// Block time from which they are replaced; `None` while current.
    pub valid_until: Option<Timestamp>,
    /// What put these keys in place.
    pub authorized_by: KeyChange,
}

/// The identity registry's look-ups that other contracts of the suite call.
#[ink::trait_definition]
pub trait IdentityLookup {
    /// The user's record (I.2 step 2 for users).
    ///
    /// # Errors
    /// [`Error::UnknownUser`].
    #[ink(message)]
    fn user(&self, user: UserId) -> Result<UserRecord, Error>;

    /// Whether `signature` of `message` verifies under the user's current signing key.
    /// Other contracts of the suite check user signatures through this query, so the
    /// ed25519 code lives in the registries only (it would not fit their 64 KiB).
    ///
    /// # Errors
    /// [`Error::UnknownUser`].
    #[ink(message)]
    fn verify_signature(
        &self,
        user: UserId,
        message: Vec<u8>,
        signature: Ed25519Signature,
    ) -> Result<bool, Error>;

    /// The attestation key of a registrar, `None` if the account is not one.
    #[ink(message)]
    fn registrar_key(&self, registrar: AccountId) -> Option<Ed25519PublicKey>;
}
