//! Issue 14 §1c, §3d and §3f: attacks on device_registry's DIVS links, its answers about
//! devices of inactive owners, and its key history (and resource_registry's use of it). Each runs on a freshly registered suite
//! (see [`crate::authority`]) with the Y.2247 flows' DIVS ledger and its two authorities.
use crate::authority::{new_user, registered};
use anyhow::{anyhow, ensure};
use device_registry::{DivsLink, Error as DeviceError};
use e2e_tests::{
    chain::{Actor, Chain},
    clients::StatusChange,
    flows::{
        divs::{self, status_at, Divs},
        expect_ok, refused,
        registration::{user_id, Device, Registered},
        resources::{upload_and_verify, upload_request, Video},
    },
    sandbox::SandboxChain,
    transcript::Transcript,
};
use resource_registry::Error as ResourceError;
use shared_types::{
    payload, reason, AccountState, Ed25519Signature, EntryKind, HashAlgorithm, Multihash, Status,
    TimeSpan, TxId,
};
use vssi_sdk::divs::{endorse, Ue};
use vssi_sdk::{hashing, shared_types::verify, KeyPair};

const CLAUSE: &str = "issue 14 §3 attack";

/// The UE that `keys` make in DIVS (the identity commitments do not matter here).
fn ue(keys: &KeyPair) -> Ue {
    Ue::with_keys(
        keys.clone(),
        "35-209900-000009-0",
        "89860000000000000009",
        "+8613700000009",
    )
}

/// DIVS-AS1 endorses the UE with `keys` (`kind`, after entry `previous`), signatures checked
/// by the ledger; returns the entry's transaction ID.
fn endorsed(
    chain: &mut SandboxChain,
    t: &mut Transcript,
    d: &Divs,
    keys: &KeyPair,
    kind: EntryKind,
    previous: Option<TxId>,
) -> anyhow::Result<TxId> {
    let contract = d.address.contract;
    let mut status = status_at(chain.now(), "camera");
    if kind == EntryKind::Termination {
        status.terminates_at = chain.now();
        status.state = AccountState::Terminated;
    }
    let parameters = match previous {
        // An update keeps the parameters of the entry it follows.
        Some(tx_id) => {
            let entry = d.ledger.entry(chain, &d.as1, tx_id)?;
            entry.map_err(|e| anyhow!("entry: {e:?}"))?.parameters
        }
        None => ue(keys).parameters(&contract, d.as1.account.as_ref()),
    };
    let endorsement = endorse(&d.as1.keys, &contract, parameters, status, kind, previous);
    let called = d.ledger.endorse(chain, &d.as1, &endorsement)?;
    let (tx_id, _) = called.value.map_err(|e| anyhow!("endorse: {e:?}"))?;
    t.tx(
        CLAUSE,
        "DIVS-AS1",
        &format!("endorses a camera's key ({kind:?}, entry {tx_id})"),
        &called.outcome,
    );
    Ok(tx_id)
}

/// Alice rotates PU1 to a fresh key pair under the device's nonce `nonce`; returns it.
fn rotate_pu1(
    chain: &mut SandboxChain,
    t: &mut Transcript,
    r: &Registered,
    nonce: u32,
) -> anyhow::Result<KeyPair> {
    let (addr, pu1) = (r.suite.devices.0.address_bytes(), r.pu1.id);
    let new = KeyPair::generate();
    let rotation = payload::device_key_rotation(&addr, &pu1, nonce, &new.public());
    let possession = r.pu1.proof_of_possession(&addr, &r.alice, &new, nonce);
    let called = r.suite.devices.rotate_device_key(
        chain,
        &r.alice,
        pu1,
        new.public(),
        r.alice.keys.sign(&rotation),
        possession,
    )?;
    expect_ok(t, CLAUSE, "Alice", "rotates PU1's keys", &called, &pu1.0)?;
    Ok(new)
}

