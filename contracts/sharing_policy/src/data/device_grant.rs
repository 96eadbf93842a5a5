//! Temporary device grants: a PU owner gives a CU a temporary key (SeR-7, SeR-9).
use super::{ensure_device, ensure_owner_active, next_id, SharingData};
use crate::errors::Error;
use crate::events::{DeviceGrantIssued, DeviceGrantRevoked, Event};
use interfaces::device::DeviceRecord;
use interfaces::identity::UserRecord;
use shared_types::{
    DeviceId, DeviceKind, Ed25519PublicKey, GrantId, Permissions, Status, Timestamp, UserId,
};

/// Longest a temporary device grant may last: 7 days, in milliseconds.
pub const MAX_GRANT_DURATION: Timestamp = 7 * 24 * 60 * 60 * 1000;

/// A temporary key a PU owner grants a CU (SeR-7, SeR-9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct DeviceGrant {
    /// The owner's PU.
    pub pu: DeviceId,
    /// The granted CU or MCU.
    pub cu: DeviceId,
    /// The PU's owner, who granted it.
    pub owner: UserId,
    /// The temporary public key the CU is given (I.2 step 6).
    pub temporary_key: Ed25519PublicKey,
    /// What the CU may do with the PU.
    pub permissions: Permissions,
    /// Block time after which it is void.
    pub expires_at: Timestamp,
    /// Active or revoked.
    pub status: Status,
}

/// The current records of what a device grant relies on, as the contract fetches them.
#[derive(Debug, Clone)]
pub struct GrantParties {
    /// The granted PU.
    pub pu: DeviceRecord,
    /// The user who granted it (the grant's owner).
    pub owner: UserRecord,
    /// The granted CU.
    pub cu: DeviceRecord,
    /// The CU's owner.
    pub cu_owner: UserRecord,
}

impl SharingData {
    /// The grant.
    pub fn grant(&self, grant: GrantId) -> Result<DeviceGrant, Error> {
        self.grants.get(grant).ok_or(Error::UnknownGrant)
    }

    /// Grants `cu` a temporary key for `pu` until `expires_at`. `pu_record` and `cu_record`
    /// are the devices' records, `cu_owner` the CU owner's; the contract checked the caller
    /// acts for the PU's owner.
    #[allow(clippy::too_many_arguments)] // the grant and its context
    pub fn grant_device(
        &mut self,
        now: Timestamp,
        pu: DeviceId,
        pu_record: &DeviceRecord,
        cu: DeviceId,
        cu_record: &DeviceRecord,
        cu_owner: &UserRecord,
        temporary_key: Ed25519PublicKey,
        permissions: Permissions,
        expires_at: Timestamp,
    ) -> Result<(GrantId, Event), Error> {
        ensure_device(pu_record, &[DeviceKind::Pu, DeviceKind::Ipu])?;
        ensure_device(cu_record, &[DeviceKind::Cu, DeviceKind::Mcu])?;
        ensure_owner_active(cu_owner)?;
        if !permissions.is_valid() {
            return Err(Error::InvalidPermissions);
        }
        if expires_at <= now || expires_at > now.saturating_add(MAX_GRANT_DURATION) {
            return Err(Error::InvalidExpiry);
        }
        let mut count = self.grant_count;
        let grant = next_id(&mut count)?;
        self.grant_count = count;
        self.grants.insert(
            grant,
            &DeviceGrant {
                pu,
                cu,
                owner: pu_record.owner,
                temporary_key,
                permissions,
                expires_at,
                status: Status::Active,
            },
        );
        Ok((
            grant,
            Event::DeviceGrantIssued(DeviceGrantIssued {
                grant,
                pu,
                cu,
                temporary_key,
                expires_at,
            }),
        ))
    }

    /// Revokes a grant; the contract checked the caller acts for the grant's owner.
    pub fn revoke_grant(&mut self, grant: GrantId) -> Result<Event, Error> {
        let mut record = self.grant(grant)?;
        if record.status == Status::Revoked {
            return Err(Error::GrantRevoked);
        }
        record.status = Status::Revoked;
        self.grants.insert(grant, &record);
        Ok(Event::DeviceGrantRevoked(DeviceGrantRevoked { grant }))
    }

    /// Whether the grant holds at `now` for `key`: active, unexpired, `key` its temporary
    /// key, and what it relies on still in service. `parties` are the current records of
    /// its PU, the user who granted it, its CU and the CU's owner: both devices active, the
    /// PU still the granting user's, both users active.
    pub fn check_grant(
        &self,
        now: Timestamp,
        grant: GrantId,
        key: Ed25519PublicKey,
        parties: &GrantParties,
    ) -> Result<(), Error> {
        let g = self.grant(grant)?;
        if g.status != Status::Active {
            return Err(Error::GrantRevoked);
        }
        if now > g.expires_at {
            return Err(Error::GrantExpired);
        }
        if g.temporary_key != key {
            return Err(Error::NotGrantKey);
        }
        ensure_device(&parties.pu, &[DeviceKind::Pu, DeviceKind::Ipu])?;
        if parties.pu.owner != g.owner {
            return Err(Error::OwnerChanged);
        }
        ensure_owner_active(&parties.owner)?;
        ensure_device(&parties.cu, &[DeviceKind::Cu, DeviceKind::Mcu])?;
        ensure_owner_active(&parties.cu_owner)
    }
}
