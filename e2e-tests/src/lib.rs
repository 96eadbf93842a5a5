//! End-to-end flows of the suite, written once against the [`chain::Chain`] trait so that
//! the same steps run on the in-process drink sandbox ([`sandbox::SandboxChain`]) and, in a
//! later backend, on a real substrate-contracts-node.
//!
//! - [`chain`]: what a flow needs of a chain (actors, deploy, transact, query).
//! - [`sandbox`]: that, on drink's `MinimalSandbox`, from the bundles `scripts/dev build-contracts` writes.
//! - [`calls`]: a message or constructor as the contract's own call builder makes it.
//! - [`clients`]: each contract's messages, typed, on any [`chain::Chain`].
//! - [`ledger`]: the SDK's ledger look-ups answered by the contracts on any chain.
//! - [`flows`]: the seed's scenarios (F.743.24 I.1-I.5), with their refusals.
//! - [`observed`]: any chain, with an observer of its calls; [`metered`]: one recording
//!   what each message costs.
pub mod calls;
pub mod chain;
pub mod clients;
pub mod flows;
pub mod ledger;
pub mod manifest;
pub mod metered;
pub mod node;
pub mod observed;
pub mod sandbox;
pub mod stories;
pub mod transcript;
