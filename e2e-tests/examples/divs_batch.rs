//! Prints, as JSON, what a measurement of divs_ledger batches on a node needs: a fresh
//! authority key (to register with `add_authority` for the account `authority`) and `count`
//! registrations of fresh machine-type terminals, signed by each for that account and
//! endorsed by the key, for the ledger at `address`, each SCALE-encoded as hex. Usage:
//! `divs_batch <ledger address> <authority account> <count> <block time ms>` (addresses as
//! 64 hex digits). `node-client/measure-divs-batch.mjs` runs it.
use anyhow::{anyhow, Context};
use e2e_tests::flows::divs::terminals;
use scale::Encode;
use vssi_sdk::KeyPair;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [address, account, count, now] = args.as_slice() else {
        return Err(anyhow!(
            "usage: divs_batch <ledger address hex> <authority account hex> <count> <block time ms>"
        ));
    };
    let ledger = account_bytes(address).context("ledger address")?;
    let account = account_bytes(account).context("authority account")?;
    let count: u32 = count.parse().context("count")?;
    let now: u64 = now.parse().context("block time")?;
    let authority = KeyPair::generate();
    let endorsements: Vec<String> = terminals(&authority, &account, &ledger, now, count, "node")
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

/// 32 bytes from hex, with or without `0x`.
fn account_bytes(text: &str) -> anyhow::Result<[u8; 32]> {
    hex::decode(text.trim_start_matches("0x"))
        .context("not hex")?
        .try_into()
        .map_err(|_| anyhow!("must be 32 bytes"))
}
