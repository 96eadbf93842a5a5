use crate::{AdminError, Upgrade};
use ink::primitives::{AccountId, Hash};

/// The admin messages of every contract with an admin: the role handed over in two steps,
/// and upgrades of the contract's code (F.743.24 SyR-10). A contract implements each message
/// by handing it to its [`crate::AdminData`].
#[ink::trait_definition]
pub trait Admin {
    /// The admin.
    #[ink(message)]
    fn admin(&self) -> AccountId;

    /// The proposed admin, if a transfer is pending.
    #[ink(message)]
    fn pending_admin(&self) -> Option<AccountId>;

    /// Proposes `proposed` as the next admin (step 1 of 2), replacing an earlier proposal.
    /// The admin keeps the role until `proposed` accepts.
    ///
    /// # Errors
    /// [`AdminError::NotAdmin`] if the caller is not the admin.
    ///
    /// # Events
    /// [`crate::AdminProposed`].
    #[ink(message)]
    fn propose_admin(&mut self, proposed: AccountId) -> Result<(), AdminError>;

    /// The proposed admin takes over (step 2 of 2).
    ///
    /// # Errors
    /// [`AdminError::NotPendingAdmin`] if the caller was not proposed.
    ///
    /// # Events
    /// [`crate::AdminChanged`].
    #[ink(message)]
    fn accept_admin(&mut self) -> Result<(), AdminError>;

    /// Replaces this contract's code, from the next call on, with `code_hash` (uploaded
    /// before), whose own [`Admin::version`], asked over this contract's storage, must answer
    /// a version above the running code's and above every version an upgrade brought before;
    /// `audit_report` is the SHA-256 of the new code's audit report. The new code must keep
    /// this contract's storage layout.
    ///
    /// # Errors
    /// [`AdminError::NotAdmin`]; [`AdminError::UnknownCode`] if no such code was uploaded or
    /// it does not answer `version` over this storage; [`AdminError::VersionNotNewer`].
    ///
    /// # Events
    /// [`crate::CodeUpgraded`].
    #[ink(message)]
    fn upgrade(&mut self, code_hash: Hash, audit_report: [u8; 32]) -> Result<(), AdminError>;

    /// The upgrade that brought code version `version`, if one did (the deployed version
    /// has none).
    #[ink(message)]
    fn upgrade_record(&self, version: u32) -> Option<Upgrade>;

    /// Version of this contract's code.
    #[ink(message)]
    fn version(&self) -> u32;
}
