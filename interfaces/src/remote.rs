//! Cross-contract look-ups through the traits of this crate: records by ID, and signature
//! checks against the registries' keys (so the callers carry no ed25519 code of their own);
//! and a DIVS ledger's entries. A missing record is `Ok(None)`; a call that fails or answers
//! anything else is [`CallFailed`].
use crate::device::{DeviceLookup, DeviceRecord, Error as DeviceError};
use crate::divs::{DivsLedgerLookup, Error as DivsError};
use crate::identity::{Error as IdentityError, IdentityLookup, UserRecord};
use crate::resource::{Error as ResourceError, ResourceLookup, ResourceRecord};
use ink::{codegen::TraitCallBuilder, env::DefaultEnvironment, primitives::AccountId};
use shared_types::{
    DeviceId, Ed25519PublicKey, Ed25519Signature, Entry, Registries, ResourceId, SignatureOracle,
    TimeSpan, TxId, UserId,
};

// The callees, as `contract_ref!` makes them for the suite's environment.
type Identity = ink::contract_ref!(IdentityLookup, DefaultEnvironment);
type Devices = ink::contract_ref!(DeviceLookup, DefaultEnvironment);
type Resources = ink::contract_ref!(ResourceLookup, DefaultEnvironment);
type Ledger = ink::contract_ref!(DivsLedgerLookup, DefaultEnvironment);

/// A cross-contract call failed or answered unexpectedly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallFailed;

/// What `try_invoke` returns for a message answering `R`.
type Answer<R> = Result<ink::MessageResult<R>, ink::env::Error>;

/// The message's answer, if the call went through.
fn answered<R>(answer: Answer<R>) -> Result<R, CallFailed> {
    match answer {
        Ok(Ok(value)) => Ok(value),
        _ => Err(CallFailed),
    }
}

/// The record a look-up found; `None` if it answered `missing`.
fn found<T, E: PartialEq>(
    answer: Answer<Result<T, E>>,
    missing: E,
) -> Result<Option<T>, CallFailed> {
    match answered(answer)? {
        Ok(record) => Ok(Some(record)),
        Err(error) if error == missing => Ok(None),
        Err(_) => Err(CallFailed),
    }
}

/// The user's record in `identity`; `None` if the user is not registered.
pub fn user(identity: AccountId, user: UserId) -> Result<Option<UserRecord>, CallFailed> {
    let registry: Identity = identity.into();
    found(
        registry.call().user(user).try_invoke(),
        IdentityError::UnknownUser,
    )
}

/// The device's record in `devices`; `None` if the device is not registered.
pub fn device(devices: AccountId, device: DeviceId) -> Result<Option<DeviceRecord>, CallFailed> {
    let registry: Devices = devices.into();
    found(
        registry.call().device(device).try_invoke(),
        DeviceError::UnknownDevice,
    )
}

/// The identity registry the device registry `devices` trusts.
pub fn identity_registry_of(devices: AccountId) -> Result<AccountId, CallFailed> {
    let registry: Devices = devices.into();
    answered(registry.call().identity_registry().try_invoke())
}

/// The resource's record in `resources`; `None` if the resource is not registered.
pub fn resource(
    resources: AccountId,
    resource: ResourceId,
) -> Result<Option<ResourceRecord>, CallFailed> {
    let registry: Resources = resources.into();
    found(
        registry.call().resource(resource).try_invoke(),
        ResourceError::UnknownResource,
    )
}

/// The suite the resource registry `resources` belongs to: itself, the device registry it
/// trusts and the identity registry that one trusts.
pub fn registries_of(resources: AccountId) -> Result<Registries, CallFailed> {
    let registry: Resources = resources.into();
    let devices = answered(registry.call().device_registry().try_invoke())?;
    let identity = answered(registry.call().identity_registry().try_invoke())?;
    Ok(Registries {
        identity: *identity.as_ref(),
        devices: *devices.as_ref(),
        resources: *resources.as_ref(),
    })
}

/// The attestation key of `registrar` in `identity`; `None` if the account is not one.
pub fn registrar_key(
    identity: AccountId,
    registrar: AccountId,
) -> Result<Option<Ed25519PublicKey>, CallFailed> {
    let registry: Identity = identity.into();
    answered(registry.call().registrar_key(registrar).try_invoke())
}

/// The entry `tx_id` of the DIVS ledger `ledger`; `None` if it has no such entry.
pub fn divs_entry(ledger: AccountId, tx_id: TxId) -> Result<Option<Entry>, CallFailed> {
    let ledger: Ledger = ledger.into();
    found(
        ledger.call().entry(tx_id).try_invoke(),
        DivsError::UnknownEntry,
    )
}

/// The latest entry of the UE `ue` in the DIVS ledger `ledger`; `None` if it has none.
pub fn divs_latest(ledger: AccountId, ue: Ed25519PublicKey) -> Result<Option<Entry>, CallFailed> {
    let ledger: Ledger = ledger.into();
    found(ledger.call().latest(ue).try_invoke(), DivsError::UnknownUe)
}

/// Answers [`SignatureOracle`] questions by querying an identity and a device registry.
pub struct RegistryOracle {
    /// The identity registry (user keys).
    pub identity: AccountId,
    /// The device registry (device keys).
    pub devices: AccountId,
}

impl SignatureOracle for RegistryOracle {
    fn user_signed(
        &self,
        user: &UserId,
        statement: &[u8],
        signature: &Ed25519Signature,
    ) -> Option<bool> {
        let identity: Identity = self.identity.into();
        let call = identity
            .call()
            .verify_signature(*user, statement.to_vec(), *signature)
            .try_invoke();
        call.ok()?.ok()?.ok()
    }

    fn device_signed(
        &self,
        device: &DeviceId,
        span: &TimeSpan,
        statement: &[u8],
        signature: &Ed25519Signature,
    ) -> Option<bool> {
        let devices: Devices = self.devices.into();
        let call = devices
            .call()
            .verify_signature_during(*device, *span, statement.to_vec(), *signature)
            .try_invoke();
        call.ok()?.ok()?.ok()
    }
}
