//! Builds the evidence bundle of one video resource from a deployment on the node: the
//! resource record, its PU's record, the DIVS ledger's entries from the PU's endorsement to
//! the head, the owner's record (F.743.24 I.4 + Y.2247 8.3). Writes it as SCALE hex, for
//! `vssi evidence verify` (offline), which checks it against the deployment's addresses and
//! a ledger head the verifier reads itself.
use anyhow::Context;
use clap::Parser;
use e2e_tests::{
    clients::{DeviceClient, DivsClient, IdentityClient, ResourceClient, SharingClient},
    flows::{divs::evidence_bundle, registration::Suite},
    manifest,
    node::NodeChain,
};
use scale::Encode;
use shared_types::ResourceId;
use std::path::PathBuf;

/// Builds a video's evidence bundle from the deployment at $VSSI_NODE_URL.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The deployment manifest (scripts/dev deploy).
    #[arg(long)]
    manifest: PathBuf,
    /// The resource ID (32 bytes hex).
    #[arg(long)]
    resource: String,
    /// Where to write the bundle (SCALE hex); standard output if absent.
    #[arg(long)]
    out: Option<PathBuf>,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let resource: [u8; 32] = hex::decode(args.resource.trim_start_matches("0x"))
        .context("--resource: not hex")?
        .try_into()
        .map_err(|_| anyhow::anyhow!("--resource: not 32 bytes"))?;
    let manifest = manifest::read(&args.manifest)?;
    let mut chain = NodeChain::connect()?;
    let attach = |name: &str| chain.attach(name, manifest::address(&manifest, name)?);
    let suite = Suite {
        identity: IdentityClient(attach("identity_registry")?),
        devices: DeviceClient(attach("device_registry")?),
        resources: ResourceClient(attach("resource_registry")?),
        sharing: SharingClient(attach("sharing_policy")?),
    };
    let ledger = DivsClient(attach("divs_ledger")?);
    // Reads only: any account may ask.
    let asker = chain.dev_actor("Alice")?;
    let bundle = evidence_bundle(&mut chain, &asker, &suite, &ledger, ResourceId(resource))?;
    let encoded = hex::encode(bundle.encode());
    match args.out {
        Some(path) => {
            std::fs::write(&path, &encoded)
                .with_context(|| format!("writing {}", path.display()))?;
            let (first, last) = match (bundle.entries.first(), bundle.entries.last()) {
                (Some(first), Some(last)) => (first, last),
                _ => anyhow::bail!("the bundle has no DIVS entries"),
            };
            eprintln!(
                "evidence of {} written to {}: PU {}, DIVS entry {}, entries to head {} 0x{}",
                hex::encode(resource),
                path.display(),
                hex::encode(bundle.resource.pu.0),
                first.tx_id,
                last.tx_id.0 + 1,
                hex::encode(last.link)
            );
        }
        None => println!("{encoded}"),
    }
    Ok(())
}
