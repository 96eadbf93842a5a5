//! device_registry's messages.
use super::{query, transact, Called, IdentityClient, StatusChange};
use crate::calls::{call_builder, constructor_data};
use crate::chain::{Actor, Chain, Deployed};
use device_registry::{
    DeviceKeyEpoch, DeviceRecord, DeviceRegistration, DivsLink, Error as DeviceError,
};
use ink::codegen::ContractCallBuilder;
use interfaces::DeviceLookup;
use shared_types::{DeviceId, Ed25519PublicKey, Ed25519Signature, KeySet, ReasonCode, UserId};

/// A message result of the device registry.
pub type DeviceResult<T> = Result<T, DeviceError>;

/// The device registry's messages.
#[derive(Clone, Debug)]
pub struct DeviceClient(pub Deployed);

impl DeviceClient {
    /// The contract's call builder: its messages, typed ([`crate::calls::Message`]).
    pub fn calls(&self) -> <device_registry::DeviceRegistry as ContractCallBuilder>::Type {
        call_builder::<device_registry::DeviceRegistry>(self.0.address)
    }

    /// Deploys a new registry trusting `identity`.
    pub fn deploy<C: Chain>(
        chain: &mut C,
        deployer: &Actor,
        identity: &IdentityClient,
    ) -> anyhow::Result<Self> {
        let constructor =
            constructor_data(device_registry::DeviceRegistryRef::new(identity.0.address));
        Ok(Self(chain.deploy(
            deployer,
            "device_registry",
            &constructor,
        )?))
    }

    /// `register_device`.
    pub fn register_device<C: Chain>(
        &self,
        chain: &mut C,
        registrar: &Actor,
        registration: &DeviceRegistration,
    ) -> anyhow::Result<Called<DeviceResult<()>>> {
        transact(
            chain,
            registrar,
            &self.0,
            self.calls().register_device(registration.clone()),
        )
    }

    /// `rotate_device_key`.
    pub fn rotate_device_key<C: Chain>(
        &self,
        chain: &mut C,
        caller: &Actor,
        device: DeviceId,
        keys: KeySet,
        owner_signature: Ed25519Signature,
        device_signature: Ed25519Signature,
    ) -> anyhow::Result<Called<DeviceResult<()>>> {
        transact(
            chain,
            caller,
            &self.0,
            self.calls()
                .rotate_device_key(device, keys, owner_signature, device_signature),
        )
    }

    /// `transfer_device`.
    pub fn transfer_device<C: Chain>(
        &self,
        chain: &mut C,
        caller: &Actor,
        device: DeviceId,
        to: UserId,
        from_signature: Ed25519Signature,
        to_signature: Ed25519Signature,
    ) -> anyhow::Result<Called<DeviceResult<()>>> {
        transact(
            chain,
            caller,
            &self.0,
            self.calls()
                .transfer_device(device, to, from_signature, to_signature),
        )
    }

    /// `suspend_device`, `reactivate_device` or `revoke_device` (the `change`).
    pub fn set_device_status<C: Chain>(
        &self,
        chain: &mut C,
        caller: &Actor,
        change: StatusChange,
        device: DeviceId,
        reason: ReasonCode,
    ) -> anyhow::Result<Called<DeviceResult<()>>> {
        let mut calls = self.calls();
        let message = match change {
            StatusChange::Suspend => calls.suspend_device(device, reason),
            StatusChange::Reactivate => calls.reactivate_device(device, reason),
            StatusChange::Revoke => calls.revoke_device(device, reason),
        };
        transact(chain, caller, &self.0, message)
    }

    /// `link_divs`.
    pub fn link_divs<C: Chain>(
        &self,
        chain: &mut C,
        owner: &Actor,
        device: DeviceId,
        link: DivsLink,
    ) -> anyhow::Result<Called<DeviceResult<()>>> {
        transact(chain, owner, &self.0, self.calls().link_divs(device, link))
    }

    /// `DeviceLookup::device`.
    pub fn device<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        device: DeviceId,
    ) -> anyhow::Result<DeviceResult<DeviceRecord>> {
        query(chain, asker, &self.0, self.calls().device(device))
    }

    /// `device_keys` (I.2 steps 1-2).
    pub fn device_keys<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        device: DeviceId,
    ) -> anyhow::Result<DeviceResult<KeySet>> {
        query(chain, asker, &self.0, self.calls().device_keys(device))
    }

    /// `verify_device_key` (I.2 steps 4-5).
    pub fn verify_device_key<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        device: DeviceId,
        key: Ed25519PublicKey,
    ) -> anyhow::Result<DeviceResult<bool>> {
        query(
            chain,
            asker,
            &self.0,
            self.calls().verify_device_key(device, key),
        )
    }

    /// `verify_signature`: whether `signature` of `message` is the device's.
    pub fn verify_signature<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        device: DeviceId,
        message: &[u8],
        signature: Ed25519Signature,
    ) -> anyhow::Result<DeviceResult<bool>> {
        let call = self
            .calls()
            .verify_signature(device, message.to_vec(), signature);
        query(chain, asker, &self.0, call)
    }

    /// `key_at`: the device's keys valid at block time `at`.
    pub fn key_at<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        device: DeviceId,
        at: u64,
    ) -> anyhow::Result<DeviceResult<DeviceKeyEpoch>> {
        query(chain, asker, &self.0, self.calls().key_at(device, at))
    }

    /// `key_history`.
    pub fn key_history<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        device: DeviceId,
        start: u32,
        limit: u32,
    ) -> anyhow::Result<DeviceResult<Vec<DeviceKeyEpoch>>> {
        query(
            chain,
            asker,
            &self.0,
            self.calls().key_history(device, start, limit),
        )
    }

    /// `devices_of`.
    pub fn devices_of<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        owner: UserId,
        start: u32,
        limit: u32,
    ) -> anyhow::Result<Vec<DeviceId>> {
        query(
            chain,
            asker,
            &self.0,
            self.calls().devices_of(owner, start, limit),
        )
    }

    /// `device_count`.
    pub fn device_count<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        owner: UserId,
    ) -> anyhow::Result<u32> {
        query(chain, asker, &self.0, self.calls().device_count(owner))
    }
}
