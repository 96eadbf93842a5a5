//! Off-chain SDK of the VSSI/DIVS contract suite.
//!
//! Signing always goes through the payload builders of [`shared_types::payload`], the same
//! functions the verifying contracts call.
pub mod commitment;
pub mod keys;
pub mod oracle;

pub use keys::KeyPair;
pub use oracle::KnownKeys;
pub use shared_types;
