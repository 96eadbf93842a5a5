//! Each contract's messages on any [`Chain`], called through the contract's own call builder
//! ([`crate::calls`]), one module per contract. Transactions return the message's own
//! `Result` together with the [`Outcome`] (weights, events, revert flag).
mod admin;
mod device;
mod divs;
mod identity;
mod resource;
mod sharing;

pub use admin::{accept_admin, admin_role, code_version, propose_admin, upgrade};
pub use device::{DeviceClient, DeviceResult};
pub use divs::{DivsClient, DivsResult};
pub use identity::{IdentityClient, IdentityResult};
pub use resource::{ResourceClient, ResourceResult};
pub use sharing::{SharingClient, SharingResult};

use crate::calls::{message_data, Message};
use crate::chain::{Actor, Chain, Deployed, Outcome};
use anyhow::bail;
use scale::{Decode, Encode};

/// A transaction's decoded return value and what it cost.
#[derive(Debug)]
pub struct Called<T> {
    /// The message's return value.
    pub value: T,
    /// Weights, events, revert flag.
    pub outcome: Outcome,
}

/// Decodes what a call returned as the message's own return type.
fn decode<T: Decode>(outcome: &Outcome) -> anyhow::Result<T> {
    let message = &outcome.message;
    match ink::MessageResult::<T>::decode(&mut &outcome.data[..]) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(lang_error)) => bail!("{message}: {lang_error:?}"),
        Err(e) => bail!("{message}: undecodable return value: {e}"),
    }
}

fn transact<C: Chain, Args: Encode, R: Decode>(
    chain: &mut C,
    caller: &Actor,
    contract: &Deployed,
    message: Message<Args, R>,
) -> anyhow::Result<Called<R>> {
    transact_paying(chain, caller, contract, message, 0)
}

fn transact_paying<C: Chain, Args: Encode, R: Decode>(
    chain: &mut C,
    caller: &Actor,
    contract: &Deployed,
    message: Message<Args, R>,
    value: u128,
) -> anyhow::Result<Called<R>> {
    let outcome = chain.transact(caller, contract, &message_data(message), value)?;
    Ok(Called {
        value: decode(&outcome)?,
        outcome,
    })
}

fn query<C: Chain, Args: Encode, R: Decode>(
    chain: &mut C,
    caller: &Actor,
    contract: &Deployed,
    message: Message<Args, R>,
) -> anyhow::Result<R> {
    decode(&chain.query(caller, contract, &message_data(message))?)
}

/// Which of a status's three messages is called (`suspend_*`, `reactivate_*`, `revoke_*`
/// of a user, a device or a policy).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusChange {
    /// `suspend_*`.
    Suspend,
    /// `reactivate_*`.
    Reactivate,
    /// `revoke_*` (final).
    Revoke,
}

impl std::fmt::Display for StatusChange {
    /// The verb, for transcripts.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Suspend => "suspend",
            Self::Reactivate => "reactivate",
            Self::Revoke => "revoke",
        })
    }
}
