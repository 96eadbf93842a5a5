//! The admin role of a contract, handed over in two steps: the admin proposes a successor,
//! who takes over by accepting, so that a mistyped account cannot take (or lose) the role.
//! Until the successor accepts, the admin stays and may propose another. Every contract with
//! an admin keeps one [`AdminRole`] and emits its events as they are.
//!
//! The admin also upgrades the contract's code (F.743.24 SyR-10): [`upgrade_code`] replaces
//! it with uploaded code whose own `version` message answers a higher version than any the
//! contract ran, and the contract keeps an append-only [`UpgradeLog`] of every upgrade with
//! the hash of the new code's audit report. The version is read from the new code (a
//! delegate call of its `version` message over this contract's storage), not taken from the
//! admin, so code once replaced cannot come back under a higher number, and code that cannot read
//! this contract's storage root is refused before it is installed.
#![cfg_attr(not(feature = "std"), no_std)]

#[cfg(feature = "std")]
pub mod testing;

use ink::{
    env::{
        call::{build_call, ExecutionInput, Selector},
        DefaultEnvironment,
    },
    primitives::{AccountId, Hash},
    storage::Mapping,
};

/// Why a call about the admin role was refused. Each contract's `Error` has the same two
/// variants and converts from this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminError {
    /// The caller is not the admin.
    NotAdmin,
    /// The caller is not the proposed admin, or no admin change was proposed.
    NotPendingAdmin,
    /// The new code's own `version` is not above every version this contract ran.
    VersionNotNewer,
    /// No code with this hash was uploaded to the chain, or it has no `version` message
    /// that answers over this contract's storage.
    UnknownCode,
}

/// `impl From<AdminError>` for a contract's `Error`, which has variants of the same names.
#[macro_export]
macro_rules! impl_from_admin_error {
    ($error:ty) => {
        impl From<$crate::AdminError> for $error {
            fn from(error: $crate::AdminError) -> Self {
                match error {
                    $crate::AdminError::NotAdmin => Self::NotAdmin,
                    $crate::AdminError::NotPendingAdmin => Self::NotPendingAdmin,
                    $crate::AdminError::VersionNotNewer => Self::VersionNotNewer,
                    $crate::AdminError::UnknownCode => Self::UnknownCode,
                }
            }
        }
    };
}

/// The admin proposed a successor.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct AdminProposed {
    /// The proposed admin.
    #[ink(topic)]
    pub proposed: AccountId,
}

/// The proposed admin accepted.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct AdminChanged {
    /// The previous admin.
    #[ink(topic)]
    pub previous: AccountId,
    /// The new admin.
    #[ink(topic)]
    pub admin: AccountId,
}

/// The admin replaced the contract's code.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct CodeUpgraded {
    /// The new code.
    #[ink(topic)]
    pub code_hash: Hash,
    /// The version the new code declares.
    #[ink(topic)]
    pub version: u32,
    /// SHA-256 of the new code's audit report.
    pub audit_report: [u8; 32],
}

/// One upgrade of a contract's code, as its [`UpgradeLog`] keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Upgrade {
    /// The new code.
    pub code_hash: Hash,
    /// SHA-256 of its audit report.
    pub audit_report: [u8; 32],
    /// Block time of the upgrade.
    pub at: u64,
}

/// Every upgrade of a contract's code, by the version it brought. Append-only: versions
/// only grow, so an entry is never written twice.
#[ink::storage_item]
#[derive(Debug, Default)]
pub struct UpgradeLog {
    upgrades: Mapping<u32, Upgrade>,
    /// The highest version an upgrade brought (0 before the first upgrade).
    highest: u32,
}

impl UpgradeLog {
    /// The upgrade that brought `version`, if one did (the deployed version has none).
    pub fn get(&self, version: u32) -> Option<Upgrade> {
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
}

/// Selector of the `version` message every upgradable contract has, by which
/// [`upgrade_code`] asks new code its version.
pub const VERSION_SELECTOR: [u8; 4] = ink::selector_bytes!("version");

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

/// What a contract's `upgrade` message does: checks that `caller` is the admin, asks the
/// uploaded code `code_hash` its version, checks it against `running` (the version of the
/// code now running) and the log, replaces the calling contract's code from the next call
/// on, and logs the upgrade. Returns the event to emit.
pub fn upgrade_code(
    role: &AdminRole,
    log: &mut UpgradeLog,
    caller: AccountId,
    running: u32,
    code_hash: Hash,
    audit_report: [u8; 32],
) -> Result<CodeUpgraded, AdminError> {
    role.ensure(caller)?;
    let version = declared_version(code_hash)?;
    log.check_newer(running, version)?;
    ink::env::set_code_hash::<DefaultEnvironment>(&code_hash)
        .map_err(|_| AdminError::UnknownCode)?;
    let at = ink::env::block_timestamp::<DefaultEnvironment>();
    log.upgrades.insert(
        version,
        &Upgrade {
            code_hash,
            audit_report,
            at,
        },
    );
    log.highest = version;
    Ok(CodeUpgraded {
        code_hash,
        version,
        audit_report,
    })
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
    fn only_a_version_above_the_running_and_every_logged_one_is_newer() {
        let mut log = UpgradeLog::default();
        assert_eq!(log.check_newer(2, 2), Err(AdminError::VersionNotNewer));
        assert_eq!(log.check_newer(2, 1), Err(AdminError::VersionNotNewer));
        assert_eq!(log.check_newer(1, 2), Ok(()));
        // After an upgrade to 3, code declaring 2 stays refused even if the running code
        // declares 1 (it can only run again through an upgrade, which this refuses).
        log.highest = 3;
        assert_eq!(log.check_newer(1, 2), Err(AdminError::VersionNotNewer));
        assert_eq!(log.check_newer(1, 3), Err(AdminError::VersionNotNewer));
        assert_eq!(log.check_newer(3, 4), Ok(()));
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
