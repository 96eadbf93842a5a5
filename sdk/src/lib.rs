//! Off-chain SDK of the VSSI/DIVS contract suite.
//!
//! Signing always goes through the payload builders of [`shared_types::payload`], the same
//! functions the verifying contracts call.
pub mod authcode;
pub mod commitment;
pub mod divs;
pub mod encryption;
pub mod evidence;
pub mod handshake;
pub mod hashing;
pub mod keys;
pub mod ledger;
pub mod oracle;
pub mod requests;
pub mod segments;

pub use keys::KeyPair;
pub use oracle::KnownKeys;
pub use shared_types;
