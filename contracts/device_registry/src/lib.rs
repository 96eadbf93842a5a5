//! # Device registry (F.743.24 I.1.2, I.2 steps 1-2 and 4-5; SyR-7, SyR-9)
//!
//! Registrars register PU, IPU, CU, MCU, MSU and private-DB devices signed by their owner;
//! the owner's current key and status come from the identity registry by cross-contract
//! call. The hardware serial is stored only as a salted commitment. Devices have ed25519
//! signing and X25519 encryption keys (the device key proves possession at registration and
//! at each rotation) with their history (`key_at`, `key_history`: which keys were valid
//! when), a status, owner-signed key rotation and an ownership transfer signed by both
//! owners. The owner links a device to the Y.2247 DIVS registration of its signing key, which
//! this contract reads from the ledger the link names and checks. Anyone can look a device's
//! keys up by ID and check a presented key with `verify_device_key`, or a signature with
//! `verify_signature`; both answer no for a device that is inactive or whose owner is.
//!
//! The logic lives in [`data`]; this file wires messages to it, fetches identity facts and
//! DIVS entries, and emits events.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod data;
#[cfg(test)]
mod tests;

pub use self::device_registry::{DeviceRegistry, DeviceRegistryRef};
pub use data::{
    DeviceKeyEpoch, DeviceRecord, DeviceRegistration, DivsLink, Error, Suspender, MAX_PAGE,
};

#[ink::contract]
mod device_registry {
    use crate::data::{
        DeviceData, DeviceKeyEpoch, DeviceRecord, DeviceRegistration, DivsLink, Error, Event,
        Suspender,
    };
    use ink::prelude::vec::Vec;
    use interfaces::{identity::UserRecord, remote, DeviceLookup};
    use shared_types::{
        AccountBytes, DeviceId, Ed25519PublicKey, Ed25519Signature, KeySet, ReasonCode, Status,
        TimeSpan, UserId,
    };

    /// Version of this contract's code.
    pub const VERSION: u32 = 1;

    /// The registry.
    #[ink(storage)]
    pub struct DeviceRegistry {
        data: DeviceData,
    }

    impl DeviceRegistry {
        /// Deploys an empty registry that trusts `identity_registry` for users and registrars.
        #[ink(constructor)]
        pub fn new(identity_registry: AccountId) -> Self {
            Self {
                data: DeviceData::new(identity_registry),
            }
        }

        /// Registers a device (I.1.2 step 7). The caller must be a registrar of the identity
        /// registry; the owner must be active there and must have signed the record with
        /// their current key, and the device key must have signed its proof of possession.
        ///
        /// # Errors
        /// [`Error::NotRegistrar`]; [`Error::UnknownOwner`]; [`Error::OwnerNotActive`];
        /// [`Error::DeviceExists`]; [`Error::WeakEncryptionKey`];
        /// [`Error::InvalidOwnerSignature`]; [`Error::InvalidDeviceSignature`];
        /// [`Error::IdentityRegistryCallFailed`]; [`Error::Overflow`].
        ///
        /// # Events
        /// `DeviceRegistered`.
        #[ink(message)]
        pub fn register_device(&mut self, registration: DeviceRegistration) -> Result<(), Error> {
            let caller = self.env().caller();
            self.ensure_registrar(caller)?;
            let owner = self.owner(registration.owner)?;
            let (this, now) = (self.this(), self.env().block_timestamp());
            let event = self
                .data
                .register_device(caller, &this, now, registration, &owner)?;
            self.emit(event);
            Ok(())
        }

        /// Replaces an active device's keys. Anyone may submit it: the owner's signature
        /// over the rotation statement (with the device's nonce) authorizes it, and the new
        /// device key's proof of possession (same nonce) shows the device holds it. The old
        /// keys stay in the key history, valid until this block, with their DIVS link; the
        /// record's link is cleared (it endorsed the old key).
        ///
        /// # Errors
        /// [`Error::UnknownDevice`]; [`Error::DeviceNotActive`]; [`Error::UnknownOwner`];
        /// [`Error::OwnerNotActive`]; [`Error::KeyUnchanged`];
        /// [`Error::InvalidOwnerSignature`]; [`Error::InvalidDeviceSignature`];
        /// [`Error::WeakEncryptionKey`]; [`Error::IdentityRegistryCallFailed`];
        /// [`Error::Overflow`].
        ///
        /// # Events
        /// `DeviceKeyRotated`.
        #[ink(message)]
        pub fn rotate_device_key(
            &mut self,
            device: DeviceId,
            new_keys: KeySet,
            owner_signature: Ed25519Signature,
            device_signature: Ed25519Signature,
        ) -> Result<(), Error> {
            let owner = self.owner(self.data.device(device)?.owner)?;
            let (this, now) = (self.this(), self.env().block_timestamp());
            let event = self.data.rotate_device_key(
                &this,
                now,
                device,
                new_keys,
                owner_signature,
                device_signature,
                &owner,
            )?;
            self.emit(event);
            Ok(())
        }

