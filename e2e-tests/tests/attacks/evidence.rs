//! Evidence bundles built from the chain after key rotations (issue 14, 1 c): a bundle
//! follows the owner's keys from the ISP's attestation through her signed rotations, and uses
//! the PU's key valid at capture time, so a rotation voids no older evidence; a rotation
//! nobody signed does not verify.
use e2e_tests::chain::Actor;
use e2e_tests::flows::divs::{self, evidence_anchors, evidence_bundle};
use e2e_tests::flows::registration::{registration, user_id};
use e2e_tests::flows::resources::{upload_and_verify, upload_request, Video};
use e2e_tests::sandbox::SandboxChain;
use e2e_tests::transcript::Transcript;
use shared_types::{payload, TimeSpan};
use vssi_sdk::evidence::EvidenceError;
use vssi_sdk::KeyPair;

#[test]
fn older_evidence_survives_key_rotations_of_the_owner_and_the_pu() -> anyhow::Result<()> {
    let (mut chain, mut t) = (SandboxChain::new(), Transcript::default());
    let r = registration(&mut chain, &mut t)?;
    let up = upload_and_verify(&mut chain, &mut t, &r)?;
    let d = divs::setup(&mut chain, &mut t, &r)?;
    // Links PU1 to its DIVS entry and checks video-1's evidence.
    divs::evidence(&mut chain, &mut t, &r, &d, &up)?;
    let video = &up.videos[0];
    let identity = &r.suite.identity;
    let alice = user_id(&r.alice);

    let rotated = KeyPair::generate();
    let statement =
        payload::user_key_rotation(&identity.0.address_bytes(), &alice, 0, &rotated.public());
    let called = identity.rotate_user_key(
        &mut chain,
        &r.alice,
        alice,
        rotated.public(),
        r.alice.keys.sign(&statement),
        rotated.sign(&statement),
    )?;
    anyhow::ensure!(called.value.is_ok(), "rotation: {:?}", called.value);
    let anchors = evidence_anchors(&mut chain, &r, &d)?;
    let older = evidence_bundle(&mut chain, &d.consumer, &r.suite, &d.ledger, video.resource)?;
    anyhow::ensure!(older.owner.rotations.is_empty());
    anyhow::ensure!(
        older.verify(&anchors) == Ok(()),
        "video-1's evidence after Alice's rotation: {:?}",
        older.verify(&anchors)
    );

    // A video PU1 captured while endorsed, uploaded under Alice's new key.
    let alice_now = Actor {
        name: r.alice.name.clone(),
        account: r.alice.account,
        keys: rotated,
    };
    let capture = TimeSpan {
        start: video.capture.start + 1,
        end: video.capture.end + 1,
    };
    let newer = Video::record(
        up.workdir.path(),
        "video-after-rotation",
        4096,
        &r.pu1,
        &alice_now.keys.public().encryption,
        capture,
    )?;
    let registered = r.suite.resources.register_resource(
        &mut chain,
        &r.cloud,
        &upload_request(&r, &newer, &alice_now)?,
    )?;
    anyhow::ensure!(registered.value.is_ok(), "upload: {:?}", registered.value);
    let bundle = evidence_bundle(&mut chain, &d.consumer, &r.suite, &d.ledger, newer.resource)?;
    anyhow::ensure!(bundle.owner.rotations.len() == 1);
    anyhow::ensure!(
        bundle.verify(&anchors) == Ok(()),
        "the newer video's evidence: {:?}",
        bundle.verify(&anchors)
    );
    // Without the rotation, or with the rotation signed by the new key only, it fails.
    let mut unrotated = bundle.clone();
    unrotated.owner.rotations.clear();
    anyhow::ensure!(unrotated.verify(&anchors) == Err(EvidenceError::BadOwnerSignature));
    let mut self_signed = bundle.clone();
    self_signed.owner.rotations[0].signature = alice_now.keys.sign(&statement);
    anyhow::ensure!(self_signed.verify(&anchors) == Err(EvidenceError::BadKeyRotation(0)));

    // PU1 rotates its key: both videos' evidence still uses the key that signed them.
    let devices = &r.suite.devices;
    let pu = r.pu1.id;
    let nonce = devices
        .device(&mut chain, &r.alice, pu)?
        .map_err(|e| anyhow::anyhow!("{e:?}"))?
        .nonce;
    let new_pu = KeyPair::generate();
    let registry = devices.0.address_bytes();
    let rotation = payload::device_key_rotation(&registry, &pu, nonce, &new_pu.public());
    let possession =
        payload::device_proof_of_possession(&registry, &pu, &alice, &new_pu.public(), nonce);
    let called = devices.rotate_device_key(
        &mut chain,
        &alice_now,
        pu,
        new_pu.public(),
        alice_now.keys.sign(&rotation),
        new_pu.sign(&possession),
    )?;
    anyhow::ensure!(called.value.is_ok(), "PU1's rotation: {:?}", called.value);
    let anchors = evidence_anchors(&mut chain, &r, &d)?;
    for resource in [video.resource, newer.resource] {
        let bundle = evidence_bundle(&mut chain, &d.consumer, &r.suite, &d.ledger, resource)?;
        anyhow::ensure!(bundle.device.keys == r.pu1.keys.public());
        anyhow::ensure!(
            bundle.verify(&anchors) == Ok(()),
            "evidence after PU1's rotation: {:?}",
            bundle.verify(&anchors)
        );
    }
    Ok(())
}
