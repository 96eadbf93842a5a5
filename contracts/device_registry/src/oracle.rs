//! Signature checks by cross-contract query of the registries that hold the keys, for the
//! contracts that depend on this one (they carry no ed25519 code of their own).
use crate::DeviceRegistryRef;
use identity_registry::IdentityRegistryRef;
use ink::{codegen::TraitCallBuilder, env::call::FromAccountId, primitives::AccountId};
use shared_types::{DeviceId, Ed25519Signature, SignatureOracle, UserId};

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
        statement: &[u8],
        signature: &Ed25519Signature,
    ) -> Option<bool> {
        let devices: DeviceRegistryRef = FromAccountId::from_account_id(self.devices);
        let call = devices
            .call()
            .verify_signature(*device, statement.to_vec(), *signature)
            .try_invoke();
        call.ok()?.ok()?.ok()
    }
}
