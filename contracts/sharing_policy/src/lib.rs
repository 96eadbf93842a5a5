//! # Sharing policy (F.743.24 I.3, I.5.1, I.5.2; SeR-3..SeR-9, SeR-13, SeR-14, ABVSSI-11)
//!
//! An owner puts resources under a policy: usage period, usable range (a time or segment
//! window inside each resource), permissions (view, download, re-share) and a price. Every
//! change makes a new immutable version whose SHA-256 hash agreements name (SeR-5). A
//! requester accepts the current version by signing its hash with the user key registered
//! in the identity registry and paying the price, which goes to the owner's account. Each
//! access under an agreement is checked against period, range, permission and the statuses
//! of agreement, policy, requester and owner, and recorded (SeR-3, I.5.1 step 4). A refused
//! access reverts, so only permitted accesses are on the ledger. A suspended or revoked owner
//! can neither sell nor grant, and what she shared grants nothing while she is inactive, but
//! she can still withdraw it (suspend or revoke a policy, revoke an agreement or a grant).
//!
//! Temporary device grants (SeR-7, SeR-9): a PU's owner registers the temporary key of an
//! I.2 session for one CU, with permissions and an expiry of at most seven days, and may
//! revoke it; a grant is valid only while both devices and their owners are active and the
//! PU still belongs to the user who granted it. Private transfers (I.5.2): the resource ID
//! (its record holds the hash) and the participants `{ID_DB1, ID_DB2}`; only the owner of
//! the recipient DB, both active, can acknowledge and complete it, and nothing else about
//! the transfer is stored or emitted (SeR-8, SeR-13, SeR-14).
//!
//! The logic lives in [`data`], one module per concern; its refusals are [`Error`]
//! (`errors.rs`) and its events are in `events.rs`. This file fetches records from the
//! identity, device and resource registries, checks who acts for whom, moves the payment and
//! emits events.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod data;
mod errors;
mod events;
#[cfg(test)]
mod tests;

pub use self::sharing_policy::{SharingPolicy, SharingPolicyRef};
pub use data::{
    Acceptance, AccessRecord, Agreement, DeviceGrant, GrantParties, Policy, PolicyVersion,
    PrivateParam, PrivateTransfer, TransferState, MAX_GRANT_DURATION, MAX_POLICY_RESOURCES,
};
pub use errors::Error;
pub use events::{
    AccessRecorded, AgreementRevoked, AgreementSigned, DeviceGrantIssued, DeviceGrantRevoked,
    PolicyStatusChanged, PolicyVersionCreated, PrivateTransferUpdated,
};

#[ink::contract]
mod sharing_policy {
    use crate::data::{
        ensure_acts_for, ensure_controls, Acceptance, AccessRecord, Agreement, DeviceGrant,
        GrantParties, Policy, PolicyVersion, PrivateParam, PrivateTransfer, SharingData,
    };
    use crate::{errors::Error, events::Event};
    use ink::prelude::vec::Vec;
    use interfaces::{
        device::DeviceRecord,
        identity::UserRecord,
        remote::{self, RegistryOracle},
        resource::ResourceRecord,
    };
    use shared_types::{
        AgreementId, DeviceId, Ed25519PublicKey, GrantId, Multihash, Permissions, PolicyId,
        PolicyTerms, Registries, ResourceId, Status, TransferId, UserId, Window,
    };

    /// Version of this contract's code.
    pub const VERSION: u32 = 1;

    /// The sharing contract.
    #[ink(storage)]
    pub struct SharingPolicy {
        data: SharingData,
    }

    impl SharingPolicy {
        /// Deploys an empty contract trusting `resource_registry` and the device and
        /// identity registries that one trusts.
        ///
        /// # Errors
        /// [`Error::RegistryCallFailed`].
        #[ink(constructor)]
        pub fn new(resource_registry: AccountId) -> Result<Self, Error> {
            let registries =
                remote::registries_of(resource_registry).map_err(|_| Error::RegistryCallFailed)?;
            Ok(Self {
                data: SharingData::new(registries),
            })
        }

