//! Issue 14 §3 a-d: attacks on the authority lifecycle of identity_registry and
//! device_registry. Each runs on a freshly registered suite (Alice with PU1 and a private
//! DB, Bob with a CU, an MCU and a private DB, all registered by the ISP).
use device_registry::{DeviceRegistration, Error as DeviceError};
use e2e_tests::{
    chain::{Actor, Chain},
    clients::StatusChange,
    flows::{
        expect_ok, refused,
        registration::{self, user_id, user_registration, Device, Registered},
    },
    sandbox::SandboxChain,
    transcript::Transcript,
};
use identity_registry::Error as IdentityError;
use shared_types::{payload, reason, DeviceKind, KeySet, X25519PublicKey};
use vssi_sdk::{commitment, KeyPair};

const CLAUSE: &str = "issue 14 §3 attack";

pub(crate) fn registered() -> anyhow::Result<(SandboxChain, Transcript, Registered)> {
    let mut chain = SandboxChain::new();
    let mut t = Transcript::default();
    let r = registration::registration(&mut chain, &mut t)?;
    Ok((chain, t, r))
}

/// Registers `name` as a user through the suite's ISP.
pub(crate) fn new_user(
    chain: &mut SandboxChain,
    t: &mut Transcript,
    r: &Registered,
    name: &str,
) -> anyhow::Result<Actor> {
    let user = chain.actor(name)?;
    let identity = &r.suite.identity;
    let called = identity.register_user(
        chain,
        &r.isp,
        &user_registration(&identity.0.address_bytes(), &user, &r.isp),
    )?;
    expect_ok(
        t,
        "F.743.24 I.1.1 step 3",
        "ISP",
        &format!("registers {name}"),
        &called,
        &user_id(&user).0,
    )?;
    Ok(user)
}

/// A key set whose X25519 half is the all-zero (small-order) point: every Diffie-Hellman
/// with it gives the all-zero secret.
fn with_low_order_encryption(keys: &KeyPair) -> KeySet {
    KeySet {
        signing: keys.signing_public(),
        encryption: X25519PublicKey([0; 32]),
    }
}

#[test]
fn a_removed_registrar_cannot_revoke_the_users_and_devices_it_registered() -> anyhow::Result<()> {
    let (mut chain, mut t, r) = registered()?;
    let (identity, devices) = (&r.suite.identity, &r.suite.devices);
    let removed = identity.remove_registrar(&mut chain, &r.operator, r.isp.account)?;
    expect_ok(
        &mut t,
        CLAUSE,
        "Operator",
        "removes the compromised ISP",
        &removed,
        r.isp.account.as_ref(),
    )?;
    for message in [StatusChange::Suspend, StatusChange::Revoke] {
        refused(
            &mut chain,
            &mut t,
            CLAUSE,
            "removed ISP",
            &format!("{message}s Alice, whom it registered"),
            |c| r.snapshot(c),
            |c| {
                identity.set_user_status(
                    c,
                    &r.isp,
                    message,
                    user_id(&r.alice),
                    reason::POLICY_VIOLATION,
                )
            },
            IdentityError::NotUserRegistrar,
        )?;
    }
    for message in [StatusChange::Suspend, StatusChange::Revoke] {
        refused(
            &mut chain,
            &mut t,
            CLAUSE,
            "removed ISP",
            &format!("{message}s Alice's PU1, which it registered"),
            |c| r.snapshot(c),
            |c| devices.set_device_status(c, &r.isp, message, r.pu1.id, reason::POLICY_VIOLATION),
            DeviceError::NotAuthorized,
        )?;
    }
    // The admin hands Alice to another ISP, which then acts for her and her devices.
    let isp2 = chain.actor("ISP 2")?;
    let added = identity.add_registrar(
        &mut chain,
        &r.operator,
        isp2.account,
        isp2.keys.signing_public(),
    )?;
    expect_ok(
        &mut t,
        CLAUSE,
        "Operator",
        "adds ISP 2",
        &added,
        isp2.account.as_ref(),
    )?;
    let alice = user_id(&r.alice);
    let moved = identity.reassign_registrar(&mut chain, &r.operator, alice, isp2.account)?;
    expect_ok(
        &mut t,
        CLAUSE,
        "Operator",
        "reassigns Alice to ISP 2",
        &moved,
        &alice.0,
    )?;
    let called = devices.set_device_status(
        &mut chain,
        &isp2,
        StatusChange::Suspend,
        r.pu1.id,
        reason::KEY_COMPROMISE,
    )?;
    expect_ok(
        &mut t,
        CLAUSE,
        "ISP 2",
        "suspends Alice's PU1",
        &called,
        &r.pu1.id.0,
    )?;
    Ok(())
}

