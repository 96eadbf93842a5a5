//! Issue 14 §3e: attacks on a user's controller change and on the registrar-assisted
//! recovery of a lost or stolen key (identity_registry). Each runs on a freshly registered
//! suite; the attacker uses its own accounts and keys, a stolen copy of Alice's key, or
//! what the chain shows (the arguments of earlier calls).
use crate::authority::registered;
use device_registry::Error as DeviceError;
use e2e_tests::{
    chain::{Actor, Chain},
    clients::{IdentityResult, StatusChange},
    flows::{
        expect_ok, refused,
        registration::{user_id, user_registration, Registered, Snapshot},
    },
    sandbox::SandboxChain,
    transcript::Transcript,
};
use identity_registry::{Error as IdentityError, KeyChange, KeyChangeKind, KeyEpoch};
use shared_types::{payload, reason, Ed25519Signature, KeySet};
use vssi_sdk::KeyPair;

const CLAUSE: &str = "issue 14 §3e attack";

/// Every record and catalogue, and Alice's key history and controller nonce.
type Observed = (Snapshot, IdentityResult<Vec<KeyEpoch>>, IdentityResult<u32>);

fn observe(c: &mut SandboxChain, r: &Registered) -> anyhow::Result<Observed> {
    let (identity, alice) = (&r.suite.identity, user_id(&r.alice));
    Ok((
        r.snapshot(c)?,
        identity.key_history(c, &r.operator, alice, 0, identity_registry::MAX_PAGE)?,
        identity.controller_nonce(c, &r.operator, alice)?,
    ))
}

/// `signer`'s signature of moving Alice to `to` under controller nonce `nonce`, for the
/// registrar ISP to submit.
fn controller_change(r: &Registered, signer: &KeyPair, nonce: u32, to: &Actor) -> Ed25519Signature {
    signer.sign(&payload::user_controller_change(
        &r.suite.identity.0.address_bytes(),
        &user_id(&r.alice),
        r.isp.account.as_ref(),
        nonce,
        to.account.as_ref(),
    ))
}

/// A recovery of Alice from `key_version` to `new`'s keys and `to`'s account, naming the
/// registrar key `registrar` signs with: the new key's and the registrar's signatures.
fn recovery(
    r: &Registered,
    key_version: u32,
    new: &KeyPair,
    to: &Actor,
    registrar: &KeyPair,
) -> (KeySet, Ed25519Signature, Ed25519Signature) {
    let keys = new.public();
    let statement = payload::user_recovery(
        &r.suite.identity.0.address_bytes(),
        &user_id(&r.alice),
        key_version,
        &keys,
        to.account.as_ref(),
        &registrar.signing_public(),
    );
    (keys, new.sign(&statement), registrar.sign(&statement))
}

/// The ISP suspends Alice for a key compromise.
pub(crate) fn isp_suspends_alice(
    chain: &mut SandboxChain,
    t: &mut Transcript,
    r: &Registered,
) -> anyhow::Result<()> {
    let alice = user_id(&r.alice);
    let called = r.suite.identity.set_user_status(
        chain,
        &r.isp,
        StatusChange::Suspend,
        alice,
        reason::KEY_COMPROMISE,
    )?;
    expect_ok(
        t,
        CLAUSE,
        "ISP",
        "suspends Alice: key compromise",
        &called,
        &alice.0,
    )
}

/// The operator adds `name` as a second registrar.
fn second_registrar(
    chain: &mut SandboxChain,
    t: &mut Transcript,
    r: &Registered,
    name: &str,
) -> anyhow::Result<Actor> {
    let rogue = chain.actor(name)?;
    let added = r.suite.identity.add_registrar(
        chain,
        &r.operator,
        rogue.account,
        rogue.keys.signing_public(),
    )?;
    let what = format!("adds {name} as a second registrar");
    expect_ok(t, CLAUSE, "Operator", &what, &added, rogue.account.as_ref())?;
    Ok(rogue)
}

