//! Device registry logic: plain storage and functions that return the event to emit or a
//! typed [`Error`]. Facts owned by other contracts (the owner's record and whether the caller
//! is a registrar, from the identity registry; the DIVS entry a link names, from its ledger)
//! are fetched by the contract and passed in, so this module is testable without
//! cross-contract calls. Every check happens before the first write.
use ink::{prelude::vec::Vec, primitives::AccountId, storage::Mapping};
pub use interfaces::device::{
    DeviceKeyEpoch, DeviceRecord, DeviceRegistration, DivsLink, Error, Suspender,
};
use interfaces::identity::UserRecord;
use shared_types::{
    epochs, payload, verify, AccountBytes, AccountState, DeviceId, DeviceKind, Ed25519PublicKey,
    Ed25519Signature, Entry, EntryKind, KeySet, ReasonCode, Status, TimeSpan, Timestamp, UserId,
};

/// Longest page [`DeviceData::devices_of`] and [`DeviceData::key_history`] return.
pub const MAX_PAGE: u32 = 50;

/// A device was registered (F.743.24 I.1.2 step 7).
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct DeviceRegistered {
    /// The device.
    #[ink(topic)]
    pub device: DeviceId,
    /// Its owner.
    #[ink(topic)]
    pub owner: UserId,
    /// Its kind.
    pub kind: DeviceKind,
    /// Its keys.
    pub keys: KeySet,
    /// The registrar.
    pub registrar: AccountId,
}

/// A device's keys were rotated.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct DeviceKeyRotated {
    /// The device.
    #[ink(topic)]
    pub device: DeviceId,
    /// The new keys.
    pub keys: KeySet,
}

/// A device's status changed.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct DeviceStatusChanged {
    /// The device.
    #[ink(topic)]
    pub device: DeviceId,
    /// Who changed it.
    #[ink(topic)]
    pub by: AccountId,
    /// The new status.
    pub status: Status,
    /// Why.
    pub reason: ReasonCode,
}

/// A device changed hands.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct DeviceTransferred {
    /// The device.
    #[ink(topic)]
    pub device: DeviceId,
    /// The previous owner.
    #[ink(topic)]
    pub from: UserId,
    /// The new owner.
    #[ink(topic)]
    pub to: UserId,
}

/// A device was linked to its DIVS endorsement.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct DeviceDivsLinked {
    /// The device.
    #[ink(topic)]
    pub device: DeviceId,
    /// The link.
    pub link: DivsLink,
}

/// What a successful call emits.
#[derive(Debug, PartialEq, Eq)]
pub enum Event {
    /// See [`DeviceDivsLinked`].
    DeviceDivsLinked(DeviceDivsLinked),
    /// See [`DeviceRegistered`].
    DeviceRegistered(DeviceRegistered),
    /// See [`DeviceKeyRotated`].
    DeviceKeyRotated(DeviceKeyRotated),
    /// See [`DeviceStatusChanged`].
    DeviceStatusChanged(DeviceStatusChanged),
    /// See [`DeviceTransferred`].
    DeviceTransferred(DeviceTransferred),
}

/// The registry's state.
#[ink::storage_item]
#[derive(Debug)]
pub struct DeviceData {
    identity_registry: AccountId,
    devices: Mapping<DeviceId, DeviceRecord>,
    owned: Mapping<(UserId, u32), DeviceId>,
    owned_count: Mapping<UserId, u32>,
    key_epochs: Mapping<(DeviceId, u32), DeviceKeyEpoch>,
}

/// The device key's proof of possession: it signed that it is `device` of `owner` with
/// `keys`, at the record's `nonce`.
fn ensure_possession(
    this: &AccountBytes,
    device: &DeviceId,
    owner: &UserId,
    keys: &KeySet,
    nonce: u32,
    signature: &Ed25519Signature,
) -> Result<(), Error> {
    let statement = payload::device_proof_of_possession(this, device, owner, keys, nonce);
    if verify::ed25519(&keys.signing, signature, &statement) {
        Ok(())
    } else {
        Err(Error::InvalidDeviceSignature)
    }
}

/// Whether what the device presents or signs counts: the device and its owner are active.
fn in_service(record: &DeviceRecord, owner: &UserRecord) -> bool {
    record.status == Status::Active && owner.status == Status::Active
}

