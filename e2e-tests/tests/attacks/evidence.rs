//! Evidence bundles built from the chain after key rotations and recoveries (issue 14, 1 c):
//! a bundle follows the owner's keys from the ISP's attestation through her signed rotations
//! and her registrar's signed recoveries, and uses the PU's key valid at capture time, so a
//! rotation or a recovery voids no older evidence; a rotation nobody signed, or a recovery
//! by a registrar the verifier does not trust or not signed as it reads, does not verify.
use crate::recovery::isp_suspends_alice;
use e2e_tests::chain::{Actor, Chain};
use e2e_tests::flows::divs::{self, evidence_anchors, evidence_bundle};
use e2e_tests::flows::expect_ok;
use e2e_tests::flows::registration::{registration, user_id};
use e2e_tests::flows::resources::{upload_and_verify, upload_request, Video};
use e2e_tests::sandbox::SandboxChain;
use e2e_tests::transcript::Transcript;
use shared_types::{payload, TimeSpan};
use vssi_sdk::evidence::{EvidenceBundle, EvidenceError, KeyChangeProof};
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
    self_signed.owner.rotations[0].authorized = KeyChangeProof::Rotated {
        signature: alice_now.keys.sign(&statement),
    };
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

/// Makes `key` the signer of `bundle`'s upload statement, as a forger re-signs it.
fn resign_upload(bundle: &mut EvidenceBundle, key: &KeyPair) {
    let r = &mut bundle.resource;
    let upload = payload::resource_upload(
        &bundle.registries.resources,
        &r.resource,
        &r.owner,
        &r.pu,
        &r.registered_by,
        &r.content,
    );
    r.owner_signature = Some(key.sign(&upload));
}

const RECOVERY: &str = "issue 14 §3e + F.743.24 I.4";

