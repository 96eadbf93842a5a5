//! The same stories on a running substrate-contracts-node. Ignored by a plain `cargo test`:
//! `scripts/test.sh --node` starts the node (`scripts/node.sh start`) and runs them with
//! `--ignored`.
use e2e_tests::{
    chain::Chain,
    clients::ResourceResult,
    flows::{divs, registration, resources},
    node::NodeChain,
    stories,
    transcript::Transcript,
};
use std::process::Command;

fn report(chain: &NodeChain, t: &Transcript) {
    println!(
        "transcript: {} steps on {}, last block #{}",
        t.lines.len(),
        chain.backend(),
        chain.last_block
    );
    print!("{}", t.weights_table(chain.backend()));
}

#[test]
#[ignore = "needs a node: scripts/test.sh --node"]
fn i1_registration_and_refusals_on_the_node() -> anyhow::Result<()> {
    let mut chain = NodeChain::connect()?;
    let mut t = Transcript::default();
    stories::registration_story(&mut chain, &mut t)?;
    report(&chain, &t);
    Ok(())
}

#[test]
#[ignore = "needs a node: scripts/test.sh --node"]
fn i2_to_i5_video_sharing_on_the_node() -> anyhow::Result<()> {
    let mut chain = NodeChain::connect()?;
    let mut t = Transcript::default();
    stories::video_story(&mut chain, &mut t)?;
    report(&chain, &t);
    Ok(())
}

#[test]
#[ignore = "needs a node: scripts/test.sh --node"]
fn y2247_divs_and_evidence_on_the_node() -> anyhow::Result<()> {
    let mut chain = NodeChain::connect()?;
    let mut t = Transcript::default();
    let cost = stories::divs_story(&mut chain, &mut t, divs_ledger::MAX_BATCH as u32)?;
    report(&chain, &t);
    println!("{cost}");
    Ok(())
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

/// SIGKILL, then `scripts/node.sh start` on the same base path.
fn kill_and_restart() -> anyhow::Result<()> {
    let pid_file = std::env::var("VSSI_NODE_PID_FILE")
        .map_err(|_| anyhow::anyhow!("VSSI_NODE_PID_FILE unset: run through scripts/test.sh --node"))?;
    let pid = std::fs::read_to_string(&pid_file)?.trim().to_owned();
    let killed = Command::new("kill").args(["-9", &pid]).status()?;
    anyhow::ensure!(killed.success(), "kill -9 {pid} failed");
    while Command::new("kill").args(["-0", &pid]).output()?.status.success() {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/node.sh");
    let started = Command::new("bash").args([script, "start"]).status()?;
    anyhow::ensure!(started.success(), "scripts/node.sh start failed after the kill");
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
    anyhow::ensure!(before == after, "records changed across the restart:\n before {before:?}\n after  {after:?}");
    println!(
        "after SIGKILL and restart at block #{}: users, devices, catalogues, {} video records and {} DIVS entries (head {}) all read back unchanged",
        chain.best_block()?,
        after.videos.len(),
        after.ledger.entries.len(),
        hex::encode(after.ledger.head)
    );
    Ok(())
}