fn ensure_active(owner: &UserRecord) -> Result<(), Error> {
    if owner.status == Status::Active {
        Ok(())
    } else {
        Err(Error::OwnerNotActive)
    }
}

impl DeviceData {
    /// An empty registry that trusts `identity_registry` for users and registrars.
    pub fn new(identity_registry: AccountId) -> Self {
        Self {
            identity_registry,
            devices: Mapping::new(),
            owned: Mapping::new(),
            owned_count: Mapping::new(),
            key_epochs: Mapping::new(),
        }
    }

    /// The identity registry this one trusts.
    pub fn identity_registry(&self) -> AccountId {
        self.identity_registry
    }

    /// The device's record.
    pub fn device(&self, device: DeviceId) -> Result<DeviceRecord, Error> {
        self.devices.get(device).ok_or(Error::UnknownDevice)
    }

    /// Registers a device signed by its owner; its keys are epoch 0 of its key history, valid
    /// from `now`. The caller was found to be a registrar and `owner` is the owner's identity
    /// record, both fetched by the contract.
    pub fn register_device(
        &mut self,
        registrar: AccountId,
        this: &AccountBytes,
        now: Timestamp,
        r: DeviceRegistration,
        owner: &UserRecord,
    ) -> Result<Event, Error> {
        ensure_active(owner)?;
        if self.devices.contains(r.device) {
            return Err(Error::DeviceExists);
        }
        if !verify::x25519_key_acceptable(&r.keys.encryption) {
            return Err(Error::WeakEncryptionKey);
        }
        let statement =
            payload::device_registration(this, &r.device, r.kind, &r.owner, &r.keys, &r.serial);
        if !verify::ed25519(&owner.keys.signing, &r.owner_signature, &statement) {
            return Err(Error::InvalidOwnerSignature);
        }
        ensure_possession(this, &r.device, &r.owner, &r.keys, 0, &r.device_signature)?;
        let owner_index = self.push_owned(r.owner, r.device)?;
        self.key_epochs.insert(
            (r.device, 0),
            &DeviceKeyEpoch {
                keys: r.keys,
                valid_from: now,
                valid_until: None,
                divs: None,
            },
        );
        self.devices.insert(
            r.device,
            &DeviceRecord {
                kind: r.kind,
                owner: r.owner,
                keys: r.keys,
                key_version: 0,
                serial: r.serial,
                status: Status::Active,
                status_reason: shared_types::reason::UNSPECIFIED,
                suspended_by: None,
                nonce: 0,
                registrar,
                registered_at: now,
                owner_index,
                divs: None,
            },
        );
        Ok(Event::DeviceRegistered(DeviceRegistered {
            device: r.device,
            owner: r.owner,
            kind: r.kind,
            keys: r.keys,
            registrar,
        }))
    }

    /// Rotates an active device's keys, signed by its active owner over
    /// [`payload::device_key_rotation`] with the record's nonce, and by the new device key
    /// over [`payload::device_proof_of_possession`] with the same nonce. The current key
    /// epoch ends at `now` and the next begins; the record's DIVS link, which endorsed the
    /// old key, stays with the old epoch.
    #[allow(clippy::too_many_arguments)] // the owner's and the device's signatures
    pub fn rotate_device_key(
        &mut self,
        this: &AccountBytes,
        now: Timestamp,
        device: DeviceId,
        new_keys: KeySet,
        owner_signature: Ed25519Signature,
        device_signature: Ed25519Signature,
        owner: &UserRecord,
    ) -> Result<Event, Error> {
        let mut record = self.active_device(device)?;
        ensure_active(owner)?;
        // The signatures first: a replayed rotation then reports the used nonce.
        let statement = payload::device_key_rotation(this, &device, record.nonce, &new_keys);
        if !verify::ed25519(&owner.keys.signing, &owner_signature, &statement) {
            return Err(Error::InvalidOwnerSignature);
        }
        ensure_possession(
            this,
            &device,
            &record.owner,
            &new_keys,
            record.nonce,
            &device_signature,
        )?;
        if new_keys.signing == record.keys.signing {
            return Err(Error::KeyUnchanged);
        }
        if !verify::x25519_key_acceptable(&new_keys.encryption) {
            return Err(Error::WeakEncryptionKey);
        }
        record.nonce = record.nonce.checked_add(1).ok_or(Error::Overflow)?;
        let next = record.key_version.checked_add(1).ok_or(Error::Overflow)?;
        let mut current = self.epoch(device, record.key_version)?;
        current.valid_until = Some(now);
        self.key_epochs
            .insert((device, record.key_version), &current);
        self.key_epochs.insert(
            (device, next),
            &DeviceKeyEpoch {
                keys: new_keys,
                valid_from: now,
                valid_until: None,
                divs: None,
            },
        );
        record.keys = new_keys;
        record.key_version = next;
        record.divs = None;
        self.devices.insert(device, &record);
        Ok(Event::DeviceKeyRotated(DeviceKeyRotated {
            device,
            keys: new_keys,
        }))
    }

