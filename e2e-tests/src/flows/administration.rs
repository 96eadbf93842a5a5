//! The administration the scenarios leave out, run last on a deployment because it is
//! final: a user moved to a new controlling account, then suspended after a key theft and
//! recovered by the ISP with new keys, suspended, reactivated and revoked; a device revoked by its owner; a DIVS
//! authority and the ISP registrar removed; the identity registry, the resource registry and
//! the DIVS ledger upgraded to new code, and their admin roles handed over in two steps. With
//! it, every state-changing message of the suite is called at least once.
use super::divs::Divs;
use super::registration::{user_id, Registered};
use super::{expect_ok, refused};
use crate::chain::{Actor, Chain, Deployed};
use crate::clients::{self, StatusChange};
use crate::transcript::{short, Transcript};
use admin_role::AdminError;
use anyhow::{anyhow, ensure};
use sha2::{Digest, Sha256};
use shared_types::{payload, reason};
use vssi_sdk::KeyPair;

/// F.743.24 SyR-11 and the admin's duties, after everything else.
pub fn administration<C: Chain>(
    chain: &mut C,
    t: &mut Transcript,
    r: &Registered,
    d: &Divs,
) -> anyhow::Result<()> {
    let (identity, devices) = (&r.suite.identity, &r.suite.devices);
    let alice = user_id(&r.alice);
    controller_change_and_recovery(chain, t, r)?;
    for (message, why) in [
        (StatusChange::Suspend, reason::POLICY_VIOLATION),
        (StatusChange::Reactivate, reason::RESOLVED),
        (StatusChange::Revoke, reason::REQUESTED_BY_OWNER),
    ] {
        let called = identity.set_user_status(chain, &r.isp, message, alice, why)?;
        let what = format!("{message}s Alice ({})", short(&alice.0));
        expect_ok(t, "F.743.24 SyR-11", "ISP", &what, &called, &alice.0)?;
    }
    let called = devices.set_device_status(
        chain,
        &r.bob,
        StatusChange::Revoke,
        r.mcu.id,
        reason::DEVICE_LOST,
    )?;
    let what = format!("revokes his lost MCU ({})", short(&r.mcu.id.0));
    expect_ok(t, "F.743.24 SyR-11", "Bob", &what, &called, &r.mcu.id.0)?;

    let called = d
        .ledger
        .remove_authority(chain, &r.operator, d.as2.account)?;
    expect_ok(
        t,
        "Y.2247 8.1.3",
        "Operator",
        "removes DIVS-AS2",
        &called,
        d.as2.account.as_ref(),
    )?;
    let called = identity.remove_registrar(chain, &r.operator, r.isp.account)?;
    expect_ok(
        t,
        "F.743.24 I.1.1",
        "Operator",
        "removes the ISP as registrar",
        &called,
        r.isp.account.as_ref(),
    )?;

    upgrade_to_v2(chain, t, &identity.0, &r.operator)?;
    upgrade_to_v2(chain, t, &r.suite.resources.0, &r.operator)?;
    upgrade_to_v2(chain, t, &d.ledger.0, &r.operator)?;

    let successor = chain.actor("Operator 2")?;
    hand_over(chain, t, &identity.0, &r.operator, &successor)?;
    hand_over(chain, t, &r.suite.resources.0, &r.operator, &successor)?;
    hand_over(chain, t, &d.ledger.0, &r.operator, &successor)
}