/// The ISP registers a camera of `owner`'s.
fn camera(
    chain: &mut SandboxChain,
    t: &mut Transcript,
    r: &Registered,
    owner: &Actor,
) -> anyhow::Result<Device> {
    let devices = &r.suite.devices;
    let cam = Device::new(owner, "camera", shared_types::DeviceKind::Pu);
    let called = devices.register_device(
        chain,
        &r.isp,
        &cam.registration(&devices.0.address_bytes(), owner),
    )?;
    expect_ok(
        t,
        "F.743.24 I.1.2 steps 6-7",
        "ISP",
        &format!("registers {}'s camera", owner.name),
        &called,
        &cam.id.0,
    )?;
    Ok(cam)
}

/// A capture attestation of PU1 for Alice, over `footage` captured from `start` for a minute.
fn capture(r: &Registered, footage: &[u8], start: u64) -> anyhow::Result<Vec<u8>> {
    let multihash = Multihash::wrap(HashAlgorithm::Sha2_256, &hashing::sha256(footage))
        .map_err(|e| anyhow!("{e:?}"))?;
    Ok(payload::capture_attestation(
        &r.suite.devices.0.address_bytes(),
        &r.pu1.id,
        &user_id(&r.alice),
        &multihash,
        &TimeSpan {
            start,
            end: start + 60_000,
        },
    ))
}

#[test]
fn a_device_cannot_be_linked_to_a_divs_entry_that_endorses_another_key() -> anyhow::Result<()> {
    let (mut chain, mut t, r) = registered()?;
    let d = divs::setup(&mut chain, &mut t, &r)?;
    // Alice's PU1 is endorsed under its own key; the entry is public.
    let pu1_entry = endorsed(
        &mut chain,
        &mut t,
        &d,
        &r.pu1.keys,
        EntryKind::Registration,
        None,
    )?;
    let mallory = new_user(&mut chain, &mut t, &r, "Mallory")?;
    let cam = camera(&mut chain, &mut t, &r, &mallory)?;
    let link = DivsLink {
        ledger: d.ledger.0.address,
        tx_id: pu1_entry,
    };
    refused(
        &mut chain,
        &mut t,
        CLAUSE,
        "Mallory",
        "links her camera to the DIVS endorsement of Alice's PU1",
        |c| r.snapshot_with(c, &[user_id(&mallory)], &[cam.id]),
        |c| r.suite.devices.link_divs(c, &mallory, cam.id, link),
        DeviceError::DivsKeyMismatch,
    )
}

#[test]
fn a_device_cannot_be_linked_to_a_missing_or_non_registration_divs_entry() -> anyhow::Result<()> {
    let (mut chain, mut t, r) = registered()?;
    let d = divs::setup(&mut chain, &mut t, &r)?;
    let devices = &r.suite.devices;
    let mallory = new_user(&mut chain, &mut t, &r, "Mallory")?;
    let cam = camera(&mut chain, &mut t, &r, &mallory)?;
    let registration = endorsed(
        &mut chain,
        &mut t,
        &d,
        &cam.keys,
        EntryKind::Registration,
        None,
    )?;
    let update = endorsed(
        &mut chain,
        &mut t,
        &d,
        &cam.keys,
        EntryKind::StatusUpdate,
        Some(registration),
    )?;
    let ledger = d.ledger.0.address;
    let attempts = [
        (
            "a status update of its key, not its registration",
            DivsLink {
                ledger,
                tx_id: update,
            },
            DeviceError::NotADivsRegistration,
        ),
        (
            "an entry the ledger does not have",
            DivsLink {
                ledger,
                tx_id: TxId(update.0 + 100),
            },
            DeviceError::UnknownDivsEntry,
        ),
        (
            "the identity registry, which is no ledger",
            DivsLink {
                ledger: r.suite.identity.0.address,
                tx_id: registration,
            },
            DeviceError::DivsLedgerCallFailed,
        ),
        (
            "her own account, which is no contract",
            DivsLink {
                ledger: mallory.account,
                tx_id: registration,
            },
            DeviceError::DivsLedgerCallFailed,
        ),
    ];
    for (what, link, error) in attempts {
        refused(
            &mut chain,
            &mut t,
            CLAUSE,
            "Mallory",
            &format!("links her camera to {what}"),
            |c| r.snapshot_with(c, &[user_id(&mallory)], &[cam.id]),
            |c| devices.link_divs(c, &mallory, cam.id, link),
            error,
        )?;
    }
    let link = DivsLink {
        ledger,
        tx_id: registration,
    };
    let called = devices.link_divs(&mut chain, &mallory, cam.id, link)?;
    expect_ok(
        &mut t,
        CLAUSE,
        "Mallory",
        "links her camera to its own verified registration",
        &called,
        &cam.id.0,
    )?;
    let record = devices.device(&mut chain, &mallory, cam.id)?;
    ensure!(
        record.map(|d| d.divs) == Ok(Some(link)),
        "the camera's link"
    );
    Ok(())
}

