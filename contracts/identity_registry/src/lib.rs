//! # Identity registry (F.743.24 I.1.1; UIAR-1/2, SyR-8, ABVSSI-7)
//!
//! Registrars (ISPs), added by the admin, register users after checking their real identity
//! off chain. A registration carries the user's ed25519 signing key and X25519 encryption
//! key, the user's proof-of-possession signature (naming the registrar and the notice) and
//! the registrar's signature over the record — both verified here — and the hash and
//! version of the information-collection notice the user accepted. A user's status is
//! changed by its current registrar or the admin; a suspension is lifted by whoever imposed
//! it or the admin. Keys rotate under the signatures of the old and the new key,
//! and the full key history answers "which key was valid at time T". The controller changes
//! with the user's signature on the registrar's call; a user whose key was lost or stolen
//! is recovered by its registrar, only after that registrar suspended it, with new keys that
//! prove possession and the registrar's attestation.
//!
//! The logic lives in [`data`]; this file only wires messages to it and emits its events.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod data;
#[cfg(test)]
mod tests;

pub use self::identity_registry::{IdentityRegistry, IdentityRegistryRef};
pub use data::{
    Error, KeyChange, KeyChangeKind, KeyEpoch, Suspender, UserRecord, UserRegistration, MAX_PAGE,
};

#[ink::contract]
mod identity_registry {
    use crate::data::{Error, Event, IdentityData, KeyEpoch, UserRecord, UserRegistration};
    use admin_role::{Admin, AdminError, Upgrade};
    use ink::prelude::vec::Vec;
    use interfaces::IdentityLookup;
    use shared_types::{
        AccountBytes, Ed25519PublicKey, Ed25519Signature, KeySet, ReasonCode, Status, UserId,
    };

    /// Version of this contract's code (2 in the build the e2e upgrade moves to).
    pub const VERSION: u32 = if cfg!(feature = "upgrade-test-v2") {
        2
    } else {
        1
    };

    /// The registry.
    #[ink(storage)]
    pub struct IdentityRegistry {
        data: IdentityData,
    }

    impl IdentityRegistry {
        /// Deploys an empty registry administered by the caller.
        #[ink(constructor)]
        pub fn new() -> Self {
            Self {
                data: IdentityData::new(Self::env().caller()),
            }
        }

        /// Adds a registrar (ISP) with the ed25519 key it signs user records with.
        ///
        /// # Errors
        /// [`Error::NotAdmin`]; [`Error::RegistrarExists`].
        ///
        /// # Events
        /// `RegistrarAdded`.
        #[ink(message)]
        pub fn add_registrar(
            &mut self,
            registrar: AccountId,
            key: Ed25519PublicKey,
        ) -> Result<(), Error> {
            let event = self
                .data
                .add_registrar(self.env().caller(), registrar, key)?;
            self.emit(event);
            Ok(())
        }

        /// Removes a registrar; the users it registered stay, and it loses every power over
        /// them (reassign them with [`Self::reassign_registrar`]).
        ///
        /// # Errors
        /// [`Error::NotAdmin`]; [`Error::UnknownRegistrar`].
        ///
        /// # Events
        /// `RegistrarRemoved`.
        #[ink(message)]
        pub fn remove_registrar(&mut self, registrar: AccountId) -> Result<(), Error> {
            let event = self.data.remove_registrar(self.env().caller(), registrar)?;
            self.emit(event);
            Ok(())
        }

        /// Gives a user another registrar, which must be a registrar: from then on it, not
        /// the previous one, may change the user's status. The record keeps the original
        /// attestation. The user's controller nonce moves on, so a controller change she
        /// signed for an earlier registrar stays void.
        ///
        /// # Errors
        /// [`Error::NotAdmin`]; [`Error::UnknownUser`]; [`Error::UnknownRegistrar`];
        /// [`Error::RegistrarUnchanged`]; [`Error::Overflow`].
        ///
        /// # Events
        /// `UserRegistrarChanged`.
        #[ink(message)]
        pub fn reassign_registrar(
            &mut self,
            user: UserId,
            registrar: AccountId,
        ) -> Result<(), Error> {
            let event = self
                .data
                .reassign_registrar(self.env().caller(), user, registrar)?;
            self.emit(event);
            Ok(())
        }

