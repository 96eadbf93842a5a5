//! # Resource registry (F.743.24 I.4; SyR-1, SyR-2, SyR-5, SeR-1, SeR-3, SeR-15)
//!
//! Video resources are registered under the ID that I.4 step 1 defines,
//! SHA-256(PU ID ‖ multihash of the encrypted file); the contract derives it again and
//! refuses a mismatch. The source device must be an active device of the owner (device
//! registry) and the owner an active user (identity registry). The record is written by the
//! owner's controlling account, or by a registered storage provider carrying the owner's
//! signature (I.4 step 2). Requesters record whether their copy's hash matched (I.4 step 3):
//! any account may, since the record changes nothing but the log. An owner whose copy from
//! a provider does not match reports a fault; at the configured threshold the provider is
//! suspended and may register nothing more (SyR-5).
//!
//! A fault counts only for a copy the provider wrote itself (the record's writer), only
//! from the resource's owner (the one party this registry knows the copy is for; an
//! agreement holder of sharing_policy is not reachable from here), and a provider's faults
//! count distinct reporters, once each between reactivations. So no user can fault a
//! provider she never used, nor alone reach a threshold above 1; every fault is attributable to an
//! identity an ISP vouched for, a user who files false reports is named in the
//! `ProviderFault` events, and the admin can reactivate the provider.
//!
//! The logic lives in [`data`]; this file wires messages to it, fetches the device and
//! identity records and emits events.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod data;
#[cfg(test)]
mod tests;

pub use self::resource_registry::{ResourceRegistry, ResourceRegistryRef};
pub use data::{
    Error, ProviderRecord, ResourceRecord, ResourceRegistration, MAX_LOCATION_LEN, MAX_PAGE,
};

// The registration request makes the generated message enum's variants unequal in size.
#[allow(clippy::large_enum_variant)]
#[ink::contract]
mod resource_registry {
    use crate::data::{
        Error, Event, ProviderRecord, ResourceData, ResourceRecord, ResourceRegistration,
    };
    use admin_role::{Admin, AdminError, Upgrade};
    use ink::prelude::vec::Vec;
    use interfaces::{
        device::DeviceRecord,
        identity::UserRecord,
        remote::{self, RegistryOracle},
        ResourceLookup,
    };
    use shared_types::{DeviceId, Multihash, ReasonCode, ResourceId, Status, UserId};

    /// Version of this contract's code (2 in the build the e2e upgrade moves to).
    pub const VERSION: u32 = if cfg!(feature = "upgrade-test-v2") {
        2
    } else {
        1
    };

    /// The registry.
    #[ink(storage)]
    pub struct ResourceRegistry {
        data: ResourceData,
    }

    impl ResourceRegistry {
        /// Deploys an empty registry administered by the caller, trusting `device_registry`
        /// and the identity registry that one trusts. A provider is suspended at its
        /// `fault_threshold`-th fault.
        ///
        /// # Errors
        /// [`Error::InvalidThreshold`] for 0; [`Error::DeviceRegistryCallFailed`].
        #[ink(constructor)]
        pub fn new(device_registry: AccountId, fault_threshold: u32) -> Result<Self, Error> {
            let identity_registry = remote::identity_registry_of(device_registry)
                .map_err(|_| Error::DeviceRegistryCallFailed)?;
            let data = ResourceData::new(
                Self::env().caller(),
                device_registry,
                identity_registry,
                fault_threshold,
            )?;
            Ok(Self { data })
        }

        /// Registers a storage provider (cloud store or MSU).
        ///
        /// # Errors
        /// [`Error::NotAdmin`]; [`Error::ProviderExists`].
        ///
        /// # Events
        /// `ProviderRegistered`.
        #[ink(message)]
        pub fn register_provider(&mut self, provider: AccountId) -> Result<(), Error> {
            let (caller, now) = (self.env().caller(), self.env().block_timestamp());
            let event = self.data.register_provider(caller, now, provider)?;
            self.emit(event);
            Ok(())
        }

        /// Suspends a storage provider; it may register no resources while suspended.
        ///
        /// # Errors
        /// [`Error::NotAdmin`]; [`Error::UnknownProvider`]; [`Error::StatusUnchanged`].
        ///
        /// # Events
        /// `ProviderStatusChanged`.
        #[ink(message)]
        pub fn suspend_provider(
            &mut self,
            provider: AccountId,
            reason: ReasonCode,
        ) -> Result<(), Error> {
            self.set_provider_status(provider, Status::Suspended, reason)
        }