        /// Creates a policy over `owner`'s general resources (I.5.1 step 1) and returns its
        /// ID. The caller must be the owner's controlling account.
        ///
        /// # Errors
        /// [`Error::UnknownUser`]; [`Error::NotController`]; [`Error::UserNotActive`];
        /// [`Error::InvalidResourceList`]; [`Error::InvalidPeriod`];
        /// [`Error::InvalidPermissions`]; [`Error::UnknownResource`];
        /// [`Error::NotResourceOwner`]; [`Error::PrivateResource`];
        /// [`Error::RegistryCallFailed`]; [`Error::Overflow`].
        ///
        /// # Events
        /// `PolicyVersionCreated` (version 1).
        #[ink(message)]
        pub fn create_policy(
            &mut self,
            owner: UserId,
            terms: PolicyTerms,
        ) -> Result<PolicyId, Error> {
            ensure_acts_for(self.env().caller(), &self.user(owner)?)?;
            let resources = self.resources(&terms)?;
            let (this, now) = (self.this(), self.env().block_timestamp());
            let (policy, event) = self
                .data
                .create_policy(&this, now, owner, terms, &resources)?;
            self.emit(event);
            Ok(policy)
        }

        /// Replaces the terms with a new version (SeR-5) and returns its number. Existing
        /// agreements keep the version they signed.
        ///
        /// # Errors
        /// [`Error::UnknownPolicy`]; [`Error::PolicyRevoked`]; the errors of
        /// [`Self::create_policy`].
        ///
        /// # Events
        /// `PolicyVersionCreated`.
        #[ink(message)]
        pub fn update_policy(
            &mut self,
            policy: PolicyId,
            terms: PolicyTerms,
        ) -> Result<u32, Error> {
            ensure_acts_for(self.env().caller(), &self.policy_owner(policy)?)?;
            let resources = self.resources(&terms)?;
            let (this, now) = (self.this(), self.env().block_timestamp());
            let event = self
                .data
                .update_policy(&this, now, policy, terms, &resources)?;
            self.emit(event);
            Ok(self.data.policy(policy)?.current_version)
        }

        /// Suspends a policy: no acceptance and no access until reactivated. The caller must
        /// be the owner's controlling account; a suspended or revoked owner may still do it.
        ///
        /// # Errors
        /// [`Error::UnknownPolicy`]; [`Error::UnknownUser`]; [`Error::NotController`];
        /// [`Error::PolicyRevoked`]; [`Error::StatusUnchanged`];
        /// [`Error::RegistryCallFailed`].
        ///
        /// # Events
        /// `PolicyStatusChanged`.
        #[ink(message)]
        pub fn suspend_policy(&mut self, policy: PolicyId) -> Result<(), Error> {
            self.set_policy_status(policy, Status::Suspended)
        }

        /// Reactivates a suspended policy. The caller must act for the owner, who must be
        /// active.
        ///
        /// # Errors
        /// As [`Self::suspend_policy`]; [`Error::UserNotActive`].
        ///
        /// # Events
        /// `PolicyStatusChanged`.
        #[ink(message)]
        pub fn reactivate_policy(&mut self, policy: PolicyId) -> Result<(), Error> {
            self.set_policy_status(policy, Status::Active)
        }

        /// Revokes a policy for good. As [`Self::suspend_policy`], open to an inactive owner.
        ///
        /// # Errors
        /// As [`Self::suspend_policy`].
        ///
        /// # Events
        /// `PolicyStatusChanged`.
        #[ink(message)]
        pub fn revoke_policy(&mut self, policy: PolicyId) -> Result<(), Error> {
            self.set_policy_status(policy, Status::Revoked)
        }

