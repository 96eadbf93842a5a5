//! Identity registry logic: plain storage and functions that return the event to emit or a
//! typed [`Error`]; every check happens before the first write, so a refused call changes
//! nothing.
use admin_role::AdminData;
use ink::{primitives::AccountId, storage::Mapping};
pub use interfaces::identity::{
    Error, KeyChange, KeyChangeKind, KeyEpoch, Suspender, UserRecord, UserRegistration,
};
use shared_types::{
    epochs, payload, verify, AccountBytes, Ed25519PublicKey, Ed25519Signature, KeySet, ReasonCode,
    Status, Timestamp, UserId,
};

/// Longest page [`IdentityData::key_history`] returns.
pub const MAX_PAGE: u32 = 32;

/// A registrar (ISP) was added.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct RegistrarAdded {
    /// Its chain account.
    #[ink(topic)]
    pub registrar: AccountId,
    /// Its attestation key.
    pub key: Ed25519PublicKey,
}

/// A registrar was removed.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct RegistrarRemoved {
    /// Its chain account.
    #[ink(topic)]
    pub registrar: AccountId,
}

/// A user was registered (F.743.24 I.1.1 step 3).
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct UserRegistered {
    /// The user.
    #[ink(topic)]
    pub user: UserId,
    /// The registrar.
    #[ink(topic)]
    pub registrar: AccountId,
    /// The controlling account.
    pub controller: AccountId,
    /// The registered keys.
    pub keys: KeySet,
    /// Hash of the accepted notice.
    pub notice_hash: [u8; 32],
    /// Version of the accepted notice.
    pub notice_version: u32,
}

/// The admin gave a user another registrar.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct UserRegistrarChanged {
    /// The user.
    #[ink(topic)]
    pub user: UserId,
    /// The previous registrar.
    #[ink(topic)]
    pub from: AccountId,
    /// The new registrar.
    #[ink(topic)]
    pub to: AccountId,
}

/// A user's keys were rotated.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct UserKeyRotated {
    /// The user.
    #[ink(topic)]
    pub user: UserId,
    /// The new key version.
    pub key_version: u32,
    /// The new keys.
    pub keys: KeySet,
}

/// The user's registrar changed a user's controller with the user's signature.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct UserControllerChanged {
    /// The user.
    #[ink(topic)]
    pub user: UserId,
    /// The registrar that approved it.
    #[ink(topic)]
    pub registrar: AccountId,
    /// The previous controller.
    pub from: AccountId,
    /// The new controller.
    pub to: AccountId,
}

/// The user's registrar recovered a user it had suspended: new keys and controller, and the
/// user active again.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct UserRecovered {
    /// The user.
    #[ink(topic)]
    pub user: UserId,
    /// The registrar that recovered it.
    #[ink(topic)]
    pub registrar: AccountId,
    /// The new key version.
    pub key_version: u32,
    /// The new keys.
    pub keys: KeySet,
    /// The new controller.
    pub controller: AccountId,
}

/// A user's status changed.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct UserStatusChanged {
    /// The user.
    #[ink(topic)]
    pub user: UserId,
    /// Who changed it.
    #[ink(topic)]
    pub by: AccountId,
    /// The new status.
    pub status: Status,
    /// Why.
    pub reason: ReasonCode,
}

/// What a successful call emits.
#[derive(Debug, PartialEq, Eq)]
pub enum Event {
    /// See [`RegistrarAdded`].
    RegistrarAdded(RegistrarAdded),
    /// See [`RegistrarRemoved`].
    RegistrarRemoved(RegistrarRemoved),
    /// See [`UserRegistered`].
    UserRegistered(UserRegistered),
    /// See [`UserRegistrarChanged`].
    UserRegistrarChanged(UserRegistrarChanged),
    /// See [`UserKeyRotated`].
    UserKeyRotated(UserKeyRotated),
    /// See [`UserStatusChanged`].
    UserStatusChanged(UserStatusChanged),
    /// See [`UserControllerChanged`].
    UserControllerChanged(UserControllerChanged),
    /// See [`UserRecovered`].
    UserRecovered(UserRecovered),
}

