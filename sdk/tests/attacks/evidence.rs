//! Attacks on evidence bundles (issue 14, 1 a-c). Mallory is a registered user with her own
//! keys and her own camera; everything else she uses is public chain data: the trusted ISP's
//! attestations of her and of Alice, the trusted DIVS authority's endorsements of their
//! cameras, Alice's records and her camera's capture attestations.
use shared_types::{
    payload, AccountBytes, AccountState, AccountStatus, Classification, DeviceId, EntryAddress,
    EntryKind, HashAlgorithm, Registries, ResourceContent, TimeSpan, TxId, UserId,
};
use vssi_sdk::divs::{endorse, DivsError, ExportedLedger, LedgerAnchors, Ue};
use vssi_sdk::evidence::{
    DeviceFacts, EvidenceBundle, EvidenceError, KeyChangeProof, KeyRotation, OwnerFacts,
    ResourceFacts, TrustAnchors,
};
use vssi_sdk::hashing::{multihash_bytes, resource_id};
use vssi_sdk::KeyPair;

const AUTHORITY: AccountBytes = [0xa5; 32];
const MINUTE: u64 = 60_000;
const REGISTERED_AT: u64 = 1_000 * MINUTE;
const TERMINATED_AT: u64 = 2_000 * MINUTE;

/// One deployment: its registries and DIVS ledger, the ISP and the DIVS authority.
struct Deployment {
    registries: Registries,
    ledger: EntryAddress,
    isp: KeyPair,
    authority: KeyPair,
}

impl Deployment {
    fn new(seed: u8) -> Self {
        Self {
            registries: Registries {
                identity: [seed; 32],
                devices: [seed + 1; 32],
                resources: [seed + 2; 32],
            },
            ledger: EntryAddress {
                instance: [seed + 3; 32],
                contract: [seed + 4; 32],
            },
            isp: KeyPair::generate(),
            authority: KeyPair::generate(),
        }
    }

    /// What a verifier of this deployment trusts: its addresses, the ISP's and the
    /// authority's keys, and the head of `ledger` as the chain answers it.
    fn anchors(&self, ledger: &ExportedLedger) -> TrustAnchors {
        let (count, head) = ledger.head();
        TrustAnchors {
            registrars: vec![self.isp.signing_public()],
            registries: self.registries,
            ledger: self.ledger.contract,
            divs: LedgerAnchors {
                authorities: vec![(AUTHORITY, self.authority.signing_public())],
                count,
                head,
            },
        }
    }
}

/// A registered user, her camera, and the camera's DIVS entries on `d`'s ledger: registered
/// at [`REGISTERED_AT`], terminated at [`TERMINATED_AT`].
struct User {
    keys: KeyPair,
    id: UserId,
    controller: AccountBytes,
    camera: Ue,
    pu: DeviceId,
    ledger: ExportedLedger,
}

/// Mallory, the attacker.
fn mallory(d: &Deployment) -> User {
    user(d, 0x4d)
}

/// A user whose IDs and accounts derive from `seed`.
fn user(d: &Deployment, seed: u8) -> User {
    let camera = Ue::new(&format!("imei-{seed}"), "iccid", "msisdn");
    let contract = d.ledger.contract;
    let mut ledger = ExportedLedger {
        address: d.ledger,
        entries: vec![],
    };
    let mut status = AccountStatus {
        contract_id: [0xc0; 32],
        valid_from: REGISTERED_AT - 60 * MINUTE,
        terminates_at: REGISTERED_AT + 365 * 24 * 60 * MINUTE,
        region: None,
        state: AccountState::Active,
    };
    let params = camera.parameters(&contract, &AUTHORITY);
    let registration = endorse(
        &d.authority,
        &contract,
        params,
        status,
        EntryKind::Registration,
        None,
    );
    let tx = ledger.append(AUTHORITY, registration, None, REGISTERED_AT);
    (status.terminates_at, status.state) = (TERMINATED_AT, AccountState::Terminated);
    let termination = endorse(
        &d.authority,
        &contract,
        params,
        status,
        EntryKind::Termination,
        Some(tx),
    );
    ledger.append(AUTHORITY, termination, Some(tx), TERMINATED_AT);
    User {
        keys: KeyPair::generate(),
        id: UserId([seed; 32]),
        controller: [seed + 1; 32],
        camera,
        pu: DeviceId([seed + 2; 32]),
        ledger,
    }
}

