//! The same stories on a running substrate-contracts-node. Ignored by a plain `cargo test`:
//! `scripts/test.sh --node` starts the node (`scripts/dev node start`) and runs them with
//! `--ignored`.
use e2e_tests::{
    chain::Chain,
    clients::ResourceResult,
    flows::{divs, registration, resources},
    metered::Metered,
    node::NodeChain,
    stories,
    transcript::Transcript,
};
use std::process::Command;

/// Runs `story` on a fresh connection and prints its transcript's size and weights.
fn on_node<T>(
    story: impl FnOnce(&mut Metered<NodeChain>, &mut Transcript) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let mut chain = Metered::new(NodeChain::connect()?);
    let mut t = Transcript::default();
    let result = story(&mut chain, &mut t)?;
    println!(
        "transcript: {} steps on {}, last block #{}",
        t.lines.len(),
        chain.backend(),
        chain.inner.last_block
    );
    print!("{}", chain.weights_table());
    Ok(result)
}

#[test]
#[ignore = "needs a node: scripts/test.sh --node"]
fn i1_registration_and_refusals_on_the_node() -> anyhow::Result<()> {
    on_node(stories::registration_story)
}

#[test]
#[ignore = "needs a node: scripts/test.sh --node"]
fn i2_to_i5_video_sharing_on_the_node() -> anyhow::Result<()> {
    on_node(stories::video_story)
}

#[test]
#[ignore = "needs a node: scripts/test.sh --node"]
fn y2247_divs_and_evidence_on_the_node() -> anyhow::Result<()> {
    let cost = on_node(|chain, t| stories::divs_story(chain, t, divs_ledger::MAX_BATCH as u32))?;
    println!("{cost}");
    Ok(())
}

#[test]
#[ignore = "needs a node: scripts/test.sh --node"]
fn syr10_code_upgrade_on_the_node() -> anyhow::Result<()> {
    on_node(stories::upgrade_story)
}

/// Everything the durability test compares: I.1 records, the videos' records, the whole
/// DIVS ledger with its head.
#[derive(Debug, PartialEq)]
struct Records {
    registered: e2e_tests::flows::registration::Snapshot,
    videos: Vec<ResourceResult<resource_registry::ResourceRecord>>,
    ledger: vssi_sdk::divs::ExportedLedger,
}

fn records(
    chain: &mut NodeChain,
    r: &registration::Registered,
    uploaded: &resources::Uploaded,
    d: &divs::Divs,
) -> anyhow::Result<Records> {
    Ok(Records {
        registered: r.snapshot(chain)?,
        videos: uploaded
            .videos
            .iter()
            .map(|v| r.suite.resources.resource(chain, &r.operator, v.resource))
            .collect::<Result<_, _>>()?,
        ledger: divs::export(chain, d)?,
    })
}

