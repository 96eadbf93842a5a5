//! Resource registry logic: plain storage and functions that return the events to emit or a
//! typed [`Error`]. The records of the PU and of the owner come from the device and identity
//! registries; the contract fetches them and passes them in, so this module is testable
//! without cross-contract calls. Every check happens before the first write.
use admin_role::AdminData;
use ink::{
    env::hash::{HashOutput, Sha2x256},
    prelude::vec::Vec,
    primitives::AccountId,
    storage::Mapping,
};
pub use interfaces::resource::{
    Error, ProviderRecord, ResourceRecord, ResourceRegistration, MAX_LOCATION_LEN,
};
use interfaces::{device::DeviceRecord, identity::UserRecord};
use shared_types::{
    payload, reason, AccountBytes, Classification, DeviceId, DeviceKind, Multihash, ReasonCode,
    ResourceContent, ResourceId, SignatureOracle, Status, Timestamp, UserId,
};

/// Longest page the catalogue queries return.
pub const MAX_PAGE: u32 = 50;

/// A storage provider was registered.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct ProviderRegistered {
    /// The provider's account.
    #[ink(topic)]
    pub provider: AccountId,
}

/// A storage provider was suspended (by the admin, or automatically at the fault threshold)
/// or reactivated.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct ProviderStatusChanged {
    /// The provider's account.
    #[ink(topic)]
    pub provider: AccountId,
    /// The new status.
    pub status: Status,
    /// Why ([`shared_types::reason::FAULT_THRESHOLD`] when automatic).
    pub reason: ReasonCode,
}

/// A registered user reported that a provider's copy does not match the ledger (SyR-5).
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct ProviderFault {
    /// The provider's account.
    #[ink(topic)]
    pub provider: AccountId,
    /// The resource whose copy did not match.
    #[ink(topic)]
    pub resource: ResourceId,
    /// The reporting user.
    #[ink(topic)]
    pub reporter: UserId,
    /// Faults counted so far.
    pub faults: u32,
}

/// A resource was registered (F.743.24 I.4 step 2).
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct ResourceRegistered {
    /// The resource.
    #[ink(topic)]
    pub resource: ResourceId,
    /// Its owner.
    #[ink(topic)]
    pub owner: UserId,
    /// Its source device.
    #[ink(topic)]
    pub pu: DeviceId,
    /// The provider holding the copy, if any.
    pub provider: Option<AccountId>,
    /// Multihash of the encrypted file.
    pub multihash: Multihash,
}

/// A requester compared the hash of its copy with the ledger (F.743.24 I.4 step 3, SeR-15).
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct VerificationRecorded {
    /// The resource.
    #[ink(topic)]
    pub resource: ResourceId,
    /// The account that compared (the transaction's signer).
    #[ink(topic)]
    pub verifier: AccountId,
    /// Whether the hashes matched.
    pub matched: bool,
}

/// What a successful call emits.
#[derive(Debug, PartialEq, Eq)]
pub enum Event {
    /// See [`ProviderRegistered`].
    ProviderRegistered(ProviderRegistered),
    /// See [`ProviderStatusChanged`].
    ProviderStatusChanged(ProviderStatusChanged),
    /// See [`ProviderFault`].
    ProviderFault(ProviderFault),
    /// See [`ResourceRegistered`].
    ResourceRegistered(ResourceRegistered),
    /// See [`VerificationRecorded`].
    VerificationRecorded(VerificationRecorded),
}

/// The registry's state. Resources are never removed, so the catalogues only grow.
#[ink::storage_item]
#[derive(Debug)]
pub struct ResourceData {
    /// The admin and the log of code upgrades.
    pub admin: AdminData,
    device_registry: AccountId,
    identity_registry: AccountId,
    fault_threshold: u32,
    providers: Mapping<AccountId, ProviderRecord>,
    resources: Mapping<ResourceId, ResourceRecord>,
    by_owner: Mapping<(UserId, u32), ResourceId>,
    owner_count: Mapping<UserId, u32>,
    by_pu: Mapping<(DeviceId, u32), ResourceId>,
    pu_count: Mapping<DeviceId, u32>,
    /// (provider, reporting user): the provider's round in which the user's fault counted.
    reporters: Mapping<(AccountId, UserId), u32>,
}

