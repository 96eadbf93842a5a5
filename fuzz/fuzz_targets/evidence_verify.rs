//! Evidence bundle verification. The input is a list of (offset, xor) edits applied to the
//! encoding of one valid bundle (made here, with its own keys, on a ledger of two entries:
//! the camera's registration and another UE's; the owner's keys rotated once, then recovered
//! by her registrar). Whatever still decodes must not panic the
//! verifier, and if it verifies, every field the verifier authenticates must be as made: a
//! bundle can only be changed where it proves nothing (see [`Proven`]).
#![no_main]
use libfuzzer_sys::fuzz_target;
use scale::{Decode, Encode};
use shared_types::{
    payload, AccountBytes, AccountState, AccountStatus, Classification, DeviceId, Ed25519PublicKey,
    Entry, EntryAddress, EntryKind, HashAlgorithm, KeySet, Multihash, Registries, ResourceContent,
    ResourceId, TimeSpan, TxId, UserId,
};
use std::sync::OnceLock;
use vssi_sdk::divs::{endorse, ExportedLedger, LedgerAnchors, Ue};
use vssi_sdk::evidence::{
    DeviceFacts, EvidenceBundle, KeyChangeProof, KeyRotation, OwnerFacts, ResourceFacts,
    TrustAnchors,
};
use vssi_sdk::hashing::resource_id;
use vssi_sdk::KeyPair;

/// What a verified bundle proves: what its signatures cover, the fields checked equal to
/// those or to the anchors, and every ledger entry (the chain recomputes to the trusted
/// head). The device's encryption key, the ledger's instance ID and the signatures' bytes
/// are carried but not proven by the bundle alone. Of each owner key change, the keys, how
/// it was authorized and, for a recovery, the registrar key and controller it names are
/// proven.
#[derive(Debug, PartialEq)]
struct Proven {
    registries: Registries,
    resource: ResourceId,
    owner: UserId,
    pu: DeviceId,
    content: ResourceContent,
    registered_by: AccountBytes,
    device_signing_key: Ed25519PublicKey,
    device_divs: Option<(AccountBytes, TxId)>,
    ledger: AccountBytes,
    before: [u8; 32],
    entries: Vec<Entry>,
    owner_keys: KeySet,
    key_changes: Vec<(KeySet, Option<(Ed25519PublicKey, AccountBytes)>)>,
    controller: AccountBytes,
    notice: ([u8; 32], u32),
    registrar_key: Ed25519PublicKey,
}

fn proven(b: &EvidenceBundle) -> Proven {
    Proven {
        registries: b.registries,
        resource: b.resource.resource,
        owner: b.resource.owner,
        pu: b.resource.pu,
        content: b.resource.content.clone(),
        registered_by: b.resource.registered_by,
        device_signing_key: b.device.keys.signing,
        device_divs: b.device.divs,
        ledger: b.divs.contract,
        before: b.before,
        entries: b.entries.clone(),
        owner_keys: b.owner.registered_keys,
        key_changes: b
            .owner
            .rotations
            .iter()
            .map(|change| {
                let recovery = match change.authorized {
                    KeyChangeProof::Rotated { .. } => None,
                    KeyChangeProof::Recovered {
                        registrar_key,
                        controller,
                        ..
                    } => Some((registrar_key, controller)),
                };
                (change.keys, recovery)
            })
            .collect(),
        controller: b.owner.controller,
        notice: (b.owner.notice_hash, b.owner.notice_version),
        registrar_key: b.owner.registrar_key,
    }
}