        /// Reactivates a suspended provider, resets its fault count and starts a new round in
        /// which earlier reporters count again.
        ///
        /// # Errors
        /// As [`Self::suspend_provider`]; [`Error::Overflow`].
        ///
        /// # Events
        /// `ProviderStatusChanged`.
        #[ink(message)]
        pub fn reactivate_provider(
            &mut self,
            provider: AccountId,
            reason: ReasonCode,
        ) -> Result<(), Error> {
            self.set_provider_status(provider, Status::Active, reason)
        }

        /// Registers a video resource (I.4 steps 1-2).
        ///
        /// # Errors
        /// [`Error::LocationTooLong`]; [`Error::InvalidCaptureSpan`]; [`Error::EmptyResource`];
        /// [`Error::InvalidSegmentTree`]; [`Error::ResourceIdMismatch`];
        /// [`Error::ResourceExists`]; [`Error::UnknownDevice`]; [`Error::DeviceNotOwned`];
        /// [`Error::DeviceNotActive`]; [`Error::NotASourceDevice`]; [`Error::UnknownOwner`];
        /// [`Error::UserNotActive`]; [`Error::PrivateResourceWithProvider`];
        /// [`Error::UnknownProvider`]; [`Error::ProviderSuspended`];
        /// [`Error::NotAuthorized`]; [`Error::ProviderMismatch`];
        /// [`Error::InvalidOwnerSignature`]; [`Error::InvalidPuSignature`];
        /// [`Error::SignatureCheckFailed`]; [`Error::DeviceRegistryCallFailed`];
        /// [`Error::IdentityRegistryCallFailed`];
        /// [`Error::Overflow`].
        ///
        /// # Events
        /// `ResourceRegistered`.
        #[ink(message)]
        pub fn register_resource(
            &mut self,
            registration: ResourceRegistration,
        ) -> Result<(), Error> {
            let caller = self.env().caller();
            let pu = self.device(registration.pu)?;
            let owner = self.user(registration.owner)?;
            let (this, now) = (self.this(), self.env().block_timestamp());
            let registries = RegistryOracle {
                identity: self.data.identity_registry(),
                devices: self.data.device_registry(),
            };
            let event = self.data.register_resource(
                caller,
                &this,
                now,
                registration,
                &pu,
                &owner,
                &registries,
            )?;
            self.emit(event);
            Ok(())
        }

        /// Records whether the hash `computed` of a downloaded copy matches the ledger (I.4
        /// step 3, SeR-15) and returns whether it did. Any account may record a comparison;
        /// it is attributed to the caller and changes no state. A mismatch against a
        /// provider's copy counts as a fault only through [`Self::report_fault`].
        ///
        /// # Errors
        /// [`Error::UnknownResource`]; [`Error::AlgorithmMismatch`].
        ///
        /// # Events
        /// `VerificationRecorded`.
        #[ink(message)]
        pub fn verify_resource(
            &mut self,
            resource: ResourceId,
            computed: Multihash,
        ) -> Result<bool, Error> {
            let caller = self.env().caller();
            let (matched, event) = self.data.record_verification(caller, resource, &computed)?;
            self.emit(event);
            Ok(matched)
        }

        /// Reports that the provider's copy of `resource` does not match the ledger: its hash
        /// is `computed`. The caller must control `reporter`, an active user who owns the
        /// resource, and the provider must have written the record. A provider's faults count
        /// distinct reporters (once each between reactivations); at the threshold the provider
        /// is suspended (SyR-5).
        ///
        /// # Errors
        /// [`Error::UnknownResource`]; [`Error::UnknownOwner`] for an unknown reporter;
        /// [`Error::NotController`]; [`Error::UserNotActive`]; [`Error::NotEntitled`];
        /// [`Error::AlgorithmMismatch`]; [`Error::HashesMatch`]; [`Error::NoProviderCopy`];
        /// [`Error::NotWrittenByProvider`]; [`Error::AlreadyReported`];
        /// [`Error::IdentityRegistryCallFailed`]; [`Error::Overflow`].
        ///
        /// # Events
        /// `ProviderFault`, and `ProviderStatusChanged` when it suspends the provider.
        #[ink(message)]
        pub fn report_fault(
            &mut self,
            resource: ResourceId,
            reporter: UserId,
            computed: Multihash,
        ) -> Result<(), Error> {
            let record = self.user(reporter)?;
            let caller = self.env().caller();
            let events = self
                .data
                .report_fault(caller, resource, reporter, &record, &computed)?;
            for event in events {
                self.emit(event);
            }
            Ok(())
        }

