//! The flows on the in-process drink sandbox, from the bundles in target/contracts
//! (`scripts/build-contracts.sh`; `scripts/test.sh` builds them first).
use e2e_tests::{
    chain::Chain,
    flows::{divs, handshake, private, registration, resources, sharing},
    sandbox::SandboxChain,
    transcript::Transcript,
};

#[test]
fn i1_registration_and_refusals_on_the_sandbox() -> anyhow::Result<()> {
    let mut chain = SandboxChain::new();
    let mut t = Transcript::default();
    let registered = registration::registration(&mut chain, &mut t)?;
    registration::registration_refusals(&mut chain, &mut t, &registered)?;
    println!("transcript: {} steps on {}", t.lines.len(), chain.backend());
    let (u, d) = (
        registered.register_user_weight,
        registered.register_device_weight,
    );
    println!("weights (sandbox): register_user ref_time {} proof_size {}; register_device ref_time {} proof_size {}", u.0, u.1, d.0, d.1);
    Ok(())
}

#[test]
fn i2_to_i5_video_sharing_on_the_sandbox() -> anyhow::Result<()> {
    let mut chain = SandboxChain::new();
    let mut t = Transcript::default();
    let registered = registration::registration(&mut chain, &mut t)?;
    handshake::handshake(&mut chain, &mut t, &registered)?;
    let uploaded = resources::upload_and_verify(&mut chain, &mut t, &registered)?;
    sharing::share(&mut chain, &mut t, &registered, &uploaded)?;
    private::private_sharing(&mut chain, &mut t, &registered, uploaded.workdir.path())?;
    println!("transcript: {} steps on {}", t.lines.len(), chain.backend());
    print!("{}", t.weights_table(chain.backend()));
    Ok(())
}

#[test]
fn y2247_divs_and_evidence_on_the_sandbox() -> anyhow::Result<()> {
    let mut chain = SandboxChain::new();
    let mut t = Transcript::default();
    let registered = registration::registration(&mut chain, &mut t)?;
    let uploaded = resources::upload_and_verify(&mut chain, &mut t, &registered)?;
    let d = divs::setup(&mut chain, &mut t, &registered)?;
    divs::consumer_side(&mut chain, &mut t, &d)?;
    divs::aggregator_side(&mut chain, &mut t, &d)?;
    divs::binding_and_ownership(&mut chain, &mut t, &d)?;
    let cost = divs::batch(&mut chain, &mut t, &d, divs_ledger::MAX_BATCH as u32)?;
    divs::evidence(&mut chain, &mut t, &registered, &d, &uploaded)?;
    println!("transcript: {} steps on {}", t.lines.len(), chain.backend());
    print!("{}", t.weights_table(chain.backend()));
    println!(
        "batch of {}: ref_time {} ({} per entry), proof_size {} ({} per entry)",
        cost.entries,
        cost.ref_time,
        cost.ref_time / u64::from(cost.entries),
        cost.proof_size,
        cost.proof_size / u64::from(cost.entries)
    );
    Ok(())
}
