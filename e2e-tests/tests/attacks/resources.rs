//! Attacks on storage-provider faults (issue 14, 4; F.743.24 SyR-5). The cloud store
//! ("Charlie's provider") is registered and active; the attacker is a registered user with
//! her own account, keys and camera, who wants it suspended.
use e2e_tests::chain::Chain;
use e2e_tests::flows::refused;
use e2e_tests::flows::registration::{registration, user_id, Registered};
use e2e_tests::flows::resources::{upload_request, Video};
use e2e_tests::sandbox::SandboxChain;
use e2e_tests::transcript::Transcript;
use resource_registry::{Error, ResourceRegistration};
use shared_types::{HashAlgorithm, Multihash, Status, TimeSpan};
use vssi_sdk::hashing::multihash_bytes;

const CLAUSE: &str = "issue 14.4 attack";

/// A registered suite with the cloud store registered as an active provider.
fn suite(chain: &mut SandboxChain, t: &mut Transcript) -> anyhow::Result<Registered> {
    let r = registration(chain, t)?;
    let registered = r
        .suite
        .resources
        .register_provider(chain, &r.operator, r.cloud.account)?;
    anyhow::ensure!(registered.value.is_ok(), "{:?}", registered.value);
    Ok(r)
}

/// `n` small videos of Alice's PU1 (in `dir`).
fn videos(
    chain: &mut SandboxChain,
    r: &Registered,
    dir: &std::path::Path,
    n: usize,
) -> anyhow::Result<Vec<Video>> {
    let now = chain.now();
    (0..n)
        .map(|i| {
            let start = now.saturating_sub(60_000 * (i as u64 + 1));
            let capture = TimeSpan {
                start,
                end: start + 1_000,
            };
            let key = r.alice.keys.public().encryption;
            Video::record(dir, &format!("attack-{i}"), 4096, &r.pu1, &key, capture)
        })
        .collect()
}

/// Any hash but the ledger's: the attacker claims her download hashed to it.
fn claimed_mismatch(i: u8) -> Multihash {
    multihash_bytes(&[0xee, i], HashAlgorithm::Sha2_256)
}

#[test]
fn a_user_cannot_get_a_provider_suspended_by_naming_it_in_records_she_wrote() -> anyhow::Result<()>
{
    let (mut chain, mut t) = (SandboxChain::new(), Transcript::default());
    let r = suite(&mut chain, &mut t)?;
    let resources = &r.suite.resources;
    let dir = tempfile::tempdir()?;
    // Alice plays Mallory: on the owner path she writes two records that name the cloud
    // store as the provider holding copies it never received, then reports each as a fault.
    let mallory = &r.alice;
    for (i, video) in videos(&mut chain, &r, dir.path(), 2)?.iter().enumerate() {
        let registration = ResourceRegistration {
            owner_signature: None,
            ..upload_request(&r, video, mallory)?
        };
        anyhow::ensure!(registration.provider == Some(r.cloud.account));
        let written = resources.register_resource(&mut chain, mallory, &registration)?;
        anyhow::ensure!(
            written.value.is_ok(),
            "Mallory's own record: {:?}",
            written.value
        );
        refused(
            &mut chain,
            &mut t,
            CLAUSE,
            "Mallory",
            "reports a copy the cloud store never wrote as its fault",
            |chain| resources.provider(chain, &r.operator, r.cloud.account),
            |chain| {
                resources.report_fault(
                    chain,
                    mallory,
                    video.resource,
                    user_id(mallory),
                    &claimed_mismatch(i as u8),
                )
            },
            Error::NotWrittenByProvider,
        )?;
    }
    let provider = resources.provider(&mut chain, &r.operator, r.cloud.account)?;
    anyhow::ensure!(
        matches!(provider, Ok(p) if p.faults == 0 && p.status == Status::Active),
        "the cloud store after Mallory's reports: {provider:?}"
    );
    Ok(())
}

/// The cloud store writes `videos` for Alice, with her signature.
fn store_for_alice(
    chain: &mut SandboxChain,
    r: &Registered,
    videos: &[Video],
) -> anyhow::Result<()> {
    for video in videos {
        let request = upload_request(r, video, &r.alice)?;
        let written = r
            .suite
            .resources
            .register_resource(chain, &r.cloud, &request)?;
        anyhow::ensure!(
            written.value.is_ok(),
            "the store's record: {:?}",
            written.value
        );
    }
    Ok(())
}

#[test]
fn a_user_cannot_report_a_fault_in_a_copy_she_is_not_entitled_to() -> anyhow::Result<()> {
    let (mut chain, mut t) = (SandboxChain::new(), Transcript::default());
    let r = suite(&mut chain, &mut t)?;
    let resources = &r.suite.resources;
    let dir = tempfile::tempdir()?;
    let videos = videos(&mut chain, &r, dir.path(), 1)?;
    store_for_alice(&mut chain, &r, &videos)?;
    // Bob plays Mallory: a registered user who was never served Alice's copy.
    refused(
        &mut chain,
        &mut t,
        CLAUSE,
        "Mallory",
        "reports a fault in another owner's copy",
        |chain| resources.provider(chain, &r.operator, r.cloud.account),
        |chain| {
            resources.report_fault(
                chain,
                &r.bob,
                videos[0].resource,
                user_id(&r.bob),
                &claimed_mismatch(0),
            )
        },
        Error::NotEntitled,
    )?;
    Ok(())
}

#[test]
fn one_owner_cannot_suspend_a_provider_alone_by_reporting_many_copies() -> anyhow::Result<()> {
    let (mut chain, mut t) = (SandboxChain::new(), Transcript::default());
    let r = suite(&mut chain, &mut t)?;
    let resources = &r.suite.resources;
    let dir = tempfile::tempdir()?;
    let videos = videos(&mut chain, &r, dir.path(), 2)?;
    store_for_alice(&mut chain, &r, &videos)?;
    // Alice plays Mallory, a genuine customer of the store with two copies there: her first
    // report counts, a second one (the threshold is 2) must not.
    let first = resources.report_fault(
        &mut chain,
        &r.alice,
        videos[0].resource,
        user_id(&r.alice),
        &claimed_mismatch(0),
    )?;
    anyhow::ensure!(first.value.is_ok(), "the first report: {:?}", first.value);
    refused(
        &mut chain,
        &mut t,
        CLAUSE,
        "Mallory",
        "reports her second copy at the same store, to reach the threshold alone",
        |chain| resources.provider(chain, &r.operator, r.cloud.account),
        |chain| {
            resources.report_fault(
                chain,
                &r.alice,
                videos[1].resource,
                user_id(&r.alice),
                &claimed_mismatch(1),
            )
        },
        Error::AlreadyReported,
    )?;
    let provider = resources.provider(&mut chain, &r.operator, r.cloud.account)?;
    anyhow::ensure!(
        matches!(provider, Ok(p) if p.faults == 1 && p.status == Status::Active),
        "the cloud store after one owner's reports: {provider:?}"
    );
    Ok(())
}
