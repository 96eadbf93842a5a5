//! The benchmark: on one backend and in one run, the weight (ref_time, proof_size) and
//! storage deposit of every message the whole story calls, each against a transfer of the
//! reference ERC-20-style token (`bench/reference_token`, built with the same toolchain),
//! plus every bundle's optimized size. Prints Markdown (docs/benchmarks.md is its output)
//! or, with `--json`, the same figures as JSON. `scripts/dev bench` builds first.
use clap::Parser;
use e2e_tests::{
    calls::{call_builder, constructor_data, message_data},
    chain::Chain,
    manifest::CONTRACTS,
    metered::{Cost, Metered},
    node::NodeChain,
    sandbox::{bundle_dir, bundle_messages, SandboxChain},
    stories,
    transcript::Transcript,
};
use reference_token::{ReferenceToken, ReferenceTokenRef};
use serde_json::{json, Value};

/// The reference contract, measured after the suite's.
const REFERENCE: &str = "reference_token";

/// The targets: (contract, message, largest ref_time ratio to the reference transfer).
const TARGETS: [(&str, &str, f64); 3] = [
    ("resource_registry", "ResourceLookup::resource", 1.0),
    ("resource_registry", "verify_resource", 1.0),
    ("resource_registry", "register_resource", 2.0),
];

/// Measures the suite on the sandbox, or the node.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// On the node at $VSSI_NODE_URL (default ws://127.0.0.1:9944) instead of the sandbox.
    #[arg(long)]
    node: bool,
    /// Print JSON instead of Markdown.
    #[arg(long)]
    json: bool,
}

fn wasm_size(contract: &str) -> anyhow::Result<u64> {
    Ok(std::fs::metadata(bundle_dir().join(format!("{contract}.wasm")))?.len())
}

/// Calls every message of the reference token: the unit of the table.
fn reference<C: Chain>(chain: &mut C) -> anyhow::Result<()> {
    let owner = chain.actor("token owner")?;
    let spender = chain.actor("token spender")?;
    let constructor = constructor_data(ReferenceTokenRef::new(1_000_000));
    let token = chain.deploy(&owner, REFERENCE, &constructor)?;
    let mut calls = call_builder::<ReferenceToken>(token.address);
    for (caller, call) in [
        (&owner, message_data(calls.transfer(spender.account, 10))),
        (&owner, message_data(calls.approve(spender.account, 10))),
        (
            &spender,
            message_data(calls.transfer_from(owner.account, spender.account, 5)),
        ),
    ] {
        let outcome = chain.transact(caller, &token, &call, 0)?;
        anyhow::ensure!(!outcome.reverted, "reference {} reverted", outcome.message);
    }
    for call in [
        message_data(calls.balance_of(owner.account)),
        message_data(calls.allowance(owner.account, spender.account)),
        message_data(calls.total_supply()),
    ] {
        chain.query(&owner, &token, &call)?;
    }
    Ok(())
}

fn ratio(value: u64, unit: u64) -> f64 {
    // Weights stay far below 2^52: the conversion is exact enough for a ratio.
    value as f64 / unit.max(1) as f64
}

/// One row per message: every state-changing one (a gap shows as not exercised) and every
/// query the story made.
fn rows(costs: &Metered<impl Chain>, unit: Cost) -> anyhow::Result<Vec<Value>> {
    let mut rows = Vec::new();
    for contract in CONTRACTS.iter().chain([&REFERENCE]) {
        for m in bundle_messages(contract)? {
            let cost = costs.cost(contract, &m.label);
            if !m.mutates && cost.is_none() {
                continue;
            }
            rows.push(json!({
                "contract": contract,
                "message": m.label,
                "kind": if m.mutates { "transaction" } else { "query" },
                "calls": cost.map(|c| c.calls),
                "ref_time": cost.map(|c| c.ref_time),
                "cheapest_ref_time": cost.map(|c| c.cheapest_ref_time),
                "cheapest_ratio": cost.map(|c| ratio(c.cheapest_ref_time, unit.ref_time)),
                "proof_size": cost.map(|c| c.proof_size),
                "ref_time_ratio": cost.map(|c| ratio(c.ref_time, unit.ref_time)),
                "proof_size_ratio": cost.map(|c| ratio(c.proof_size, unit.proof_size)),
                "storage_deposit": cost.map(|c| c.storage_deposit.to_string()),
            }));
        }
    }
    Ok(rows)
}

