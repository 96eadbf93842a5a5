//! Sharing-policy logic: plain storage and functions that return the event to emit or a
//! typed [`Error`]. Records owned by the other registries (users, devices, resources) are
//! fetched by the contract and passed in, so this module is testable without cross-contract
//! calls. Every check happens before the first write.
use device_registry::DeviceRecord;
use identity_registry::UserRecord;
use ink::{
    env::hash::{HashOutput, Sha2x256},
    prelude::vec::Vec,
    primitives::AccountId,
    storage::Mapping,
};
use resource_registry::ResourceRecord;
use shared_types::{
    payload, AccountBytes, Classification, DeviceId, DeviceKind, Ed25519PublicKey,
    Ed25519Signature, Multihash, Permissions, PolicyTerms, ResourceId, SignatureOracle, Status,
    Timestamp, UserId, Window,
};

/// Most resources one policy may cover.
pub const MAX_POLICY_RESOURCES: usize = 16;
/// Longest a temporary device grant may last: 7 days, in milliseconds.
pub const MAX_GRANT_DURATION: Timestamp = 7 * 24 * 60 * 60 * 1000;

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

/// A policy: its owner, its current version and its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Policy {
    /// The owning user.
    pub owner: UserId,
    /// The newest version (versions start at 1).
    pub current_version: u32,
    /// Active, suspended or revoked.
    pub status: Status,
}

/// One immutable version of a policy (SeR-5).
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct PolicyVersion {
    /// The terms.
    pub terms: PolicyTerms,
    /// SHA-256 of [`payload::policy_version`]; agreements name it.
    pub hash: [u8; 32],
    /// Block time it was created.
    pub created_at: Timestamp,
}

/// A requester's acceptance of one version (I.5.1 step 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Agreement {
    /// The policy.
    pub policy: u64,
    /// The accepted version.
    pub version: u32,
    /// That version's hash, as signed.
    pub version_hash: [u8; 32],
    /// The requester.
    pub requester: UserId,
    /// The requester's signature of [`payload::agreement_acceptance`].
    pub signature: Ed25519Signature,
    /// The account that accepted, paid, and may use it.
    pub holder: AccountId,
    /// The price paid to the owner.
    pub paid: u128,
    /// Block time of acceptance.
    pub accepted_at: Timestamp,
    /// Active or revoked.
    pub status: Status,
    /// Accesses recorded so far.
    pub uses: u32,
}

/// One recorded access under an agreement (SeR-3, I.5.1 step 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct AccessRecord {
    /// The resource.
    pub resource: ResourceId,
    /// What was done.
    pub permission: Permissions,
    /// Which part, if not the whole resource.
    pub window: Option<Window>,
    /// Block time.
    pub at: Timestamp,
}

/// A temporary key a PU owner grants a CU (SeR-7, SeR-9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct DeviceGrant {
    /// The owner's PU.
    pub pu: DeviceId,
    /// The granted CU or MCU.
    pub cu: DeviceId,
    /// The PU's owner, who granted it.
    pub owner: UserId,
    /// The temporary public key the CU is given (I.2 step 6).
    pub temporary_key: Ed25519PublicKey,
    /// What the CU may do with the PU.
    pub permissions: Permissions,
    /// Block time after which it is void.
    pub expires_at: Timestamp,
    /// Active or revoked.
    pub status: Status,
}

/// The private parameter `PrivateParm{ID_DB1, ID_DB2}` of I.5.2 step 3: the only nodes that
/// may take part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct PrivateParam {
    /// The sender's private DB.
    pub db1: DeviceId,
    /// The recipient's private DB.
    pub db2: DeviceId,
}

/// Where a private transfer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum TransferState {
    /// Opened by the sender.
    Open,
    /// The recipient found its DB among the participants (I.5.2 step 4).
    Acknowledged,
    /// The recipient decrypted the file and its hash matched the ledger (step 5).
    Verified,
    /// The recipient's hash did not match the ledger: the file was tampered with.
    Mismatched,
}

/// A private transfer: only the resource ID (whose record holds the hash), the participants
/// and the state; no file, location, price or terms (SeR-8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct PrivateTransfer {
    /// The private resource.
    pub resource: ResourceId,
    /// The participants.
    pub participants: PrivateParam,
    /// Its state.
    pub state: TransferState,
}

