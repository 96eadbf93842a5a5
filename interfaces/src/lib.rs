//! What the contracts of the suite show each other and off-chain code: the registration
//! requests they accept, the records they keep, their errors, and the look-ups other
//! contracts call, as ink! traits. A contract implements its trait; a caller reaches it
//! through `contract_ref!` ([`remote`]), so no contract depends on another's implementation
//! crate, and the SDK reads the same records the contracts return.
#![cfg_attr(not(feature = "std"), no_std)]

pub mod device;
pub mod divs;
pub mod identity;
pub mod remote;
pub mod resource;

/// The chain account type the records name (ink!'s, re-exported for off-chain code).
pub use ink::primitives::AccountId;

pub use device::DeviceLookup;
pub use divs::DivsLedgerLookup;
pub use identity::IdentityLookup;
pub use resource::ResourceLookup;
