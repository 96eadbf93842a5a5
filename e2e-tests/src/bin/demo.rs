//! The main job: the whole story (F.743.24 I.1-I.5, Y.2247 10.1-10.2 and a video's evidence
//! bundle) on one deployment, printed as a transcript labelled with the seeds' clauses.
//! Runs on the in-process sandbox, or with `--node` on a running substrate-contracts-node
//! (`scripts/demo.sh --node` starts one). Exits non-zero if any step fails.
use clap::Parser;
use e2e_tests::{
    chain::Chain, metered::Metered, node::NodeChain, sandbox::SandboxChain, stories,
    transcript::Transcript,
};
use std::process::ExitCode;
use std::time::Instant;

/// Runs the whole F.743.24 + Y.2247 story and prints its transcript.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Run against the node at $VSSI_NODE_URL (default ws://127.0.0.1:9944) instead of the
    /// in-process sandbox.
    #[arg(long)]
    node: bool,
    /// Terminals endorsed in the Y.2247 9.2 batch.
    #[arg(long, default_value_t = divs_ledger::MAX_BATCH as u32)]
    batch: u32,
}

fn run<C: Chain>(chain: C, batch: u32) -> anyhow::Result<(Transcript, C)> {
    let mut chain = Metered::new(chain);
    let mut t = Transcript::default();
    let cost = stories::full_story(&mut chain, &mut t, batch)?;
    println!();
    print!("{}", chain.weights_table());
    println!("{cost}");
    Ok((t, chain.inner))
}

fn main() -> ExitCode {
    let args = Args::parse();
    let started = Instant::now();
    let result = if args.node {
        NodeChain::connect().and_then(|chain| {
            let first = chain.best_block()?;
            let (t, chain) = run(chain, args.batch)?;
            let last = chain.best_block()?;
            println!(
                "{} steps on {}: blocks #{}..#{} ({} blocks)",
                t.lines.len(),
                chain.backend(),
                first + 1,
                last,
                last - first
            );
            Ok(())
        })
    } else {
        run(SandboxChain::new(), args.batch)
            .map(|(t, chain)| println!("{} steps on {}", t.lines.len(), chain.backend()))
    };
    let elapsed = started.elapsed().as_secs_f64();
    match result {
        Ok(()) => {
            println!("demo: every step passed in {elapsed:.1} s");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("demo: FAILED after {elapsed:.1} s: {e:#}");
            ExitCode::FAILURE
        }
    }
}