#[test]
fn evidence_of_an_upload_after_a_recovery_follows_the_registrars_recovery() -> anyhow::Result<()> {
    let (mut chain, mut t) = (SandboxChain::new(), Transcript::default());
    let r = registration(&mut chain, &mut t)?;
    let up = upload_and_verify(&mut chain, &mut t, &r)?;
    let d = divs::setup(&mut chain, &mut t, &r)?;
    // Links PU1 to its DIVS entry and checks video-1's evidence.
    divs::evidence(&mut chain, &mut t, &r, &d, &up)?;
    let video = &up.videos[0];
    let identity = &r.suite.identity;
    let alice = user_id(&r.alice);
    let older = evidence_bundle(&mut chain, &d.consumer, &r.suite, &d.ledger, video.resource)?;

    // The ISP suspends Alice for a key compromise and recovers her, after checking her
    // identity off chain, with a new key and a new phone as her controlling account.
    chain.advance_time(chain.minute())?;
    isp_suspends_alice(&mut chain, &mut t, &r)?;
    chain.advance_time(chain.minute())?;
    let new = KeyPair::generate();
    let phone = chain.actor("Alice's new phone")?;
    let isp_key = r.isp.keys.signing_public();
    let statement = payload::user_recovery(
        &identity.0.address_bytes(),
        &alice,
        0,
        &new.public(),
        phone.account.as_ref(),
        &isp_key,
    );
    let recovered = identity.recover_user(
        &mut chain,
        &r.isp,
        alice,
        new.public(),
        phone.account,
        new.sign(&statement),
        r.isp.keys.sign(&statement),
    )?;
    expect_ok(
        &mut t,
        RECOVERY,
        "ISP",
        "recovers Alice with her new key and phone",
        &recovered,
        &alice.0,
    )?;
    chain.advance_time(chain.minute())?;

    // Video-1's evidence, built before the recovery and again after it, still verifies: it
    // was uploaded under her registered key, which the recovery does not void.
    let anchors = evidence_anchors(&mut chain, &r, &d)?;
    let rebuilt = evidence_bundle(&mut chain, &d.consumer, &r.suite, &d.ledger, video.resource)?;
    anyhow::ensure!(rebuilt.owner.rotations.is_empty() && rebuilt == older);
    anyhow::ensure!(
        older.verify(&anchors) == Ok(()),
        "video-1's evidence after Alice's recovery: {:?}",
        older.verify(&anchors)
    );

    // A video PU1 captured while endorsed, uploaded under Alice's recovered key.
    let alice_now = Actor {
        name: r.alice.name.clone(),
        account: phone.account,
        keys: new,
    };
    let capture = TimeSpan {
        start: video.capture.start + 2,
        end: video.capture.end + 2,
    };
    let newer = Video::record(
        up.workdir.path(),
        "video-after-recovery",
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
    expect_ok(
        &mut t,
        RECOVERY,
        "CloudStore",
        "registers a video Alice signed with her recovered key",
        &registered,
        &newer.resource.0,
    )?;
    let bundle = evidence_bundle(&mut chain, &d.consumer, &r.suite, &d.ledger, newer.resource)?;
    let isp_signature = r.isp.keys.sign(&statement);
    anyhow::ensure!(
        bundle.owner.rotations.len() == 1
            && bundle.owner.rotations[0].keys == alice_now.keys.public()
            && bundle.owner.rotations[0].authorized
                == KeyChangeProof::Recovered {
                    registrar_key: isp_key,
                    controller: *phone.account.as_ref(),
                    signature: isp_signature,
                },
        "the key change read from the chain: {:?}",
        bundle.owner.rotations
    );
    anyhow::ensure!(
        bundle.verify(&anchors) == Ok(()),
        "the evidence of the upload after the recovery: {:?}",
        bundle.verify(&anchors)
    );
    t.step(
        RECOVERY,
        "Auditor (offline)",
        "checks the evidence of video-1 and of the video uploaded after Alice's recovery, through the ISP's signed recovery",
        "both hold",
    );

    // Mallory recovers Alice onto her own key and account, and signs the upload with it.
    let mallory = chain.actor("Mallory")?;
    let forged_recovery = |named: &KeyPair, signer: &KeyPair| {
        let registrar_key = named.signing_public();
        let statement = payload::user_recovery(
            &identity.0.address_bytes(),
            &alice,
            0,
            &mallory.keys.public(),
            mallory.account.as_ref(),
            &registrar_key,
        );
        let mut forged = bundle.clone();
        forged.owner.rotations[0].keys = mallory.keys.public();
        forged.owner.rotations[0].authorized = KeyChangeProof::Recovered {
            registrar_key,
            controller: *mallory.account.as_ref(),
            signature: signer.sign(&statement),
        };
        resign_upload(&mut forged, &mallory.keys);
        forged
    };
    // As a registrar herself, which the verifier does not trust;
    let untrusted = forged_recovery(&mallory.keys, &mallory.keys);
    anyhow::ensure!(
        untrusted.verify(&anchors) == Err(EvidenceError::UntrustedRegistrar),
        "a recovery by an untrusted registrar key: {:?}",
        untrusted.verify(&anchors)
    );
    // naming the trusted ISP's key, signed with her own;
    let self_signed = forged_recovery(&r.isp.keys, &mallory.keys);
    anyhow::ensure!(
        self_signed.verify(&anchors) == Err(EvidenceError::BadKeyRotation(0)),
        "a recovery naming the ISP, signed by Mallory: {:?}",
        self_signed.verify(&anchors)
    );
    // with the ISP's genuine recovery of Alice, naming her account as the controller.
    let mut renamed = bundle.clone();
    renamed.owner.rotations[0].authorized = KeyChangeProof::Recovered {
        registrar_key: isp_key,
        controller: *mallory.account.as_ref(),
        signature: isp_signature,
    };
    anyhow::ensure!(
        renamed.verify(&anchors) == Err(EvidenceError::BadKeyRotation(0)),
        "the ISP's recovery naming another controller: {:?}",
        renamed.verify(&anchors)
    );
    // Nor does the ISP's recovery pass as a rotation Alice's outgoing key signed.
    let mut as_rotation = bundle.clone();
    as_rotation.owner.rotations[0].authorized = KeyChangeProof::Rotated {
        signature: isp_signature,
    };
    anyhow::ensure!(
        as_rotation.verify(&anchors) == Err(EvidenceError::BadKeyRotation(0)),
        "the ISP's recovery as a rotation: {:?}",
        as_rotation.verify(&anchors)
    );
    t.step(
        RECOVERY,
        "Auditor (offline)",
        "checks the evidence with Mallory's recovery of Alice as an untrusted registrar, in the ISP's name with her signature, the ISP's recovery naming her account, the ISP's recovery as a rotation",
        "each rejected",
    );
    Ok(())
}