#[test]
fn a_registrar_cannot_lift_the_admins_suspension_of_a_user() -> anyhow::Result<()> {
    let (mut chain, mut t, r) = registered()?;
    let identity = &r.suite.identity;
    let bob = user_id(&r.bob);
    let called = identity.set_user_status(
        &mut chain,
        &r.operator,
        StatusChange::Suspend,
        bob,
        reason::POLICY_VIOLATION,
    )?;
    expect_ok(&mut t, CLAUSE, "Operator", "suspends Bob", &called, &bob.0)?;
    refused(
        &mut chain,
        &mut t,
        CLAUSE,
        "ISP",
        "reactivates Bob, whom the admin suspended",
        |c| r.snapshot(c),
        |c| identity.set_user_status(c, &r.isp, StatusChange::Reactivate, bob, reason::RESOLVED),
        IdentityError::NotSuspender,
    )?;
    Ok(())
}

#[test]
fn neither_the_owner_nor_the_registrar_can_lift_the_others_device_suspension() -> anyhow::Result<()>
{
    let (mut chain, mut t, r) = registered()?;
    let devices = &r.suite.devices;
    let called = devices.set_device_status(
        &mut chain,
        &r.isp,
        StatusChange::Suspend,
        r.pu1.id,
        reason::POLICY_VIOLATION,
    )?;
    expect_ok(
        &mut t,
        CLAUSE,
        "ISP",
        "suspends Alice's PU1",
        &called,
        &r.pu1.id.0,
    )?;
    refused(
        &mut chain,
        &mut t,
        CLAUSE,
        "Alice",
        "reactivates her PU1, which the ISP suspended",
        |c| r.snapshot(c),
        |c| {
            devices.set_device_status(
                c,
                &r.alice,
                StatusChange::Reactivate,
                r.pu1.id,
                reason::RESOLVED,
            )
        },
        DeviceError::NotSuspender,
    )?;
    let called = devices.set_device_status(
        &mut chain,
        &r.bob,
        StatusChange::Suspend,
        r.cu.id,
        reason::DEVICE_LOST,
    )?;
    expect_ok(
        &mut t,
        CLAUSE,
        "Bob",
        "suspends his CU",
        &called,
        &r.cu.id.0,
    )?;
    refused(
        &mut chain,
        &mut t,
        CLAUSE,
        "ISP",
        "reactivates Bob's CU, which Bob suspended",
        |c| r.snapshot(c),
        |c| {
            devices.set_device_status(
                c,
                &r.isp,
                StatusChange::Reactivate,
                r.cu.id,
                reason::RESOLVED,
            )
        },
        DeviceError::NotSuspender,
    )?;
    Ok(())
}