        /// Accepts the current version of a policy (I.5.1 step 1): the requester's signature
        /// over the version hash, and the price sent with the call, which goes to the
        /// owner's account (ABVSSI-11). Returns the agreement ID. The caller must be the
        /// requester's controlling account.
        ///
        /// # Errors
        /// [`Error::UnknownUser`]; [`Error::NotController`]; [`Error::UserNotActive`];
        /// [`Error::UnknownPolicy`]; [`Error::PolicyNotActive`]; [`Error::OwnerNotActive`];
        /// [`Error::UnknownVersion`]; [`Error::StaleVersion`]; [`Error::PeriodOver`];
        /// [`Error::InvalidSignature`]; [`Error::SignatureCheckFailed`];
        /// [`Error::AlreadyAgreed`]; [`Error::WrongPayment`];
        /// [`Error::PaymentFailed`]; [`Error::RegistryCallFailed`]; [`Error::Overflow`].
        ///
        /// # Events
        /// `AgreementSigned`.
        #[ink(message, payable)]
        pub fn accept_policy(&mut self, acceptance: Acceptance) -> Result<AgreementId, Error> {
            let requester = self.user(acceptance.requester)?;
            let owner = self.policy_owner(acceptance.policy)?;
            let (caller, this, now) = (
                self.env().caller(),
                self.this(),
                self.env().block_timestamp(),
            );
            let paid = self.env().transferred_value();
            let trusted = self.data.registries();
            let registries = RegistryOracle {
                identity: trusted.identity.into(),
                devices: trusted.devices.into(),
            };
            let (agreement, event) = self.data.accept(
                caller,
                &this,
                now,
                acceptance,
                &requester,
                &owner,
                paid,
                &registries,
            )?;
            if paid > 0 {
                self.env()
                    .transfer(owner.controller, paid)
                    .map_err(|_| Error::PaymentFailed)?;
            }
            self.emit(event);
            Ok(agreement)
        }

        /// Revokes an agreement. The caller must be the policy owner's controlling account;
        /// a suspended or revoked owner may still do it.
        ///
        /// # Errors
        /// [`Error::UnknownAgreement`]; [`Error::AgreementRevoked`]; the caller errors of
        /// [`Self::suspend_policy`].
        ///
        /// # Events
        /// `AgreementRevoked`.
        #[ink(message)]
        pub fn revoke_agreement(&mut self, agreement: AgreementId) -> Result<(), Error> {
            let owner = self.policy_owner(self.data.agreement(agreement)?.policy)?;
            ensure_controls(self.env().caller(), &owner)?;
            let event = self.data.revoke_agreement(agreement)?;
            self.emit(event);
            Ok(())
        }

        /// Uses an agreement (I.5.1 step 4): checks period, resource, permission, window and
        /// statuses, records the access and returns its index. The caller must be the
        /// account that accepted the agreement and still control the active requester; the
        /// policy's owner must be active.
        ///
        /// # Errors
        /// [`Error::UnknownAgreement`]; [`Error::NotAgreementHolder`]; [`Error::UnknownUser`];
        /// [`Error::NotController`]; [`Error::UserNotActive`]; [`Error::AgreementRevoked`];
        /// [`Error::PolicyNotActive`]; [`Error::OwnerNotActive`]; [`Error::OutsidePeriod`];
        /// [`Error::ResourceNotCovered`]; [`Error::PermissionDenied`];
        /// [`Error::OutsideWindow`]; [`Error::RegistryCallFailed`]; [`Error::Overflow`].
        ///
        /// # Events
        /// `AccessRecorded`.
        #[ink(message)]
        pub fn access(
            &mut self,
            agreement: AgreementId,
            resource: ResourceId,
            permission: Permissions,
            window: Option<Window>,
        ) -> Result<u32, Error> {
            let record = self.data.agreement(agreement)?;
            let requester = self.user(record.requester)?;
            let owner = self.policy_owner(record.policy)?;
            let (caller, now) = (self.env().caller(), self.env().block_timestamp());
            let (index, event) = self.data.access(
                caller, now, agreement, resource, permission, window, &requester, &owner,
            )?;
            self.emit(event);
            Ok(index)
        }