        /// Registers a user (I.1.1 step 3). The caller must be a registrar; the user's
        /// proof of possession (which names this registrar and the notice) and the
        /// registrar's attestation are verified on chain.
        ///
        /// # Errors
        /// [`Error::NotRegistrar`]; [`Error::UserExists`]; [`Error::WeakEncryptionKey`];
        /// [`Error::InvalidProofOfPossession`]; [`Error::InvalidRegistrarSignature`].
        ///
        /// # Events
        /// `UserRegistered`.
        #[ink(message)]
        pub fn register_user(&mut self, registration: UserRegistration) -> Result<(), Error> {
            let (caller, this, now) = (
                self.env().caller(),
                self.this(),
                self.env().block_timestamp(),
            );
            let event = self.data.register_user(caller, &this, now, registration)?;
            self.emit(event);
            Ok(())
        }

        /// Rotates an active user's keys. Anyone may submit it: the signatures of the current
        /// and the new signing key over the rotation statement authorize it.
        ///
        /// # Errors
        /// [`Error::UnknownUser`]; [`Error::UserNotActive`]; [`Error::KeyUnchanged`];
        /// [`Error::InvalidOldKeySignature`]; [`Error::InvalidNewKeySignature`];
        /// [`Error::WeakEncryptionKey`]; [`Error::Overflow`].
        ///
        /// # Events
        /// `UserKeyRotated`.
        #[ink(message)]
        pub fn rotate_user_key(
            &mut self,
            user: UserId,
            new_keys: KeySet,
            old_key_signature: Ed25519Signature,
            new_key_signature: Ed25519Signature,
        ) -> Result<(), Error> {
            let (this, now) = (self.this(), self.env().block_timestamp());
            let event = self.data.rotate_user_key(
                &this,
                now,
                user,
                new_keys,
                old_key_signature,
                new_key_signature,
            )?;
            self.emit(event);
            Ok(())
        }

        /// Moves an active user to another controlling account. Called by the user's
        /// registrar while it is a registrar (its approval), with the user's current signing
        /// key's signature of `payload::user_controller_change` for the user's
        /// [`Self::controller_nonce`].
        ///
        /// # Errors
        /// [`Error::UnknownUser`]; [`Error::NotUserRegistrar`]; [`Error::UserNotActive`];
        /// [`Error::InvalidUserSignature`] (also for a used statement);
        /// [`Error::ControllerUnchanged`]; [`Error::Overflow`].
        ///
        /// # Events
        /// `UserControllerChanged`.
        #[ink(message)]
        pub fn change_controller(
            &mut self,
            user: UserId,
            new_controller: AccountId,
            user_signature: Ed25519Signature,
        ) -> Result<(), Error> {
            let (caller, this) = (self.env().caller(), self.this());
            let event =
                self.data
                    .change_controller(caller, &this, user, new_controller, user_signature)?;
            self.emit(event);
            Ok(())
        }

        /// Recovers a user whose signing key was lost or stolen. Called by the user's
        /// registrar while it is a registrar, and only while that registrar has the user
        /// suspended, so that the takeover is public before it happens. The new signing key
        /// and the registrar's attestation key both sign `payload::user_recovery` (the
        /// replaced key version, the new keys and controller, the registrar's key). The
        /// current key epoch closes, the next opens as [`KeyChangeKind::Recovered`], the
        /// controller is set and the user is active again.
        ///
        /// # Errors
        /// [`Error::UnknownUser`]; [`Error::NotUserRegistrar`]; [`Error::UserNotSuspended`];
        /// [`Error::NotSuspender`] (the admin suspended it); [`Error::UserRevoked`];
        /// [`Error::InvalidNewKeySignature`] (also for a used statement);
        /// [`Error::InvalidRegistrarSignature`]; [`Error::KeyUnchanged`];
        /// [`Error::WeakEncryptionKey`]; [`Error::Overflow`].
        ///
        /// # Events
        /// `UserRecovered`, then `UserStatusChanged` (active again).
        #[ink(message)]
        pub fn recover_user(
            &mut self,
            user: UserId,
            new_keys: KeySet,
            new_controller: AccountId,
            new_key_signature: Ed25519Signature,
            registrar_signature: Ed25519Signature,
        ) -> Result<(), Error> {
            let (caller, this, now) = (
                self.env().caller(),
                self.this(),
                self.env().block_timestamp(),
            );
            let events = self.data.recover_user(
                caller,
                &this,
                now,
                user,
                new_keys,
                new_controller,
                new_key_signature,
                registrar_signature,
            )?;
            events.into_iter().for_each(|event| self.emit(event));
            Ok(())
        }

