//! A [`SignatureOracle`] that answers from public keys held locally: for offline checks and
//! for unit tests of contract logic.
use shared_types::{
    verify, DeviceId, Ed25519PublicKey, Ed25519Signature, SignatureOracle, TimeSpan, UserId,
};
use std::collections::BTreeMap;

/// Current signing keys of users and devices, as looked up beforehand.
#[derive(Clone, Debug, Default)]
pub struct KnownKeys {
    users: BTreeMap<UserId, Ed25519PublicKey>,
    devices: BTreeMap<DeviceId, Ed25519PublicKey>,
}

impl KnownKeys {
    /// Adds a user's current key.
    pub fn user(mut self, user: UserId, key: Ed25519PublicKey) -> Self {
        self.users.insert(user, key);
        self
    }

    /// Adds a device's current key.
    pub fn device(mut self, device: DeviceId, key: Ed25519PublicKey) -> Self {
        self.devices.insert(device, key);
        self
    }
}

impl SignatureOracle for KnownKeys {
    fn user_signed(
        &self,
        user: &UserId,
        statement: &[u8],
        signature: &Ed25519Signature,
    ) -> Option<bool> {
        Some(verify::ed25519(self.users.get(user)?, signature, statement))
    }

    /// Under the key added for the device, whatever `span` (add the key of the span asked).
    fn device_signed(
        &self,
        device: &DeviceId,
        _span: &TimeSpan,
        statement: &[u8],
        signature: &Ed25519Signature,
    ) -> Option<bool> {
        Some(verify::ed25519(
            self.devices.get(device)?,
            signature,
            statement,
        ))
    }
}