#[test]
fn a_second_registrar_cannot_front_run_a_registration_with_the_users_proof_of_possession(
) -> anyhow::Result<()> {
    let (mut chain, mut t, r) = registered()?;
    let identity = &r.suite.identity;
    let rogue = chain.actor("ISP-B")?;
    let added = identity.add_registrar(
        &mut chain,
        &r.operator,
        rogue.account,
        rogue.keys.signing_public(),
    )?;
    expect_ok(
        &mut t,
        CLAUSE,
        "Operator",
        "adds ISP-B as a second registrar",
        &added,
        rogue.account.as_ref(),
    )?;
    let carol = chain.actor("Carol")?;
    let addr = identity.0.address_bytes();
    // Carol's pending registration with the ISP, seen by ISP-B (e.g. in the mempool).
    let pending = user_registration(&addr, &carol, &r.isp);
    let mut front_run = user_registration(&addr, &carol, &rogue);
    front_run.proof_of_possession = pending.proof_of_possession;
    let carol_id = user_id(&carol);
    let observe = |c: &mut SandboxChain| identity.user(c, &r.operator, carol_id);
    refused(
        &mut chain,
        &mut t,
        CLAUSE,
        "ISP-B",
        "registers Carol with her genuine proof of possession and its own attestation",
        observe,
        |c| identity.register_user(c, &rogue, &front_run),
        IdentityError::InvalidProofOfPossession,
    )?;
    let called = identity.register_user(&mut chain, &r.isp, &pending)?;
    expect_ok(
        &mut t,
        CLAUSE,
        "ISP",
        "registers Carol as she asked",
        &called,
        &carol_id.0,
    )?;
    Ok(())
}

#[test]
fn mallory_cannot_register_alices_camera_key_as_her_own_device() -> anyhow::Result<()> {
    let (mut chain, mut t, r) = registered()?;
    let devices = &r.suite.devices;
    let mallory = new_user(&mut chain, &mut t, &r, "Mallory")?;
    let fake = Device::new(&mallory, "PU1", DeviceKind::Pu);
    let (owner, keys) = (user_id(&mallory), r.pu1.keys.public());
    let serial = commitment::serial_commitment(&fake.salt, &fake.serial);
    let addr = devices.0.address_bytes();
    let statement =
        payload::device_registration(&addr, &fake.id, fake.kind, &owner, &keys, &serial);
    // She can sign as owner, but not as the key's holder: her best is her own key.
    let claim = DeviceRegistration {
        device: fake.id,
        kind: fake.kind,
        owner,
        keys,
        serial,
        owner_signature: mallory.keys.sign(&statement),
        device_signature: mallory.keys.sign(&payload::device_proof_of_possession(
            &addr, &fake.id, &owner, &keys, 0,
        )),
    };
    refused(
        &mut chain,
        &mut t,
        CLAUSE,
        "ISP for Mallory",
        "registers a device of Mallory's with Alice's PU1 key",
        |c| r.snapshot_with(c, &[owner], &[fake.id]),
        |c| devices.register_device(c, &r.isp, &claim),
        DeviceError::InvalidDeviceSignature,
    )?;
    Ok(())
}

#[test]
fn mallory_cannot_rotate_her_device_to_alices_camera_key() -> anyhow::Result<()> {
    let (mut chain, mut t, r) = registered()?;
    let devices = &r.suite.devices;
    let mallory = new_user(&mut chain, &mut t, &r, "Mallory")?;
    let cam = Device::new(&mallory, "PU1", DeviceKind::Pu);
    let addr = devices.0.address_bytes();
    let called = devices.register_device(&mut chain, &r.isp, &cam.registration(&addr, &mallory))?;
    expect_ok(
        &mut t,
        CLAUSE,
        "ISP",
        "registers Mallory's own camera",
        &called,
        &cam.id.0,
    )?;
    let stolen = r.pu1.keys.public();
    let owner_signature = mallory
        .keys
        .sign(&payload::device_key_rotation(&addr, &cam.id, 0, &stolen));
    let device_signature = cam.keys.sign(&payload::device_proof_of_possession(
        &addr,
        &cam.id,
        &user_id(&mallory),
        &stolen,
        0,
    ));
    refused(
        &mut chain,
        &mut t,
        CLAUSE,
        "Mallory",
        "rotates her camera's key to Alice's PU1 key",
        |c| r.snapshot_with(c, &[user_id(&mallory)], &[cam.id]),
        |c| {
            devices.rotate_device_key(
                c,
                &mallory,
                cam.id,
                stolen,
                owner_signature,
                device_signature,
            )
        },
        DeviceError::InvalidDeviceSignature,
    )?;
    Ok(())
}