/// F.743.24 SyR-8 for the user's own account and key: the ISP moves Alice to the account of
/// her new phone, on her signature; her key is then stolen, so the ISP suspends her and
/// recovers her with new keys (its attestation and the new key's signature).
fn controller_change_and_recovery<C: Chain>(
    chain: &mut C,
    t: &mut Transcript,
    r: &Registered,
) -> anyhow::Result<()> {
    let identity = &r.suite.identity;
    let (alice, addr) = (user_id(&r.alice), identity.0.address_bytes());
    let phone = chain.actor("Alice's new phone")?;
    let nonce = identity
        .controller_nonce(chain, &r.operator, alice)?
        .map_err(|e| anyhow!("Alice's controller nonce: {e:?}"))?;
    let statement = payload::user_controller_change(
        &addr,
        &alice,
        r.isp.account.as_ref(),
        nonce,
        phone.account.as_ref(),
    );
    let called = identity.change_controller(
        chain,
        &r.isp,
        alice,
        phone.account,
        r.alice.keys.sign(&statement),
    )?;
    let what = "moves Alice to her new phone's account, signed by her key";
    expect_ok(t, "F.743.24 SyR-8", "ISP", what, &called, &alice.0)?;
    let called = identity.set_user_status(
        chain,
        &r.isp,
        StatusChange::Suspend,
        alice,
        reason::KEY_COMPROMISE,
    )?;
    let what = "suspends Alice: her key was stolen";
    expect_ok(t, "F.743.24 SyR-8", "ISP", what, &called, &alice.0)?;
    let record = identity
        .user(chain, &r.operator, alice)?
        .map_err(|e| anyhow!("Alice's record: {e:?}"))?;
    let new = KeyPair::generate();
    let statement = payload::user_recovery(
        &addr,
        &alice,
        record.key_version,
        &new.public(),
        phone.account.as_ref(),
        &r.isp.keys.signing_public(),
    );
    let called = identity.recover_user(
        chain,
        &r.isp,
        alice,
        new.public(),
        phone.account,
        new.sign(&statement),
        r.isp.keys.sign(&statement),
    )?;
    let what = "recovers Alice with her new keys, after checking her identity off chain";
    expect_ok(t, "F.743.24 SyR-8", "ISP", what, &called, &alice.0)
}

/// F.743.24 SyR-10: `admin` uploads the contract's version-2 build and upgrades the contract
/// to it with the hash of its audit report; the contract reads version 2 from that code,
/// then runs it and keeps the record. An unknown code hash and the same code again are
/// refused. The later steps
/// run on the new code, over the state the old code wrote.
pub fn upgrade_to_v2<C: Chain>(
    chain: &mut C,
    t: &mut Transcript,
    contract: &Deployed,
    admin: &Actor,
) -> anyhow::Result<()> {
    let name = &contract.name;
    let code_hash = chain.upload_code(admin, &format!("{name}_v2"))?;
    let audit_report: [u8; 32] = Sha256::digest(format!("audit report: {name} version 2")).into();
    let observe = |chain: &mut C| clients::code_version(chain, contract, admin);
    refused(
        chain,
        t,
        "F.743.24 SyR-10 refusal",
        &admin.name,
        &format!("upgrades {name} to code nobody uploaded"),
        observe,
        |chain| clients::upgrade(chain, contract, admin, [0xee; 32], audit_report),
        AdminError::UnknownCode,
    )?;
    let called = clients::upgrade(chain, contract, admin, code_hash, audit_report)?;
    let what = format!("upgrades {name} to version 2 ({})", short(&code_hash));
    expect_ok(
        t,
        "F.743.24 SyR-10",
        &admin.name,
        &what,
        &called,
        &code_hash,
    )?;
    let (version, record) = observe(chain)?;
    ensure!(
        version == 2
            && record.map(|r| (r.code_hash, r.audit_report))
                == Some((code_hash.into(), audit_report)),
        "{name}: after the upgrade, version {version} and record {record:?}"
    );
    refused(
        chain,
        t,
        "F.743.24 SyR-10 refusal",
        &admin.name,
        &format!("upgrades {name} to version 2 again"),
        observe,
        |chain| clients::upgrade(chain, contract, admin, code_hash, audit_report),
        AdminError::VersionNotNewer,
    )
}

/// `admin` proposes `successor` as the contract's admin, who accepts; the contract then names
/// the successor as its admin, with no proposal pending.
fn hand_over<C: Chain>(
    chain: &mut C,
    t: &mut Transcript,
    contract: &Deployed,
    admin: &Actor,
    successor: &Actor,
) -> anyhow::Result<()> {
    let topic = successor.account.as_ref();
    let what = format!("proposes {} as admin of {}", successor.name, contract.name);
    let called = clients::propose_admin(chain, contract, admin, successor.account)?;
    expect_ok(t, "admin", &admin.name, &what, &called, topic)?;
    let what = format!("accepts the admin role of {}", contract.name);
    let called = clients::accept_admin(chain, contract, successor)?;
    expect_ok(t, "admin", &successor.name, &what, &called, topic)?;
    let role = clients::admin_role(chain, contract, successor)?;
    ensure!(
        role == (successor.account, None),
        "{}: after the handover the admin role is {role:?}",
        contract.name
    );
    Ok(())
}
