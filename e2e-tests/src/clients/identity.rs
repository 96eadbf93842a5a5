//! identity_registry's messages.
use super::{query, transact, Called, StatusChange};
use crate::calls::{call_builder, constructor_data};
use crate::chain::{Actor, Chain, Deployed};
use identity_registry::{Error as IdentityError, KeyEpoch, UserRecord, UserRegistration};
use ink::codegen::ContractCallBuilder;
use ink::primitives::AccountId;
use interfaces::IdentityLookup;
use shared_types::{Ed25519PublicKey, Ed25519Signature, KeySet, ReasonCode, UserId};

/// A message result of the identity registry.
pub type IdentityResult<T> = Result<T, IdentityError>;

/// The identity registry's messages.
#[derive(Clone, Debug)]
pub struct IdentityClient(pub Deployed);

impl IdentityClient {
    /// The contract's call builder: its messages, typed ([`crate::calls::Message`]).
    pub fn calls(&self) -> <identity_registry::IdentityRegistry as ContractCallBuilder>::Type {
        call_builder::<identity_registry::IdentityRegistry>(self.0.address)
    }

    /// Deploys a new registry administered by `admin`.
    pub fn deploy<C: Chain>(chain: &mut C, admin: &Actor) -> anyhow::Result<Self> {
        let constructor = constructor_data(identity_registry::IdentityRegistryRef::new());
        Ok(Self(chain.deploy(
            admin,
            "identity_registry",
            &constructor,
        )?))
    }

    /// `add_registrar`.
    pub fn add_registrar<C: Chain>(
        &self,
        chain: &mut C,
        admin: &Actor,
        registrar: AccountId,
        key: Ed25519PublicKey,
    ) -> anyhow::Result<Called<IdentityResult<()>>> {
        transact(
            chain,
            admin,
            &self.0,
            self.calls().add_registrar(registrar, key),
        )
    }

    /// `register_user`.
    pub fn register_user<C: Chain>(
        &self,
        chain: &mut C,
        registrar: &Actor,
        registration: &UserRegistration,
    ) -> anyhow::Result<Called<IdentityResult<()>>> {
        transact(
            chain,
            registrar,
            &self.0,
            self.calls().register_user(registration.clone()),
        )
    }

    /// `rotate_user_key`.
    pub fn rotate_user_key<C: Chain>(
        &self,
        chain: &mut C,
        caller: &Actor,
        user: UserId,
        keys: KeySet,
        old: Ed25519Signature,
        new: Ed25519Signature,
    ) -> anyhow::Result<Called<IdentityResult<()>>> {
        transact(
            chain,
            caller,
            &self.0,
            self.calls().rotate_user_key(user, keys, old, new),
        )
    }

    /// `change_controller`, by the user's registrar.
    pub fn change_controller<C: Chain>(
        &self,
        chain: &mut C,
        registrar: &Actor,
        user: UserId,
        new_controller: AccountId,
        user_signature: Ed25519Signature,
    ) -> anyhow::Result<Called<IdentityResult<()>>> {
        transact(
            chain,
            registrar,
            &self.0,
            self.calls()
                .change_controller(user, new_controller, user_signature),
        )
    }

    /// `recover_user`, by the user's registrar.
    #[allow(clippy::too_many_arguments)] // the message's arguments
    pub fn recover_user<C: Chain>(
        &self,
        chain: &mut C,
        registrar: &Actor,
        user: UserId,
        keys: KeySet,
        controller: AccountId,
        new_key_signature: Ed25519Signature,
        registrar_signature: Ed25519Signature,
    ) -> anyhow::Result<Called<IdentityResult<()>>> {
        let message = self.calls().recover_user(
            user,
            keys,
            controller,
            new_key_signature,
            registrar_signature,
        );
        transact(chain, registrar, &self.0, message)
    }

    /// `suspend_user`, `reactivate_user` or `revoke_user` (the `change`).
    pub fn set_user_status<C: Chain>(
        &self,
        chain: &mut C,
        caller: &Actor,
        change: StatusChange,
        user: UserId,
        reason: ReasonCode,
    ) -> anyhow::Result<Called<IdentityResult<()>>> {
        let mut calls = self.calls();
        let message = match change {
            StatusChange::Suspend => calls.suspend_user(user, reason),
            StatusChange::Reactivate => calls.reactivate_user(user, reason),
            StatusChange::Revoke => calls.revoke_user(user, reason),
        };
        transact(chain, caller, &self.0, message)
    }

    /// `reassign_registrar`.
    pub fn reassign_registrar<C: Chain>(
        &self,
        chain: &mut C,
        admin: &Actor,
        user: UserId,
        registrar: AccountId,
    ) -> anyhow::Result<Called<IdentityResult<()>>> {
        transact(
            chain,
            admin,
            &self.0,
            self.calls().reassign_registrar(user, registrar),
        )
    }

    /// `remove_registrar`.
    pub fn remove_registrar<C: Chain>(
        &self,
        chain: &mut C,
        admin: &Actor,
        registrar: AccountId,
    ) -> anyhow::Result<Called<IdentityResult<()>>> {
        transact(
            chain,
            admin,
            &self.0,
            self.calls().remove_registrar(registrar),
        )
    }

    /// `IdentityLookup::user`.
    pub fn user<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        user: UserId,
    ) -> anyhow::Result<IdentityResult<UserRecord>> {
        query(chain, asker, &self.0, self.calls().user(user))
    }

    /// `controller_nonce`.
    pub fn controller_nonce<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        user: UserId,
    ) -> anyhow::Result<IdentityResult<u32>> {
        query(chain, asker, &self.0, self.calls().controller_nonce(user))
    }

    /// `IdentityLookup::verify_signature`.
    pub fn verify_signature<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        user: UserId,
        message: &[u8],
        signature: Ed25519Signature,
    ) -> anyhow::Result<IdentityResult<bool>> {
        query(
            chain,
            asker,
            &self.0,
            self.calls()
                .verify_signature(user, message.to_vec(), signature),
        )
    }

    /// `key_at`.
    pub fn key_at<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        user: UserId,
        at: u64,
    ) -> anyhow::Result<IdentityResult<KeyEpoch>> {
        query(chain, asker, &self.0, self.calls().key_at(user, at))
    }

    /// `key_history`.
    pub fn key_history<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        user: UserId,
        start: u32,
        limit: u32,
    ) -> anyhow::Result<IdentityResult<Vec<KeyEpoch>>> {
        query(
            chain,
            asker,
            &self.0,
            self.calls().key_history(user, start, limit),
        )
    }
}