/// SHA-256 with the host function on chain (and ink's off-chain engine in tests).
pub fn sha256(input: &[u8]) -> [u8; 32] {
    let mut out = <Sha2x256 as HashOutput>::Type::default();
    ink::env::hash_bytes::<Sha2x256>(input, &mut out);
    out
}

/// Whether `computed` is the ledger's multihash of the resource.
fn compare(record: &ResourceRecord, computed: &Multihash) -> Result<bool, Error> {
    if computed.algorithm() != record.content.multihash.algorithm() {
        return Err(Error::AlgorithmMismatch);
    }
    Ok(*computed == record.content.multihash)
}

fn page<K: Copy>(count: u32, start: u32, limit: u32, get: impl Fn(u32) -> Option<K>) -> Vec<K> {
    let end = start.saturating_add(limit.min(MAX_PAGE)).min(count);
    (start..end).filter_map(get).collect()
}

fn check_content(content: &ResourceContent) -> Result<(), Error> {
    if !content.capture.is_ordered() {
        return Err(Error::InvalidCaptureSpan);
    }
    if content.size == 0 {
        return Err(Error::EmptyResource);
    }
    if let Some(tree) = content.segments {
        let segment_size = u64::from(tree.segment_size);
        let expected = content
            .size
            .checked_add(segment_size.saturating_sub(1))
            .and_then(|n| n.checked_div(segment_size));
        if expected != Some(u64::from(tree.segments)) {
            return Err(Error::InvalidSegmentTree);
        }
    }
    Ok(())
}

fn check_source(r: &ResourceRegistration, pu: &DeviceRecord) -> Result<(), Error> {
    if pu.owner != r.owner {
        return Err(Error::DeviceNotOwned);
    }
    if pu.status != Status::Active {
        return Err(Error::DeviceNotActive);
    }
    let private = r.content.classification == Classification::Private;
    match pu.kind {
        DeviceKind::Pu | DeviceKind::Ipu => Ok(()),
        DeviceKind::PrivateDb if private => Ok(()),
        _ => Err(Error::NotASourceDevice),
    }
}

impl ResourceData {
    /// An empty registry administered by `admin`, trusting the given registries. A provider
    /// is suspended at its `fault_threshold`-th fault.
    pub fn new(
        admin: AccountId,
        device_registry: AccountId,
        identity_registry: AccountId,
        fault_threshold: u32,
    ) -> Result<Self, Error> {
        if fault_threshold == 0 {
            return Err(Error::InvalidThreshold);
        }
        Ok(Self {
            admin: AdminData::new(admin),
            device_registry,
            identity_registry,
            fault_threshold,
            providers: Mapping::new(),
            resources: Mapping::new(),
            by_owner: Mapping::new(),
            owner_count: Mapping::new(),
            by_pu: Mapping::new(),
            pu_count: Mapping::new(),
            reporters: Mapping::new(),
        })
    }

    /// The device registry this one trusts.
    pub fn device_registry(&self) -> AccountId {
        self.device_registry
    }

    /// The identity registry this one trusts.
    pub fn identity_registry(&self) -> AccountId {
        self.identity_registry
    }

    /// Faults at which a provider is suspended.
    pub fn fault_threshold(&self) -> u32 {
        self.fault_threshold
    }

    /// The provider's record.
    pub fn provider(&self, provider: AccountId) -> Result<ProviderRecord, Error> {
        self.providers.get(provider).ok_or(Error::UnknownProvider)
    }

    /// The resource's record.
    pub fn resource(&self, resource: ResourceId) -> Result<ResourceRecord, Error> {
        self.resources.get(resource).ok_or(Error::UnknownResource)
    }

    /// Registers an active storage provider.
    pub fn register_provider(
        &mut self,
        caller: AccountId,
        now: Timestamp,
        provider: AccountId,
    ) -> Result<Event, Error> {
        self.admin.ensure_admin(caller)?;
        if self.providers.contains(provider) {
            return Err(Error::ProviderExists);
        }
        self.providers.insert(
            provider,
            &ProviderRecord {
                status: Status::Active,
                faults: 0,
                round: 0,
                registered_at: now,
            },
        );
        Ok(Event::ProviderRegistered(ProviderRegistered { provider }))
    }