/// The registry's state.
#[ink::storage_item]
#[derive(Debug)]
pub struct IdentityData {
    /// The admin and the log of code upgrades.
    pub admin: AdminData,
    registrars: Mapping<AccountId, Ed25519PublicKey>,
    users: Mapping<UserId, UserRecord>,
    key_epochs: Mapping<(UserId, u32), KeyEpoch>,
    /// Per user, the controller settings so far (changes and recoveries): the nonce of the
    /// next controller change; absent is 0.
    controller_nonces: Mapping<UserId, u32>,
}

impl IdentityData {
    /// An empty registry administered by `admin`.
    pub fn new(admin: AccountId) -> Self {
        Self {
            admin: AdminData::new(admin),
            registrars: Mapping::new(),
            users: Mapping::new(),
            key_epochs: Mapping::new(),
            controller_nonces: Mapping::new(),
        }
    }

    /// The attestation key of a registrar.
    pub fn registrar_key(&self, registrar: AccountId) -> Option<Ed25519PublicKey> {
        self.registrars.get(registrar)
    }

    /// The key of `caller` if it is the user's registrar and still a registrar: a removed
    /// one keeps no power over the users it registered.
    fn users_registrar_key(
        &self,
        caller: AccountId,
        record: &UserRecord,
    ) -> Result<Ed25519PublicKey, Error> {
        if caller != record.registrar {
            return Err(Error::NotUserRegistrar);
        }
        self.registrars.get(caller).ok_or(Error::NotUserRegistrar)
    }

    /// The admin adds a registrar with its attestation key.
    pub fn add_registrar(
        &mut self,
        caller: AccountId,
        registrar: AccountId,
        key: Ed25519PublicKey,
    ) -> Result<Event, Error> {
        self.admin.ensure_admin(caller)?;
        if self.registrars.contains(registrar) {
            return Err(Error::RegistrarExists);
        }
        self.registrars.insert(registrar, &key);
        Ok(Event::RegistrarAdded(RegistrarAdded { registrar, key }))
    }

    /// The admin removes a registrar. Users it registered stay registered.
    pub fn remove_registrar(
        &mut self,
        caller: AccountId,
        registrar: AccountId,
    ) -> Result<Event, Error> {
        self.admin.ensure_admin(caller)?;
        if self.registrars.take(registrar).is_none() {
            return Err(Error::UnknownRegistrar);
        }
        Ok(Event::RegistrarRemoved(RegistrarRemoved { registrar }))
    }

    /// A registrar registers a user; both signatures are verified here.
    pub fn register_user(
        &mut self,
        caller: AccountId,
        this: &AccountBytes,
        now: Timestamp,
        r: UserRegistration,
    ) -> Result<Event, Error> {
        let registrar_key = self.registrars.get(caller).ok_or(Error::NotRegistrar)?;
        if self.users.contains(r.user) {
            return Err(Error::UserExists);
        }
        if !verify::x25519_key_acceptable(&r.keys.encryption) {
            return Err(Error::WeakEncryptionKey);
        }
        let (controller, registrar): (&AccountBytes, &AccountBytes) =
            (r.controller.as_ref(), caller.as_ref());
        // The user names the registrar and the notice, so no other registrar can submit it.
        let pop = payload::user_proof_of_possession(
            this,
            &r.user,
            &r.keys,
            controller,
            registrar,
            &r.notice_hash,
            r.notice_version,
        );
        if !verify::ed25519(&r.keys.signing, &r.proof_of_possession, &pop) {
            return Err(Error::InvalidProofOfPossession);
        }
        let attestation = payload::registrar_attestation(
            this,
            &r.user,
            &r.keys,
            controller,
            &r.notice_hash,
            r.notice_version,
        );
        if !verify::ed25519(&registrar_key, &r.registrar_signature, &attestation) {
            return Err(Error::InvalidRegistrarSignature);
        }
        let record = UserRecord {
            controller: r.controller,
            keys: r.keys,
            key_version: 0,
            status: Status::Active,
            status_reason: shared_types::reason::UNSPECIFIED,
            suspended_by: None,
            registrar: caller,
            registrar_key,
            registrar_signature: r.registrar_signature,
            notice_hash: r.notice_hash,
            notice_version: r.notice_version,
            registered_at: now,
        };
        self.users.insert(r.user, &record);
        self.key_epochs.insert(
            (r.user, 0),
            &KeyEpoch {
                keys: r.keys,
                valid_from: now,
                valid_until: None,
                authorized_by: KeyChange {
                    kind: KeyChangeKind::Registered,
                    signer: registrar_key,
                    signature: r.registrar_signature,
                    controller: Some(r.controller),
                },
            },
        );
        Ok(Event::UserRegistered(UserRegistered {
            user: r.user,
            registrar: caller,
            controller: r.controller,
            keys: r.keys,
            notice_hash: r.notice_hash,
            notice_version: r.notice_version,
        }))
    }

