//! The flows on the in-process drink sandbox, from the bundles in target/contracts
//! (`scripts/build-contracts.sh`; `scripts/test.sh` builds them first).
use e2e_tests::{
    chain::Chain,
    flows::{handshake, private, registration, resources, sharing},
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
