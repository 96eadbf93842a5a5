//! Policies and their immutable versions (I.5.1 step 1, SeR-5).
use super::{next_id, sha256, SharingData};
use crate::errors::Error;
use crate::events::{Event, PolicyStatusChanged, PolicyVersionCreated};
use interfaces::resource::ResourceRecord;
use shared_types::{
    payload, AccountBytes, Classification, PolicyId, PolicyTerms, Status, Timestamp, UserId,
};

/// Most resources one policy may cover.
pub const MAX_POLICY_RESOURCES: usize = 16;

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
    /// The policy.
    pub fn policy(&self, policy: PolicyId) -> Result<Policy, Error> {
        self.policies.get(policy).ok_or(Error::UnknownPolicy)
    }

    /// One version of the policy.
    pub fn version(&self, policy: PolicyId, version: u32) -> Result<PolicyVersion, Error> {
        self.policy(policy)?;
        self.versions
            .get((policy, version))
            .ok_or(Error::UnknownVersion)
    }

    /// Creates a policy (version 1) over resources of `owner` (their records in `resources`).
    pub fn create_policy(
        &mut self,
        this: &AccountBytes,
        now: Timestamp,
        owner: UserId,
        terms: PolicyTerms,
        resources: &[ResourceRecord],
    ) -> Result<(PolicyId, Event), Error> {
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
        policy: PolicyId,
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
    pub fn set_policy_status(&mut self, policy: PolicyId, status: Status) -> Result<Event, Error> {
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

    fn store_version(
        &mut self,
        this: &AccountBytes,
        now: Timestamp,
        policy: PolicyId,
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
