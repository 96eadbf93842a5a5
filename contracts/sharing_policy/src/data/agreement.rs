//! Acceptances of a policy version and the accesses recorded under them (I.5.1 steps 1-4,
//! SeR-3).
use super::{ensure_acts_for, ensure_owner_active, next_id, SharingData};
use crate::errors::Error;
use crate::events::{AccessRecorded, AgreementRevoked, AgreementSigned, Event};
use ink::{prelude::vec::Vec, primitives::AccountId};
use interfaces::identity::UserRecord;
use shared_types::{
    payload, AccountBytes, AgreementId, Ed25519Signature, Permissions, PolicyId, ResourceId,
    SignatureOracle, Status, Timestamp, UserId, Window,
};

/// An acceptance as the requester submits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub struct Acceptance {
    /// The policy.
    pub policy: PolicyId,
    /// The version accepted (must be the current one).
    pub version: u32,
    /// The requester.
    pub requester: UserId,
    /// The requester's signature of [`payload::agreement_acceptance`].
    pub signature: Ed25519Signature,
}

/// A requester's acceptance of one version (I.5.1 step 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Agreement {
    /// The policy.
    pub policy: PolicyId,
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

impl SharingData {
    /// The agreement.
    pub fn agreement(&self, agreement: AgreementId) -> Result<Agreement, Error> {
        self.agreements
            .get(agreement)
            .ok_or(Error::UnknownAgreement)
    }

    /// The `index`-th access recorded under the agreement.
    pub fn access_record(&self, agreement: AgreementId, index: u32) -> Result<AccessRecord, Error> {
        self.accesses
            .get((agreement, index))
            .ok_or(Error::UnknownAccess)
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
    ) -> Result<(AgreementId, Event), Error> {
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
    pub fn revoke_agreement(&mut self, agreement: AgreementId) -> Result<Event, Error> {
        let mut record = self.agreement(agreement)?;
        if record.status == Status::Revoked {
            return Err(Error::AgreementRevoked);
        }
        record.status = Status::Revoked;
        self.agreements.insert(agreement, &record);
        Ok(Event::AgreementRevoked(AgreementRevoked { agreement }))
    }

    /// The resources the agreement's version covers (I.5.1 step 2: the catalogue).
    pub fn catalogue(&self, agreement: AgreementId) -> Result<Vec<ResourceId>, Error> {
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
        agreement: AgreementId,
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
}