        /// Grants `cu` the temporary key of an I.2 session with `pu` until `expires_at`
        /// (SeR-7, SeR-9) and returns the grant ID. The caller must act for the PU's owner;
        /// both devices and the CU's owner must be active.
        ///
        /// # Errors
        /// [`Error::UnknownDevice`]; [`Error::UnknownUser`]; [`Error::NotController`];
        /// [`Error::UserNotActive`]; [`Error::WrongDeviceKind`]; [`Error::DeviceNotActive`];
        /// [`Error::OwnerNotActive`]; [`Error::InvalidPermissions`]; [`Error::InvalidExpiry`];
        /// [`Error::RegistryCallFailed`]; [`Error::Overflow`].
        ///
        /// # Events
        /// `DeviceGrantIssued`.
        #[ink(message)]
        pub fn grant_device(
            &mut self,
            pu: DeviceId,
            cu: DeviceId,
            temporary_key: Ed25519PublicKey,
            permissions: Permissions,
            expires_at: Timestamp,
        ) -> Result<GrantId, Error> {
            let pu_record = self.device(pu)?;
            ensure_acts_for(self.env().caller(), &self.user(pu_record.owner)?)?;
            let cu_record = self.device(cu)?;
            let cu_owner = self.user(cu_record.owner)?;
            let now = self.env().block_timestamp();
            let (grant, event) = self.data.grant_device(
                now,
                pu,
                &pu_record,
                cu,
                &cu_record,
                &cu_owner,
                temporary_key,
                permissions,
                expires_at,
            )?;
            self.emit(event);
            Ok(grant)
        }

        /// Revokes a grant before its expiry. The caller must be the controlling account of
        /// the grant's owner; a suspended or revoked owner may still do it.
        ///
        /// # Errors
        /// [`Error::UnknownGrant`]; [`Error::GrantRevoked`]; [`Error::UnknownUser`];
        /// [`Error::NotController`]; [`Error::RegistryCallFailed`].
        ///
        /// # Events
        /// `DeviceGrantRevoked`.
        #[ink(message)]
        pub fn revoke_grant(&mut self, grant: GrantId) -> Result<(), Error> {
            let owner = self.data.grant(grant)?.owner;
            ensure_controls(self.env().caller(), &self.user(owner)?)?;
            let event = self.data.revoke_grant(grant)?;
            self.emit(event);
            Ok(())
        }

        /// Opens a private transfer of a private resource from its source DB `db1` to the
        /// recipient DB `db2` (I.5.2 step 3) and returns its ID. The caller must act for the
        /// resource's owner.
        ///
        /// # Errors
        /// [`Error::UnknownResource`]; [`Error::UnknownUser`]; [`Error::NotController`];
        /// [`Error::UserNotActive`]; [`Error::NotPrivate`];
        /// [`Error::SourceMismatch`]; [`Error::SameParticipant`]; [`Error::UnknownDevice`];
        /// [`Error::WrongDeviceKind`]; [`Error::DeviceNotActive`];
        /// [`Error::RegistryCallFailed`]; [`Error::Overflow`].
        ///
        /// # Events
        /// `PrivateTransferUpdated` (Open).
        #[ink(message)]
        pub fn open_private_transfer(
            &mut self,
            resource: ResourceId,
            participants: PrivateParam,
        ) -> Result<TransferId, Error> {
            let record = self.resource(resource)?;
            ensure_acts_for(self.env().caller(), &self.user(record.owner)?)?;
            let db2 = self.device(participants.db2)?;
            let (transfer, event) =
                self.data
                    .open_transfer(resource, &record, participants, &db2)?;
            self.emit(event);
            Ok(transfer)
        }

