//! The deployment manifest `scripts/dev deploy` writes (JSON), as the other tools read it.
use anyhow::{anyhow, Context};
use ink::primitives::AccountId;
use serde_json::Value;
use std::path::Path;

/// The five contracts, in deployment order.
pub const CONTRACTS: [&str; 5] = [
    "identity_registry",
    "device_registry",
    "resource_registry",
    "sharing_policy",
    "divs_ledger",
];

/// Reads a manifest.
pub fn read(path: &Path) -> anyhow::Result<Value> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading {} (run scripts/dev deploy)", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))
}

/// The address of `contract` in a manifest.
pub fn address(manifest: &Value, contract: &str) -> anyhow::Result<AccountId> {
    let text = manifest["contracts"][contract]["address_hex"]
        .as_str()
        .with_context(|| format!("the manifest has no address of {contract}"))?;
    let bytes: [u8; 32] = hex::decode(text.trim_start_matches("0x"))
        .with_context(|| format!("address of {contract}: not hex"))?
        .try_into()
        .map_err(|_| anyhow!("address of {contract}: not 32 bytes"))?;
    Ok(bytes.into())
}
