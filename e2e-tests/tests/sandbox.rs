//! The stories on the in-process drink sandbox, from the bundles in target/contracts
//! (`scripts/build-contracts.sh`; `scripts/test.sh` builds them first).
use e2e_tests::{chain::Chain, sandbox::SandboxChain, stories, transcript::Transcript};

#[test]
fn i1_registration_and_refusals_on_the_sandbox() -> anyhow::Result<()> {
    let mut chain = SandboxChain::new();
    let mut t = Transcript::default();
    stories::registration_story(&mut chain, &mut t)?;
    println!("transcript: {} steps on {}", t.lines.len(), chain.backend());
    print!("{}", t.weights_table(chain.backend()));
    Ok(())
}

#[test]
fn i2_to_i5_video_sharing_on_the_sandbox() -> anyhow::Result<()> {
    let mut chain = SandboxChain::new();
    let mut t = Transcript::default();
    stories::video_story(&mut chain, &mut t)?;
    println!("transcript: {} steps on {}", t.lines.len(), chain.backend());
    print!("{}", t.weights_table(chain.backend()));
    Ok(())
}

#[test]
fn y2247_divs_and_evidence_on_the_sandbox() -> anyhow::Result<()> {
    let mut chain = SandboxChain::new();
    let mut t = Transcript::default();
    let cost = stories::divs_story(&mut chain, &mut t, divs_ledger::MAX_BATCH as u32)?;
    println!("transcript: {} steps on {}", t.lines.len(), chain.backend());
    print!("{}", t.weights_table(chain.backend()));
    println!("{cost}");
    Ok(())
}
