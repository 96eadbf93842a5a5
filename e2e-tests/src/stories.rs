//! The stories the tests and the demo run, each on any [`Chain`]: the same steps on the
//! sandbox and on a node.
use crate::chain::Chain;
use crate::clients::IdentityClient;
use crate::flows::{administration, divs, handshake, private, registration, resources, sharing};
use crate::transcript::Transcript;
use registration::Registered;
use resources::Uploaded;

/// F.743.24 SyR-10 on its own (the full story upgrades all three upgradable contracts): an
/// identity registry deployed by its admin, who uploads version 2 and upgrades it.
pub fn upgrade_story<C: Chain>(chain: &mut C, t: &mut Transcript) -> anyhow::Result<()> {
    let admin = chain.actor("Operator")?;
    let identity = IdentityClient::deploy(chain, &admin)?;
    administration::upgrade_to_v2(chain, t, &identity.0, &admin)
}

/// F.743.24 I.1: users and devices registered through the ISP, and the refusals.
pub fn registration_story<C: Chain>(chain: &mut C, t: &mut Transcript) -> anyhow::Result<()> {
    let registered = registration::registration(chain, t)?;
    registration::registration_refusals(chain, t, &registered)
}

/// F.743.24 I.2-I.5 on a registered suite: handshake, upload and verification, sharing,
/// private transfer.
fn video_part<C: Chain>(
    chain: &mut C,
    t: &mut Transcript,
    registered: &Registered,
) -> anyhow::Result<Uploaded> {
    handshake::handshake(chain, t, registered)?;
    let uploaded = resources::upload_and_verify(chain, t, registered)?;
    sharing::share(chain, t, registered, &uploaded)?;
    private::private_sharing(chain, t, registered, uploaded.workdir.path())?;
    Ok(uploaded)
}

/// Y.2247 10.1, 10.2, status changes, a batch of `batch` terminals, and the evidence bundle
/// of an uploaded video; returns the batch's cost and the ledger.
fn divs_part<C: Chain>(
    chain: &mut C,
    t: &mut Transcript,
    registered: &Registered,
    uploaded: &Uploaded,
    batch: u32,
) -> anyhow::Result<(divs::BatchCost, divs::Divs)> {
    let d = divs::setup(chain, t, registered)?;
    divs::consumer_side(chain, t, &d)?;
    divs::aggregator_side(chain, t, &d)?;
    divs::binding_and_ownership(chain, t, &d)?;
    let cost = divs::batch(chain, t, &d, batch)?;
    divs::evidence(chain, t, registered, &d, uploaded)?;
    Ok((cost, d))
}

/// F.743.24 I.2-I.5 on a fresh suite.
pub fn video_story<C: Chain>(chain: &mut C, t: &mut Transcript) -> anyhow::Result<()> {
    let registered = registration::registration(chain, t)?;
    video_part(chain, t, &registered).map(drop)
}

/// Y.2247 on a fresh suite, with one uploaded video for the evidence bundle.
pub fn divs_story<C: Chain>(
    chain: &mut C,
    t: &mut Transcript,
    batch: u32,
) -> anyhow::Result<divs::BatchCost> {
    let registered = registration::registration(chain, t)?;
    let uploaded = resources::upload_and_verify(chain, t, &registered)?;
    divs_part(chain, t, &registered, &uploaded, batch).map(|(cost, _)| cost)
}

/// Everything once, on one deployment: the demo's story. Every state-changing message of
/// the suite is called in it at least once.
pub fn full_story<C: Chain>(
    chain: &mut C,
    t: &mut Transcript,
    batch: u32,
) -> anyhow::Result<divs::BatchCost> {
    let registered = registration::registration(chain, t)?;
    let uploaded = video_part(chain, t, &registered)?;
    let (cost, d) = divs_part(chain, t, &registered, &uploaded, batch)?;
    // Last: the refusals rotate Bob's key and move devices, and the administration revokes
    // and removes, which the other flows would see.
    registration::registration_refusals(chain, t, &registered)?;
    administration::administration(chain, t, &registered, &d)?;
    Ok(cost)
}