#[test]
fn a_device_cannot_be_linked_to_an_unverified_batch_entry() -> anyhow::Result<()> {
    let (mut chain, mut t, r) = registered()?;
    let d = divs::setup(&mut chain, &mut t, &r)?;
    let mallory = new_user(&mut chain, &mut t, &r, "Mallory")?;
    let cam = camera(&mut chain, &mut t, &r, &mallory)?;
    // A batch registration of her camera's key whose authority signature nobody made: the
    // ledger stores batch signatures unchecked.
    let contract = d.address.contract;
    let mut claim = endorse(
        &d.as2.keys,
        &contract,
        ue(&cam.keys).parameters(&contract, d.as2.account.as_ref()),
        status_at(chain.now(), "camera"),
        EntryKind::Registration,
        None,
    );
    claim.authority_signature = Ed25519Signature([0x66; 64]);
    let called = d.ledger.endorse_batch(&mut chain, &d.as2, &[claim])?;
    let (tx_id, _) = called.value.map_err(|e| anyhow!("endorse_batch: {e:?}"))?;
    t.tx(
        CLAUSE,
        "DIVS-AS2",
        "batch-registers Mallory's camera key with a garbage signature",
        &called.outcome,
    );
    let link = DivsLink {
        ledger: d.ledger.0.address,
        tx_id,
    };
    refused(
        &mut chain,
        &mut t,
        CLAUSE,
        "Mallory",
        "links her camera to the unverified batch entry",
        |c| r.snapshot_with(c, &[user_id(&mallory)], &[cam.id]),
        |c| r.suite.devices.link_divs(c, &mallory, cam.id, link),
        DeviceError::DivsEntryNotVerified,
    )
}

#[test]
fn a_cu_of_a_revoked_owner_fails_verify_device_key() -> anyhow::Result<()> {
    let (mut chain, mut t, r) = registered()?;
    let (identity, devices) = (&r.suite.identity, &r.suite.devices);
    let (bob, key) = (user_id(&r.bob), r.cu.keys.signing_public());
    for (message, answer) in [
        (StatusChange::Suspend, false),
        (StatusChange::Reactivate, true),
        (StatusChange::Revoke, false),
    ] {
        let called = identity.set_user_status(
            &mut chain,
            &r.operator,
            message,
            bob,
            reason::POLICY_VIOLATION,
        )?;
        let what = format!("{message}s Bob");
        expect_ok(&mut t, CLAUSE, "Operator", &what, &called, &bob.0)?;
        let before = r.snapshot(&mut chain)?;
        let verified = devices.verify_device_key(&mut chain, &r.alice, r.cu.id, key)?;
        ensure!(
            verified == Ok(answer),
            "Bob's CU's key after {message}: {verified:?}"
        );
        let cu = devices.device(&mut chain, &r.alice, r.cu.id)?;
        ensure!(
            cu.map(|d| d.status) == Ok(Status::Active),
            "the CU itself is still active"
        );
        ensure!(r.snapshot(&mut chain)? == before, "state changed");
        t.step(
            CLAUSE,
            "Alice's VSS",
            &format!("verifies the key of Bob's active CU after {message}"),
            &format!("{verified:?}"),
        );
    }
    Ok(())
}