    /// Moves an active device to `to`, signed by both owners over [`payload::device_transfer`].
    #[allow(clippy::too_many_arguments)] // the two parties and their signatures
    pub fn transfer_device(
        &mut self,
        this: &AccountBytes,
        device: DeviceId,
        to: UserId,
        from_signature: Ed25519Signature,
        to_signature: Ed25519Signature,
        from_owner: &UserRecord,
        to_owner: &UserRecord,
    ) -> Result<Event, Error> {
        let mut record = self.active_device(device)?;
        let from = record.owner;
        if from == to {
            return Err(Error::SameOwner);
        }
        ensure_active(from_owner)?;
        ensure_active(to_owner)?;
        let statement = payload::device_transfer(this, &device, record.nonce, &from, &to);
        if !verify::ed25519(&from_owner.keys.signing, &from_signature, &statement) {
            return Err(Error::InvalidOwnerSignature);
        }
        if !verify::ed25519(&to_owner.keys.signing, &to_signature, &statement) {
            return Err(Error::InvalidNewOwnerSignature);
        }
        record.nonce = record.nonce.checked_add(1).ok_or(Error::Overflow)?;
        // The new owner's list must have room before the old owner's list changes.
        self.device_count(to)
            .checked_add(1)
            .ok_or(Error::Overflow)?;
        self.remove_owned(from, record.owner_index)?;
        record.owner_index = self.push_owned(to, device)?;
        record.owner = to;
        self.devices.insert(device, &record);
        Ok(Event::DeviceTransferred(DeviceTransferred {
            device,
            from,
            to,
        }))
    }

    /// Suspends, revokes or reactivates a device. `party` is what the caller is to the
    /// device's owner (found by the contract): its controlling account, its current
    /// registrar, or nothing. A suspension is lifted only by the party that imposed it, and
    /// an inactive owner may suspend or revoke her device but not reactivate it.
    pub fn change_status(
        &mut self,
        caller: AccountId,
        party: Option<Suspender>,
        owner: &UserRecord,
        device: DeviceId,
        status: Status,
        reason: ReasonCode,
    ) -> Result<Event, Error> {
        let mut record = self.device(device)?;
        let party = party.ok_or(Error::NotAuthorized)?;
        if record.status == Status::Revoked {
            return Err(Error::DeviceRevoked);
        }
        if record.status == status {
            return Err(Error::StatusUnchanged);
        }
        if status == Status::Active {
            if record.suspended_by != Some(party) {
                return Err(Error::NotSuspender);
            }
            if party == Suspender::Owner {
                ensure_active(owner)?;
            }
        }
        record.suspended_by = (status == Status::Suspended).then_some(party);
        record.status = status;
        record.status_reason = reason;
        self.devices.insert(device, &record);
        Ok(Event::DeviceStatusChanged(DeviceStatusChanged {
            device,
            by: caller,
            status,
            reason,
        }))
    }

