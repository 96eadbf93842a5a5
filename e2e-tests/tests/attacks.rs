//! Attacks on the contracts, on the drink sandbox from the bundles in target/contracts:
//! each built as an attacker would build it (their own accounts, keys and signatures, only
//! public chain data), each asserting the typed error and that state is unchanged. One
//! module per area.
#[path = "attacks/authority.rs"]
mod authority;
#[path = "attacks/devices.rs"]
mod devices;
#[path = "attacks/divs.rs"]
mod divs;
#[path = "attacks/evidence.rs"]
mod evidence;
#[path = "attacks/recovery.rs"]
mod recovery;
#[path = "attacks/resources.rs"]
mod resources;
#[path = "attacks/sharing.rs"]
mod sharing;
#[path = "attacks/upgrades.rs"]
mod upgrades;
