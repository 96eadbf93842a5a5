//! Prints, as JSON, what a measurement of divs_ledger batches on a node needs: a fresh
//! authority key (to register with `add_authority`) and `count` registrations of fresh
//! machine-type terminals endorsed by it for the ledger at `address`, each SCALE-encoded as
//! hex. Usage: `divs_batch <ledger address, 64 hex digits> <count> <block time ms>`.
//! `node-client/measure-divs-batch.mjs` runs it.
use anyhow::{anyhow, Context};
use e2e_tests::flows::divs::terminals;
use scale::Encode;
use vssi_sdk::KeyPair;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [address, count, now] = args.as_slice() else {
        return Err(anyhow!(
            "usage: divs_batch <ledger address hex> <count> <block time ms>"
        ));
    };
    let ledger: [u8; 32] = hex::decode(address.trim_start_matches("0x"))
        .context("address is not hex")?
        .try_into()
        .map_err(|_| anyhow!("address must be 32 bytes"))?;
    let count: u32 = count.parse().context("count")?;
    let now: u64 = now.parse().context("block time")?;
    let authority = KeyPair::generate();
    let endorsements: Vec<String> = terminals(&authority, &ledger, now, count, "node")
        .iter()
        .map(|e| format!("\"0x{}\"", hex::encode(e.encode())))
        .collect();
    println!(
        "{{\"authority_key\":\"0x{}\",\"endorsements\":[{}]}}",
        hex::encode(authority.signing_public().0),
        endorsements.join(",")
    );
    Ok(())
}