/// A policy version was created (a new policy is version 1).
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct PolicyVersionCreated {
    /// The policy.
    #[ink(topic)]
    pub policy: u64,
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
    pub policy: u64,
    /// The new status.
    pub status: Status,
}

/// A requester signed a version and paid (I.5.1 step 1).
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct AgreementSigned {
    /// The agreement.
    #[ink(topic)]
    pub agreement: u64,
    /// The policy.
    #[ink(topic)]
    pub policy: u64,
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
    pub agreement: u64,
}

/// An access under an agreement was checked and recorded (I.5.1 step 4).
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct AccessRecorded {
    /// The agreement.
    #[ink(topic)]
    pub agreement: u64,
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
    pub grant: u64,
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
    pub grant: u64,
}

/// A private transfer moved to a new state. Deliberately carries nothing but the IDs.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct PrivateTransferUpdated {
    /// The transfer.
    #[ink(topic)]
    pub transfer: u64,
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

/// An acceptance as the requester submits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub struct Acceptance {
    /// The policy.
    pub policy: u64,
    /// The version accepted (must be the current one).
    pub version: u32,
    /// The requester.
    pub requester: UserId,
    /// The requester's signature of [`payload::agreement_acceptance`].
    pub signature: Ed25519Signature,
}

/// The current records of what a device grant relies on, as the contract fetches them.
#[derive(Debug, Clone)]
pub struct GrantParties {
    /// The granted PU.
    pub pu: DeviceRecord,
    /// The user who granted it (the grant's owner).
    pub owner: UserRecord,
    /// The granted CU.
    pub cu: DeviceRecord,
    /// The CU's owner.
    pub cu_owner: UserRecord,
}

/// One acceptance per (policy, version, requester).
type AcceptanceKey = (u64, u32, UserId);

/// The contract's state. Versions, agreements and access records are never overwritten.
#[ink::storage_item]
#[derive(Debug)]
pub struct SharingData {
    resource_registry: AccountId,
    device_registry: AccountId,
    identity_registry: AccountId,
    policy_count: u64,
    policies: Mapping<u64, Policy>,
    versions: Mapping<(u64, u32), PolicyVersion>,
    agreement_count: u64,
    agreements: Mapping<u64, Agreement>,
    /// (policy, version, requester) → agreement.
    agreed: Mapping<AcceptanceKey, u64>,
    accesses: Mapping<(u64, u32), AccessRecord>,
    grant_count: u64,
    grants: Mapping<u64, DeviceGrant>,
    transfer_count: u64,
    transfers: Mapping<u64, PrivateTransfer>,
}

/// SHA-256 with the host function on chain (and ink's off-chain engine in tests).
pub fn sha256(input: &[u8]) -> [u8; 32] {
    let mut out = <Sha2x256 as HashOutput>::Type::default();
    ink::env::hash_bytes::<Sha2x256>(input, &mut out);
    out
}

/// The caller is `user`'s controlling account, whatever the user's status: enough to
/// withdraw what the user shared (suspend or revoke a policy, revoke an agreement or a
/// grant), which must stay open to a suspended user.
pub fn ensure_controls(caller: AccountId, user: &UserRecord) -> Result<(), Error> {
    if user.controller != caller {
        return Err(Error::NotController);
    }
    Ok(())
}

/// The caller acts for `user`: it is the user's controlling account and the user is active.
/// Needed for everything that grants or sells in the user's name.
pub fn ensure_acts_for(caller: AccountId, user: &UserRecord) -> Result<(), Error> {
    ensure_controls(caller, user)?;
    if user.status != Status::Active {
        return Err(Error::UserNotActive);
    }
    Ok(())
}

/// `owner`, on whose authority the call relies without acting, is active.
fn ensure_owner_active(owner: &UserRecord) -> Result<(), Error> {
    if owner.status != Status::Active {
        return Err(Error::OwnerNotActive);
    }
    Ok(())
}

fn ensure_device(device: &DeviceRecord, kinds: &[DeviceKind]) -> Result<(), Error> {
    if !kinds.contains(&device.kind) {
        return Err(Error::WrongDeviceKind);
    }
    if device.status != Status::Active {
        return Err(Error::DeviceNotActive);
    }
    Ok(())
}