    /// Links an active device of an active owner to the DIVS entry of the same hardware,
    /// which must be a verified registration of the device's current signing key; the link
    /// goes into the record and the current key epoch. `caller_is_controller` tells whether
    /// the caller controls the owner's identity, `entry` is the entry `link` names (`None`
    /// if its ledger has none) and `latest` the ledger's latest entry of the device's
    /// current signing key, all found by the contract; a terminated UE is linked no more.
    pub fn link_divs(
        &mut self,
        caller_is_controller: bool,
        owner: &UserRecord,
        device: DeviceId,
        link: DivsLink,
        (entry, latest): (Option<Entry>, Option<Entry>),
    ) -> Result<Event, Error> {
        let mut record = self.active_device(device)?;
        if !caller_is_controller {
            return Err(Error::NotAuthorized);
        }
        ensure_active(owner)?;
        let entry = entry.ok_or(Error::UnknownDivsEntry)?;
        if entry.kind != EntryKind::Registration {
            return Err(Error::NotADivsRegistration);
        }
        // A batch entry's signatures were stored unchecked: it endorses nothing on chain.
        if !entry.verified {
            return Err(Error::DivsEntryNotVerified);
        }
        if entry.parameters.public_key != record.keys.signing {
            return Err(Error::DivsKeyMismatch);
        }
        let latest = latest.ok_or(Error::UnknownDivsEntry)?;
        if latest.status.state == AccountState::Terminated {
            return Err(Error::DivsUeTerminated);
        }
        let mut epoch = self.epoch(device, record.key_version)?;
        epoch.divs = Some(link);
        self.key_epochs.insert((device, record.key_version), &epoch);
        record.divs = Some(link);
        self.devices.insert(device, &record);
        Ok(Event::DeviceDivsLinked(DeviceDivsLinked { device, link }))
    }

    /// True when the device and its owner (`owner`, fetched by the contract) are active and
    /// `key` is the device's current signing key (I.2 step 5).
    pub fn verify_device_key(
        &self,
        device: DeviceId,
        key: Ed25519PublicKey,
        owner: &UserRecord,
    ) -> Result<bool, Error> {
        let record = self.device(device)?;
        Ok(in_service(&record, owner) && record.keys.signing == key)
    }

    /// True when the device and its owner (`owner`, fetched by the contract) are active and
    /// `signature` of `message` verifies under the device's current signing key.
    pub fn signed_by(
        &self,
        device: DeviceId,
        message: &[u8],
        signature: &Ed25519Signature,
        owner: &UserRecord,
    ) -> Result<bool, Error> {
        let record = self.device(device)?;
        Ok(in_service(&record, owner) && verify::ed25519(&record.keys.signing, signature, message))
    }

    /// True when the device and its owner (`owner`, fetched by the contract) are active now
    /// and `signature` of `message` verifies under the signing key valid throughout `span`:
    /// the key of the span's start (the registered key for a start before registration: a
    /// PU may capture before it is registered), if the span ends before that key was
    /// retired. So a capture attestation made before a key rotation verifies, and a retired
    /// key signs for no span that reaches past its retirement.
    pub fn signed_during(
        &self,
        device: DeviceId,
        span: &TimeSpan,
        message: &[u8],
        signature: &Ed25519Signature,
        owner: &UserRecord,
    ) -> Result<bool, Error> {
        let record = self.device(device)?;
        if !in_service(&record, owner) {
            return Ok(false);
        }
        let epoch = match self.key_at(device, span.start) {
            Err(Error::NoKeyAtTime) => self.epoch(device, 0)?,
            other => other?,
        };
        let within = epoch.valid_until.is_none_or(|retired| span.end < retired);
        Ok(within && verify::ed25519(&epoch.keys.signing, signature, message))
    }

    fn epoch(&self, device: DeviceId, version: u32) -> Result<DeviceKeyEpoch, Error> {
        self.key_epochs
            .get((device, version))
            .ok_or(Error::UnknownDevice)
    }

    /// The keys that were valid at block time `at`, with the DIVS link made for them.
    pub fn key_at(&self, device: DeviceId, at: Timestamp) -> Result<DeviceKeyEpoch, Error> {
        let record = self.device(device)?;
        let version = epochs::version_at(record.key_version, at, |version| {
            Ok(self.epoch(device, version)?.valid_from)
        })?
        .ok_or(Error::NoKeyAtTime)?;
        self.epoch(device, version)
    }

    /// Up to `limit` (at most [`MAX_PAGE`]) key epochs from version `start`, oldest first.
    pub fn key_history(
        &self,
        device: DeviceId,
        start: u32,
        limit: u32,
    ) -> Result<Vec<DeviceKeyEpoch>, Error> {
        let record = self.device(device)?;
        let end = start
            .saturating_add(limit.min(MAX_PAGE))
            .min(record.key_version.saturating_add(1));
        (start..end).map(|v| self.epoch(device, v)).collect()
    }