/// The evidence of a video `m`'s camera captured at `at`, every signature genuine:
/// hers and her camera's over `d`'s addresses, the ISP's and the authority's as on `d`.
fn evidence(d: &Deployment, m: &User, at: u64) -> EvidenceBundle {
    let r = &d.registries;
    let multihash = multihash_bytes(&at.to_le_bytes(), HashAlgorithm::Sha2_256);
    let resource = resource_id(&m.pu, &multihash);
    let capture = TimeSpan {
        start: at,
        end: at + MINUTE,
    };
    let content = ResourceContent {
        multihash: multihash.clone(),
        classification: Classification::General,
        size: 1 << 20,
        capture,
        segments: None,
    };
    let registration = m.ledger.entries[0];
    let mut bundle = EvidenceBundle {
        registries: *r,
        resource: ResourceFacts {
            resource,
            owner: m.id,
            pu: m.pu,
            pu_signature: Some(m.camera.keys.sign(&payload::capture_attestation(
                &r.devices, &m.pu, &m.id, &multihash, &capture,
            ))),
            content,
            registered_by: m.controller,
            owner_signature: None,
        },
        device: DeviceFacts {
            keys: m.camera.keys.public(),
            divs: Some((d.ledger.contract, registration.tx_id)),
        },
        owner: owner_facts(d, m),
        divs: d.ledger,
        before: [0; 32],
        entries: m.ledger.entries.clone(),
    };
    claim(&mut bundle, m.id, m.controller, &m.keys);
    bundle
}

/// `m`'s identity record as the ISP attested it.
fn owner_facts(d: &Deployment, m: &User) -> OwnerFacts {
    let (notice_hash, notice_version) = ([0x4e; 32], 1);
    let attestation = payload::registrar_attestation(
        &d.registries.identity,
        &m.id,
        &m.keys.public(),
        &m.controller,
        &notice_hash,
        notice_version,
    );
    OwnerFacts {
        registered_keys: m.keys.public(),
        controller: m.controller,
        notice_hash,
        notice_version,
        registrar_key: d.isp.signing_public(),
        registrar_signature: d.isp.sign(&attestation),
        rotations: vec![],
    }
}