#[test]
fn a_registrar_cannot_change_a_users_controller_without_the_users_signature() -> anyhow::Result<()>
{
    let (mut chain, mut t, r) = registered()?;
    let (identity, alice) = (&r.suite.identity, user_id(&r.alice));
    let own = controller_change(&r, &r.isp.keys, 0, &r.isp);
    // Alice's signature the chain shows: her proof of possession at registration.
    let public =
        user_registration(&identity.0.address_bytes(), &r.alice, &r.isp).proof_of_possession;
    for (what, signature) in [
        ("moves Alice to its own account, signed by its own key", own),
        (
            "moves Alice to its own account with her registration signature",
            public,
        ),
    ] {
        refused(
            &mut chain,
            &mut t,
            CLAUSE,
            "ISP",
            what,
            |c| observe(c, &r),
            |c| identity.change_controller(c, &r.isp, alice, r.isp.account, signature),
            IdentityError::InvalidUserSignature,
        )?;
    }
    Ok(())
}

#[test]
fn a_thief_of_the_users_key_cannot_change_the_controller_without_the_registrar(
) -> anyhow::Result<()> {
    let (mut chain, mut t, r) = registered()?;
    let (identity, alice) = (&r.suite.identity, user_id(&r.alice));
    let thief = chain.actor("Mallory")?;
    let rogue = second_registrar(&mut chain, &mut t, &r, "ISP-B")?;
    // Mallory holds a copy of Alice's key and signs with it, for her own account.
    let signature = controller_change(&r, &r.alice.keys, 0, &thief);
    for (who, caller) in [("Mallory", &thief), ("ISP-B, Mallory's accomplice", &rogue)] {
        refused(
            &mut chain,
            &mut t,
            CLAUSE,
            who,
            "moves Alice to Mallory's account with Alice's stolen key",
            |c| observe(c, &r),
            |c| identity.change_controller(c, caller, alice, thief.account, signature),
            IdentityError::NotUserRegistrar,
        )?;
    }
    Ok(())
}

#[test]
fn a_controller_change_cannot_be_replayed() -> anyhow::Result<()> {
    let (mut chain, mut t, r) = registered()?;
    let (identity, alice) = (&r.suite.identity, user_id(&r.alice));
    let phone = chain.actor("Alice's phone")?;
    let to_phone = controller_change(&r, &r.alice.keys, 0, &phone);
    let called = identity.change_controller(&mut chain, &r.isp, alice, phone.account, to_phone)?;
    expect_ok(
        &mut t,
        CLAUSE,
        "ISP",
        "moves Alice to her phone, signed by her",
        &called,
        &alice.0,
    )?;
    let back = controller_change(&r, &r.alice.keys, 1, &r.alice);
    let called = identity.change_controller(&mut chain, &r.isp, alice, r.alice.account, back)?;
    expect_ok(
        &mut t,
        CLAUSE,
        "ISP",
        "moves Alice back, signed by her",
        &called,
        &alice.0,
    )?;
    // The first change's arguments are on chain; the phone was lost since.
    refused(
        &mut chain,
        &mut t,
        CLAUSE,
        "ISP",
        "replays Alice's first controller change",
        |c| observe(c, &r),
        |c| identity.change_controller(c, &r.isp, alice, phone.account, to_phone),
        IdentityError::InvalidUserSignature,
    )?;
    Ok(())
}

#[test]
fn a_controller_change_given_to_one_registrar_cannot_be_used_by_the_next() -> anyhow::Result<()> {
    let (mut chain, mut t, r) = registered()?;
    let (identity, alice) = (&r.suite.identity, user_id(&r.alice));
    let next = second_registrar(&mut chain, &mut t, &r, "ISP-B")?;
    let phone = chain.actor("Alice's phone")?;
    // Alice signed a change for the ISP, which never submitted it; the operator then moves
    // her to ISP-B, which sees the signature.
    let for_isp = controller_change(&r, &r.alice.keys, 0, &phone);
    let moved = identity.reassign_registrar(&mut chain, &r.operator, alice, next.account)?;
    expect_ok(
        &mut t,
        CLAUSE,
        "Operator",
        "reassigns Alice to ISP-B",
        &moved,
        &alice.0,
    )?;
    refused(
        &mut chain,
        &mut t,
        CLAUSE,
        "ISP-B",
        "submits the controller change Alice signed for the ISP",
        |c| observe(c, &r),
        |c| identity.change_controller(c, &next, alice, phone.account, for_isp),
        IdentityError::InvalidUserSignature,
    )
}