fn next_id(counter: &mut u64) -> Result<u64, Error> {
    let id = *counter;
    *counter = id.checked_add(1).ok_or(Error::Overflow)?;
    Ok(id)
}

/// Checks terms over `resources` (their records, in the same order) for `owner`.
fn check_terms(
    owner: UserId,
    terms: &PolicyTerms,
    resources: &[ResourceRecord],
) -> Result<(), Error> {
    let ids = &terms.resources;
    let duplicate = ids.iter().enumerate().any(|(i, id)| {
        ids.iter()
            .skip(i.saturating_add(1))
            .any(|other| other == id)
    });
    if ids.is_empty() || ids.len() > MAX_POLICY_RESOURCES || duplicate {
        return Err(Error::InvalidResourceList);
    }
    if !terms.period.is_ordered() || !terms.window.is_none_or(|w| w.is_ordered()) {
        return Err(Error::InvalidPeriod);
    }
    if !terms.permissions.is_valid() {
        return Err(Error::InvalidPermissions);
    }
    if resources.len() != ids.len() {
        return Err(Error::UnknownResource);
    }
    for record in resources {
        if record.owner != owner {
            return Err(Error::NotResourceOwner);
        }
        if record.content.classification == Classification::Private {
            return Err(Error::PrivateResource);
        }
    }
    Ok(())
}

impl SharingData {
    /// Empty state trusting the three registries.
    pub fn new(
        resource_registry: AccountId,
        device_registry: AccountId,
        identity_registry: AccountId,
    ) -> Self {
        Self {
            resource_registry,
            device_registry,
            identity_registry,
            policy_count: 0,
            policies: Mapping::new(),
            versions: Mapping::new(),
            agreement_count: 0,
            agreements: Mapping::new(),
            agreed: Mapping::new(),
            accesses: Mapping::new(),
            grant_count: 0,
            grants: Mapping::new(),
            transfer_count: 0,
            transfers: Mapping::new(),
        }
    }

    /// The resource, device and identity registries this contract trusts.
    pub fn registries(&self) -> (AccountId, AccountId, AccountId) {
        (
            self.resource_registry,
            self.device_registry,
            self.identity_registry,
        )
    }

    /// The policy.
    pub fn policy(&self, policy: u64) -> Result<Policy, Error> {
        self.policies.get(policy).ok_or(Error::UnknownPolicy)
    }

    /// One version of the policy.
    pub fn version(&self, policy: u64, version: u32) -> Result<PolicyVersion, Error> {
        self.policy(policy)?;
        self.versions
            .get((policy, version))
            .ok_or(Error::UnknownVersion)
    }

    /// The agreement.
    pub fn agreement(&self, agreement: u64) -> Result<Agreement, Error> {
        self.agreements
            .get(agreement)
            .ok_or(Error::UnknownAgreement)
    }

    /// The `index`-th access recorded under the agreement.
    pub fn access_record(&self, agreement: u64, index: u32) -> Result<AccessRecord, Error> {
        self.accesses
            .get((agreement, index))
            .ok_or(Error::UnknownAccess)
    }

    /// The grant.
    pub fn grant(&self, grant: u64) -> Result<DeviceGrant, Error> {
        self.grants.get(grant).ok_or(Error::UnknownGrant)
    }

    /// The private transfer.
    pub fn transfer(&self, transfer: u64) -> Result<PrivateTransfer, Error> {
        self.transfers.get(transfer).ok_or(Error::UnknownTransfer)
    }

    /// Creates a policy (version 1) over resources of `owner` (their records in `resources`).
    pub fn create_policy(
        &mut self,
        this: &AccountBytes,
        now: Timestamp,
        owner: UserId,
        terms: PolicyTerms,
        resources: &[ResourceRecord],
    ) -> Result<(u64, Event), Error> {
        check_terms(owner, &terms, resources)?;
        let mut count = self.policy_count;
        let policy = next_id(&mut count)?;
        let event = self.store_version(this, now, policy, 1, owner, terms);
        self.policy_count = count;
        self.policies.insert(
            policy,
            &Policy {
                owner,
                current_version: 1,
                status: Status::Active,
            },
        );
        Ok((policy, event))
    }