    /// Up to `limit` (at most [`MAX_PAGE`]) of the owner's devices from position `start`.
    pub fn devices_of(&self, owner: UserId, start: u32, limit: u32) -> Vec<DeviceId> {
        let count = self.owned_count.get(owner).unwrap_or(0);
        let end = start.saturating_add(limit.min(MAX_PAGE)).min(count);
        (start..end)
            .filter_map(|i| self.owned.get((owner, i)))
            .collect()
    }

    /// Number of devices the owner has.
    pub fn device_count(&self, owner: UserId) -> u32 {
        self.owned_count.get(owner).unwrap_or(0)
    }

    fn active_device(&self, device: DeviceId) -> Result<DeviceRecord, Error> {
        let record = self.device(device)?;
        if record.status == Status::Active {
            Ok(record)
        } else {
            Err(Error::DeviceNotActive)
        }
    }

    fn push_owned(&mut self, owner: UserId, device: DeviceId) -> Result<u32, Error> {
        let index = self.device_count(owner);
        let count = index.checked_add(1).ok_or(Error::Overflow)?;
        self.owned.insert((owner, index), &device);
        self.owned_count.insert(owner, &count);
        Ok(index)
    }

    /// Swap-removes position `index` from the owner's list, fixing the moved device's index.
    fn remove_owned(&mut self, owner: UserId, index: u32) -> Result<(), Error> {
        let last = self
            .device_count(owner)
            .checked_sub(1)
            .ok_or(Error::Overflow)?;
        if index != last {
            let moved = self.owned.get((owner, last)).ok_or(Error::UnknownDevice)?;
            let mut moved_record = self.device(moved)?;
            moved_record.owner_index = index;
            self.devices.insert(moved, &moved_record);
            self.owned.insert((owner, index), &moved);
        }
        self.owned.remove((owner, last));
        self.owned_count.insert(owner, &last);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared_types::{reason, SerialCommitment, X25519PublicKey};

    /// The only way to reach `Overflow` is 2^32 owner-signed changes; plant a record there.
    #[ink::test]
    fn a_change_past_the_last_nonce_overflows() {
        let mut data = DeviceData::new(AccountId::from([1; 32]));
        let owner_keys = vssi_sdk::KeyPair::generate();
        let owner = UserRecord {
            controller: AccountId::from([2; 32]),
            keys: owner_keys.public(),
            key_version: 0,
            status: Status::Active,
            status_reason: reason::UNSPECIFIED,
            suspended_by: None,
            registrar: AccountId::from([3; 32]),
            registrar_key: owner_keys.signing_public(),
            registrar_signature: Ed25519Signature([0; 64]),
            notice_hash: [0; 32],
            notice_version: 1,
            registered_at: 0,
        };
        let device = DeviceId([4; 32]);
        let old_keys = KeySet {
            signing: Ed25519PublicKey([5; 32]),
            encryption: X25519PublicKey([5; 32]),
        };
        data.devices.insert(
            device,
            &DeviceRecord {
                kind: DeviceKind::Pu,
                owner: UserId([6; 32]),
                keys: old_keys,
                key_version: 0,
                serial: SerialCommitment([7; 32]),
                status: Status::Active,
                status_reason: reason::UNSPECIFIED,
                suspended_by: None,
                nonce: u32::MAX,
                registrar: AccountId::from([3; 32]),
                registered_at: 0,
                owner_index: 0,
                divs: None,
            },
        );
        let this = [8; 32];
        let new = vssi_sdk::KeyPair::generate();
        let new_keys = new.public();
        let statement = payload::device_key_rotation(&this, &device, u32::MAX, &new_keys);
        let possession = payload::device_proof_of_possession(
            &this,
            &device,
            &UserId([6; 32]),
            &new_keys,
            u32::MAX,
        );
        let before = data.device(device);
        assert_eq!(
            data.rotate_device_key(
                &this,
                0,
                device,
                new_keys,
                owner_keys.sign(&statement),
                new.sign(&possession),
                &owner
            ),
            Err(Error::Overflow)
        );
        assert_eq!(data.device(device), before);
    }
}