    /// Rotates an active user's keys; signed by the current and the new signing key over
    /// [`payload::user_key_rotation`] for the current key version.
    pub fn rotate_user_key(
        &mut self,
        this: &AccountBytes,
        now: Timestamp,
        user: UserId,
        new_keys: KeySet,
        old_key_signature: Ed25519Signature,
        new_key_signature: Ed25519Signature,
    ) -> Result<Event, Error> {
        let mut record = self.user(user)?;
        if record.status != Status::Active {
            return Err(Error::UserNotActive);
        }
        // Signatures first: a replayed rotation then reports the used key version.
        let statement = payload::user_key_rotation(this, &user, record.key_version, &new_keys);
        if !verify::ed25519(&record.keys.signing, &old_key_signature, &statement) {
            return Err(Error::InvalidOldKeySignature);
        }
        if !verify::ed25519(&new_keys.signing, &new_key_signature, &statement) {
            return Err(Error::InvalidNewKeySignature);
        }
        if new_keys.signing == record.keys.signing {
            return Err(Error::KeyUnchanged);
        }
        if !verify::x25519_key_acceptable(&new_keys.encryption) {
            return Err(Error::WeakEncryptionKey);
        }
        let outgoing = record.keys.signing;
        let next = self.open_epoch(
            user,
            &mut record,
            now,
            new_keys,
            KeyChange {
                kind: KeyChangeKind::Rotated,
                signer: outgoing,
                signature: old_key_signature,
                controller: None,
            },
        )?;
        self.users.insert(user, &record);
        Ok(Event::UserKeyRotated(UserKeyRotated {
            user,
            key_version: next,
            keys: new_keys,
        }))
    }

    /// Closes the user's current key epoch at `now` and opens the next one with `keys`, put
    /// in place by `change`; `record` (written by the caller) follows. Fails before its
    /// first write, so call it after every other check; returns the new key version.
    fn open_epoch(
        &mut self,
        user: UserId,
        record: &mut UserRecord,
        now: Timestamp,
        keys: KeySet,
        change: KeyChange,
    ) -> Result<u32, Error> {
        let next = record.key_version.checked_add(1).ok_or(Error::Overflow)?;
        let mut current = self.epoch(user, record.key_version)?;
        current.valid_until = Some(now);
        self.key_epochs.insert((user, record.key_version), &current);
        self.key_epochs.insert(
            (user, next),
            &KeyEpoch {
                keys,
                valid_from: now,
                valid_until: None,
                authorized_by: change,
            },
        );
        record.keys = keys;
        record.key_version = next;
        Ok(next)
    }

    /// The nonce the user's next controller change signs.
    pub fn controller_nonce(&self, user: UserId) -> Result<u32, Error> {
        self.user(user)?;
        Ok(self.controller_nonces.get(user).unwrap_or(0))
    }