        /// The provider's record.
        ///
        /// # Errors
        /// [`Error::UnknownProvider`].
        #[ink(message)]
        pub fn provider(&self, provider: AccountId) -> Result<ProviderRecord, Error> {
            self.data.provider(provider)
        }

        /// Catalogue (SeR-1): up to `limit` (capped at [`crate::MAX_PAGE`]) of the owner's
        /// resources from `start`, in registration order.
        #[ink(message)]
        pub fn resources_of(&self, owner: UserId, start: u32, limit: u32) -> Vec<ResourceId> {
            self.data.resources_of(owner, start, limit)
        }

        /// Catalogue by source device: up to `limit` (capped at [`crate::MAX_PAGE`]) of its
        /// resources from `start`.
        #[ink(message)]
        pub fn resources_by_pu(&self, pu: DeviceId, start: u32, limit: u32) -> Vec<ResourceId> {
            self.data.resources_by_pu(pu, start, limit)
        }

        /// How many resources `owner` has and how many `pu` produced, for paging.
        #[ink(message)]
        pub fn resource_counts(&self, owner: UserId, pu: DeviceId) -> (u32, u32) {
            self.data.counts(owner, pu)
        }

        /// Faults at which a provider is suspended.
        #[ink(message)]
        pub fn fault_threshold(&self) -> u32 {
            self.data.fault_threshold()
        }

        fn set_provider_status(
            &mut self,
            provider: AccountId,
            status: Status,
            reason: ReasonCode,
        ) -> Result<(), Error> {
            let caller = self.env().caller();
            let event = self
                .data
                .set_provider_status(caller, provider, status, reason)?;
            self.emit(event);
            Ok(())
        }

        /// The device's record, by cross-contract call.
        fn device(&self, device: DeviceId) -> Result<DeviceRecord, Error> {
            remote::device(self.data.device_registry(), device)
                .map_err(|_| Error::DeviceRegistryCallFailed)?
                .ok_or(Error::UnknownDevice)
        }

        /// The user's record, by cross-contract call.
        fn user(&self, user: UserId) -> Result<UserRecord, Error> {
            remote::user(self.data.identity_registry(), user)
                .map_err(|_| Error::IdentityRegistryCallFailed)?
                .ok_or(Error::UnknownOwner)
        }

        fn this(&self) -> [u8; 32] {
            *self.env().account_id().as_ref()
        }

        fn emit(&self, event: Event) {
            let env = self.env();
            match event {
                Event::ProviderRegistered(e) => env.emit_event(e),
                Event::ProviderStatusChanged(e) => env.emit_event(e),
                Event::ProviderFault(e) => env.emit_event(e),
                Event::ResourceRegistered(e) => env.emit_event(e),
                Event::VerificationRecorded(e) => env.emit_event(e),
            }
        }
    }

    impl ResourceLookup for ResourceRegistry {
        #[ink(message)]
        fn resource(&self, resource: ResourceId) -> Result<ResourceRecord, Error> {
            self.data.resource(resource)
        }

        #[ink(message)]
        fn device_registry(&self) -> AccountId {
            self.data.device_registry()
        }

        #[ink(message)]
        fn identity_registry(&self) -> AccountId {
            self.data.identity_registry()
        }
    }

    impl Admin for ResourceRegistry {
        #[ink(message)]
        fn admin(&self) -> AccountId {
            self.data.admin.admin()
        }

        #[ink(message)]
        fn pending_admin(&self) -> Option<AccountId> {
            self.data.admin.pending_admin()
        }

        #[ink(message)]
        fn propose_admin(&mut self, proposed: AccountId) -> Result<(), AdminError> {
            self.data.admin.propose_admin(proposed)
        }

        #[ink(message)]
        fn accept_admin(&mut self) -> Result<(), AdminError> {
            self.data.admin.accept_admin()
        }

        #[ink(message)]
        fn upgrade(&mut self, code_hash: Hash, audit_report: [u8; 32]) -> Result<(), AdminError> {
            self.data.admin.upgrade(VERSION, code_hash, audit_report)
        }

        #[ink(message)]
        fn upgrade_record(&self, version: u32) -> Option<Upgrade> {
            self.data.admin.upgrade_record(version)
        }

        #[ink(message)]
        fn version(&self) -> u32 {
            VERSION
        }
    }
}