/// Makes `owner` the resource's owner in `bundle`, `writer` the account that wrote it, with
/// an upload statement signed by `key`. The owner facts are left as they are.
fn claim(bundle: &mut EvidenceBundle, owner: UserId, writer: AccountBytes, key: &KeyPair) {
    let r = &mut bundle.resource;
    (r.owner, r.registered_by) = (owner, writer);
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

#[test]
fn genuine_evidence_of_a_capture_before_termination_verifies() {
    let d = Deployment::new(0x10);
    let m = mallory(&d);
    let bundle = evidence(&d, &m, REGISTERED_AT + MINUTE);
    assert_eq!(bundle.verify(&d.anchors(&m.ledger)), Ok(()));
    let late = evidence(&d, &m, TERMINATED_AT + MINUTE);
    assert_eq!(
        late.verify(&d.anchors(&m.ledger)),
        Err(EvidenceError::CapturedOutsideValidity)
    );
}

#[test]
fn an_older_entry_cannot_stand_in_for_the_termination_of_a_capture_after_it() {
    let d = Deployment::new(0x10);
    let m = mallory(&d);
    let anchors = d.anchors(&m.ledger);
    let late = evidence(&d, &m, TERMINATED_AT + MINUTE);
    // Mallory leaves the termination out, so that the registration is the camera's last.
    let mut cut = late.clone();
    cut.entries.truncate(1);
    assert_eq!(
        cut.verify(&anchors),
        Err(EvidenceError::Divs(DivsError::UntrustedHead))
    );
    // She puts the registration in the termination's place.
    let mut substituted = late.clone();
    substituted.entries[1] = substituted.entries[0];
    substituted.entries[1].tx_id = TxId(1);
    assert_eq!(
        substituted.verify(&anchors),
        Err(EvidenceError::Divs(DivsError::BrokenChain(TxId(1))))
    );
    // She starts the entries at the termination, as if the camera linked it.
    let mut relinked = late.clone();
    relinked.before = relinked.entries[0].link;
    relinked.entries.remove(0);
    relinked.device.divs = Some((d.ledger.contract, TxId(1)));
    // The termination keeps the registration's parameters, whose UE signature is checked
    // for the registration's authority: without that entry it endorses nothing.
    assert_eq!(
        relinked.verify(&anchors),
        Err(EvidenceError::Divs(DivsError::UnknownEntry(TxId(0))))
    );
}

#[test]
fn evidence_bound_to_another_deployment_is_refused() {
    let (ours, theirs) = (Deployment::new(0x10), Deployment::new(0x60));
    // The same ISP and DIVS authority serve both deployments.
    let theirs = Deployment {
        isp: KeyPair::from_secrets(ours.isp.secrets().0, ours.isp.secrets().1),
        authority: KeyPair::from_secrets(ours.authority.secrets().0, ours.authority.secrets().1),
        ..theirs
    };
    let m = mallory(&theirs);
    let bundle = evidence(&theirs, &m, REGISTERED_AT + MINUTE);
    assert_eq!(bundle.verify(&theirs.anchors(&m.ledger)), Ok(()));
    assert_eq!(
        bundle.verify(&ours.anchors(&m.ledger)),
        Err(EvidenceError::OtherDeployment)
    );
}

#[test]
fn mallory_cannot_claim_alices_pu_footage_with_her_own_attestation_and_upload_statement() {
    let d = Deployment::new(0x10);
    let (alice, mallory) = (user(&d, 0x41), mallory(&d));
    let anchors = d.anchors(&alice.ledger);
    let genuine = evidence(&d, &alice, REGISTERED_AT + MINUTE);
    assert_eq!(genuine.verify(&anchors), Ok(()));
    // Alice's camera, its capture attestation and its DIVS entries, all genuine; the owner,
    // her attestation and the upload statement are Mallory's, all genuine too.
    let mut spliced = genuine.clone();
    claim(&mut spliced, mallory.id, mallory.controller, &mallory.keys);
    spliced.owner = owner_facts(&d, &mallory);
    assert_eq!(
        spliced.verify(&anchors),
        Err(EvidenceError::BadCaptureSignature)
    );
}

#[test]
fn an_upload_signed_after_the_owners_key_rotation_verifies_through_the_signed_rotation() {
    let d = Deployment::new(0x10);
    let m = mallory(&d);
    let anchors = d.anchors(&m.ledger);
    let rotated = KeyPair::generate();
    let rotation = payload::user_key_rotation(&d.registries.identity, &m.id, 0, &rotated.public());
    let mut bundle = evidence(&d, &m, REGISTERED_AT + MINUTE);
    claim(&mut bundle, m.id, m.controller, &rotated);
    assert_eq!(
        bundle.verify(&anchors),
        Err(EvidenceError::BadOwnerSignature)
    );
    bundle.owner.rotations.push(KeyRotation {
        keys: rotated.public(),
        authorized: KeyChangeProof::Rotated {
            signature: m.keys.sign(&rotation),
        },
    });
    assert_eq!(bundle.verify(&anchors), Ok(()));
}

#[test]
fn mallory_cannot_rotate_alices_attested_record_to_her_own_key_to_frame_her() {
    let d = Deployment::new(0x10);
    let (alice, mallory) = (user(&d, 0x41), mallory(&d));
    // Mallory's own camera "captures for Alice" (her camera signs what she likes), and she
    // signs the upload in Alice's name with her own key, behind a rotation she signed too.
    let mut framed = evidence(&d, &mallory, REGISTERED_AT + MINUTE);
    let r = &mut framed.resource;
    r.owner = alice.id;
    r.pu_signature = Some(mallory.camera.keys.sign(&payload::capture_attestation(
        &d.registries.devices,
        &r.pu,
        &alice.id,
        &r.content.multihash,
        &r.content.capture,
    )));
    claim(&mut framed, alice.id, alice.controller, &mallory.keys);
    framed.owner = owner_facts(&d, &alice);
    let anchors = d.anchors(&mallory.ledger);
    assert_eq!(
        framed.verify(&anchors),
        Err(EvidenceError::BadOwnerSignature)
    );
    let rotation =
        payload::user_key_rotation(&d.registries.identity, &alice.id, 0, &mallory.keys.public());
    framed.owner.rotations.push(KeyRotation {
        keys: mallory.keys.public(),
        authorized: KeyChangeProof::Rotated {
            signature: mallory.keys.sign(&rotation),
        },
    });
    assert_eq!(
        framed.verify(&anchors),
        Err(EvidenceError::BadKeyRotation(0))
    );
}

/// `m`'s recovery from key version `version` to `new`'s keys and `controller`, naming the
/// registrar key `named` and signed by `signer`.
fn recovery(
    d: &Deployment,
    m: &User,
    version: u32,
    new: &KeyPair,
    controller: AccountBytes,
    named: &KeyPair,
    signer: &KeyPair,
) -> KeyRotation {
    let registrar_key = named.signing_public();
    let statement = payload::user_recovery(
        &d.registries.identity,
        &m.id,
        version,
        &new.public(),
        &controller,
        &registrar_key,
    );
    KeyRotation {
        keys: new.public(),
        authorized: KeyChangeProof::Recovered {
            registrar_key,
            controller,
            signature: signer.sign(&statement),
        },
    }
}

#[test]
fn an_upload_after_the_owners_recovery_verifies_through_the_registrars_signed_recovery() {
    let d = Deployment::new(0x10);
    let (alice, mallory) = (user(&d, 0x41), mallory(&d));
    let anchors = d.anchors(&alice.ledger);
    // A thief of Alice's key rotates her onto his key (a genuine rotation, version 0); the
    // ISP suspends and recovers her with a new key and phone (version 1); she uploads.
    let thief = KeyPair::generate();
    let stolen = payload::user_key_rotation(&d.registries.identity, &alice.id, 0, &thief.public());
    let theft = KeyRotation {
        keys: thief.public(),
        authorized: KeyChangeProof::Rotated {
            signature: alice.keys.sign(&stolen),
        },
    };
    let (new, phone) = (KeyPair::generate(), [0x50; 32]);
    let mut bundle = evidence(&d, &alice, REGISTERED_AT + MINUTE);
    claim(&mut bundle, alice.id, alice.controller, &new);
    bundle.owner.rotations = vec![theft, recovery(&d, &alice, 1, &new, phone, &d.isp, &d.isp)];
    assert_eq!(bundle.verify(&anchors), Ok(()));
    // Without the recovery, the new key is nobody's.
    let mut unrecovered = bundle.clone();
    unrecovered.owner.rotations.pop();
    assert_eq!(
        unrecovered.verify(&anchors),
        Err(EvidenceError::BadOwnerSignature)
    );

    // Mallory recovers Alice onto her own key: as a registrar the verifier does not trust,
    let mut forged = bundle.clone();
    claim(&mut forged, alice.id, alice.controller, &mallory.keys);
    forged.owner.rotations[1] = recovery(
        &d,
        &alice,
        1,
        &mallory.keys,
        mallory.controller,
        &mallory.keys,
        &mallory.keys,
    );
    assert_eq!(
        forged.verify(&anchors),
        Err(EvidenceError::UntrustedRegistrar)
    );
    // naming the ISP's key but signing with her own,
    forged.owner.rotations[1] = recovery(
        &d,
        &alice,
        1,
        &mallory.keys,
        mallory.controller,
        &d.isp,
        &mallory.keys,
    );
    assert_eq!(
        forged.verify(&anchors),
        Err(EvidenceError::BadKeyRotation(1))
    );
    // or with the ISP's genuine recovery, naming her account as the controller it set,
    let mut renamed = bundle.clone();
    if let KeyChangeProof::Recovered { controller, .. } = &mut renamed.owner.rotations[1].authorized
    {
        *controller = mallory.controller;
    }
    assert_eq!(
        renamed.verify(&anchors),
        Err(EvidenceError::BadKeyRotation(1))
    );
    // or moved to another key version (the theft left out).
    let mut skipped = bundle.clone();
    skipped.owner.rotations.remove(0);
    assert_eq!(
        skipped.verify(&anchors),
        Err(EvidenceError::BadKeyRotation(0))
    );
    // An ISP's recovery of Alice does not stand in for a rotation signed by her key.
    let mut as_rotation = bundle.clone();
    if let KeyChangeProof::Recovered { signature, .. } = bundle.owner.rotations[1].authorized {
        as_rotation.owner.rotations[1].authorized = KeyChangeProof::Rotated { signature };
    }
    assert_eq!(
        as_rotation.verify(&anchors),
        Err(EvidenceError::BadKeyRotation(1))
    );
}