#[test]
fn a_pu_of_a_suspended_owner_signs_nothing_that_verifies() -> anyhow::Result<()> {
    let (mut chain, mut t, r) = registered()?;
    let (identity, devices) = (&r.suite.identity, &r.suite.devices);
    let statement = capture(&r, b"footage", chain.now())?;
    let signature = r.pu1.keys.sign(&statement);
    let verified = devices.verify_signature(&mut chain, &r.bob, r.pu1.id, &statement, signature)?;
    ensure!(
        verified == Ok(true),
        "PU1's capture signature: {verified:?}"
    );
    let alice = user_id(&r.alice);
    let called = identity.set_user_status(
        &mut chain,
        &r.isp,
        StatusChange::Suspend,
        alice,
        reason::POLICY_VIOLATION,
    )?;
    expect_ok(&mut t, CLAUSE, "ISP", "suspends Alice", &called, &alice.0)?;
    let before = r.snapshot(&mut chain)?;
    let verified = devices.verify_signature(&mut chain, &r.bob, r.pu1.id, &statement, signature)?;
    ensure!(
        verified == Ok(false),
        "PU1's signature verifies while Alice is suspended: {verified:?}"
    );
    ensure!(r.snapshot(&mut chain)? == before, "state changed");
    t.step(
        CLAUSE,
        "Bob",
        "checks PU1's genuine capture signature while Alice is suspended",
        "false",
    );
    Ok(())
}

#[test]
fn the_key_valid_at_capture_time_is_found_after_a_rotation() -> anyhow::Result<()> {
    let (mut chain, mut t, r) = registered()?;
    let d = divs::setup(&mut chain, &mut t, &r)?;
    let devices = &r.suite.devices;
    let pu1 = r.pu1.id;
    let tx_id = endorsed(
        &mut chain,
        &mut t,
        &d,
        &r.pu1.keys,
        EntryKind::Registration,
        None,
    )?;
    let link = DivsLink {
        ledger: d.ledger.0.address,
        tx_id,
    };
    let called = devices.link_divs(&mut chain, &r.alice, pu1, link)?;
    expect_ok(
        &mut t,
        CLAUSE,
        "Alice",
        "links PU1 to its DIVS entry",
        &called,
        &pu1.0,
    )?;
    let captured_at = chain.now();
    let statement = capture(&r, b"before", captured_at)?;
    let signature = r.pu1.keys.sign(&statement);
    chain.advance_time(chain.minute())?;
    let new = rotate_pu1(&mut chain, &mut t, &r, 0)?;

    // The auditor asks which key PU1 had when the video was captured.
    let bob = &r.bob;
    let then = devices
        .key_at(&mut chain, bob, pu1, captured_at)?
        .map_err(|e| anyhow!("key_at capture time: {e:?}"))?;
    ensure!(
        then.keys == r.pu1.keys.public() && then.divs == Some(link),
        "PU1's keys at capture time: {then:?}"
    );
    ensure!(
        verify::ed25519(&then.keys.signing, &signature, &statement),
        "the capture signature does not verify under the keys of capture time"
    );
    let rotated_at = then
        .valid_until
        .ok_or_else(|| anyhow!("epoch 0 not closed"))?;
    let now = devices
        .key_at(&mut chain, bob, pu1, rotated_at)?
        .map_err(|e| anyhow!("key_at rotation: {e:?}"))?;
    ensure!(
        now.keys == new.public()
            && now.valid_from == rotated_at
            && now.valid_until.is_none()
            && now.divs.is_none(),
        "PU1's keys from the rotation on: {now:?}"
    );
    let history = devices.key_history(&mut chain, bob, pu1, 0, 50)?;
    ensure!(
        history == Ok(vec![then, now]),
        "PU1's key history: {history:?}"
    );
    let record = devices
        .device(&mut chain, bob, pu1)?
        .map_err(|e| anyhow!("{e:?}"))?;
    ensure!(
        record.divs.is_none(),
        "the link to the old key's entry stayed"
    );
    let earlier = record
        .registered_at
        .checked_sub(1)
        .ok_or_else(|| anyhow!("registered at time 0"))?;
    let before = devices.key_at(&mut chain, bob, pu1, earlier)?;
    ensure!(
        before == Err(DeviceError::NoKeyAtTime),
        "a key before registration: {before:?}"
    );
    t.step(
        CLAUSE,
        "Auditor",
        "asks PU1's keys at capture time after the rotation",
        "the retired key with its DIVS link; the new key from the rotation on, unlinked",
    );

    // Whoever holds the retired key cannot pass new footage off as PU1's.
    let late = capture(&r, b"after", rotated_at)?;
    let forged = r.pu1.keys.sign(&late);
    let verified = devices.verify_signature(&mut chain, bob, pu1, &late, forged)?;
    ensure!(
        verified == Ok(false),
        "the retired key still signs for PU1: {verified:?}"
    );
    // Nor does the old key's DIVS entry endorse the new key.
    refused(
        &mut chain,
        &mut t,
        CLAUSE,
        "Alice",
        "links PU1's new key to the old key's DIVS entry",
        |c| r.snapshot(c),
        |c| devices.link_divs(c, &r.alice, pu1, link),
        DeviceError::DivsKeyMismatch,
    )
}

