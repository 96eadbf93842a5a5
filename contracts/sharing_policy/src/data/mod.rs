//! Sharing-policy logic: plain storage and functions that return the event to emit or a
//! typed [`Error`]. Records owned by the other registries (users, devices, resources) are
//! fetched by the contract and passed in, so this module is testable without cross-contract
//! calls. Every check happens before the first write.
//!
//! One submodule per concern, each with its records, its reads and its changes: `policy`
//! (policies and their versions), `agreement` (acceptances and recorded accesses),
//! `device_grant` (temporary device grants) and `private_transfer`. This file holds the
//! storage they share and the checks they have in common.
mod agreement;
mod device_grant;
mod policy;
mod private_transfer;

pub use agreement::{Acceptance, AccessRecord, Agreement};
pub use device_grant::{DeviceGrant, GrantParties, MAX_GRANT_DURATION};
pub use policy::{Policy, PolicyVersion, MAX_POLICY_RESOURCES};
pub use private_transfer::{PrivateParam, PrivateTransfer, TransferState};

use crate::errors::Error;
use ink::{
    env::hash::{HashOutput, Sha2x256},
    primitives::AccountId,
    storage::Mapping,
};
use interfaces::device::DeviceRecord;
use interfaces::identity::UserRecord;
use shared_types::{
    AgreementId, DeviceKind, GrantId, PolicyId, Registries, Status, TransferId, UserId,
};

/// One acceptance per (policy, version, requester).
type AcceptanceKey = (PolicyId, u32, UserId);

/// The contract's state. Versions, agreements and access records are never overwritten.
#[ink::storage_item]
#[derive(Debug)]
pub struct SharingData {
    registries: Registries,
    policy_count: u64,
    policies: Mapping<PolicyId, Policy>,
    versions: Mapping<(PolicyId, u32), PolicyVersion>,
    agreement_count: u64,
    agreements: Mapping<AgreementId, Agreement>,
    /// (policy, version, requester) → agreement.
    agreed: Mapping<AcceptanceKey, AgreementId>,
    accesses: Mapping<(AgreementId, u32), AccessRecord>,
    grant_count: u64,
    grants: Mapping<GrantId, DeviceGrant>,
    transfer_count: u64,
    transfers: Mapping<TransferId, PrivateTransfer>,
}

/// SHA-256 with the host function on chain (and ink's off-chain engine in tests).
pub fn sha256(input: &[u8]) -> [u8; 32] {
    let mut out = <Sha2x256 as HashOutput>::Type::default();
    ink::env::hash_bytes::<Sha2x256>(input, &mut out);
    out
}

/// The caller is `user`'s controlling account, whatever the user's status: enough to
/// withdraw what the user shared (suspend or revoke a policy, revoke an agreement or a
/// grant), which must stay open to a suspended user.
pub fn ensure_controls(caller: AccountId, user: &UserRecord) -> Result<(), Error> {
    if user.controller != caller {
        return Err(Error::NotController);
    }
    Ok(())
}

/// The caller acts for `user`: it is the user's controlling account and the user is active.
/// Needed for everything that grants or sells in the user's name.
pub fn ensure_acts_for(caller: AccountId, user: &UserRecord) -> Result<(), Error> {
    ensure_controls(caller, user)?;
    if user.status != Status::Active {
        return Err(Error::UserNotActive);
    }
    Ok(())
}

/// `owner`, on whose authority the call relies without acting, is active.
fn ensure_owner_active(owner: &UserRecord) -> Result<(), Error> {
    if owner.status != Status::Active {
        return Err(Error::OwnerNotActive);
    }
    Ok(())
}

fn ensure_device(device: &DeviceRecord, kinds: &[DeviceKind]) -> Result<(), Error> {
    if !kinds.contains(&device.kind) {
        return Err(Error::WrongDeviceKind);
    }
    if device.status != Status::Active {
        return Err(Error::DeviceNotActive);
    }
    Ok(())
}

/// The next ID of a sequence whose count is `counter`, which it advances.
fn next_id<Id: From<u64>>(counter: &mut u64) -> Result<Id, Error> {
    let id = *counter;
    *counter = id.checked_add(1).ok_or(Error::Overflow)?;
    Ok(Id::from(id))
}

impl SharingData {
    /// Empty state trusting the three registries.
    pub fn new(registries: Registries) -> Self {
        Self {
            registries,
            policy_count: 0,
            policies: Mapping::new(),
            versions: Mapping::new(),
            agreement_count: 0,
            agreements: Mapping::new(),
            agreed: Mapping::new(),
            accesses: Mapping::new(),
            grant_count: 0,
            grants: Mapping::new(),
            transfer_count: 0,
            transfers: Mapping::new(),
        }
    }

    /// The identity, device and resource registries this contract trusts.
    pub fn registries(&self) -> Registries {
        self.registries
    }
}