        /// Moves an active device to another user. Both owners sign the transfer statement
        /// (with the device's nonce); anyone may submit it.
        ///
        /// # Errors
        /// [`Error::UnknownDevice`]; [`Error::DeviceNotActive`]; [`Error::SameOwner`];
        /// [`Error::UnknownOwner`]; [`Error::OwnerNotActive`];
        /// [`Error::InvalidOwnerSignature`]; [`Error::InvalidNewOwnerSignature`];
        /// [`Error::IdentityRegistryCallFailed`]; [`Error::Overflow`].
        ///
        /// # Events
        /// `DeviceTransferred`.
        #[ink(message)]
        pub fn transfer_device(
            &mut self,
            device: DeviceId,
            to: UserId,
            from_signature: Ed25519Signature,
            to_signature: Ed25519Signature,
        ) -> Result<(), Error> {
            let from_owner = self.owner(self.data.device(device)?.owner)?;
            let to_owner = self.owner(to)?;
            let this = self.this();
            let event = self.data.transfer_device(
                &this,
                device,
                to,
                from_signature,
                to_signature,
                &from_owner,
                &to_owner,
            )?;
            self.emit(event);
            Ok(())
        }

        /// Suspends an active device. Allowed to the owner's controlling account and to the
        /// owner's registrar in the identity registry while it is a registrar.
        ///
        /// # Errors
        /// [`Error::UnknownDevice`]; [`Error::NotAuthorized`]; [`Error::DeviceRevoked`];
        /// [`Error::StatusUnchanged`]; [`Error::UnknownOwner`];
        /// [`Error::IdentityRegistryCallFailed`].
        ///
        /// # Events
        /// `DeviceStatusChanged`.
        #[ink(message)]
        pub fn suspend_device(
            &mut self,
            device: DeviceId,
            reason: ReasonCode,
        ) -> Result<(), Error> {
            self.change_status(device, Status::Suspended, reason)
        }

        /// Revokes a device for good.
        ///
        /// # Errors
        /// As [`Self::suspend_device`].
        ///
        /// # Events
        /// `DeviceStatusChanged`.
        #[ink(message)]
        pub fn revoke_device(&mut self, device: DeviceId, reason: ReasonCode) -> Result<(), Error> {
            self.change_status(device, Status::Revoked, reason)
        }

        /// Reactivates a suspended device: only the party (owner or registrar) that
        /// suspended it.
        ///
        /// # Errors
        /// As [`Self::suspend_device`]; [`Error::NotSuspender`]; [`Error::OwnerNotActive`] if
        /// the owner reactivates while she is suspended or revoked herself.
        ///
        /// # Events
        /// `DeviceStatusChanged`.
        #[ink(message)]
        pub fn reactivate_device(
            &mut self,
            device: DeviceId,
            reason: ReasonCode,
        ) -> Result<(), Error> {
            self.change_status(device, Status::Active, reason)
        }

        /// Links an active device to the Y.2247 DIVS entry endorsing the same hardware: the
        /// entry `link.tx_id` of the ledger `link.ledger` (the owner's choice), read from it
        /// here, must be a registration whose signatures the ledger verified, of the device's
        /// current signing key. The link goes into the record and the current key epoch.
        /// Allowed to the owner's controlling account.
        ///
        /// # Errors
        /// [`Error::UnknownDevice`]; [`Error::DeviceNotActive`]; [`Error::UnknownOwner`];
        /// [`Error::NotAuthorized`]; [`Error::OwnerNotActive`];
        /// [`Error::IdentityRegistryCallFailed`]; [`Error::DivsLedgerCallFailed`];
        /// [`Error::UnknownDivsEntry`]; [`Error::NotADivsRegistration`];
        /// [`Error::DivsEntryNotVerified`]; [`Error::DivsKeyMismatch`];
        /// [`Error::DivsUeTerminated`].
        ///
        /// # Events
        /// `DeviceDivsLinked`.
        #[ink(message)]
        pub fn link_divs(&mut self, device: DeviceId, link: DivsLink) -> Result<(), Error> {
            let record = self.data.device(device)?;
            let owner = self.owner(record.owner)?;
            let caller_is_controller = owner.controller == self.env().caller();
            let call_failed = |_| Error::DivsLedgerCallFailed;
            let entry = remote::divs_entry(link.ledger, link.tx_id).map_err(call_failed)?;
            let latest =
                remote::divs_latest(link.ledger, record.keys.signing).map_err(call_failed)?;
            let event =
                self.data
                    .link_divs(caller_is_controller, &owner, device, link, (entry, latest))?;
            self.emit(event);
            Ok(())
        }

        /// The device's current public keys (I.2 steps 1-2: look up PU1's key by its ID).
        ///
        /// # Errors
        /// [`Error::UnknownDevice`].
        #[ink(message)]
        pub fn device_keys(&self, device: DeviceId) -> Result<KeySet, Error> {
            Ok(self.data.device(device)?.keys)
        }

        /// Whether `key` is the current signing key of an active device whose owner is
        /// active in the identity registry (I.2 steps 4-5).
        ///
        /// # Errors
        /// [`Error::UnknownDevice`]; [`Error::UnknownOwner`];
        /// [`Error::IdentityRegistryCallFailed`].
        #[ink(message)]
        pub fn verify_device_key(
            &self,
            device: DeviceId,
            key: Ed25519PublicKey,
        ) -> Result<bool, Error> {
            let owner = self.owner(self.data.device(device)?.owner)?;
            self.data.verify_device_key(device, key, &owner)
        }