#[test]
fn a_registrar_cannot_recover_an_active_user() -> anyhow::Result<()> {
    let (mut chain, mut t, r) = registered()?;
    let (identity, alice) = (&r.suite.identity, user_id(&r.alice));
    // The ISP's own new key for Alice, its own account as her controller, both signed.
    let (keys, new_sig, isp_sig) = recovery(&r, 0, &KeyPair::generate(), &r.isp, &r.isp.keys);
    refused(
        &mut chain,
        &mut t,
        CLAUSE,
        "ISP",
        "takes over active Alice with a key and account of its own",
        |c| observe(c, &r),
        |c| identity.recover_user(c, &r.isp, alice, keys, r.isp.account, new_sig, isp_sig),
        IdentityError::UserNotSuspended,
    )?;
    Ok(())
}

#[test]
fn a_registrar_cannot_recover_a_user_the_admin_suspended() -> anyhow::Result<()> {
    let (mut chain, mut t, r) = registered()?;
    let (identity, alice) = (&r.suite.identity, user_id(&r.alice));
    let called = identity.set_user_status(
        &mut chain,
        &r.operator,
        StatusChange::Suspend,
        alice,
        reason::POLICY_VIOLATION,
    )?;
    expect_ok(
        &mut t,
        CLAUSE,
        "Operator",
        "suspends Alice",
        &called,
        &alice.0,
    )?;
    let (keys, new_sig, isp_sig) = recovery(&r, 0, &KeyPair::generate(), &r.isp, &r.isp.keys);
    refused(
        &mut chain,
        &mut t,
        CLAUSE,
        "ISP",
        "recovers Alice, whom the admin suspended, to a key and account of its own",
        |c| observe(c, &r),
        |c| identity.recover_user(c, &r.isp, alice, keys, r.isp.account, new_sig, isp_sig),
        IdentityError::NotSuspender,
    )?;
    Ok(())
}

#[test]
fn another_registrar_cannot_recover_a_user_it_did_not_suspend() -> anyhow::Result<()> {
    let (mut chain, mut t, r) = registered()?;
    let (identity, alice) = (&r.suite.identity, user_id(&r.alice));
    let rogue = second_registrar(&mut chain, &mut t, &r, "ISP-B")?;
    refused(
        &mut chain,
        &mut t,
        CLAUSE,
        "ISP-B",
        "suspends Alice, whom it did not register",
        |c| observe(c, &r),
        |c| {
            identity.set_user_status(
                c,
                &rogue,
                StatusChange::Suspend,
                alice,
                reason::KEY_COMPROMISE,
            )
        },
        IdentityError::NotUserRegistrar,
    )?;
    isp_suspends_alice(&mut chain, &mut t, &r)?;
    let (keys, new_sig, rogue_sig) = recovery(&r, 0, &KeyPair::generate(), &rogue, &rogue.keys);
    refused(
        &mut chain,
        &mut t,
        CLAUSE,
        "ISP-B",
        "recovers Alice, whom the ISP suspended, to a key and account of its own",
        |c| observe(c, &r),
        |c| identity.recover_user(c, &rogue, alice, keys, rogue.account, new_sig, rogue_sig),
        IdentityError::NotUserRegistrar,
    )?;
    // Nor with Alice's genuine recovery for the ISP, seen pending.
    let (keys, new_sig, isp_sig) = recovery(&r, 0, &KeyPair::generate(), &r.alice, &r.isp.keys);
    refused(
        &mut chain,
        &mut t,
        CLAUSE,
        "ISP-B",
        "submits Alice's pending recovery through the ISP itself",
        |c| observe(c, &r),
        |c| identity.recover_user(c, &rogue, alice, keys, r.alice.account, new_sig, isp_sig),
        IdentityError::NotUserRegistrar,
    )?;
    Ok(())
}

