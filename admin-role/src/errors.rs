/// Why an admin message was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
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

/// The caller is not the admin: what [`crate::AdminData::ensure_admin`] answers for a
/// contract's own admin-only messages, whose `Error` converts from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAdmin;
