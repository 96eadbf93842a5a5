//! The `Admin` trait's messages (admin-role), of any contract implementing it, through
//! `contract_ref!`.
use super::{query, transact, Called};
use crate::calls::Env;
use crate::chain::{Actor, Chain, Deployed};
use admin_role::{Admin, AdminError, Upgrade};
use ink::codegen::TraitCallBuilder;
use ink::env::call::FromAccountId;
use ink::primitives::{AccountId, Hash};

/// The `Admin` trait's messages of any contract implementing it (`contract_ref!`).
type AdminRef = ink::contract_ref!(Admin, Env);

fn admin_calls(contract: &Deployed) -> AdminRef {
    FromAccountId::from_account_id(contract.address)
}

/// `Admin::propose_admin` of a contract with an admin (identity registry, resource
/// registry, DIVS ledger: the `admin-role` trait).
pub fn propose_admin<C: Chain>(
    chain: &mut C,
    contract: &Deployed,
    admin: &Actor,
    proposed: AccountId,
) -> anyhow::Result<Called<Result<(), AdminError>>> {
    transact(
        chain,
        admin,
        contract,
        admin_calls(contract).call_mut().propose_admin(proposed),
    )
}

/// `Admin::accept_admin`, by the proposed account, as [`propose_admin`].
pub fn accept_admin<C: Chain>(
    chain: &mut C,
    contract: &Deployed,
    proposed: &Actor,
) -> anyhow::Result<Called<Result<(), AdminError>>> {
    transact(
        chain,
        proposed,
        contract,
        admin_calls(contract).call_mut().accept_admin(),
    )
}

/// `Admin::admin` and `Admin::pending_admin` of such a contract.
pub fn admin_role<C: Chain>(
    chain: &mut C,
    contract: &Deployed,
    caller: &Actor,
) -> anyhow::Result<(AccountId, Option<AccountId>)> {
    Ok((
        query(
            chain,
            caller,
            contract,
            admin_calls(contract).call().admin(),
        )?,
        query(
            chain,
            caller,
            contract,
            admin_calls(contract).call().pending_admin(),
        )?,
    ))
}

/// `Admin::upgrade` of such a contract, by its admin: its code becomes `code_hash`, whose
/// own `version` must be newer; `audit_report` is the hash of the new code's audit report.
pub fn upgrade<C: Chain>(
    chain: &mut C,
    contract: &Deployed,
    admin: &Actor,
    code_hash: [u8; 32],
    audit_report: [u8; 32],
) -> anyhow::Result<Called<Result<(), AdminError>>> {
    let message = admin_calls(contract)
        .call_mut()
        .upgrade(Hash::from(code_hash), audit_report);
    transact(chain, admin, contract, message)
}

/// `Admin::version` of such a contract's code, and the `Admin::upgrade_record` that
/// brought it.
pub fn code_version<C: Chain>(
    chain: &mut C,
    contract: &Deployed,
    caller: &Actor,
) -> anyhow::Result<(u32, Option<Upgrade>)> {
    let version = query(
        chain,
        caller,
        contract,
        admin_calls(contract).call().version(),
    )?;
    let message = admin_calls(contract).call().upgrade_record(version);
    let record = query(chain, caller, contract, message)?;
    Ok((version, record))
}