#[test]
fn a_removed_registrar_cannot_recover_its_users() -> anyhow::Result<()> {
    let (mut chain, mut t, r) = registered()?;
    let (identity, alice) = (&r.suite.identity, user_id(&r.alice));
    isp_suspends_alice(&mut chain, &mut t, &r)?;
    let removed = identity.remove_registrar(&mut chain, &r.operator, r.isp.account)?;
    expect_ok(
        &mut t,
        CLAUSE,
        "Operator",
        "removes the compromised ISP",
        &removed,
        r.isp.account.as_ref(),
    )?;
    let (keys, new_sig, isp_sig) = recovery(&r, 0, &KeyPair::generate(), &r.isp, &r.isp.keys);
    refused(
        &mut chain,
        &mut t,
        CLAUSE,
        "removed ISP",
        "recovers Alice, whom it suspended, to a key and account of its own",
        |c| observe(c, &r),
        |c| identity.recover_user(c, &r.isp, alice, keys, r.isp.account, new_sig, isp_sig),
        IdentityError::NotUserRegistrar,
    )?;
    Ok(())
}

#[test]
fn a_recovery_cannot_be_replayed() -> anyhow::Result<()> {
    let (mut chain, mut t, r) = registered()?;
    let (identity, alice) = (&r.suite.identity, user_id(&r.alice));
    isp_suspends_alice(&mut chain, &mut t, &r)?;
    let (keys, new_sig, isp_sig) = recovery(&r, 0, &KeyPair::generate(), &r.alice, &r.isp.keys);
    let called = identity.recover_user(
        &mut chain,
        &r.isp,
        alice,
        keys,
        r.alice.account,
        new_sig,
        isp_sig,
    )?;
    expect_ok(
        &mut t,
        CLAUSE,
        "ISP",
        "recovers Alice with her new key",
        &called,
        &alice.0,
    )?;
    isp_suspends_alice(&mut chain, &mut t, &r)?;
    refused(
        &mut chain,
        &mut t,
        CLAUSE,
        "ISP",
        "replays the recovery, whose arguments are on chain",
        |c| observe(c, &r),
        |c| identity.recover_user(c, &r.isp, alice, keys, r.alice.account, new_sig, isp_sig),
        IdentityError::InvalidNewKeySignature,
    )?;
    Ok(())
}