    /// The user's registrar, while it is a registrar, moves an active user to another
    /// controlling account, signed by the user's current key over
    /// [`payload::user_controller_change`] for the user's controller nonce: the registrar's
    /// call is its approval, so neither it nor a thief of the key acts alone.
    pub fn change_controller(
        &mut self,
        caller: AccountId,
        this: &AccountBytes,
        user: UserId,
        new_controller: AccountId,
        user_signature: Ed25519Signature,
    ) -> Result<Event, Error> {
        let mut record = self.user(user)?;
        self.users_registrar_key(caller, &record)?;
        if record.status != Status::Active {
            return Err(Error::UserNotActive);
        }
        let nonce = self.controller_nonces.get(user).unwrap_or(0);
        let statement = payload::user_controller_change(
            this,
            &user,
            caller.as_ref(),
            nonce,
            new_controller.as_ref(),
        );
        if !verify::ed25519(&record.keys.signing, &user_signature, &statement) {
            return Err(Error::InvalidUserSignature);
        }
        let from = record.controller;
        if from == new_controller {
            return Err(Error::ControllerUnchanged);
        }
        let next = nonce.checked_add(1).ok_or(Error::Overflow)?;
        self.controller_nonces.insert(user, &next);
        record.controller = new_controller;
        self.users.insert(user, &record);
        Ok(Event::UserControllerChanged(UserControllerChanged {
            user,
            registrar: caller,
            from,
            to: new_controller,
        }))
    }

    /// The user's registrar, while it is a registrar, recovers a user whose signing key was
    /// lost or stolen: only while the user is suspended by its registrar (so the first step
    /// is public, and an active user is never taken over silently), with new keys and a
    /// controller over [`payload::user_recovery`] signed by the new key and by the
    /// registrar's attestation key. A new key epoch opens, recorded as
    /// [`KeyChangeKind::Recovered`], and the user is active again: the recovery event and
    /// the status change, for whoever follows statuses.
    #[allow(clippy::too_many_arguments)] // the recovery, field by field
    pub fn recover_user(
        &mut self,
        caller: AccountId,
        this: &AccountBytes,
        now: Timestamp,
        user: UserId,
        new_keys: KeySet,
        new_controller: AccountId,
        new_key_signature: Ed25519Signature,
        registrar_signature: Ed25519Signature,
    ) -> Result<[Event; 2], Error> {
        let mut record = self.user(user)?;
        let registrar_key = self.users_registrar_key(caller, &record)?;
        match (record.status, record.suspended_by) {
            (Status::Suspended, Some(Suspender::Registrar)) => {}
            (Status::Suspended, _) => return Err(Error::NotSuspender),
            (Status::Active, _) => return Err(Error::UserNotSuspended),
            (Status::Revoked, _) => return Err(Error::UserRevoked),
        }
        let statement = payload::user_recovery(
            this,
            &user,
            record.key_version,
            &new_keys,
            new_controller.as_ref(),
            &registrar_key,
        );
        if !verify::ed25519(&new_keys.signing, &new_key_signature, &statement) {
            return Err(Error::InvalidNewKeySignature);
        }
        if !verify::ed25519(&registrar_key, &registrar_signature, &statement) {
            return Err(Error::InvalidRegistrarSignature);
        }
        if new_keys.signing == record.keys.signing {
            return Err(Error::KeyUnchanged);
        }
        if !verify::x25519_key_acceptable(&new_keys.encryption) {
            return Err(Error::WeakEncryptionKey);
        }
        // A recovery sets the controller too: a change the old key signed stays void even
        // if that key ever comes back.
        let nonce = self
            .controller_nonces
            .get(user)
            .unwrap_or(0)
            .checked_add(1)
            .ok_or(Error::Overflow)?;
        let key_version = self.open_epoch(
            user,
            &mut record,
            now,
            new_keys,
            KeyChange {
                kind: KeyChangeKind::Recovered,
                signer: registrar_key,
                signature: registrar_signature,
                controller: Some(new_controller),
            },
        )?;
        self.controller_nonces.insert(user, &nonce);
        record.controller = new_controller;
        record.status = Status::Active;
        record.status_reason = shared_types::reason::RESOLVED;
        record.suspended_by = None;
        self.users.insert(user, &record);
        Ok([
            Event::UserRecovered(UserRecovered {
                user,
                registrar: caller,
                key_version,
                keys: new_keys,
                controller: new_controller,
            }),
            Event::UserStatusChanged(UserStatusChanged {
                user,
                by: caller,
                status: Status::Active,
                reason: record.status_reason,
            }),
        ])
    }