fn measure<C: Chain>(chain: C) -> anyhow::Result<Value> {
    let mut chain = Metered::new(chain);
    reference(&mut chain)?;
    let mut t = Transcript {
        quiet: true,
        ..Transcript::default()
    };
    let batch = stories::full_story(&mut chain, &mut t, divs_ledger::MAX_BATCH as u32)?;
    let unit = chain
        .cost(REFERENCE, "transfer")
        .ok_or_else(|| anyhow::anyhow!("the reference transfer was not measured"))?;
    let sizes: serde_json::Map<String, Value> = CONTRACTS
        .iter()
        .chain([&REFERENCE])
        .map(|c| Ok((c.to_string(), json!(wasm_size(c)?))))
        .collect::<anyhow::Result<_>>()?;
    let targets: Vec<Value> = TARGETS
        .iter()
        .map(|(contract, message, limit)| {
            let measured = chain
                .cost(contract, message)
                .map(|c| ratio(c.ref_time, unit.ref_time));
            json!({
                "contract": contract,
                "message": message,
                "limit": limit,
                "ref_time_ratio": measured,
                "met": measured.is_some_and(|r| r <= *limit),
            })
        })
        .collect();
    let per_entry = |total: u64| total / u64::from(batch.entries.max(1));
    Ok(json!({
        "backend": chain.backend(),
        "steps": t.lines.len(),
        "wasm_bytes": sizes,
        "reference": {
            "message": format!("{REFERENCE}::transfer"),
            "ref_time": unit.ref_time,
            "proof_size": unit.proof_size,
        },
        "messages": rows(&chain, unit)?,
        "targets": targets,
        "divs_batch": {
            "entries": batch.entries,
            "ref_time": batch.ref_time,
            "proof_size": batch.proof_size,
            "ref_time_per_entry": per_entry(batch.ref_time),
            "proof_size_per_entry": per_entry(batch.proof_size),
        },
    }))
}

/// A JSON number or string as table text; `—` for null.
fn cell(value: &Value) -> String {
    match value {
        Value::Null => "—".to_owned(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if !n.is_u64() && !n.is_i64() => format!("{f:.2}×"),
            _ => n.to_string(),
        },
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn markdown(report: &Value) -> String {
    let mut out = format!(
        "Backend: **{}**; {} story steps.\n\n## Optimized wasm size\n\n| contract | bytes |\n| --- | ---: |\n",
        cell(&report["backend"]),
        report["steps"]
    );
    if let Some(sizes) = report["wasm_bytes"].as_object() {
        for (contract, bytes) in sizes {
            out.push_str(&format!("| {contract} | {bytes} |\n"));
        }
    }
    let reference = &report["reference"];
    out.push_str(&format!(
        "\n## Weights\n\nMax over the story's successful calls; `cheapest`: the smallest ref_time of one of them. Ratios are to `{}` (ref_time {}, \
         proof_size {}). Storage deposit: the largest charge of one call (negative: a refund), in \
         plancks; a call that creates a record pays that record's deposit.\n\n\
         | contract | message | kind | calls | ref_time | × transfer | cheapest | × transfer | proof_size | × transfer | storage deposit |\n\
         | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
        cell(&reference["message"]),
        reference["ref_time"],
        reference["proof_size"]
    ));
    for row in report["messages"].as_array().into_iter().flatten() {
        let fields = [
            "contract",
            "message",
            "kind",
            "calls",
            "ref_time",
            "ref_time_ratio",
            "cheapest_ref_time",
            "cheapest_ratio",
            "proof_size",
            "proof_size_ratio",
            "storage_deposit",
        ];
        let cells: Vec<String> = fields.iter().map(|f| cell(&row[*f])).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out.push_str("\n## Targets (ref_time against the reference transfer)\n\n| message | limit | measured | met |\n| --- | ---: | ---: | --- |\n");
    for target in report["targets"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "| {}::{} | {} | {} | {} |\n",
            cell(&target["contract"]),
            cell(&target["message"]),
            cell(&target["limit"]),
            cell(&target["ref_time_ratio"]),
            if target["met"] == json!(true) {
                "yes"
            } else {
                "**no**"
            }
        ));
    }
    let batch = &report["divs_batch"];
    out.push_str(&format!(
        "\n## DIVS batch\n\n`endorse_batch` of {} entries: ref_time {} ({} per entry), proof_size {} ({} per entry).\n",
        batch["entries"],
        batch["ref_time"],
        batch["ref_time_per_entry"],
        batch["proof_size"],
        batch["proof_size_per_entry"]
    ));
    out
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let report = if args.node {
        measure(NodeChain::connect()?)?
    } else {
        measure(SandboxChain::new())?
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", markdown(&report));
    }
    Ok(())
}