    /// Adds a new version with new terms; earlier versions and their agreements stay.
    pub fn update_policy(
        &mut self,
        this: &AccountBytes,
        now: Timestamp,
        policy: u64,
        terms: PolicyTerms,
        resources: &[ResourceRecord],
    ) -> Result<Event, Error> {
        let mut record = self.policy(policy)?;
        if record.status == Status::Revoked {
            return Err(Error::PolicyRevoked);
        }
        check_terms(record.owner, &terms, resources)?;
        let version = record
            .current_version
            .checked_add(1)
            .ok_or(Error::Overflow)?;
        record.current_version = version;
        let event = self.store_version(this, now, policy, version, record.owner, terms);
        self.policies.insert(policy, &record);
        Ok(event)
    }

    /// Suspends, reactivates or revokes a policy. The contract checked the caller acts for
    /// the owner.
    pub fn set_policy_status(&mut self, policy: u64, status: Status) -> Result<Event, Error> {
        let mut record = self.policy(policy)?;
        if record.status == Status::Revoked {
            return Err(Error::PolicyRevoked);
        }
        if record.status == status {
            return Err(Error::StatusUnchanged);
        }
        record.status = status;
        self.policies.insert(policy, &record);
        Ok(Event::PolicyStatusChanged(PolicyStatusChanged {
            policy,
            status,
        }))
    }

    /// Records a requester's acceptance of the current version, signed with the requester's
    /// current key (checked by `signatures`) and paid with `paid` (which must equal the
    /// price). `requester` and `owner` are the requester's and the policy owner's records;
    /// the caller must control the requester, and the owner must be active.
    #[allow(clippy::too_many_arguments)] // the acceptance and its context
    pub fn accept(
        &mut self,
        caller: AccountId,
        this: &AccountBytes,
        now: Timestamp,
        a: Acceptance,
        requester: &UserRecord,
        owner: &UserRecord,
        paid: u128,
        signatures: &impl SignatureOracle,
    ) -> Result<(u64, Event), Error> {
        ensure_acts_for(caller, requester)?;
        let policy = self.policy(a.policy)?;
        if policy.status != Status::Active {
            return Err(Error::PolicyNotActive);
        }
        ensure_owner_active(owner)?;
        let version = self.version(a.policy, a.version)?;
        if a.version != policy.current_version {
            return Err(Error::StaleVersion);
        }
        if now > version.terms.period.end {
            return Err(Error::PeriodOver);
        }
        let statement =
            payload::agreement_acceptance(this, a.policy, a.version, &version.hash, &a.requester);
        let signed = signatures
            .user_signed(&a.requester, &statement, &a.signature)
            .ok_or(Error::SignatureCheckFailed)?;
        if !signed {
            return Err(Error::InvalidSignature);
        }
        if self.agreed.contains((a.policy, a.version, a.requester)) {
            return Err(Error::AlreadyAgreed);
        }
        if paid != version.terms.price {
            return Err(Error::WrongPayment);
        }
        let mut count = self.agreement_count;
        let agreement = next_id(&mut count)?;
        self.agreement_count = count;
        self.agreed
            .insert((a.policy, a.version, a.requester), &agreement);
        self.agreements.insert(
            agreement,
            &Agreement {
                policy: a.policy,
                version: a.version,
                version_hash: version.hash,
                requester: a.requester,
                signature: a.signature,
                holder: caller,
                paid,
                accepted_at: now,
                status: Status::Active,
                uses: 0,
            },
        );
        Ok((
            agreement,
            Event::AgreementSigned(AgreementSigned {
                agreement,
                policy: a.policy,
                requester: a.requester,
                version: a.version,
                version_hash: version.hash,
                paid,
            }),
        ))
    }

    /// Revokes an agreement; the contract checked the caller acts for the policy's owner.
    pub fn revoke_agreement(&mut self, agreement: u64) -> Result<Event, Error> {
        let mut record = self.agreement(agreement)?;
        if record.status == Status::Revoked {
            return Err(Error::AgreementRevoked);
        }
        record.status = Status::Revoked;
        self.agreements.insert(agreement, &record);
        Ok(Event::AgreementRevoked(AgreementRevoked { agreement }))
    }

    /// The resources the agreement's version covers (I.5.1 step 2: the catalogue).
    pub fn catalogue(&self, agreement: u64) -> Result<Vec<ResourceId>, Error> {
        let record = self.agreement(agreement)?;
        Ok(self.version(record.policy, record.version)?.terms.resources)
    }