#[test]
fn a_registration_with_a_low_order_x25519_key_is_refused() -> anyhow::Result<()> {
    let (mut chain, mut t, r) = registered()?;
    let (identity, devices) = (&r.suite.identity, &r.suite.devices);
    let dave = chain.actor("Dave")?;
    let dave_id = user_id(&dave);
    let addr = identity.0.address_bytes();
    let weak = with_low_order_encryption(&dave.keys);
    // Dave's own, genuinely signed registration, only with a small-order X25519 key.
    let mut registration = user_registration(&addr, &dave, &r.isp);
    registration.keys = weak;
    registration.proof_of_possession = dave.keys.sign(&payload::user_proof_of_possession(
        &addr,
        &dave_id,
        &weak,
        dave.account.as_ref(),
        r.isp.account.as_ref(),
        &registration::NOTICE_HASH,
        registration::NOTICE_VERSION,
    ));
    registration.registrar_signature = r.isp.keys.sign(&payload::registrar_attestation(
        &addr,
        &dave_id,
        &weak,
        dave.account.as_ref(),
        &registration::NOTICE_HASH,
        registration::NOTICE_VERSION,
    ));
    refused(
        &mut chain,
        &mut t,
        CLAUSE,
        "ISP for Dave",
        "registers Dave with a small-order X25519 key",
        |c| r.snapshot_with(c, &[dave_id], &[]),
        |c| identity.register_user(c, &r.isp, &registration),
        IdentityError::WeakEncryptionKey,
    )?;

    let cam = Device::new(&r.alice, "PU-weak", DeviceKind::Pu);
    let weak = with_low_order_encryption(&cam.keys);
    let dev_addr = devices.0.address_bytes();
    let mut claim = cam.registration(&dev_addr, &r.alice);
    claim.keys = weak;
    claim.owner_signature = r.alice.keys.sign(&payload::device_registration(
        &dev_addr,
        &cam.id,
        cam.kind,
        &claim.owner,
        &weak,
        &claim.serial,
    ));
    claim.device_signature = cam.keys.sign(&payload::device_proof_of_possession(
        &dev_addr,
        &cam.id,
        &claim.owner,
        &weak,
        0,
    ));
    refused(
        &mut chain,
        &mut t,
        CLAUSE,
        "ISP for Alice",
        "registers a camera with a small-order X25519 key",
        |c| r.snapshot_with(c, &[], &[cam.id]),
        |c| devices.register_device(c, &r.isp, &claim),
        DeviceError::WeakEncryptionKey,
    )?;
    Ok(())
}

#[test]
fn a_key_rotation_to_a_low_order_x25519_key_is_refused() -> anyhow::Result<()> {
    let (mut chain, mut t, r) = registered()?;
    let (identity, devices) = (&r.suite.identity, &r.suite.devices);
    let bob = user_id(&r.bob);
    let new = KeyPair::generate();
    let weak = with_low_order_encryption(&new);
    let statement = payload::user_key_rotation(&identity.0.address_bytes(), &bob, 0, &weak);
    let (old_sig, new_sig) = (r.bob.keys.sign(&statement), new.sign(&statement));
    refused(
        &mut chain,
        &mut t,
        CLAUSE,
        "Bob",
        "rotates his user keys to a small-order X25519 key",
        |c| r.snapshot(c),
        |c| identity.rotate_user_key(c, &r.bob, bob, weak, old_sig, new_sig),
        IdentityError::WeakEncryptionKey,
    )?;
    let addr = devices.0.address_bytes();
    let new = KeyPair::generate();
    let weak = with_low_order_encryption(&new);
    let owner_signature = r
        .bob
        .keys
        .sign(&payload::device_key_rotation(&addr, &r.cu.id, 0, &weak));
    let device_signature = new.sign(&payload::device_proof_of_possession(
        &addr, &r.cu.id, &bob, &weak, 0,
    ));
    refused(
        &mut chain,
        &mut t,
        CLAUSE,
        "Bob",
        "rotates his CU's keys to a small-order X25519 key",
        |c| r.snapshot(c),
        |c| devices.rotate_device_key(c, &r.bob, r.cu.id, weak, owner_signature, device_signature),
        DeviceError::WeakEncryptionKey,
    )?;
    Ok(())
}