    /// The admin gives a user another (current) registrar, e.g. before removing one.
    pub fn reassign_registrar(
        &mut self,
        caller: AccountId,
        user: UserId,
        registrar: AccountId,
    ) -> Result<Event, Error> {
        self.admin.ensure_admin(caller)?;
        let mut record = self.user(user)?;
        if !self.registrars.contains(registrar) {
            return Err(Error::UnknownRegistrar);
        }
        let from = record.registrar;
        if from == registrar {
            return Err(Error::RegistrarUnchanged);
        }
        // A controller change the user signed for an earlier registrar stays void, even if
        // that registrar is assigned again.
        let nonce = self.controller_nonces.get(user).unwrap_or(0);
        let next = nonce.checked_add(1).ok_or(Error::Overflow)?;
        self.controller_nonces.insert(user, &next);
        record.registrar = registrar;
        self.users.insert(user, &record);
        Ok(Event::UserRegistrarChanged(UserRegistrarChanged {
            user,
            from,
            to: registrar,
        }))
    }

    /// Suspends, revokes or reactivates a user. Allowed to the admin and to the user's
    /// registrar while it is a registrar; a suspension is lifted only by the party that
    /// imposed it or by the admin. Revoked is final; a transition to the current status is
    /// refused.
    pub fn change_status(
        &mut self,
        caller: AccountId,
        user: UserId,
        status: Status,
        reason: ReasonCode,
    ) -> Result<Event, Error> {
        let mut record = self.user(user)?;
        let party = if caller == self.admin.admin() {
            Suspender::Admin
        } else if self.users_registrar_key(caller, &record).is_ok() {
            Suspender::Registrar
        } else {
            return Err(Error::NotUserRegistrar);
        };
        if record.status == Status::Revoked {
            return Err(Error::UserRevoked);
        }
        if record.status == status {
            return Err(Error::StatusUnchanged);
        }
        if status == Status::Active
            && party != Suspender::Admin
            && record.suspended_by != Some(party)
        {
            return Err(Error::NotSuspender);
        }
        record.suspended_by = (status == Status::Suspended).then_some(party);
        record.status = status;
        record.status_reason = reason;
        self.users.insert(user, &record);
        Ok(Event::UserStatusChanged(UserStatusChanged {
            user,
            by: caller,
            status,
            reason,
        }))
    }

    /// The user's record.
    pub fn user(&self, user: UserId) -> Result<UserRecord, Error> {
        self.users.get(user).ok_or(Error::UnknownUser)
    }

    /// True when `signature` of `message` verifies under the user's current signing key.
    pub fn signed_by(
        &self,
        user: UserId,
        message: &[u8],
        signature: &Ed25519Signature,
    ) -> Result<bool, Error> {
        Ok(verify::ed25519(
            &self.user(user)?.keys.signing,
            signature,
            message,
        ))
    }

    fn epoch(&self, user: UserId, version: u32) -> Result<KeyEpoch, Error> {
        self.key_epochs
            .get((user, version))
            .ok_or(Error::UnknownUser)
    }

    /// The keys that were valid at block time `at` (a binary search over the key history).
    pub fn key_at(&self, user: UserId, at: Timestamp) -> Result<KeyEpoch, Error> {
        let record = self.user(user)?;
        let version = epochs::version_at(record.key_version, at, |version| {
            self.epoch(user, version).map(|epoch| epoch.valid_from)
        })?
        .ok_or(Error::NoKeyAtTime)?;
        self.epoch(user, version)
    }

