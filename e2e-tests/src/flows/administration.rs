//! The administration the scenarios leave out, run last on a deployment because it is
//! final: a user suspended, reactivated and revoked; a device revoked by its owner; a DIVS
//! authority and the ISP registrar removed; the admin roles of the identity registry, the
//! resource registry and the DIVS ledger handed over in two steps. With it, every state-changing message of the suite is called at least once.
use super::divs::Divs;
use super::expect_ok;
use super::registration::{user_id, Registered};
use crate::chain::Chain;
use crate::chain::{Actor, Deployed};
use crate::clients;
use crate::transcript::{short, Transcript};
use anyhow::ensure;
use divs_ledger::Error as DivsError;
use identity_registry::Error as IdentityError;
use resource_registry::Error as ResourceError;
use scale::Decode;
use shared_types::reason;
use std::fmt::Debug;

/// F.743.24 SyR-11 and the admin's duties, after everything else.
pub fn administration<C: Chain>(
    chain: &mut C,
    t: &mut Transcript,
    r: &Registered,
    d: &Divs,
) -> anyhow::Result<()> {
    let (identity, devices) = (&r.suite.identity, &r.suite.devices);
    let alice = user_id(&r.alice);
    for (message, why) in [
        ("suspend_user", reason::POLICY_VIOLATION),
        ("reactivate_user", reason::RESOLVED),
        ("revoke_user", reason::REQUESTED_BY_OWNER),
    ] {
        let called = identity.set_user_status(chain, &r.isp, message, alice, why)?;
        let what = format!("{message} Alice ({})", short(&alice.0));
        expect_ok(t, "F.743.24 SyR-11", "ISP", &what, &called, &alice.0)?;
    }
    let called = devices.set_device_status(
        chain,
        &r.bob,
        "revoke_device",
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

    let successor = chain.actor("Operator 2")?;
    hand_over::<_, IdentityError>(chain, t, &identity.0, &r.operator, &successor)?;
    hand_over::<_, ResourceError>(chain, t, &r.suite.resources.0, &r.operator, &successor)?;
    hand_over::<_, DivsError>(chain, t, &d.ledger.0, &r.operator, &successor)
}

/// `admin` proposes `successor` as the contract's admin, who accepts; the contract then names
/// the successor as its admin, with no proposal pending.
fn hand_over<C: Chain, E: Decode + Debug>(
    chain: &mut C,
    t: &mut Transcript,
    contract: &Deployed,
    admin: &Actor,
    successor: &Actor,
) -> anyhow::Result<()> {
    let topic = successor.account.as_ref();
    let what = format!("proposes {} as admin of {}", successor.name, contract.name);
    let called = clients::propose_admin::<_, E>(chain, contract, admin, successor.account)?;
    expect_ok(t, "admin", &admin.name, &what, &called, topic)?;
    let what = format!("accepts the admin role of {}", contract.name);
    let called = clients::accept_admin::<_, E>(chain, contract, successor)?;
    expect_ok(t, "admin", &successor.name, &what, &called, topic)?;
    let role = clients::admin_role(chain, contract, successor)?;
    ensure!(
        role == (successor.account, None),
        "{}: after the handover the admin role is {role:?}",
        contract.name
    );
    Ok(())
}
