//! Throughput on the local node: `--count` registrations, mixed in turn — a user
//! (identity_registry `register_user` by the ISP), a camera of Alice's (device_registry
//! `register_device` by the ISP) and a Y.2247 terminal (divs_ledger `endorse` by a DIVS
//! authority) — all signed first, then submitted as fast as the node takes them. Prints how
//! many were submitted, how many blocks held them, whether every one succeeded, and the
//! transactions per second; then reads the registries back to check that none is missing.
//! `scripts/dev throughput` starts the node and runs it.
use anyhow::ensure;
use clap::Parser;
use e2e_tests::{
    calls::message_data,
    chain::{Actor, Chain, Deployed},
    flows::{divs, registration},
    node::{LoadCall, NodeChain},
    transcript::Transcript,
};
use sha2::{Digest, Sha256};
use shared_types::{DeviceId, DeviceKind};
use vssi_sdk::{commitment, KeyPair};

/// Measures the node's throughput of registrations.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Transactions in all (a third of each kind).
    #[arg(long, default_value_t = 10_000)]
    count: usize,
    /// Transactions outstanding at a time. Instant seal makes a block of each, and the
    /// node keeps the state (events) of its last 256 blocks only: more outstanding than that
    /// and a block's events may be gone before they are read.
    #[arg(long, default_value_t = 200)]
    window: usize,
}

/// Given to each sender of the load: 100 000 units of the dev chain (whose `//Alice` holds
/// about 1.15 million), for the storage deposits of its records.
const LOAD_FUNDS: u128 = 100_000_000_000_000_000;

/// A user who exists only as keys and an account: the ISP registers it.
fn user(i: usize) -> Actor {
    let account: [u8; 32] = Sha256::digest(format!("throughput user account {i}")).into();
    Actor {
        name: format!("throughput user {i}"),
        account: account.into(),
        keys: KeyPair::generate(),
    }
}

/// One of Alice's cameras.
fn camera(i: usize) -> registration::Device {
    let serial = format!("SN-throughput-{i}").into_bytes();
    registration::Device {
        label: "throughput camera",
        id: DeviceId(Sha256::digest(format!("throughput camera {i}")).into()),
        kind: DeviceKind::Pu,
        keys: KeyPair::generate(),
        serial,
        salt: commitment::random_salt(),
    }
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let mut chain = NodeChain::connect()?;
    let mut t = Transcript {
        quiet: true,
        ..Transcript::default()
    };
    let r = registration::registration(&mut chain, &mut t)?;
    let d = divs::setup(&mut chain, &mut t, &r)?;
    let (identity, devices) = (&r.suite.identity, &r.suite.devices);
    let per_kind = args.count.div_ceil(3);
    let terminals = divs::terminals(
        &d.as1.keys,
        d.as1.account.as_ref(),
        &d.address.contract,
        chain.now(),
        u32::try_from(per_kind)?,
        "throughput",
    );
    let identity_address = identity.0.address_bytes();
    let devices_address = devices.0.address_bytes();
    let signing = std::time::Instant::now();
    let calls: Vec<LoadCall> = (0..args.count)
        .map(|i| match i % 3 {
            0 => LoadCall {
                caller: r.isp.account,
                contract: &identity.0,
                call: message_data(identity.calls().register_user(
                    registration::user_registration(&identity_address, &user(i), &r.isp),
                )),
            },
            1 => LoadCall {
                caller: r.isp.account,
                contract: &devices.0,
                call: message_data(
                    devices
                        .calls()
                        .register_device(camera(i).registration(&devices_address, &r.alice)),
                ),
            },
            _ => LoadCall {
                caller: d.as1.account,
                contract: &d.ledger.0,
                call: message_data(d.ledger.calls().endorse(terminals[i / 3])),
            },
        })
        .collect();
    let of = |contract: &Deployed| {
        calls
            .iter()
            .filter(|c| c.contract.address == contract.address)
            .count()
    };
    let (users, cameras) = (of(&identity.0), of(&devices.0));
    let endorsements = calls.len() - users - cameras;
    println!(
        "signed {} registrations ({users} users, {cameras} cameras, {endorsements} DIVS terminals) in {:.1} s",
        calls.len(),
        signing.elapsed().as_secs_f64()
    );
    // Storage deposits of thousands of records: far more than an actor's funds.
    for sender in [r.isp.account, d.as1.account] {
        chain.fund(sender, LOAD_FUNDS)?;
    }
    let (head_before, _) = d.ledger.head(&mut chain, &d.consumer)?;
    let cameras_before =
        r.suite
            .devices
            .device_count(&mut chain, &r.alice, registration::user_id(&r.alice))?;

    let report = chain.submit_load(&calls, args.window)?;
    println!(
        "submitted {}, in blocks #{}..#{} ({} blocks, at most {} in one): {} succeeded, {} failed",
        report.submitted,
        report.blocks.0,
        report.blocks.1,
        report.blocks.1 - report.blocks.0 + 1,
        report.busiest_block,
        report.succeeded,
        report.failed
    );
    println!(
        "{:.1} s from the first submission to the last inclusion: {:.1} transactions per second",
        report.seconds,
        report.succeeded as f64 / report.seconds
    );

    // None lost: every registration is on chain.
    let (head_after, _) = d.ledger.head(&mut chain, &d.consumer)?;
    let cameras_after =
        r.suite
            .devices
            .device_count(&mut chain, &r.alice, registration::user_id(&r.alice))?;
    let last_user = calls
        .iter()
        .rposition(|c| c.contract.address == identity.0.address)
        .unwrap_or_default();
    let found = r.suite.identity.user(
        &mut chain,
        &r.operator,
        registration::user_id(&user(last_user)),
    )?;
    println!(
        "read back: DIVS entries {head_before} -> {head_after}, Alice's cameras {cameras_before} -> {cameras_after}, last user {}",
        if found.is_ok() { "registered" } else { "MISSING" }
    );
    ensure!(
        report.succeeded == calls.len() && report.failed == 0,
        "not every transaction succeeded"
    );
    ensure!(
        head_after - head_before == endorsements as u64,
        "DIVS entries missing"
    );
    ensure!(
        cameras_after - cameras_before == u32::try_from(cameras)?,
        "cameras missing"
    );
    ensure!(found.is_ok(), "the last user is missing");
    Ok(())
}