    /// Checks one access against the agreed version (period, range, permission, statuses)
    /// and records it. `requester` and `owner` are the current records of the requester and
    /// of the policy's owner, whose suspension or revocation stops what she shared. Returns
    /// the access index.
    #[allow(clippy::too_many_arguments)] // the access and its context
    pub fn access(
        &mut self,
        caller: AccountId,
        now: Timestamp,
        agreement: u64,
        resource: ResourceId,
        permission: Permissions,
        window: Option<Window>,
        requester: &UserRecord,
        owner: &UserRecord,
    ) -> Result<(u32, Event), Error> {
        let mut record = self.agreement(agreement)?;
        if record.holder != caller {
            return Err(Error::NotAgreementHolder);
        }
        ensure_acts_for(caller, requester)?;
        if record.status != Status::Active {
            return Err(Error::AgreementRevoked);
        }
        if self.policy(record.policy)?.status != Status::Active {
            return Err(Error::PolicyNotActive);
        }
        ensure_owner_active(owner)?;
        let terms = self.version(record.policy, record.version)?.terms;
        if !terms.period.contains_instant(now) {
            return Err(Error::OutsidePeriod);
        }
        if !terms.resources.contains(&resource) {
            return Err(Error::ResourceNotCovered);
        }
        if !permission.is_valid() || !terms.permissions.contains(permission) {
            return Err(Error::PermissionDenied);
        }
        let inside = match (terms.window, window) {
            (None, requested) => requested.is_none_or(|w| w.is_ordered()),
            (Some(usable), Some(requested)) => usable.contains(&requested),
            (Some(_), None) => false,
        };
        if !inside {
            return Err(Error::OutsideWindow);
        }
        let index = record.uses;
        record.uses = index.checked_add(1).ok_or(Error::Overflow)?;
        self.agreements.insert(agreement, &record);
        self.accesses.insert(
            (agreement, index),
            &AccessRecord {
                resource,
                permission,
                window,
                at: now,
            },
        );
        Ok((
            index,
            Event::AccessRecorded(AccessRecorded {
                agreement,
                resource,
                permission,
                window,
                index,
            }),
        ))
    }

    /// Grants `cu` a temporary key for `pu` until `expires_at`. `pu_record` and `cu_record`
    /// are the devices' records, `cu_owner` the CU owner's; the contract checked the caller
    /// acts for the PU's owner.
    #[allow(clippy::too_many_arguments)] // the grant and its context
    pub fn grant_device(
        &mut self,
        now: Timestamp,
        pu: DeviceId,
        pu_record: &DeviceRecord,
        cu: DeviceId,
        cu_record: &DeviceRecord,
        cu_owner: &UserRecord,
        temporary_key: Ed25519PublicKey,
        permissions: Permissions,
        expires_at: Timestamp,
    ) -> Result<(u64, Event), Error> {
        ensure_device(pu_record, &[DeviceKind::Pu, DeviceKind::Ipu])?;
        ensure_device(cu_record, &[DeviceKind::Cu, DeviceKind::Mcu])?;
        ensure_owner_active(cu_owner)?;
        if !permissions.is_valid() {
            return Err(Error::InvalidPermissions);
        }
        if expires_at <= now || expires_at > now.saturating_add(MAX_GRANT_DURATION) {
            return Err(Error::InvalidExpiry);
        }
        let mut count = self.grant_count;
        let grant = next_id(&mut count)?;
        self.grant_count = count;
        self.grants.insert(
            grant,
            &DeviceGrant {
                pu,
                cu,
                owner: pu_record.owner,
                temporary_key,
                permissions,
                expires_at,
                status: Status::Active,
            },
        );
        Ok((
            grant,
            Event::DeviceGrantIssued(DeviceGrantIssued {
                grant,
                pu,
                cu,
                temporary_key,
                expires_at,
            }),
        ))
    }

    /// Revokes a grant; the contract checked the caller acts for the grant's owner.
    pub fn revoke_grant(&mut self, grant: u64) -> Result<Event, Error> {
        let mut record = self.grant(grant)?;
        if record.status == Status::Revoked {
            return Err(Error::GrantRevoked);
        }
        record.status = Status::Revoked;
        self.grants.insert(grant, &record);
        Ok(Event::DeviceGrantRevoked(DeviceGrantRevoked { grant }))
    }