/// One valid bundle, its encoding, and the anchors it verifies under.
fn valid() -> &'static (EvidenceBundle, Vec<u8>, TrustAnchors) {
    static VALID: OnceLock<(EvidenceBundle, Vec<u8>, TrustAnchors)> = OnceLock::new();
    VALID.get_or_init(|| {
        let (identity, devices, resources, ledger) = ([1; 32], [2; 32], [3; 32], [4; 32]);
        let (registrar, authority, owner_keys, rotated, recovered) = (
            KeyPair::generate(),
            KeyPair::generate(),
            KeyPair::generate(),
            KeyPair::generate(),
            KeyPair::generate(),
        );
        let authority_account = [5; 32];
        let camera = Ue::new("imei", "iccid", "msisdn");
        let other = Ue::new("imei 2", "iccid 2", "msisdn 2");
        let pu = DeviceId([7; 32]);
        let owner = UserId([8; 32]);
        let multihash = Multihash::wrap(HashAlgorithm::Sha2_256, &[9; 32]).expect("a digest");
        let capture = TimeSpan {
            start: 2_000,
            end: 3_000,
        };
        let status = AccountStatus {
            contract_id: [10; 32],
            valid_from: 1_000,
            terminates_at: 10_000,
            region: None,
            state: AccountState::Active,
        };
        let mut export = ExportedLedger {
            address: EntryAddress {
                instance: [13; 32],
                contract: ledger,
            },
            entries: vec![],
        };
        for (ue, at) in [(&camera, 1_500), (&other, 2_500)] {
            let parameters = ue.parameters(&ledger, &authority_account);
            let registration = endorse(
                &authority,
                &ledger,
                parameters,
                status,
                EntryKind::Registration,
                None,
            );
            export.append(authority_account, registration, None, at);
        }
        let (controller, recovered_controller) = ([11; 32], [14; 32]);
        let (notice_hash, notice_version) = ([12; 32], 1);
        let resource = resource_id(&pu, &multihash);
        let content = ResourceContent {
            multihash: multihash.clone(),
            classification: Classification::General,
            size: 1,
            capture,
            segments: None,
        };
        let upload =
            payload::resource_upload(&resources, &resource, &owner, &pu, &controller, &content);
        let bundle = EvidenceBundle {
            registries: Registries {
                identity,
                devices,
                resources,
            },
            resource: ResourceFacts {
                resource,
                owner,
                pu,
                content,
                pu_signature: Some(camera.keys.sign(&payload::capture_attestation(
                    &devices, &pu, &owner, &multihash, &capture,
                ))),
                registered_by: controller,
                // The owner rotated her keys once after registration, her registrar recovered
                // her onto new keys, then she uploaded.
                owner_signature: Some(recovered.sign(&upload)),
            },
            device: DeviceFacts {
                keys: camera.keys.public(),
                divs: Some((ledger, TxId(0))),
            },
            owner: OwnerFacts {
                registered_keys: owner_keys.public(),
                controller,
                notice_hash,
                notice_version,
                registrar_key: registrar.signing_public(),
                registrar_signature: registrar.sign(&payload::registrar_attestation(
                    &identity,
                    &owner,
                    &owner_keys.public(),
                    &controller,
                    &notice_hash,
                    notice_version,
                )),
                rotations: vec![
                    KeyRotation {
                        keys: rotated.public(),
                        authorized: KeyChangeProof::Rotated {
                            signature: owner_keys.sign(&payload::user_key_rotation(
                                &identity,
                                &owner,
                                0,
                                &rotated.public(),
                            )),
                        },
                    },
                    KeyRotation {
                        keys: recovered.public(),
                        authorized: KeyChangeProof::Recovered {
                            registrar_key: registrar.signing_public(),
                            controller: recovered_controller,
                            signature: registrar.sign(&payload::user_recovery(
                                &identity,
                                &owner,
                                1,
                                &recovered.public(),
                                &recovered_controller,
                                &registrar.signing_public(),
                            )),
                        },
                    },
                ],
            },
            divs: export.address,
            before: [0; 32],
            entries: export.entries.clone(),
        };
        let (count, head) = export.head();
        let anchors = TrustAnchors {
            registrars: vec![registrar.signing_public()],
            registries: bundle.registries,
            ledger,
            divs: LedgerAnchors {
                authorities: vec![(authority_account, authority.signing_public())],
                count,
                head,
            },
        };
        assert_eq!(bundle.verify(&anchors), Ok(()), "the made bundle verifies");
        let encoded = bundle.encode();
        (bundle, encoded, anchors)
    })
}

fuzz_target!(|edits: &[u8]| {
    let (original, encoded, anchors) = valid();
    let mut bytes = encoded.clone();
    for edit in edits.chunks_exact(3) {
        let offset = usize::from(u16::from_le_bytes([edit[0], edit[1]])) % bytes.len();
        bytes[offset] ^= edit[2];
    }
    let Ok(bundle) = EvidenceBundle::decode(&mut &bytes[..]) else {
        return;
    };
    if bundle.verify(anchors).is_ok() {
        assert_eq!(
            proven(&bundle),
            proven(original),
            "a change to a proven field verified"
        );
    }
});
