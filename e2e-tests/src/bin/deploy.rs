//! Deploys the five contracts to a node, wired to each other, with the roles of a local
//! installation, and writes the deployment manifest (JSON). Run again against the same node
//! it recognises the deployment the manifest describes and deploys nothing.
//!
//! Roles (well-known dev accounts of a `--dev` chain; their application keys are derived
//! from the account name, so they are as public as the accounts' seeds):
//! admin `//Alice` (deploys, administers every contract), ISP registrar `//Bob`, storage
//! provider `//Charlie`, DIVS authority `//Dave`.
use anyhow::{bail, ensure, Context};
use clap::Parser;
use e2e_tests::{
    chain::{Actor, Deployed},
    clients::DivsClient,
    flows::registration::Suite,
    manifest::{self, CONTRACTS},
    node::{node_url, NodeChain},
    sandbox::bundle_dir,
};
use ink::primitives::AccountId;
use serde_json::{json, Value};
use std::path::PathBuf;
use vssi_sdk::hashing;

/// Deploys (or recognises) the suite on the node at $VSSI_NODE_URL and writes its manifest.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Where the manifest is read from and written to.
    #[arg(long)]
    manifest: PathBuf,
    /// Faults after which resource_registry suspends a storage provider.
    #[arg(long, default_value_t = 3)]
    fault_threshold: u32,
}

fn hex32(bytes: impl AsRef<[u8]>) -> String {
    format!("0x{}", hex::encode(bytes))
}

fn ss58(account: AccountId) -> String {
    subxt::utils::AccountId32(*account.as_ref()).to_string()
}

/// The bundle's manifest entry: code hash, versions, metadata path.
fn bundle_info(name: &str) -> anyhow::Result<Value> {
    let path = bundle_dir().join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "reading {} (run scripts/dev build-contracts)",
            path.display()
        )
    })?;
    let metadata: Value = serde_json::from_str(&text)?;
    let hash = metadata["source"]["hash"]
        .as_str()
        .context("metadata without source.hash")?;
    Ok(json!({
        "code_hash": hash,
        "version": metadata["contract"]["version"],
        "language": metadata["source"]["language"],
        "compiler": metadata["source"]["compiler"],
        "metadata": path.canonicalize()?,
    }))
}

/// Whether the manifest describes a live deployment of the current bundles on this chain.
fn recognise(chain: &NodeChain, manifest: &Value) -> anyhow::Result<Option<String>> {
    if manifest["chain"]["genesis_hash"] != json!(hex32(chain.genesis_hash())) {
        return Ok(Some("the manifest is of another chain".into()));
    }
    for name in CONTRACTS {
        let address = manifest::address(manifest, name)?;
        let bundle_hash = bundle_info(name)?["code_hash"].clone();
        match chain.code_hash_at(address)? {
            None => return Ok(Some(format!("{name} is not on chain"))),
            Some(on_chain) if json!(hex32(on_chain)) != bundle_hash => {
                return Ok(Some(format!(
                    "{name} on chain runs other code than the bundle"
                )))
            }
            Some(_) => {}
        }
    }
    Ok(None)
}

fn expect_ok<T, E: std::fmt::Debug>(
    what: &str,
    called: e2e_tests::clients::Called<Result<T, E>>,
) -> anyhow::Result<u64> {
    if let Err(e) = called.value {
        bail!("{what}: {e:?}");
    }
    ensure!(!called.outcome.reverted, "{what}: reverted");
    eprintln!("[deploy] {what}: block #{}", called.outcome.block);
    Ok(called.outcome.block)
}

fn deploy(chain: &mut NodeChain, fault_threshold: u32) -> anyhow::Result<Value> {
    let admin = chain.dev_actor("Alice")?;
    let isp = chain.dev_actor("Bob")?;
    let provider = chain.dev_actor("Charlie")?;
    let authority = chain.dev_actor("Dave")?;

    let suite = Suite::deploy(chain, &admin, fault_threshold)?;
    let (identity, devices) = (&suite.identity, &suite.devices);
    let (resources, sharing) = (&suite.resources, &suite.sharing);
    let instance = hashing::sha256(&chain.genesis_hash());
    let divs = DivsClient::deploy(chain, &admin, instance)?;
    let deployed: [&Deployed; 5] = [&identity.0, &devices.0, &resources.0, &sharing.0, &divs.0];
    for contract in deployed {
        eprintln!("[deploy] {} at {}", contract.name, ss58(contract.address));
    }

    let isp_key = isp.keys.signing_public();
    expect_ok(
        "identity_registry.add_registrar(//Bob)",
        identity.add_registrar(chain, &admin, isp.account, isp_key)?,
    )?;
    expect_ok(
        "resource_registry.register_provider(//Charlie)",
        resources.register_provider(chain, &admin, provider.account)?,
    )?;
    let certificate = hashing::sha256(b"vssi-divs dev certificate of //Dave");
    let block = expect_ok(
        "divs_ledger.add_authority(//Dave)",
        divs.add_authority(chain, &admin, &authority, certificate)?,
    )?;

    let role = |actor: &Actor, role: &str| {
        json!({
            "role": role,
            "dev_uri": format!("//{}", actor.name),
            "account": ss58(actor.account),
            "ed25519": hex32(actor.keys.signing_public().0),
        })
    };
    let mut contracts = serde_json::Map::new();
    for contract in deployed {
        let mut info = bundle_info(&contract.name)?;
        info["address"] = json!(ss58(contract.address));
        info["address_hex"] = json!(hex32(contract.address));
        contracts.insert(contract.name.clone(), info);
    }
    let (chain_name, node) = chain.node_info()?;
    Ok(json!({
        "chain": {
            "url": node_url(),
            "name": chain_name,
            "node": node,
            "genesis_hash": hex32(chain.genesis_hash()),
        },
        "deployed_at_block": block,
        "roles": [
            role(&admin, "admin of every contract"),
            role(&isp, "ISP registrar (identity_registry)"),
            role(&provider, "storage provider (resource_registry)"),
            role(&authority, "DIVS authority (divs_ledger)"),
        ],
        "divs_instance": hex32(instance),
        "fault_threshold": fault_threshold,
        "contracts": contracts,
    }))
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let mut chain = NodeChain::connect()?;
    if let Ok(manifest) = manifest::read(&args.manifest) {
        match recognise(&chain, &manifest)? {
            None => {
                eprintln!(
                    "[deploy] existing deployment recognised ({}): nothing deployed",
                    args.manifest.display()
                );
                // The same code may have been built in another checkout: point the
                // metadata paths at this one's bundles.
                let mut manifest = manifest;
                for name in CONTRACTS {
                    manifest["contracts"][name]["metadata"] =
                        bundle_info(name)?["metadata"].clone();
                }
                let text = serde_json::to_string_pretty(&manifest)?;
                std::fs::write(&args.manifest, &text)?;
                println!("{text}");
                return Ok(());
            }
            Some(why) => eprintln!("[deploy] deploying anew: {why}"),
        }
    }
    let manifest = deploy(&mut chain, args.fault_threshold)?;
    let text = serde_json::to_string_pretty(&manifest)?;
    if let Some(dir) = args.manifest.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&args.manifest, &text)?;
    eprintln!("[deploy] manifest written to {}", args.manifest.display());
    println!("{text}");
    Ok(())
}