        /// The recipient finds its DB `as_db` in the private parameter and takes part (I.5.2
        /// step 4). The caller must act for `as_db`'s owner, and `as_db` must be active.
        ///
        /// # Errors
        /// [`Error::UnknownTransfer`]; [`Error::UnknownDevice`]; [`Error::UnknownUser`];
        /// [`Error::NotController`]; [`Error::UserNotActive`]; [`Error::NotParticipant`];
        /// [`Error::DeviceNotActive`]; [`Error::WrongTransferState`];
        /// [`Error::RegistryCallFailed`].
        ///
        /// # Events
        /// `PrivateTransferUpdated` (Acknowledged).
        #[ink(message)]
        pub fn acknowledge_private_transfer(
            &mut self,
            transfer: TransferId,
            as_db: DeviceId,
        ) -> Result<(), Error> {
            self.advance_transfer(transfer, as_db, None)
        }

        /// The recipient decrypted the file and reports the multihash it computed (I.5.2 step
        /// 5); the transfer becomes Verified when it matches the ledger, Mismatched otherwise.
        ///
        /// # Errors
        /// As [`Self::acknowledge_private_transfer`]; [`Error::UnknownResource`].
        ///
        /// # Events
        /// `PrivateTransferUpdated` (Verified or Mismatched).
        #[ink(message)]
        pub fn complete_private_transfer(
            &mut self,
            transfer: TransferId,
            as_db: DeviceId,
            computed: Multihash,
        ) -> Result<(), Error> {
            self.advance_transfer(transfer, as_db, Some(computed))
        }

        /// The policy.
        ///
        /// # Errors
        /// [`Error::UnknownPolicy`].
        #[ink(message)]
        pub fn policy(&self, policy: PolicyId) -> Result<Policy, Error> {
            self.data.policy(policy)
        }

        /// One version of a policy: its terms and hash.
        ///
        /// # Errors
        /// [`Error::UnknownPolicy`]; [`Error::UnknownVersion`].
        #[ink(message)]
        pub fn policy_version(
            &self,
            policy: PolicyId,
            version: u32,
        ) -> Result<PolicyVersion, Error> {
            self.data.version(policy, version)
        }

        /// The agreement.
        ///
        /// # Errors
        /// [`Error::UnknownAgreement`].
        #[ink(message)]
        pub fn agreement(&self, agreement: AgreementId) -> Result<Agreement, Error> {
            self.data.agreement(agreement)
        }

        /// The `index`-th recorded access under an agreement.
        ///
        /// # Errors
        /// [`Error::UnknownAccess`].
        #[ink(message)]
        pub fn access_record(
            &self,
            agreement: AgreementId,
            index: u32,
        ) -> Result<AccessRecord, Error> {
            self.data.access_record(agreement, index)
        }

        /// The resources an agreement covers (I.5.1 step 2); their records, with storage
        /// locations, are in the resource registry.
        ///
        /// # Errors
        /// [`Error::UnknownAgreement`].
        #[ink(message)]
        pub fn catalogue(&self, agreement: AgreementId) -> Result<Vec<ResourceId>, Error> {
            self.data.catalogue(agreement)
        }

        /// The grant.
        ///
        /// # Errors
        /// [`Error::UnknownGrant`].
        #[ink(message)]
        pub fn grant(&self, grant: GrantId) -> Result<DeviceGrant, Error> {
            self.data.grant(grant)
        }

        /// `Ok` when the grant holds now for `key`: active, unexpired, `key` its temporary
        /// key, its PU and CU active, the PU still owned by the user who granted it, and
        /// that user and the CU's owner active. Otherwise why not.
        ///
        /// # Errors
        /// [`Error::UnknownGrant`]; [`Error::GrantRevoked`]; [`Error::GrantExpired`];
        /// [`Error::NotGrantKey`]; [`Error::DeviceNotActive`]; [`Error::OwnerChanged`];
        /// [`Error::OwnerNotActive`]; [`Error::UnknownDevice`]; [`Error::UnknownUser`];
        /// [`Error::RegistryCallFailed`].
        #[ink(message)]
        pub fn grant_valid(&self, grant: GrantId, key: Ed25519PublicKey) -> Result<(), Error> {
            let record = self.data.grant(grant)?;
            let (pu, cu) = (self.device(record.pu)?, self.device(record.cu)?);
            let parties = GrantParties {
                owner: self.user(record.owner)?,
                cu_owner: self.user(cu.owner)?,
                pu,
                cu,
            };
            self.data
                .check_grant(self.env().block_timestamp(), grant, key, &parties)
        }