#[test]
fn after_a_key_theft_the_registrar_suspends_and_recovers_the_user_and_the_thiefs_key_stops_verifying(
) -> anyhow::Result<()> {
    let (mut chain, mut t, r) = registered()?;
    let (identity, devices, alice) = (&r.suite.identity, &r.suite.devices, user_id(&r.alice));
    let addr = identity.0.address_bytes();
    let registered_at = chain.now();
    let thief_keys = KeyPair::generate();

    // Mallory, with a copy of Alice's key, rotates Alice onto her own key: Alice is locked out.
    chain.advance_time(60_000)?;
    let stolen_at = chain.now();
    let rotation = payload::user_key_rotation(&addr, &alice, 0, &thief_keys.public());
    let (stolen_sig, new_sig) = (r.alice.keys.sign(&rotation), thief_keys.sign(&rotation));
    let mallory = chain.actor("Mallory")?;
    let called = identity.rotate_user_key(
        &mut chain,
        &mallory,
        alice,
        thief_keys.public(),
        stolen_sig,
        new_sig,
    )?;
    expect_ok(
        &mut t,
        CLAUSE,
        "Mallory",
        "rotates Alice onto her own key with Alice's stolen key",
        &called,
        &alice.0,
    )?;

    chain.advance_time(60_000)?;
    isp_suspends_alice(&mut chain, &mut t, &r)?;
    chain.advance_time(60_000)?;
    let recovered_at = chain.now();
    let new = KeyPair::generate();
    let phone = chain.actor("Alice's new phone")?;
    let (keys, new_sig, isp_sig) = recovery(&r, 1, &new, &phone, &r.isp.keys);
    let called = identity.recover_user(
        &mut chain,
        &r.isp,
        alice,
        keys,
        phone.account,
        new_sig,
        isp_sig,
    )?;
    expect_ok(
        &mut t,
        CLAUSE,
        "ISP",
        "recovers Alice with her new key and phone, after checking her identity off chain",
        &called,
        &alice.0,
    )?;

    let message = b"signed after the recovery";
    for (whose, signer, valid) in [
        ("Mallory's", &thief_keys, false),
        ("Alice's new", &new, true),
    ] {
        let verified = identity.verify_signature(
            &mut chain,
            &r.operator,
            alice,
            message,
            signer.sign(message),
        )?;
        anyhow::ensure!(verified == Ok(valid), "{whose} key verifies: {verified:?}");
    }
    // Mallory's key cannot rotate Alice again either.
    let rotation = payload::user_key_rotation(&addr, &alice, 2, &thief_keys.public());
    let other = KeyPair::generate();
    let (old_sig, new_sig) = (thief_keys.sign(&rotation), other.sign(&rotation));
    refused(
        &mut chain,
        &mut t,
        CLAUSE,
        "Mallory",
        "rotates the recovered Alice with the key she had put in place",
        |c| observe(c, &r),
        |c| identity.rotate_user_key(c, &mallory, alice, other.public(), old_sig, new_sig),
        IdentityError::InvalidOldKeySignature,
    )?;
    // The old controller account no longer acts for Alice; the new one does.
    refused(
        &mut chain,
        &mut t,
        CLAUSE,
        "Alice's old account",
        "suspends Alice's PU1",
        |c| observe(c, &r),
        |c| {
            devices.set_device_status(
                c,
                &r.alice,
                StatusChange::Suspend,
                r.pu1.id,
                reason::DEVICE_LOST,
            )
        },
        DeviceError::NotAuthorized,
    )?;
    let called = devices.set_device_status(
        &mut chain,
        &phone,
        StatusChange::Suspend,
        r.pu1.id,
        reason::DEVICE_LOST,
    )?;
    expect_ok(
        &mut t,
        CLAUSE,
        "Alice's new phone",
        "suspends Alice's PU1",
        &called,
        &r.pu1.id.0,
    )?;

    // The history says which key was valid when, and what put each in place.
    for (at, expected) in [
        (registered_at, r.alice.keys.public()),
        (stolen_at - 1, r.alice.keys.public()),
        (stolen_at, thief_keys.public()),
        (recovered_at - 1, thief_keys.public()),
        (recovered_at, new.public()),
    ] {
        let epoch = identity.key_at(&mut chain, &r.operator, alice, at)?;
        anyhow::ensure!(
            epoch.as_ref().map(|e| e.keys) == Ok(expected),
            "key_at({at}): {epoch:?}"
        );
    }
    let history = identity.key_history(&mut chain, &r.operator, alice, 0, 3)?;
    let changes: Vec<KeyChange> = history
        .map_err(|e| anyhow::anyhow!("{e:?}"))?
        .iter()
        .map(|e| e.authorized_by)
        .collect();
    let record_signature = user_registration(&addr, &r.alice, &r.isp).registrar_signature;
    let isp_key = r.isp.keys.signing_public();
    anyhow::ensure!(
        changes
            == [
                KeyChange {
                    kind: KeyChangeKind::Registered,
                    signer: isp_key,
                    signature: record_signature,
                    controller: Some(r.alice.account),
                },
                KeyChange {
                    kind: KeyChangeKind::Rotated,
                    signer: r.alice.keys.signing_public(),
                    signature: stolen_sig,
                    controller: None,
                },
                KeyChange {
                    kind: KeyChangeKind::Recovered,
                    signer: isp_key,
                    signature: isp_sig,
                    controller: Some(phone.account),
                },
            ],
        "Alice's key history: {changes:?}"
    );
    t.step(
        CLAUSE,
        "anyone",
        "reads Alice's key history",
        "registered, rotated by the stolen key, recovered by the ISP",
    );
    Ok(())
}