        /// Whether `signature` of `message` verifies under the device's current signing key
        /// while the device and its owner are active (for example a PU's capture
        /// attestation). Other contracts of the suite check device signatures through this
        /// query, so they carry no ed25519 code.
        ///
        /// # Errors
        /// [`Error::UnknownDevice`]; [`Error::UnknownOwner`];
        /// [`Error::IdentityRegistryCallFailed`].
        #[ink(message)]
        pub fn verify_signature(
            &self,
            device: DeviceId,
            message: Vec<u8>,
            signature: Ed25519Signature,
        ) -> Result<bool, Error> {
            let owner = self.owner(self.data.device(device)?.owner)?;
            self.data.signed_by(device, &message, &signature, &owner)
        }

        /// The device's keys valid at block time `at`, with the DIVS link made for them
        /// (e.g. to check a capture signature made before a rotation).
        ///
        /// # Errors
        /// [`Error::UnknownDevice`]; [`Error::NoKeyAtTime`] before registration.
        #[ink(message)]
        pub fn key_at(&self, device: DeviceId, at: Timestamp) -> Result<DeviceKeyEpoch, Error> {
            self.data.key_at(device, at)
        }

        /// Up to `limit` (capped at [`crate::MAX_PAGE`]) of the device's key epochs from
        /// version `start`, oldest first.
        ///
        /// # Errors
        /// [`Error::UnknownDevice`].
        #[ink(message)]
        pub fn key_history(
            &self,
            device: DeviceId,
            start: u32,
            limit: u32,
        ) -> Result<Vec<DeviceKeyEpoch>, Error> {
            self.data.key_history(device, start, limit)
        }

        /// Up to `limit` (capped at [`crate::MAX_PAGE`]) of the owner's devices from `start`.
        #[ink(message)]
        pub fn devices_of(&self, owner: UserId, start: u32, limit: u32) -> Vec<DeviceId> {
            self.data.devices_of(owner, start, limit)
        }

        /// How many devices the owner has.
        #[ink(message)]
        pub fn device_count(&self, owner: UserId) -> u32 {
            self.data.device_count(owner)
        }

        /// Version of this contract's code.
        #[ink(message)]
        pub fn version(&self) -> u32 {
            VERSION
        }

        fn change_status(
            &mut self,
            device: DeviceId,
            status: Status,
            reason: ReasonCode,
        ) -> Result<(), Error> {
            let caller = self.env().caller();
            let owner = self.owner(self.data.device(device)?.owner)?;
            // The owner's registrar counts only while the identity registry still has it.
            let party = if caller == owner.registrar && self.is_registrar(caller)? {
                Some(Suspender::Registrar)
            } else if caller == owner.controller {
                Some(Suspender::Owner)
            } else {
                None
            };
            let event = self
                .data
                .change_status(caller, party, &owner, device, status, reason)?;
            self.emit(event);
            Ok(())
        }

        /// The owner's identity record, by cross-contract call.
        fn owner(&self, user: UserId) -> Result<UserRecord, Error> {
            remote::user(self.data.identity_registry(), user)
                .map_err(|_| Error::IdentityRegistryCallFailed)?
                .ok_or(Error::UnknownOwner)
        }

        fn ensure_registrar(&self, account: AccountId) -> Result<(), Error> {
            if self.is_registrar(account)? {
                Ok(())
            } else {
                Err(Error::NotRegistrar)
            }
        }

        fn is_registrar(&self, account: AccountId) -> Result<bool, Error> {
            remote::registrar_key(self.data.identity_registry(), account)
                .map(|key| key.is_some())
                .map_err(|_| Error::IdentityRegistryCallFailed)
        }

        fn this(&self) -> AccountBytes {
            *self.env().account_id().as_ref()
        }

        fn emit(&self, event: Event) {
            let env = self.env();
            match event {
                Event::DeviceDivsLinked(e) => env.emit_event(e),
                Event::DeviceRegistered(e) => env.emit_event(e),
                Event::DeviceKeyRotated(e) => env.emit_event(e),
                Event::DeviceStatusChanged(e) => env.emit_event(e),
                Event::DeviceTransferred(e) => env.emit_event(e),
            }
        }
    }

    impl DeviceLookup for DeviceRegistry {
        #[ink(message)]
        fn device(&self, device: DeviceId) -> Result<DeviceRecord, Error> {
            self.data.device(device)
        }

        #[ink(message)]
        fn verify_signature_during(
            &self,
            device: DeviceId,
            span: TimeSpan,
            message: Vec<u8>,
            signature: Ed25519Signature,
        ) -> Result<bool, Error> {
            let owner = self.owner(self.data.device(device)?.owner)?;
            self.data
                .signed_during(device, &span, &message, &signature, &owner)
        }

        #[ink(message)]
        fn identity_registry(&self) -> AccountId {
            self.data.identity_registry()
        }
    }
}
