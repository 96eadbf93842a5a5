//! Test support for the contracts' unit tests: registry records for the contracts that take
//! them as inputs (resource_registry, sharing_policy), as the identity and device registries
//! would answer by cross-contract call, and (from admin-role) the refusal assertion all of
//! them use and an admin handover.
pub use admin_role::{assert_refused, testing::hand_over};
use device_registry::DeviceRecord;
use identity_registry::UserRecord;
use ink::primitives::AccountId;
use shared_types::{DeviceKind, Ed25519Signature, SerialCommitment, Status, UserId};
use vssi_sdk::KeyPair;

/// The ISP that registered every fixture.
pub const ISP: u8 = 0x15;

/// An account whose 32 bytes are all `b`.
pub fn account(b: u8) -> AccountId {
    AccountId::from([b; 32])
}

/// An active user with `keys`, controlled by `account(controller)`.
pub fn user(keys: &KeyPair, controller: u8) -> UserRecord {
    UserRecord {
        controller: account(controller),
        keys: keys.public(),
        key_version: 0,
        status: Status::Active,
        status_reason: 0,
        suspended_by: None,
        registrar: account(ISP),
        registrar_key: keys.signing_public(),
        registrar_signature: Ed25519Signature([0; 64]),
        notice_hash: [0; 32],
        notice_version: 1,
        registered_at: 0,
    }
}

/// An active device of `owner` with `keys`.
pub fn device(owner: UserId, kind: DeviceKind, keys: &KeyPair) -> DeviceRecord {
    DeviceRecord {
        kind,
        owner,
        keys: keys.public(),
        key_version: 0,
        serial: SerialCommitment([7; 32]),
        status: Status::Active,
        status_reason: 0,
        suspended_by: None,
        nonce: 0,
        registrar: account(ISP),
        registered_at: 0,
        owner_index: 0,
        divs: None,
    }
}
