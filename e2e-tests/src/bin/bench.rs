//! Work in progress (issue 6): weights of the reference ERC-20-style token on a backend, the
//! unit of the benchmark table. Later: every message of the suite and its ratio to
//! `transfer`, sizes, storage deposits, `--json`.
use clap::Parser;
use e2e_tests::{chain::Chain, node::NodeChain, sandbox::SandboxChain};
use scale::Encode;

/// Prints the reference token's weights.
#[derive(Parser)]
struct Args {
    /// On the node at $VSSI_NODE_URL instead of the sandbox.
    #[arg(long)]
    node: bool,
}

fn measure<C: Chain>(chain: &mut C) -> anyhow::Result<()> {
    let owner = chain.actor("owner")?;
    let spender = chain.actor("spender")?;
    let token = chain.deploy(&owner, "reference_token", "new", &1_000_000u128.encode())?;
    let rows = [
        ("transfer", chain.transact(&owner, &token, "transfer", &(spender.account, 10u128).encode(), 0)?),
        ("approve", chain.transact(&owner, &token, "approve", &(spender.account, 10u128).encode(), 0)?),
        (
            "transfer_from",
            chain.transact(&spender, &token, "transfer_from", &(owner.account, spender.account, 5u128).encode(), 0)?,
        ),
        ("balance_of (query)", chain.query(&owner, &token, "balance_of", &owner.account.encode())?),
    ];
    println!("reference token on {}", chain.backend());
    for (message, outcome) in rows {
        anyhow::ensure!(!outcome.reverted, "{message} reverted");
        println!("{message:<20} ref_time {:>14} proof_size {:>9}", outcome.ref_time, outcome.proof_size);
    }
    Ok(())
}

fn main() -> anyhow::Result<()> {
    if Args::parse().node {
        measure(&mut NodeChain::connect()?)
    } else {
        measure(&mut SandboxChain::new())
    }
}
