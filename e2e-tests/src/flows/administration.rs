//! The administration the scenarios leave out, run last on a deployment because it is
//! final: a user suspended, reactivated and revoked; a device revoked by its owner; a DIVS
//! authority and the ISP registrar removed; the identity registry's admin role handed over
//! in two steps. With it, every state-changing message of the suite is called at least once.
use super::divs::Divs;
use super::expect_ok;
use super::registration::{user_id, Registered};
use crate::chain::Chain;
use crate::transcript::{short, Transcript};
use shared_types::reason;

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
    let called = identity.propose_admin(chain, &r.operator, successor.account)?;
    let topic = successor.account.as_ref();
    expect_ok(
        t,
        "admin",
        "Operator",
        "proposes Operator 2 as admin",
        &called,
        topic,
    )?;
    let called = identity.accept_admin(chain, &successor)?;
    expect_ok(
        t,
        "admin",
        "Operator 2",
        "accepts the admin role",
        &called,
        topic,
    )?;
    Ok(())
}