        /// The private transfer.
        ///
        /// # Errors
        /// [`Error::UnknownTransfer`].
        #[ink(message)]
        pub fn private_transfer(&self, transfer: TransferId) -> Result<PrivateTransfer, Error> {
            self.data.transfer(transfer)
        }

        /// The identity, device and resource registries this contract trusts.
        #[ink(message)]
        pub fn registries(&self) -> Registries {
            self.data.registries()
        }

        /// Version of this contract's code.
        #[ink(message)]
        pub fn version(&self) -> u32 {
            VERSION
        }

        fn set_policy_status(&mut self, policy: PolicyId, status: Status) -> Result<(), Error> {
            let (caller, owner) = (self.env().caller(), self.policy_owner(policy)?);
            // Withdrawing stays open to an inactive owner; reactivating sells again.
            if status == Status::Active {
                ensure_acts_for(caller, &owner)?;
            } else {
                ensure_controls(caller, &owner)?;
            }
            let event = self.data.set_policy_status(policy, status)?;
            self.emit(event);
            Ok(())
        }

        fn advance_transfer(
            &mut self,
            transfer: TransferId,
            as_db: DeviceId,
            computed: Option<Multihash>,
        ) -> Result<(), Error> {
            let record = self.data.transfer(transfer)?;
            let db = self.device(as_db)?;
            ensure_acts_for(self.env().caller(), &self.user(db.owner)?)?;
            let ledger = self.resource(record.resource)?.content.multihash;
            let event =
                self.data
                    .advance_transfer(transfer, as_db, &db, computed.as_ref(), &ledger)?;
            self.emit(event);
            Ok(())
        }

        fn policy_owner(&self, policy: PolicyId) -> Result<UserRecord, Error> {
            self.user(self.data.policy(policy)?.owner)
        }

        /// The records of the resources the terms name, in order (only the known ones).
        fn resources(&self, terms: &PolicyTerms) -> Result<Vec<ResourceRecord>, Error> {
            let mut records = Vec::new();
            for id in terms.resources.iter().take(crate::MAX_POLICY_RESOURCES) {
                records.push(self.resource(*id)?);
            }
            Ok(records)
        }

        fn user(&self, user: UserId) -> Result<UserRecord, Error> {
            remote::user(self.data.registries().identity.into(), user)
                .map_err(|_| Error::RegistryCallFailed)?
                .ok_or(Error::UnknownUser)
        }

        fn device(&self, device: DeviceId) -> Result<DeviceRecord, Error> {
            remote::device(self.data.registries().devices.into(), device)
                .map_err(|_| Error::RegistryCallFailed)?
                .ok_or(Error::UnknownDevice)
        }

        fn resource(&self, resource: ResourceId) -> Result<ResourceRecord, Error> {
            remote::resource(self.data.registries().resources.into(), resource)
                .map_err(|_| Error::RegistryCallFailed)?
                .ok_or(Error::UnknownResource)
        }

        fn this(&self) -> [u8; 32] {
            *self.env().account_id().as_ref()
        }

        fn emit(&self, event: Event) {
            let env = self.env();
            match event {
                Event::PolicyVersionCreated(e) => env.emit_event(e),
                Event::PolicyStatusChanged(e) => env.emit_event(e),
                Event::AgreementSigned(e) => env.emit_event(e),
                Event::AgreementRevoked(e) => env.emit_event(e),
                Event::AccessRecorded(e) => env.emit_event(e),
                Event::DeviceGrantIssued(e) => env.emit_event(e),
                Event::DeviceGrantRevoked(e) => env.emit_event(e),
                Event::PrivateTransferUpdated(e) => env.emit_event(e),
            }
        }
    }
}
