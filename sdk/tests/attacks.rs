//! Attacks on the off-chain verifiers, each built as an attacker would build it (their own
//! keys and signatures, only public data) and each asserting the typed refusal. One module
//! per area.
#[path = "attacks/divs.rs"]
mod divs;
#[path = "attacks/evidence.rs"]
mod evidence;
#[path = "attacks/robustness.rs"]
mod robustness;
