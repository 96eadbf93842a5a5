//! Cross-contract look-ups of the identity and device registries, for this contract and the
//! ones that depend on it: records by ID, and signature checks against their keys (so the
//! dependants carry no ed25519 code of their own); and of a DIVS ledger's entries.
use crate::{DeviceRecord, DeviceRegistryRef, Error as DeviceError};
use divs_ledger::{DivsLedgerRef, Error as DivsError};
use identity_registry::{Error as IdentityError, IdentityRegistryRef, UserRecord};
use ink::{codegen::TraitCallBuilder, env::call::FromAccountId, primitives::AccountId};
use shared_types::{
    DeviceId, Ed25519PublicKey, Ed25519Signature, Entry, SignatureOracle, TimeSpan, TxId, UserId,
};

/// A cross-contract call failed or answered unexpectedly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallFailed;

/// The user's record in `identity`; `None` if the user is not registered.
pub fn user(identity: AccountId, user: UserId) -> Result<Option<UserRecord>, CallFailed> {
    let registry: IdentityRegistryRef = FromAccountId::from_account_id(identity);
    match registry.call().user(user).try_invoke() {
        Ok(Ok(Ok(record))) => Ok(Some(record)),
        Ok(Ok(Err(IdentityError::UnknownUser))) => Ok(None),
        _ => Err(CallFailed),
    }
}

/// The device's record in `devices`; `None` if the device is not registered.
pub fn device(devices: AccountId, device: DeviceId) -> Result<Option<DeviceRecord>, CallFailed> {
    let registry: DeviceRegistryRef = FromAccountId::from_account_id(devices);
    match registry.call().device(device).try_invoke() {
        Ok(Ok(Ok(record))) => Ok(Some(record)),
        Ok(Ok(Err(DeviceError::UnknownDevice))) => Ok(None),
        _ => Err(CallFailed),
    }
}

/// The entry `tx_id` of the DIVS ledger `ledger`; `None` if it has no such entry.
pub fn divs_entry(ledger: AccountId, tx_id: TxId) -> Result<Option<Entry>, CallFailed> {
    let ledger: DivsLedgerRef = FromAccountId::from_account_id(ledger);
    match ledger.call().entry(tx_id).try_invoke() {
        Ok(Ok(Ok(entry))) => Ok(Some(entry)),
        Ok(Ok(Err(DivsError::UnknownEntry))) => Ok(None),
        _ => Err(CallFailed),
    }
}

/// The latest entry of the UE `ue` in the DIVS ledger `ledger`; `None` if it has none.
pub fn divs_latest(ledger: AccountId, ue: Ed25519PublicKey) -> Result<Option<Entry>, CallFailed> {
    let ledger: DivsLedgerRef = FromAccountId::from_account_id(ledger);
    match ledger.call().latest(ue).try_invoke() {
        Ok(Ok(Ok(entry))) => Ok(Some(entry)),
        Ok(Ok(Err(DivsError::UnknownUe))) => Ok(None),
        _ => Err(CallFailed),
    }
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
        let identity: IdentityRegistryRef = FromAccountId::from_account_id(self.identity);
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
        let devices: DeviceRegistryRef = FromAccountId::from_account_id(self.devices);
        let call = devices
            .call()
            .verify_signature_during(*device, *span, statement.to_vec(), *signature)
            .try_invoke();
        call.ok()?.ok()?.ok()
    }
}
