use ink::primitives::Hash;

/// One upgrade of a contract's code, as its [`crate::AdminData`] logs it.
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

/// Selector of [`crate::Admin::version`], by which an upgrade asks new code its version.
pub const VERSION_SELECTOR: [u8; 4] = ink::selector_bytes!("Admin::version");