    /// Suspends a provider, or reactivates it with its fault count reset.
    pub fn set_provider_status(
        &mut self,
        caller: AccountId,
        provider: AccountId,
        status: Status,
        reason: ReasonCode,
    ) -> Result<Event, Error> {
        self.admin.ensure_admin(caller)?;
        let mut record = self.provider(provider)?;
        if record.status == status {
            return Err(Error::StatusUnchanged);
        }
        if status == Status::Active {
            record.faults = 0;
            record.round = record.round.checked_add(1).ok_or(Error::Overflow)?;
        }
        record.status = status;
        self.providers.insert(provider, &record);
        Ok(Event::ProviderStatusChanged(ProviderStatusChanged {
            provider,
            status,
            reason,
        }))
    }

    /// Registers a resource (I.4 step 2). `pu` and `owner` are the source device's and the
    /// owner's records; `signatures` checks the owner's signature with her current key and
    /// the PU's with its key valid throughout the capture span. The caller is the owner's controlling account, or an active provider
    /// that names itself and carries the owner's signature of the upload statement.
    #[allow(clippy::too_many_arguments)] // the request, the two records and the context
    pub fn register_resource(
        &mut self,
        caller: AccountId,
        this: &AccountBytes,
        now: Timestamp,
        r: ResourceRegistration,
        pu: &DeviceRecord,
        owner: &UserRecord,
        signatures: &impl SignatureOracle,
    ) -> Result<Event, Error> {
        if r.location.len() > MAX_LOCATION_LEN {
            return Err(Error::LocationTooLong);
        }
        check_content(&r.content)?;
        let derived = ResourceId::derive(&r.pu, &r.content.multihash, sha256);
        if derived != r.resource {
            return Err(Error::ResourceIdMismatch);
        }
        if self.resources.contains(r.resource) {
            return Err(Error::ResourceExists);
        }
        check_source(&r, pu)?;
        if owner.status != Status::Active {
            return Err(Error::UserNotActive);
        }
        if r.content.classification == Classification::Private && r.provider.is_some() {
            return Err(Error::PrivateResourceWithProvider);
        }
        if let Some(provider) = r.provider {
            self.ensure_active_provider(provider)?;
        }
        if caller != owner.controller {
            self.ensure_active_provider(caller).map_err(|e| match e {
                Error::UnknownProvider => Error::NotAuthorized,
                other => other,
            })?;
            if r.provider != Some(caller) {
                return Err(Error::ProviderMismatch);
            }
            if r.owner_signature.is_none() {
                return Err(Error::InvalidOwnerSignature);
            }
        }
        if let Some(signature) = r.owner_signature {
            let statement = payload::resource_upload(
                this,
                &r.resource,
                &r.owner,
                &r.pu,
                caller.as_ref(),
                &r.content,
            );
            let signed = signatures
                .user_signed(&r.owner, &statement, &signature)
                .ok_or(Error::SignatureCheckFailed)?;
            if !signed {
                return Err(Error::InvalidOwnerSignature);
            }
        }
        if let Some(signature) = r.pu_signature {
            let statement = payload::capture_attestation(
                self.device_registry.as_ref(),
                &r.pu,
                &r.owner,
                &r.content.multihash,
                &r.content.capture,
            );
            let signed = signatures
                .device_signed(&r.pu, &r.content.capture, &statement, &signature)
                .ok_or(Error::SignatureCheckFailed)?;
            if !signed {
                return Err(Error::InvalidPuSignature);
            }
        }
        let owner_position = self.owner_count.get(r.owner).unwrap_or(0);
        let pu_position = self.pu_count.get(r.pu).unwrap_or(0);
        let owner_next = owner_position.checked_add(1).ok_or(Error::Overflow)?;
        let pu_next = pu_position.checked_add(1).ok_or(Error::Overflow)?;
        self.by_owner.insert((r.owner, owner_position), &r.resource);
        self.owner_count.insert(r.owner, &owner_next);
        self.by_pu.insert((r.pu, pu_position), &r.resource);
        self.pu_count.insert(r.pu, &pu_next);
        let event = ResourceRegistered {
            resource: r.resource,
            owner: r.owner,
            pu: r.pu,
            provider: r.provider,
            multihash: r.content.multihash.clone(),
        };
        self.resources.insert(
            r.resource,
            &ResourceRecord {
                owner: r.owner,
                pu: r.pu,
                content: r.content,
                provider: r.provider,
                location: r.location,
                owner_signature: r.owner_signature,
                pu_signature: r.pu_signature,
                registered_by: caller,
                registered_at: now,
            },
        );
        Ok(Event::ResourceRegistered(event))
    }

