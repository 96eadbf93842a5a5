//! Test support: registry records as the identity and device registries would answer them,
//! for the tests of the contracts that take them as inputs (resource_registry,
//! sharing_policy) and of the SDK's ledger look-ups; and (from admin-role) the refusal
//! assertion the contracts' tests use and an admin handover.
pub use admin_role::{assert_refused, testing::hand_over};
use ink::primitives::AccountId;
use interfaces::{device::DeviceRecord, identity::UserRecord};
use shared_types::{
    DeviceKind, Ed25519PublicKey, Ed25519Signature, KeySet, SerialCommitment, Status, UserId,
};

/// The ISP that registered every fixture.
pub const ISP: u8 = 0x15;

/// An account whose 32 bytes are all `b`.
pub fn account(b: u8) -> AccountId {
    AccountId::from([b; 32])
}

/// An active user with `keys`, controlled by `account(controller)`.
pub fn user(keys: KeySet, controller: u8) -> UserRecord {
    UserRecord {
        controller: account(controller),
        keys,
        key_version: 0,
        status: Status::Active,
        status_reason: 0,
        suspended_by: None,
        registrar: account(ISP),
        registrar_key: Ed25519PublicKey([ISP; 32]),
        registrar_signature: Ed25519Signature([0; 64]),
        notice_hash: [0; 32],
        notice_version: 1,
        registered_at: 0,
    }
}

/// An active device of `owner` with `keys`.
pub fn device(owner: UserId, kind: DeviceKind, keys: KeySet) -> DeviceRecord {
    DeviceRecord {
        kind,
        owner,
        keys,
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
