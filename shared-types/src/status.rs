//! Device kinds and record statuses.
use scale::{Decode, Encode};
use scale_info::TypeInfo;

/// The kinds of VSS equipment F.743.24 names (clause 3.2, I.1.2).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "ink", derive(ink::storage::traits::StorageLayout))]
pub enum DeviceKind {
    /// Peripheral unit: a camera that captures video.
    Pu,
    /// Intelligent peripheral unit: a camera with on-device analytics.
    Ipu,
    /// Customer unit: a viewer / client of a VSS.
    Cu,
    /// Mobile customer unit.
    Mcu,
    /// Media storage unit (recording / cloud storage node).
    Msu,
    /// A user's private database, a participant of private transfers (I.5.2).
    PrivateDb,
}

/// Lifecycle of a user or device record.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "ink", derive(ink::storage::traits::StorageLayout))]
pub enum Status {
    /// Usable: its keys verify and it may act.
    Active,
    /// Temporarily unusable; can be reactivated.
    Suspended,
    /// Permanently unusable; final.
    Revoked,
}

impl Status {
    /// Whether it may act: neither suspended nor revoked.
    pub fn is_active(self) -> bool {
        self == Self::Active
    }
}

/// Why a status changed, recorded with the change. Values below 1000 are defined here;
/// registrars may use 1000 and above for their own codes.
pub type ReasonCode = u16;

/// Well-known reason codes.
pub mod reason {
    use super::ReasonCode;
    /// No reason given.
    pub const UNSPECIFIED: ReasonCode = 0;
    /// A private key was (or may have been) compromised.
    pub const KEY_COMPROMISE: ReasonCode = 1;
    /// The user or owner asked for it.
    pub const REQUESTED_BY_OWNER: ReasonCode = 2;
    /// The registrar's terms were breached.
    pub const POLICY_VIOLATION: ReasonCode = 3;
    /// The device was lost or stolen.
    pub const DEVICE_LOST: ReasonCode = 4;
    /// The earlier problem was resolved.
    pub const RESOLVED: ReasonCode = 5;
    /// A storage provider reached the fault threshold of verifications that did not match.
    pub const FAULT_THRESHOLD: ReasonCode = 6;
}