        /// Suspends an active user. Allowed to the admin and to the user's registrar while
        /// it is a registrar.
        ///
        /// # Errors
        /// [`Error::UnknownUser`]; [`Error::NotUserRegistrar`]; [`Error::UserRevoked`];
        /// [`Error::StatusUnchanged`].
        ///
        /// # Events
        /// `UserStatusChanged`.
        #[ink(message)]
        pub fn suspend_user(&mut self, user: UserId, reason: ReasonCode) -> Result<(), Error> {
            self.change_status(user, Status::Suspended, reason)
        }

        /// Revokes a user for good.
        ///
        /// # Errors
        /// As [`Self::suspend_user`].
        ///
        /// # Events
        /// `UserStatusChanged`.
        #[ink(message)]
        pub fn revoke_user(&mut self, user: UserId, reason: ReasonCode) -> Result<(), Error> {
            self.change_status(user, Status::Revoked, reason)
        }

        /// Reactivates a suspended user: the admin, or the registrar if the registrar
        /// suspended it.
        ///
        /// # Errors
        /// As [`Self::suspend_user`]; [`Error::NotSuspender`].
        ///
        /// # Events
        /// `UserStatusChanged`.
        #[ink(message)]
        pub fn reactivate_user(&mut self, user: UserId, reason: ReasonCode) -> Result<(), Error> {
            self.change_status(user, Status::Active, reason)
        }

        /// The nonce the user's next controller change signs.
        ///
        /// # Errors
        /// [`Error::UnknownUser`].
        #[ink(message)]
        pub fn controller_nonce(&self, user: UserId) -> Result<u32, Error> {
            self.data.controller_nonce(user)
        }

        /// The keys that were valid at block time `at` (milliseconds).
        ///
        /// # Errors
        /// [`Error::UnknownUser`]; [`Error::NoKeyAtTime`] before registration.
        #[ink(message)]
        pub fn key_at(&self, user: UserId, at: Timestamp) -> Result<KeyEpoch, Error> {
            self.data.key_at(user, at)
        }

        /// Up to `limit` (capped at [`crate::MAX_PAGE`]) key epochs from version `start`.
        ///
        /// # Errors
        /// [`Error::UnknownUser`].
        #[ink(message)]
        pub fn key_history(
            &self,
            user: UserId,
            start: u32,
            limit: u32,
        ) -> Result<Vec<KeyEpoch>, Error> {
            self.data.key_history(user, start, limit)
        }

        fn change_status(
            &mut self,
            user: UserId,
            status: Status,
            reason: ReasonCode,
        ) -> Result<(), Error> {
            let event = self
                .data
                .change_status(self.env().caller(), user, status, reason)?;
            self.emit(event);
            Ok(())
        }

        fn this(&self) -> AccountBytes {
            *self.env().account_id().as_ref()
        }

        fn emit(&self, event: Event) {
            let env = self.env();
            match event {
                Event::RegistrarAdded(e) => env.emit_event(e),
                Event::RegistrarRemoved(e) => env.emit_event(e),
                Event::UserRegistered(e) => env.emit_event(e),
                Event::UserRegistrarChanged(e) => env.emit_event(e),
                Event::UserKeyRotated(e) => env.emit_event(e),
                Event::UserStatusChanged(e) => env.emit_event(e),
                Event::UserControllerChanged(e) => env.emit_event(e),
                Event::UserRecovered(e) => env.emit_event(e),
            }
        }
    }

    impl IdentityLookup for IdentityRegistry {
        #[ink(message)]
        fn user(&self, user: UserId) -> Result<UserRecord, Error> {
            self.data.user(user)
        }

        #[ink(message)]
        fn verify_signature(
            &self,
            user: UserId,
            message: Vec<u8>,
            signature: Ed25519Signature,
        ) -> Result<bool, Error> {
            self.data.signed_by(user, &message, &signature)
        }

        #[ink(message)]
        fn registrar_key(&self, registrar: AccountId) -> Option<Ed25519PublicKey> {
            self.data.registrar_key(registrar)
        }
    }

    impl Admin for IdentityRegistry {
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

    impl Default for IdentityRegistry {
        fn default() -> Self {
            Self::new()
        }
    }
}
