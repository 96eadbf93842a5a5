//! Attacks on code upgrades (F.743.24 SyR-10, the `admin-role` crate).
use admin_role::AdminError;
use anyhow::ensure;
use e2e_tests::{
    chain::{Actor, Chain, Deployed},
    clients::{self, IdentityClient},
    flows::{administration, refused},
    sandbox::{storage_layout, SandboxChain},
    transcript::Transcript,
};

/// The contracts an admin can upgrade; each has a version-2 build.
const UPGRADABLE: [&str; 3] = ["identity_registry", "resource_registry", "divs_ledger"];

/// An identity registry upgraded to its version-2 code by its admin.
fn upgraded_registry(
    chain: &mut SandboxChain,
    t: &mut Transcript,
) -> anyhow::Result<(Actor, Deployed)> {
    let admin = chain.actor("Operator")?;
    let identity = IdentityClient::deploy(chain, &admin)?;
    administration::upgrade_to_v2(chain, t, &identity.0, &admin)?;
    Ok((admin, identity.0))
}

/// The admin, having moved the registry to version 2, brings the version-1 code (already on
/// chain: it is what was deployed) back. It declares version 1, so the upgrade is refused
/// whatever the admin claims; the code, the version and the chain's state stay as they were.
/// Before the version was read from the code, the admin's "version 3" let it through and a
/// later "version 2" overwrote the log.
#[test]
fn the_admin_cannot_reinstall_old_code_under_a_higher_version() -> anyhow::Result<()> {
    let mut chain = SandboxChain::new();
    let mut t = Transcript::default();
    let (admin, registry) = upgraded_registry(&mut chain, &mut t)?;
    let old_code = chain.upload_code(&admin, "identity_registry")?;
    refused(
        &mut chain,
        &mut t,
        "attack SyR-10",
        &admin.name,
        "reinstalls the version-1 code",
        |chain| {
            Ok((
                clients::code_version(chain, &registry, &admin)?,
                chain.state_root(),
            ))
        },
        |chain| clients::upgrade(chain, &registry, &admin, old_code, [0xaa; 32]),
        AdminError::VersionNotNewer,
    )
}

/// Code that is not a contract of this suite (it has no `version` message: the benchmark's
/// token) cannot be installed, though it was uploaded: the registry would trap on every call
/// after it. Refused with `UnknownCode`, nothing changed.
#[test]
fn the_admin_cannot_install_code_that_does_not_answer_version() -> anyhow::Result<()> {
    let mut chain = SandboxChain::new();
    let mut t = Transcript::default();
    let (admin, registry) = upgraded_registry(&mut chain, &mut t)?;
    let foreign = chain.upload_code(&admin, "reference_token")?;
    refused(
        &mut chain,
        &mut t,
        "attack SyR-10",
        &admin.name,
        "installs code with another storage and no version",
        |chain| {
            Ok((
                clients::code_version(chain, &registry, &admin)?,
                chain.state_root(),
            ))
        },
        |chain| clients::upgrade(chain, &registry, &admin, foreign, [0xaa; 32]),
        AdminError::UnknownCode,
    )
}

/// The test tier's layout check: each upgradable contract's version-2 build describes the
/// same storage layout as the version-1 build, every type written out. The check can fail:
/// two different contracts' layouts differ.
#[test]
fn every_version_2_build_keeps_the_storage_layout() -> anyhow::Result<()> {
    for contract in UPGRADABLE {
        let (v1, v2) = (
            storage_layout(contract)?,
            storage_layout(&format!("{contract}_v2"))?,
        );
        ensure!(
            v1 == v2,
            "{contract}: the version-2 build has another storage layout"
        );
    }
    ensure!(
        storage_layout("identity_registry")? != storage_layout("resource_registry")?,
        "the layout check cannot tell two contracts apart"
    );
    Ok(())
}
