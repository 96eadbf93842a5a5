use crate::{AdminChanged, AdminError, AdminProposed};
use ink::primitives::AccountId;

/// The admin and the successor it proposed, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct AdminRole {
    admin: AccountId,
    pending: Option<AccountId>,
}

impl AdminRole {
    /// `admin` holds the role; no successor is proposed.
    pub fn new(admin: AccountId) -> Self {
        Self {
            admin,
            pending: None,
        }
    }

    /// The admin.
    pub fn admin(&self) -> AccountId {
        self.admin
    }

    /// The proposed successor, if any.
    pub fn pending(&self) -> Option<AccountId> {
        self.pending
    }

    /// `Ok` if `caller` is the admin.
    pub fn ensure(&self, caller: AccountId) -> Result<(), AdminError> {
        if caller == self.admin {
            Ok(())
        } else {
            Err(AdminError::NotAdmin)
        }
    }

    /// Step 1: the admin proposes `proposed` (replacing an earlier proposal).
    pub fn propose(
        &mut self,
        caller: AccountId,
        proposed: AccountId,
    ) -> Result<AdminProposed, AdminError> {
        self.ensure(caller)?;
        self.pending = Some(proposed);
        Ok(AdminProposed { proposed })
    }

    /// Step 2: the proposed account takes the role over.
    pub fn accept(&mut self, caller: AccountId) -> Result<AdminChanged, AdminError> {
        if self.pending != Some(caller) {
            return Err(AdminError::NotPendingAdmin);
        }
        let previous = self.admin;
        self.admin = caller;
        self.pending = None;
        Ok(AdminChanged {
            previous,
            admin: caller,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: AccountId = AccountId([1; 32]);
    const NEW: AccountId = AccountId([2; 32]);
    const OTHER: AccountId = AccountId([3; 32]);

    /// `role.call` fails with `error` and leaves the role as it was.
    fn refused<T: core::fmt::Debug>(
        role: &mut AdminRole,
        call: impl FnOnce(&mut AdminRole) -> Result<T, AdminError>,
        error: AdminError,
    ) {
        let before = *role;
        assert_eq!(call(role).err(), Some(error));
        assert_eq!(*role, before, "state changed on refusal");
    }

    #[test]
    fn the_role_changes_hands_only_when_the_proposed_account_accepts() {
        let mut role = AdminRole::new(OLD);
        refused(&mut role, |r| r.accept(NEW), AdminError::NotPendingAdmin);
        refused(&mut role, |r| r.propose(NEW, NEW), AdminError::NotAdmin);
        assert_eq!(role.propose(OLD, NEW), Ok(AdminProposed { proposed: NEW }));
        assert_eq!((role.admin(), role.pending()), (OLD, Some(NEW)));
        // The admin keeps the role until the successor accepts.
        assert_eq!(role.ensure(OLD), Ok(()));
        refused(&mut role, |r| r.ensure(NEW), AdminError::NotAdmin);
        refused(&mut role, |r| r.accept(OTHER), AdminError::NotPendingAdmin);
        let changed = AdminChanged {
            previous: OLD,
            admin: NEW,
        };
        assert_eq!(role.accept(NEW), Ok(changed));
        assert_eq!((role.admin(), role.pending()), (NEW, None));
        refused(&mut role, |r| r.ensure(OLD), AdminError::NotAdmin);
        refused(&mut role, |r| r.accept(NEW), AdminError::NotPendingAdmin);
    }

    #[test]
    fn a_new_proposal_replaces_the_pending_one() {
        let mut role = AdminRole::new(OLD);
        role.propose(OLD, NEW).unwrap();
        role.propose(OLD, OTHER).unwrap();
        refused(&mut role, |r| r.accept(NEW), AdminError::NotPendingAdmin);
        assert!(role.accept(OTHER).is_ok());
        assert_eq!(role.admin(), OTHER);
    }
}
