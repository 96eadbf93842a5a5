//! The stories on the in-process drink sandbox, from the bundles in target/contracts
//! (`scripts/dev build-contracts`; `scripts/test.sh` builds them first).
use e2e_tests::{
    chain::Chain, metered::Metered, sandbox::SandboxChain, stories, transcript::Transcript,
};

/// Runs `story` on a fresh sandbox and prints its transcript's size and weights.
fn on_sandbox<T>(
    story: impl FnOnce(&mut Metered<SandboxChain>, &mut Transcript) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let mut chain = Metered::new(SandboxChain::new());
    let mut t = Transcript::default();
    let result = story(&mut chain, &mut t)?;
    println!("transcript: {} steps on {}", t.lines.len(), chain.backend());
    print!("{}", chain.weights_table());
    Ok(result)
}

#[test]
fn i1_registration_and_refusals_on_the_sandbox() -> anyhow::Result<()> {
    on_sandbox(stories::registration_story)
}

#[test]
fn i2_to_i5_video_sharing_on_the_sandbox() -> anyhow::Result<()> {
    on_sandbox(stories::video_story)
}

#[test]
fn y2247_divs_and_evidence_on_the_sandbox() -> anyhow::Result<()> {
    let cost = on_sandbox(|chain, t| stories::divs_story(chain, t, divs_ledger::MAX_BATCH as u32))?;
    println!("{cost}");
    Ok(())
}
