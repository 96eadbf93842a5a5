//! Typed calls of each contract's messages on any [`Chain`]. Transactions return the
//! message's own `Result` together with the [`Outcome`] (weights, events, revert flag).
use crate::chain::{Actor, Chain, Deployed, Outcome};
use anyhow::bail;
use device_registry::{DeviceRecord, DeviceRegistration, Error as DeviceError};
use identity_registry::{Error as IdentityError, KeyEpoch, UserRecord, UserRegistration};
use ink::primitives::AccountId;
use scale::{Decode, Encode};
use shared_types::{DeviceId, Ed25519PublicKey, Ed25519Signature, KeySet, ReasonCode, UserId};

/// A transaction's decoded return value and what it cost.
#[derive(Debug)]
pub struct Called<T> {
    /// The message's return value.
    pub value: T,
    /// Weights, events, revert flag.
    pub outcome: Outcome,
}

fn decode<T: Decode>(message: &str, outcome: &Outcome) -> anyhow::Result<T> {
    match ink::MessageResult::<T>::decode(&mut &outcome.data[..]) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(lang_error)) => bail!("{message}: {lang_error:?}"),
        Err(e) => bail!("{message}: undecodable return value: {e}"),
    }
}

fn transact<C: Chain, T: Decode>(
    chain: &mut C,
    caller: &Actor,
    contract: &Deployed,
    message: &str,
    args: impl Encode,
) -> anyhow::Result<Called<T>> {
    let outcome = chain.transact(caller, contract, message, &args.encode())?;
    Ok(Called {
        value: decode(message, &outcome)?,
        outcome,
    })
}

fn query<C: Chain, T: Decode>(
    chain: &mut C,
    caller: &Actor,
    contract: &Deployed,
    message: &str,
    args: impl Encode,
) -> anyhow::Result<T> {
    let outcome = chain.query(caller, contract, message, &args.encode())?;
    decode(message, &outcome)
}

/// A message result of the identity registry.
pub type IdentityResult<T> = Result<T, IdentityError>;
/// A message result of the device registry.
pub type DeviceResult<T> = Result<T, DeviceError>;

/// The identity registry's messages.
#[derive(Clone, Debug)]
pub struct IdentityClient(pub Deployed);

impl IdentityClient {
    /// Deploys a new registry administered by `admin`.
    pub fn deploy<C: Chain>(chain: &mut C, admin: &Actor) -> anyhow::Result<Self> {
        Ok(Self(chain.deploy(
            admin,
            "identity_registry",
            "new",
            &[],
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
        transact(chain, admin, &self.0, "add_registrar", (registrar, key))
    }

    /// `register_user`.
    pub fn register_user<C: Chain>(
        &self,
        chain: &mut C,
        registrar: &Actor,
        registration: &UserRegistration,
    ) -> anyhow::Result<Called<IdentityResult<()>>> {
        transact(chain, registrar, &self.0, "register_user", registration)
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
            "rotate_user_key",
            (user, keys, old, new),
        )
    }

    /// `suspend_user`.
    pub fn suspend_user<C: Chain>(
        &self,
        chain: &mut C,
        caller: &Actor,
        user: UserId,
        reason: ReasonCode,
    ) -> anyhow::Result<Called<IdentityResult<()>>> {
        transact(chain, caller, &self.0, "suspend_user", (user, reason))
    }

    /// `user`.
    pub fn user<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        user: UserId,
    ) -> anyhow::Result<IdentityResult<UserRecord>> {
        query(chain, asker, &self.0, "user", user)
    }

    /// `key_at`.
    pub fn key_at<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        user: UserId,
        at: u64,
    ) -> anyhow::Result<IdentityResult<KeyEpoch>> {
        query(chain, asker, &self.0, "key_at", (user, at))
    }
}

/// The device registry's messages.
#[derive(Clone, Debug)]
pub struct DeviceClient(pub Deployed);

impl DeviceClient {
    /// Deploys a new registry trusting `identity`.
    pub fn deploy<C: Chain>(
        chain: &mut C,
        deployer: &Actor,
        identity: &IdentityClient,
    ) -> anyhow::Result<Self> {
        Ok(Self(chain.deploy(
            deployer,
            "device_registry",
            "new",
            &identity.0.address.encode(),
        )?))
    }

    /// `register_device`.
    pub fn register_device<C: Chain>(
        &self,
        chain: &mut C,
        registrar: &Actor,
        registration: &DeviceRegistration,
    ) -> anyhow::Result<Called<DeviceResult<()>>> {
        transact(chain, registrar, &self.0, "register_device", registration)
    }

    /// `rotate_device_key`.
    pub fn rotate_device_key<C: Chain>(
        &self,
        chain: &mut C,
        caller: &Actor,
        device: DeviceId,
        keys: KeySet,
        owner_signature: Ed25519Signature,
    ) -> anyhow::Result<Called<DeviceResult<()>>> {
        transact(
            chain,
            caller,
            &self.0,
            "rotate_device_key",
            (device, keys, owner_signature),
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
            "transfer_device",
            (device, to, from_signature, to_signature),
        )
    }

    /// `suspend_device`.
    pub fn suspend_device<C: Chain>(
        &self,
        chain: &mut C,
        caller: &Actor,
        device: DeviceId,
        reason: ReasonCode,
    ) -> anyhow::Result<Called<DeviceResult<()>>> {
        transact(chain, caller, &self.0, "suspend_device", (device, reason))
    }

    /// `reactivate_device`.
    pub fn reactivate_device<C: Chain>(
        &self,
        chain: &mut C,
        caller: &Actor,
        device: DeviceId,
        reason: ReasonCode,
    ) -> anyhow::Result<Called<DeviceResult<()>>> {
        transact(
            chain,
            caller,
            &self.0,
            "reactivate_device",
            (device, reason),
        )
    }

    /// `device`.
    pub fn device<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        device: DeviceId,
    ) -> anyhow::Result<DeviceResult<DeviceRecord>> {
        query(chain, asker, &self.0, "device", device)
    }

    /// `device_keys` (I.2 steps 1-2).
    pub fn device_keys<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        device: DeviceId,
    ) -> anyhow::Result<DeviceResult<KeySet>> {
        query(chain, asker, &self.0, "device_keys", device)
    }

    /// `verify_device_key` (I.2 steps 4-5).
    pub fn verify_device_key<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        device: DeviceId,
        key: Ed25519PublicKey,
    ) -> anyhow::Result<DeviceResult<bool>> {
        query(chain, asker, &self.0, "verify_device_key", (device, key))
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
        query(chain, asker, &self.0, "devices_of", (owner, start, limit))
    }
}