/// SIGKILL, then `scripts/dev node start` on the same base path.
fn kill_and_restart() -> anyhow::Result<()> {
    let pid_file = std::env::var("VSSI_NODE_PID_FILE").map_err(|_| {
        anyhow::anyhow!("VSSI_NODE_PID_FILE unset: run through scripts/test.sh --node")
    })?;
    let pid = std::fs::read_to_string(&pid_file)?.trim().to_owned();
    let killed = Command::new("kill").args(["-9", &pid]).status()?;
    anyhow::ensure!(killed.success(), "kill -9 {pid} failed");
    while Command::new("kill")
        .args(["-0", &pid])
        .output()?
        .status
        .success()
    {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/dev");
    let started = Command::new("bash")
        .args([script, "node", "start"])
        .status()?;
    anyhow::ensure!(
        started.success(),
        "scripts/dev node start failed after the kill"
    );
    Ok(())
}

#[test]
#[ignore = "needs a node: scripts/test.sh --node"]
fn records_survive_sigkill_and_restart() -> anyhow::Result<()> {
    let mut chain = NodeChain::connect()?;
    let mut t = Transcript::default();
    let r = registration::registration(&mut chain, &mut t)?;
    let uploaded = resources::upload_and_verify(&mut chain, &mut t, &r)?;
    let d = divs::setup(&mut chain, &mut t, &r)?;
    divs::consumer_side(&mut chain, &mut t, &d)?;
    let before = records(&mut chain, &r, &uploaded, &d)?;
    let block = chain.best_block()?;
    drop(chain);

    kill_and_restart()?;
    let mut chain = NodeChain::connect()?;
    let after = records(&mut chain, &r, &uploaded, &d)?;
    anyhow::ensure!(chain.best_block()? >= block, "blocks lost");
    anyhow::ensure!(
        before == after,
        "records changed across the restart:\n before {before:?}\n after  {after:?}"
    );
    println!(
        "after SIGKILL and restart at block #{}: users, devices, catalogues, {} video records and {} DIVS entries (head {}) all read back unchanged",
        chain.best_block()?,
        after.videos.len(),
        after.ledger.entries.len(),
        hex::encode(after.ledger.head().1)
    );
    Ok(())
}

/// The `evidence` binary reads a deployment's manifest and builds a video's evidence
/// bundle from the node; it verifies offline, and equals the one the flow builds.
#[test]
#[ignore = "needs a node: scripts/test.sh --node"]
fn evidence_binary_builds_a_verifiable_bundle_from_a_deployment() -> anyhow::Result<()> {
    use scale::Decode;
    let mut chain = NodeChain::connect()?;
    let mut t = Transcript::default();
    let r = registration::registration(&mut chain, &mut t)?;
    let uploaded = resources::upload_and_verify(&mut chain, &mut t, &r)?;
    let d = divs::setup(&mut chain, &mut t, &r)?;
    divs::evidence(&mut chain, &mut t, &r, &d, &uploaded)?;

    let dir = tempfile::tempdir()?;
    let contracts: serde_json::Map<String, serde_json::Value> = [
        &r.suite.identity.0,
        &r.suite.devices.0,
        &r.suite.resources.0,
        &r.suite.sharing.0,
        &d.ledger.0,
    ]
    .iter()
    .map(|c| {
        let address = format!("0x{}", hex::encode(c.address_bytes()));
        (
            c.name.clone(),
            serde_json::json!({ "address_hex": address }),
        )
    })
    .collect();
    let manifest = dir.path().join("deployment.json");
    std::fs::write(
        &manifest,
        serde_json::json!({ "contracts": contracts }).to_string(),
    )?;
    let out = dir.path().join("evidence.hex");
    let video = &uploaded.videos[0];
    let status = Command::new(env!("CARGO_BIN_EXE_evidence"))
        .arg("--manifest")
        .arg(&manifest)
        .args(["--resource", &hex::encode(video.resource.0)])
        .arg("--out")
        .arg(&out)
        .status()?;
    anyhow::ensure!(status.success(), "the evidence binary failed");
    let bytes = hex::decode(std::fs::read_to_string(&out)?)?;
    let bundle = vssi_sdk::evidence::EvidenceBundle::decode(&mut &bytes[..])?;
    let anchors = divs::evidence_anchors(&mut chain, &r, &d)?;
    bundle
        .verify(&anchors)
        .map_err(|e| anyhow::anyhow!("the built bundle does not verify: {e}"))?;
    let expected =
        divs::evidence_bundle(&mut chain, &d.consumer, &r.suite, &d.ledger, video.resource)?;
    anyhow::ensure!(
        bundle == expected,
        "the binary's bundle differs from the flow's"
    );

    // The operator's offline check: `vssi evidence verify` (built by the unit tier).
    let cli = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/release/vssi");
    let cli_verify = |registrar: &str| {
        let mut command = Command::new(cli);
        command.args(["evidence", "verify", "--bundle"]).arg(&out);
        command.args(["--registrar", registrar]);
        for (account, key) in &anchors.divs.authorities {
            command.args([
                "--authority",
                &format!("{}:{}", hex::encode(account), hex::encode(key.0)),
            ]);
        }
        let pinned = [
            ("--identity-registry", anchors.registries.identity),
            ("--device-registry", anchors.registries.devices),
            ("--resource-registry", anchors.registries.resources),
            ("--ledger", anchors.ledger),
            ("--head", anchors.divs.head),
        ];
        for (flag, value) in pinned {
            command.args([flag, &hex::encode(value)]);
        }
        command.args(["--count", &anchors.divs.count.to_string()]);
        command.output()
    };
    let isp = hex::encode(r.isp.keys.signing_public().0);
    let accepted = cli_verify(&isp)?;
    anyhow::ensure!(
        accepted.status.success(),
        "vssi evidence verify ({cli}): {}",
        String::from_utf8_lossy(&accepted.stderr)
    );
    let stranger = hex::encode(r.bob.keys.signing_public().0);
    let rejected = cli_verify(&stranger)?;
    anyhow::ensure!(
        rejected.status.code() == Some(1)
            && String::from_utf8_lossy(&rejected.stderr).contains("registrar"),
        "vssi accepted evidence under an untrusted ISP"
    );
    println!(
        "evidence of {} built by the evidence binary ({} bytes) verifies offline",
        hex::encode(video.resource.0),
        bytes.len()
    );
    Ok(())
}
