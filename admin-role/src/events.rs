use ink::primitives::{AccountId, Hash};

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