    /// Up to `limit` (at most [`MAX_PAGE`]) key epochs from version `start`, oldest first.
    pub fn key_history(
        &self,
        user: UserId,
        start: u32,
        limit: u32,
    ) -> Result<ink::prelude::vec::Vec<KeyEpoch>, Error> {
        let record = self.user(user)?;
        let end = start
            .saturating_add(limit.min(MAX_PAGE))
            .min(record.key_version.saturating_add(1));
        (start..end).map(|v| self.epoch(user, v)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const USER: UserId = UserId([2; 32]);
    const THIS: AccountBytes = [3; 32];

    fn admin() -> AccountId {
        AccountId::from([1; 32])
    }

    fn registrar() -> AccountId {
        AccountId::from([5; 32])
    }

    /// A registry with a registrar (key `registrar_key`) and its active user keyed `keys` at
    /// `key_version`, controlled by the admin's account.
    fn planted(keys: KeySet, key_version: u32, registrar_key: Ed25519PublicKey) -> IdentityData {
        let mut data = IdentityData::new(admin());
        data.registrars.insert(registrar(), &registrar_key);
        data.users.insert(
            USER,
            &UserRecord {
                controller: admin(),
                keys,
                key_version,
                status: Status::Active,
                status_reason: 0,
                suspended_by: None,
                registrar: registrar(),
                registrar_key,
                registrar_signature: Ed25519Signature([0; 64]),
                notice_hash: [0; 32],
                notice_version: 0,
                registered_at: 0,
            },
        );
        data.key_epochs.insert(
            (USER, key_version),
            &KeyEpoch {
                keys,
                valid_from: 0,
                valid_until: None,
                authorized_by: KeyChange {
                    kind: KeyChangeKind::Registered,
                    signer: registrar_key,
                    signature: Ed25519Signature([0; 64]),
                    controller: Some(admin()),
                },
            },
        );
        data
    }

    /// The only way to reach `Overflow` is 2^32 rotations; plant a record at the limit.
    #[ink::test]
    fn rotation_past_the_last_key_version_overflows() {
        let old = vssi_sdk::KeyPair::generate();
        let new = vssi_sdk::KeyPair::generate();
        let mut data = planted(old.public(), u32::MAX, old.signing_public());
        let new_keys = new.public();
        let statement = payload::user_key_rotation(&THIS, &USER, u32::MAX, &new_keys);
        let before = data.user(USER);
        assert_eq!(
            data.rotate_user_key(
                &THIS,
                1,
                USER,
                new_keys,
                old.sign(&statement),
                new.sign(&statement)
            ),
            Err(Error::Overflow)
        );
        assert_eq!(data.user(USER), before);
    }

    /// Likewise a recovery at the last key version, and one after 2^32 controller settings:
    /// neither writes anything.
    #[ink::test]
    fn recovery_past_the_last_key_version_or_controller_nonce_overflows() {
        let (old, new, isp) = (
            vssi_sdk::KeyPair::generate(),
            vssi_sdk::KeyPair::generate(),
            vssi_sdk::KeyPair::generate(),
        );
        let to = AccountId::from([4; 32]);
        for (key_version, nonce) in [(u32::MAX, 0), (0, u32::MAX)] {
            let mut data = planted(old.public(), key_version, isp.signing_public());
            data.controller_nonces.insert(USER, &nonce);
            data.change_status(registrar(), USER, Status::Suspended, 0)
                .unwrap();
            let keys = new.public();
            let statement = payload::user_recovery(
                &THIS,
                &USER,
                key_version,
                &keys,
                to.as_ref(),
                &isp.signing_public(),
            );
            let before = (data.user(USER), data.key_history(USER, key_version, 2));
            assert_eq!(
                data.recover_user(
                    registrar(),
                    &THIS,
                    1,
                    USER,
                    keys,
                    to,
                    new.sign(&statement),
                    isp.sign(&statement)
                ),
                Err(Error::Overflow)
            );
            assert_eq!(
                (data.user(USER), data.key_history(USER, key_version, 2)),
                before
            );
            assert_eq!(data.controller_nonce(USER), Ok(nonce));
        }
    }

    /// And a controller change after 2^32 of them.
    #[ink::test]
    fn a_controller_change_past_the_last_nonce_overflows() {
        let user = vssi_sdk::KeyPair::generate();
        let mut data = planted(user.public(), 0, user.signing_public());
        data.controller_nonces.insert(USER, &u32::MAX);
        let to = AccountId::from([4; 32]);
        let statement = payload::user_controller_change(
            &THIS,
            &USER,
            registrar().as_ref(),
            u32::MAX,
            to.as_ref(),
        );
        let before = data.user(USER);
        assert_eq!(
            data.change_controller(registrar(), &THIS, USER, to, user.sign(&statement)),
            Err(Error::Overflow)
        );
        assert_eq!(data.user(USER), before);
        assert_eq!(data.controller_nonce(USER), Ok(u32::MAX));
    }
}
