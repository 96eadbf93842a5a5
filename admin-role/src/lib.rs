//! The admin of a contract, shared by every contract that has one: the [`Admin`] trait (its
//! messages, documented once) and the [`AdminData`] storage item that implements them.
//!
//! The role is handed over in two steps: the admin proposes a successor, who takes over by
//! accepting, so that a mistyped account cannot take (or lose) the role. Until the successor
//! accepts, the admin stays and may propose another.
//!
//! The admin also upgrades the contract's code (F.743.24 SyR-10): [`Admin::upgrade`]
//! replaces it with uploaded code whose own `version` message answers a higher version than
//! any the contract ran, and the contract keeps an append-only log of every upgrade with the
//! hash of the new code's audit report. The version is read from the new code (a delegate
//! call of its `version` message over this contract's storage), not taken from the admin,
//! so code once replaced cannot come back under a higher number, and code that cannot read
//! this contract's storage root is refused before it is installed.
#![cfg_attr(not(feature = "std"), no_std)]

mod data;
mod errors;
mod events;
mod role;
#[cfg(feature = "std")]
pub mod testing;
mod traits;
mod upgrades;

pub use data::AdminData;
pub use errors::{AdminError, NotAdmin};
pub use events::{AdminChanged, AdminProposed, CodeUpgraded};
pub use role::AdminRole;
pub use traits::Admin;
pub use upgrades::{Upgrade, VERSION_SELECTOR};