    /// Records a requester's comparison of `computed` with the ledger's multihash (I.4
    /// step 3). Any account may record one: it changes nothing but the log, so it needs no
    /// vouched identity (a fault report does, [`Self::report_fault`]). Returns whether the
    /// hashes matched, and the event to emit.
    pub fn record_verification(
        &self,
        caller: AccountId,
        resource: ResourceId,
        computed: &Multihash,
    ) -> Result<(bool, Event), Error> {
        let record = self.resource(resource)?;
        let matched = compare(&record, computed)?;
        let event = Event::VerificationRecorded(VerificationRecorded {
            resource,
            verifier: caller,
            matched,
        });
        Ok((matched, event))
    }

    /// Counts a fault of the provider holding `resource`'s copy: `reporter` (the reporting
    /// user's record, whose controller must be the caller) downloaded it and computed a hash
    /// other than the ledger's. Only the resource's owner is entitled to report (agreements
    /// live in sharing_policy, which this registry does not call), and only a copy the
    /// provider wrote itself counts: a record the owner wrote naming a provider is her
    /// claim. A provider's faults count distinct reporters (once per reporter between
    /// reactivations), so one user cannot reach the threshold alone; at the threshold the
    /// provider is suspended (SyR-5). Returns the events to emit.
    pub fn report_fault(
        &mut self,
        caller: AccountId,
        resource: ResourceId,
        reporter_id: UserId,
        reporter: &UserRecord,
        computed: &Multihash,
    ) -> Result<Vec<Event>, Error> {
        let record = self.resource(resource)?;
        if reporter.controller != caller {
            return Err(Error::NotController);
        }
        if reporter.status != Status::Active {
            return Err(Error::UserNotActive);
        }
        if record.owner != reporter_id {
            return Err(Error::NotEntitled);
        }
        if compare(&record, computed)? {
            return Err(Error::HashesMatch);
        }
        let provider = record.provider.ok_or(Error::NoProviderCopy)?;
        if record.registered_by != provider {
            return Err(Error::NotWrittenByProvider);
        }
        let mut account = self.provider(provider)?;
        if self.reporters.get((provider, reporter_id)) == Some(account.round) {
            return Err(Error::AlreadyReported);
        }
        account.faults = account.faults.checked_add(1).ok_or(Error::Overflow)?;
        let mut events = Vec::from([Event::ProviderFault(ProviderFault {
            provider,
            resource,
            reporter: reporter_id,
            faults: account.faults,
        })]);
        if account.status == Status::Active && account.faults >= self.fault_threshold {
            account.status = Status::Suspended;
            events.push(Event::ProviderStatusChanged(ProviderStatusChanged {
                provider,
                status: Status::Suspended,
                reason: reason::FAULT_THRESHOLD,
            }));
        }
        self.providers.insert(provider, &account);
        self.reporters
            .insert((provider, reporter_id), &account.round);
        Ok(events)
    }

    /// Up to `limit` (at most [`MAX_PAGE`]) of the owner's resources from position `start`.
    pub fn resources_of(&self, owner: UserId, start: u32, limit: u32) -> Vec<ResourceId> {
        let count = self.owner_count.get(owner).unwrap_or(0);
        page(count, start, limit, |i| self.by_owner.get((owner, i)))
    }

    /// Up to `limit` (at most [`MAX_PAGE`]) of the device's resources from position `start`.
    pub fn resources_by_pu(&self, pu: DeviceId, start: u32, limit: u32) -> Vec<ResourceId> {
        let count = self.pu_count.get(pu).unwrap_or(0);
        page(count, start, limit, |i| self.by_pu.get((pu, i)))
    }

    /// How many resources the owner has, and how many the device produced.
    pub fn counts(&self, owner: UserId, pu: DeviceId) -> (u32, u32) {
        (
            self.owner_count.get(owner).unwrap_or(0),
            self.pu_count.get(pu).unwrap_or(0),
        )
    }

    fn ensure_active_provider(&self, provider: AccountId) -> Result<(), Error> {
        match self.provider(provider)?.status {
            Status::Active => Ok(()),
            _ => Err(Error::ProviderSuspended),
        }
    }
}
