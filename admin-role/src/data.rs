use crate::{
    AdminChanged, AdminError, AdminProposed, AdminRole, CodeUpgraded, NotAdmin, Upgrade,
    VERSION_SELECTOR,
};
use ink::{
    env::{
        call::{build_call, ExecutionInput, Selector},
        DefaultEnvironment,
    },
    primitives::{AccountId, Hash},
    storage::Mapping,
};

/// A contract's admin state: the role and the append-only log of its code upgrades. The
/// functions that take the caller return the event to emit, as the contracts' own data
/// structs do; the `*_admin` and `upgrade` functions are the [`crate::Admin`] messages
/// themselves (they read the caller and emit), so a contract's implementation of the trait
/// only hands each message over.
#[ink::storage_item]
#[derive(Debug)]
pub struct AdminData {
    role: AdminRole,
    /// Every upgrade, by the version it brought. Versions only grow, so an entry is never
    /// written twice.
    upgrades: Mapping<u32, Upgrade>,
    /// The highest version an upgrade brought (0 before the first upgrade).
    highest: u32,
}

impl AdminData {
    /// `admin` holds the role; no upgrade yet.
    pub fn new(admin: AccountId) -> Self {
        Self {
            role: AdminRole::new(admin),
            upgrades: Mapping::new(),
            highest: 0,
        }
    }

    /// The role (admin and proposed successor).
    pub fn role(&self) -> AdminRole {
        self.role
    }

    /// The admin.
    pub fn admin(&self) -> AccountId {
        self.role.admin()
    }

    /// The proposed successor, if any.
    pub fn pending_admin(&self) -> Option<AccountId> {
        self.role.pending()
    }

    /// `Ok` if `caller` is the admin: for the contract's own admin-only messages.
    pub fn ensure_admin(&self, caller: AccountId) -> Result<(), NotAdmin> {
        self.role.ensure(caller).map_err(|_| NotAdmin)
    }

    /// Step 1 of the handover, by `caller`.
    pub fn propose(
        &mut self,
        caller: AccountId,
        proposed: AccountId,
    ) -> Result<AdminProposed, AdminError> {
        self.role.propose(caller, proposed)
    }

    /// Step 2 of the handover, by `caller`.
    pub fn accept(&mut self, caller: AccountId) -> Result<AdminChanged, AdminError> {
        self.role.accept(caller)
    }

    /// The upgrade that brought `version`, if one did.
    pub fn upgrade_record(&self, version: u32) -> Option<Upgrade> {
        self.upgrades.get(version)
    }

    /// `Ok` if `version` is above `running`, the version of the code now running, and above
    /// every version an upgrade brought.
    pub fn check_newer(&self, running: u32, version: u32) -> Result<(), AdminError> {
        if version > running && version > self.highest {
            Ok(())
        } else {
            Err(AdminError::VersionNotNewer)
        }
    }

    /// [`crate::Admin::propose_admin`].
    pub fn propose_admin(&mut self, proposed: AccountId) -> Result<(), AdminError> {
        let event = self.propose(caller(), proposed)?;
        ink::env::emit_event::<DefaultEnvironment, _>(event);
        Ok(())
    }

    /// [`crate::Admin::accept_admin`].
    pub fn accept_admin(&mut self) -> Result<(), AdminError> {
        let event = self.accept(caller())?;
        ink::env::emit_event::<DefaultEnvironment, _>(event);
        Ok(())
    }

    /// [`crate::Admin::upgrade`] of a contract whose running code is version `running`:
    /// checks that the caller is the admin, asks the uploaded code `code_hash` its version,
    /// checks it against `running` and the log, replaces the calling contract's code from
    /// the next call on, and logs the upgrade.
    pub fn upgrade(
        &mut self,
        running: u32,
        code_hash: Hash,
        audit_report: [u8; 32],
    ) -> Result<(), AdminError> {
        self.role.ensure(caller())?;
        let version = declared_version(code_hash)?;
        self.check_newer(running, version)?;
        ink::env::set_code_hash::<DefaultEnvironment>(&code_hash)
            .map_err(|_| AdminError::UnknownCode)?;
        let at = ink::env::block_timestamp::<DefaultEnvironment>();
        let upgrade = Upgrade {
            code_hash,
            audit_report,
            at,
        };
        self.upgrades.insert(version, &upgrade);
        self.highest = version;
        ink::env::emit_event::<DefaultEnvironment, _>(CodeUpgraded {
            code_hash,
            version,
            audit_report,
        });
        Ok(())
    }
}

fn caller() -> AccountId {
    ink::env::caller::<DefaultEnvironment>()
}

/// The version that the code `code_hash` declares, asked by a delegate call of its
/// `version` message: the new code runs over this contract's storage, so code that cannot
/// decode the storage root traps here and is refused.
fn declared_version(code_hash: Hash) -> Result<u32, AdminError> {
    build_call::<DefaultEnvironment>()
        .delegate(code_hash)
        .exec_input(ExecutionInput::new(Selector::new(VERSION_SELECTOR)))
        .returns::<u32>()
        .try_invoke()
        .map_err(|_| AdminError::UnknownCode)?
        .map_err(|_| AdminError::UnknownCode)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_version_above_the_running_and_every_logged_one_is_newer() {
        let mut data = AdminData::new(AccountId([1; 32]));
        assert_eq!(data.check_newer(2, 2), Err(AdminError::VersionNotNewer));
        assert_eq!(data.check_newer(2, 1), Err(AdminError::VersionNotNewer));
        assert_eq!(data.check_newer(1, 2), Ok(()));
        // After an upgrade to 3, code declaring 2 stays refused even if the running code
        // declares 1 (it can only run again through an upgrade, which this refuses).
        data.highest = 3;
        assert_eq!(data.check_newer(1, 2), Err(AdminError::VersionNotNewer));
        assert_eq!(data.check_newer(1, 3), Err(AdminError::VersionNotNewer));
        assert_eq!(data.check_newer(3, 4), Ok(()));
    }

    #[test]
    fn the_admin_messages_read_the_caller_and_emit_their_event() {
        let accounts = ink::env::test::default_accounts::<DefaultEnvironment>();
        let mut data = AdminData::new(accounts.alice);
        ink::env::test::set_caller::<DefaultEnvironment>(accounts.bob);
        assert_eq!(data.propose_admin(accounts.bob), Err(AdminError::NotAdmin));
        assert_eq!(
            data.upgrade(1, Hash::from([7; 32]), [0; 32]),
            Err(AdminError::NotAdmin)
        );
        assert_eq!(ink::env::test::recorded_events().count(), 0);
        ink::env::test::set_caller::<DefaultEnvironment>(accounts.alice);
        assert_eq!(data.propose_admin(accounts.bob), Ok(()));
        ink::env::test::set_caller::<DefaultEnvironment>(accounts.bob);
        assert_eq!(data.accept_admin(), Ok(()));
        assert_eq!((data.admin(), data.pending_admin()), (accounts.bob, None));
        assert_eq!(ink::env::test::recorded_events().count(), 2);
    }
}