    /// Whether the grant holds at `now` for `key`: active, unexpired, `key` its temporary
    /// key, and what it relies on still in service. `parties` are the current records of
    /// its PU, the user who granted it, its CU and the CU's owner: both devices active, the
    /// PU still the granting user's, both users active.
    pub fn check_grant(
        &self,
        now: Timestamp,
        grant: u64,
        key: Ed25519PublicKey,
        parties: &GrantParties,
    ) -> Result<(), Error> {
        let g = self.grant(grant)?;
        if g.status != Status::Active {
            return Err(Error::GrantRevoked);
        }
        if now > g.expires_at {
            return Err(Error::GrantExpired);
        }
        if g.temporary_key != key {
            return Err(Error::NotGrantKey);
        }
        ensure_device(&parties.pu, &[DeviceKind::Pu, DeviceKind::Ipu])?;
        if parties.pu.owner != g.owner {
            return Err(Error::OwnerChanged);
        }
        ensure_owner_active(&parties.owner)?;
        ensure_device(&parties.cu, &[DeviceKind::Cu, DeviceKind::Mcu])?;
        ensure_owner_active(&parties.cu_owner)
    }

    /// Opens a private transfer (I.5.2 step 3) of a private resource from its source DB to
    /// another active private DB. The contract checked the caller acts for the resource's
    /// owner; `resource_record` and `db2_record` come from the registries.
    pub fn open_transfer(
        &mut self,
        resource: ResourceId,
        resource_record: &ResourceRecord,
        participants: PrivateParam,
        db2_record: &DeviceRecord,
    ) -> Result<(u64, Event), Error> {
        if resource_record.content.classification != Classification::Private {
            return Err(Error::NotPrivate);
        }
        if resource_record.pu != participants.db1 {
            return Err(Error::SourceMismatch);
        }
        if participants.db1 == participants.db2 {
            return Err(Error::SameParticipant);
        }
        ensure_device(db2_record, &[DeviceKind::PrivateDb])?;
        let mut count = self.transfer_count;
        let transfer = next_id(&mut count)?;
        self.transfer_count = count;
        self.transfers.insert(
            transfer,
            &PrivateTransfer {
                resource,
                participants,
                state: TransferState::Open,
            },
        );
        Ok((
            transfer,
            Event::PrivateTransferUpdated(PrivateTransferUpdated {
                transfer,
                resource,
                state: TransferState::Open,
            }),
        ))
    }

    /// Moves a transfer on as its recipient DB (I.5.2 steps 4-5): acknowledges it when
    /// `computed` is `None`, otherwise records whether the decrypted file's multihash
    /// matches the ledger's (`ledger`). `acting_as` is the DB the caller acts for (checked
    /// by the contract), `db` its current record; it must be the recipient named in the
    /// private parameter, and active.
    pub fn advance_transfer(
        &mut self,
        transfer: u64,
        acting_as: DeviceId,
        db: &DeviceRecord,
        computed: Option<&Multihash>,
        ledger: &Multihash,
    ) -> Result<Event, Error> {
        let mut record = self.transfer(transfer)?;
        if acting_as != record.participants.db2 {
            return Err(Error::NotParticipant);
        }
        ensure_device(db, &[DeviceKind::PrivateDb])?;
        record.state = match (record.state, computed) {
            (TransferState::Open, None) => TransferState::Acknowledged,
            (TransferState::Acknowledged, Some(hash)) if hash == ledger => TransferState::Verified,
            (TransferState::Acknowledged, Some(_)) => TransferState::Mismatched,
            _ => return Err(Error::WrongTransferState),
        };
        self.transfers.insert(transfer, &record);
        Ok(Event::PrivateTransferUpdated(PrivateTransferUpdated {
            transfer,
            resource: record.resource,
            state: record.state,
        }))
    }

    fn store_version(
        &mut self,
        this: &AccountBytes,
        now: Timestamp,
        policy: u64,
        version: u32,
        owner: UserId,
        terms: PolicyTerms,
    ) -> Event {
        let hash = sha256(&payload::policy_version(
            this, policy, version, &owner, &terms,
        ));
        self.versions.insert(
            (policy, version),
            &PolicyVersion {
                terms,
                hash,
                created_at: now,
            },
        );
        Event::PolicyVersionCreated(PolicyVersionCreated {
            policy,
            owner,
            version,
            hash,
        })
    }
}
