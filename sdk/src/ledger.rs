//! What off-chain parties look up on the ledger, behind a trait so the same SDK code runs
//! against the in-process sandbox and a real node (the e2e crate implements it over both).
//! Users and devices come back as the registries record them.
pub use interfaces::{device::DeviceRecord, identity::UserRecord};
use shared_types::{AgreementId, ResourceId, UserId};
use std::fmt;

/// A ledger look-up that could not be answered (connection, decoding, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerError(pub String);

impl fmt::Display for LedgerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ledger look-up failed: {}", self.0)
    }
}

impl std::error::Error for LedgerError {}

/// A sharing agreement as a cloud store needs it (I.3 step 3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgreementView {
    /// The policy's owner (who issues authorization codes).
    pub owner: UserId,
    /// The requester who accepted it.
    pub requester: UserId,
    /// The resources the accepted version covers.
    pub resources: Vec<ResourceId>,
    /// Active agreement, active policy, and now inside the usage period.
    pub usable: bool,
}

/// Registry and sharing look-ups.
pub trait Ledger {
    /// The device, or `None` if it is not registered (I.2 steps 1-2, 4-5).
    fn device(
        &mut self,
        device: &shared_types::DeviceId,
    ) -> Result<Option<DeviceRecord>, LedgerError>;
    /// The user, or `None` if not registered.
    fn user(&mut self, user: &UserId) -> Result<Option<UserRecord>, LedgerError>;
    /// The agreement, or `None` if there is none with this ID.
    fn agreement(&mut self, agreement: AgreementId) -> Result<Option<AgreementView>, LedgerError>;
}

/// An in-memory ledger for the SDK's unit tests.
#[cfg(test)]
#[derive(Default)]
pub(crate) struct MemoryLedger {
    pub devices: std::collections::BTreeMap<shared_types::DeviceId, DeviceRecord>,
    pub users: std::collections::BTreeMap<UserId, UserRecord>,
    pub agreements: std::collections::BTreeMap<AgreementId, AgreementView>,
}

#[cfg(test)]
impl Ledger for MemoryLedger {
    fn device(
        &mut self,
        device: &shared_types::DeviceId,
    ) -> Result<Option<DeviceRecord>, LedgerError> {
        Ok(self.devices.get(device).cloned())
    }
    fn user(&mut self, user: &UserId) -> Result<Option<UserRecord>, LedgerError> {
        Ok(self.users.get(user).cloned())
    }
    fn agreement(&mut self, agreement: AgreementId) -> Result<Option<AgreementView>, LedgerError> {
        Ok(self.agreements.get(&agreement).cloned())
    }
}