#[test]
fn footage_captured_before_a_pu_rotation_keeps_its_pu_signature_when_registered_after_it(
) -> anyhow::Result<()> {
    let (mut chain, mut t, r) = registered()?;
    let up = upload_and_verify(&mut chain, &mut t, &r)?;
    let (devices, resources) = (&r.suite.devices, &r.suite.resources);
    let pu1 = r.pu1.id;
    let record = |label: &str, start: u64, end: u64| {
        let capture = TimeSpan { start, end };
        let encryption = r.alice.keys.public().encryption;
        Video::record(up.workdir.path(), label, 4096, &r.pu1, &encryption, capture)
    };
    // PU1 captures, still under its registered key; the upload waits for the network.
    let started = chain.now();
    let before = record("captured-before-rotation", started, started + 1_000)?;
    chain.advance_time(chain.minute())?;
    let nonce = devices
        .device(&mut chain, &r.alice, pu1)?
        .map_err(|e| anyhow!("{e:?}"))?
        .nonce;
    rotate_pu1(&mut chain, &mut t, &r, nonce)?;
    chain.advance_time(chain.minute())?;

    // The footage captured before the rotation registers with the retired key's signature.
    let request = upload_request(&r, &before, &r.alice)?;
    let called = resources.register_resource(&mut chain, &r.cloud, &request)?;
    expect_ok(
        &mut t,
        CLAUSE,
        "Cloud store",
        "registers footage PU1 captured before its rotation, with its capture signature",
        &called,
        &before.resource.0,
    )?;
    let stored = resources
        .resource(&mut chain, &r.bob, before.resource)?
        .map_err(|e| anyhow!("{e:?}"))?;
    ensure!(
        stored.pu_signature == request.pu_signature,
        "the capture signature was not kept: {stored:?}"
    );

    // Footage that starts after the rotation, or starts before it and runs past it, must
    // carry the new key's signature: the retired key signs for no time after it retired.
    let now = chain.now();
    for (label, start) in [
        ("captured-after-rotation", now),
        ("running-past-rotation", started),
    ] {
        let forged = record(label, start, now + 1_000)?;
        let request = upload_request(&r, &forged, &r.alice)?;
        refused(
            &mut chain,
            &mut t,
            CLAUSE,
            "Holder of PU1's retired key",
            &format!("registers footage {label}, signed by the retired key"),
            |c| {
                Ok((
                    r.snapshot(c)?,
                    resources.resource(c, &r.bob, forged.resource)?,
                ))
            },
            |c| resources.register_resource(c, &r.cloud, &request),
            ResourceError::InvalidPuSignature,
        )?;
    }
    Ok(())
}

#[test]
fn a_device_cannot_be_linked_to_the_divs_entry_of_a_terminated_ue() -> anyhow::Result<()> {
    let (mut chain, mut t, r) = registered()?;
    let d = divs::setup(&mut chain, &mut t, &r)?;
    let registration = endorsed(
        &mut chain,
        &mut t,
        &d,
        &r.pu1.keys,
        EntryKind::Registration,
        None,
    )?;
    // PU1's network contract ends before Alice links it; the registration entry stays.
    chain.advance_time(chain.minute())?;
    endorsed(
        &mut chain,
        &mut t,
        &d,
        &r.pu1.keys,
        EntryKind::Termination,
        Some(registration),
    )?;
    let link = DivsLink {
        ledger: d.ledger.0.address,
        tx_id: registration,
    };
    refused(
        &mut chain,
        &mut t,
        CLAUSE,
        "Alice",
        "links PU1 to the registration of its terminated DIVS account",
        |c| r.snapshot(c),
        |c| r.suite.devices.link_divs(c, &r.alice, r.pu1.id, link),
        DeviceError::DivsUeTerminated,
    )
}
