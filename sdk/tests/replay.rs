//! Replay, for every signed statement of the suite (one row of [`STATEMENTS`] each): a real
//! ed25519 signature over the statement built by its one builder in `shared_types::payload`
//! (the bytes the verifying contract or SDK check rebuilds) verifies for exactly that
//! statement and no other: not for another purpose, not for another contract instance, not
//! under the next nonce, not with another expiry. Statements without a nonce say why they are
//! usable once. The table is checked against payload.rs, so a new statement cannot be left
//! out. Where the verifier itself refuses the replay (used nonce, expiry, used statement),
//! the contracts' and the SDK's own tests show it; this file names them per row.
use shared_types::{
    payload, verify, AccountState, AccountStatus, AgreementId, Classification, DeviceId,
    DeviceKind, Ed25519PublicKey, EntryKind, HashAlgorithm, IdentityCommitment, KeySet, Multihash,
    PolicyId, ResourceContent, ResourceId, SerialCommitment, SignatureAlgorithm, TimeSpan, TxId,
    UeIdentity, UeParameters, UserId, Window, WindowUnit, X25519PublicKey,
};
use vssi_sdk::KeyPair;

/// What a statement is built for: the verifying contract, its nonce and its expiry.
#[derive(Clone, Copy)]
struct Context {
    contract: [u8; 32],
    nonce: u64,
    expires_at: u64,
}

/// How a statement stays usable once.
enum Once {
    /// A nonce the verifier advances on use.
    Nonce,
    /// An expiry the verifier checks, and a random ID under which a store serves each
    /// resource once.
    Expiry,
    /// The verifier records what it signs and refuses it a second time; why, in words.
    Recorded(&'static str),
}

struct Statement {
    domain: &'static [u8],
    build: fn(&Context) -> Vec<u8>,
    once: Once,
    /// The verifier's test that refuses the replay where it is used.
    refused_by: &'static str,
}

fn keys(b: u8) -> KeySet {
    KeySet {
        signing: Ed25519PublicKey([b; 32]),
        encryption: X25519PublicKey([b; 32]),
    }
}

fn content() -> ResourceContent {
    ResourceContent {
        multihash: Multihash::wrap(HashAlgorithm::Sha2_256, &[7; 32]).expect("a SHA-256 digest"),
        classification: Classification::General,
        size: 1,
        capture: TimeSpan { start: 1, end: 2 },
        segments: None,
    }
}

fn ue_identity() -> UeIdentity {
    UeIdentity {
        imei: IdentityCommitment([1; 32]),
        iccid: IdentityCommitment([2; 32]),
        msisdn: IdentityCommitment([3; 32]),
    }
}

/// Nonces of u32 statements: the context's nonce, truncated (tests use small nonces).
fn nonce32(c: &Context) -> u32 {
    u32::try_from(c.nonce).expect("a small nonce")
}

const USER: UserId = UserId([4; 32]);
const DEVICE: DeviceId = DeviceId([5; 32]);
const OTHER_DEVICE: DeviceId = DeviceId([6; 32]);

const STATEMENTS: &[Statement] = &[
    Statement {
        domain: payload::domain::USER_PROOF_OF_POSSESSION,
        build: |c| payload::user_proof_of_possession(&c.contract, &USER, &keys(1), &[9; 32], &[7; 32], &[8; 32], 1),
        once: Once::Recorded("a user ID registers once"),
        refused_by: "identity_registry tests (UserExists; another_registrar_cannot_submit_a_proof_of_possession_made_for_the_isp); e2e registration_refusals (to another instance, to another purpose); e2e attacks a_second_registrar_cannot_front_run_a_registration_with_the_users_proof_of_possession",
    },
    Statement {
        domain: payload::domain::REGISTRAR_ATTESTATION,
        build: |c| payload::registrar_attestation(&c.contract, &USER, &keys(1), &[9; 32], &[8; 32], 1),
        once: Once::Recorded("a user ID registers once"),
        refused_by: "identity_registry tests (UserExists); sdk evidence verify (BadAttestation)",
    },
    Statement {
        domain: payload::domain::USER_KEY_ROTATION,
        build: |c| payload::user_key_rotation(&c.contract, &USER, nonce32(c), &keys(2)),
        once: Once::Nonce,
        refused_by: "identity_registry tests: replaying the same rotation fails; e2e registration_refusals (used rotation)",
    },
    Statement {
        domain: payload::domain::USER_CONTROLLER_CHANGE,
        build: |c| payload::user_controller_change(&c.contract, &USER, &[7; 32], nonce32(c), &[9; 32]),
        once: Once::Nonce,
        refused_by: "identity_registry tests a_controller_change_needs_the_users_key_and_the_registrars_call_and_is_single_use; e2e attacks recovery a_controller_change_cannot_be_replayed",
    },
    Statement {
        domain: payload::domain::USER_RECOVERY,
        build: |c| payload::user_recovery(&c.contract, &USER, nonce32(c), &keys(2), &[9; 32], &Ed25519PublicKey([8; 32])),
        once: Once::Nonce,
        refused_by: "identity_registry tests recovery_needs_the_registrars_suspension_the_new_key_and_the_registrars_attestation; e2e attacks recovery a_recovery_cannot_be_replayed",
    },
    Statement {
        domain: payload::domain::DEVICE_REGISTRATION,
        build: |c| {
            payload::device_registration(&c.contract, &DEVICE, DeviceKind::Pu, &USER, &keys(1), &SerialCommitment([3; 32]))
        },
        once: Once::Recorded("a device ID registers once"),
        refused_by: "device_registry tests (DeviceExists); e2e registration_refusals (proof of possession as device signature)",
    },
    Statement {
        domain: payload::domain::DEVICE_PROOF_OF_POSSESSION,
        build: |c| payload::device_proof_of_possession(&c.contract, &DEVICE, &USER, &keys(1), nonce32(c)),
        once: Once::Nonce,
        refused_by: "device_registry tests: back to the old keys with the nonce-0 proof (InvalidDeviceSignature); e2e attacks mallory_cannot_register_alices_camera_key_as_her_own_device",
    },
    Statement {
        domain: payload::domain::DEVICE_KEY_ROTATION,
        build: |c| payload::device_key_rotation(&c.contract, &DEVICE, nonce32(c), &keys(2)),
        once: Once::Nonce,
        refused_by: "device_registry tests: replay back to the old keys with the nonce-0 statement",
    },
    Statement {
        domain: payload::domain::DEVICE_TRANSFER,
        build: |c| payload::device_transfer(&c.contract, &DEVICE, nonce32(c), &USER, &UserId([5; 32])),
        once: Once::Nonce,
        refused_by: "device_registry tests: replay of the used transfer statement",
    },
    Statement {
        domain: payload::domain::RESOURCE_UPLOAD,
        build: |c| payload::resource_upload(&c.contract, &ResourceId([1; 32]), &USER, &DEVICE, &[2; 32], &content()),
        once: Once::Recorded("a resource ID registers once"),
        refused_by: "resource_registry tests (ResourceExists; the owner's own record with the store's statement: InvalidOwnerSignature)",
    },
    Statement {
        domain: payload::domain::CAPTURE_ATTESTATION,
        build: |c| payload::capture_attestation(&c.contract, &DEVICE, &USER, &content().multihash, &TimeSpan { start: 1, end: 2 }),
        once: Once::Recorded("it names one content hash, which registers once"),
        refused_by: "resource_registry tests (ResourceExists, InvalidPuSignature)",
    },
    Statement {
        domain: payload::domain::AGREEMENT_ACCEPTANCE,
        build: |c| payload::agreement_acceptance(&c.contract, PolicyId(1), 1, &[3; 32], &USER),
        once: Once::Recorded("one agreement per (policy, version, requester)"),
        refused_by: "sharing_policy tests (AlreadyAgreed)",
    },
    Statement {
        domain: payload::domain::AUTHORIZATION_CODE,
        build: |c| {
            let window = Some(Window { unit: WindowUnit::Time, first: 0, last: 1 });
            payload::authorization_code(&c.contract, &[1; 16], AgreementId(1), &DEVICE, &OTHER_DEVICE, &[ResourceId([1; 32])], &window, c.expires_at)
        },
        once: Once::Expiry,
        refused_by: "sdk authcode the_store_accepts_exactly_the_issued_scope (Expired, OutOfScope, Forged); attacks robustness a_presentation_seen_in_transit_cannot_be_replayed (AlreadyServed)",
    },
    Statement {
        domain: payload::domain::AUTHORIZATION_CODE_PRESENTATION,
        build: |c| {
            let challenge: [u8; 16] = c.nonce.to_le_bytes().repeat(2).try_into().expect("16 bytes");
            let window = Some(Window { unit: WindowUnit::Segments, first: 0, last: 1 });
            payload::authorization_code_presentation(&c.contract, &[1; 16], &[2; 32], &challenge, &ResourceId([1; 32]), &window)
        },
        once: Once::Nonce,
        refused_by: "attacks robustness a_presentation_seen_in_transit_cannot_be_replayed (UnknownChallenge), a_presentation_to_one_store_is_refused_by_another_store (WrongStore)",
    },
    Statement {
        domain: payload::domain::HANDSHAKE_REQUEST,
        build: |c| payload::handshake_request(&c.contract, &DEVICE, &Ed25519PublicKey([1; 32]), &OTHER_DEVICE, c.nonce),
        once: Once::Nonce,
        refused_by: "sdk handshake impostors_tampering_and_replays_fail; e2e handshake (replayed M3)",
    },
    Statement {
        domain: payload::domain::HANDSHAKE_ANSWER,
        build: |c| {
            payload::handshake_answer(&c.contract, &OTHER_DEVICE, &Ed25519PublicKey([1; 32]), &X25519PublicKey([2; 32]), &DEVICE, c.nonce)
        },
        once: Once::Nonce,
        refused_by: "sdk handshake impostors_tampering_and_replays_fail (M2 of an earlier session: WrongNonce)",
    },
    Statement {
        domain: payload::domain::HANDSHAKE_CONFIRM,
        build: |c| payload::handshake_confirm(&c.contract, &DEVICE, &OTHER_DEVICE, &Ed25519PublicKey([1; 32]), c.nonce),
        once: Once::Nonce,
        refused_by: "sdk handshake impostors_tampering_and_replays_fail; e2e handshake (replayed M3)",
    },
    Statement {
        domain: payload::domain::UE_REGISTRATION,
        build: |c| payload::ue_registration(&c.contract, &ue_identity(), &Ed25519PublicKey([1; 32]), SignatureAlgorithm::Ed25519, &[3; 32]),
        once: Once::Recorded("a UE key registers once per ledger"),
        refused_by: "divs_ledger bad_endorsements_are_refused (AlreadyRegistered)",
    },
    Statement {
        domain: payload::domain::ENDORSEMENT,
        build: |c| {
            let parameters = UeParameters {
                identity: ue_identity(),
                public_key: Ed25519PublicKey([1; 32]),
                algorithm: SignatureAlgorithm::Ed25519,
                ue_signature: shared_types::Ed25519Signature([2; 64]),
            };
            let status = AccountStatus {
                contract_id: [3; 32],
                valid_from: 0,
                terminates_at: c.expires_at,
                region: None,
                state: AccountState::Active,
            };
            payload::endorsement(&c.contract, &parameters, &status, EntryKind::StatusUpdate, Some(TxId(c.nonce)))
        },
        once: Once::Nonce,
        refused_by: "divs_ledger status_changes_append_linked_entries_and_old_updates_cannot_be_replayed; e2e divs binding replay",
    },
    Statement {
        domain: payload::domain::DIVS_DATA,
        build: |c| payload::divs_data(&c.contract, TxId(c.nonce), c.expires_at, &[4; 32]),
        once: Once::Recorded("it names the UE's latest endorsement; data signed under an older one is refused"),
        refused_by: "sdk divs recipients_check_signatures_and_the_latest_validity (OutsideValidity)",
    },
    Statement {
        domain: payload::domain::AGGREGATOR_REPORT,
        build: |c| payload::aggregator_report(&c.contract, TxId(1), &[4; 32], true, &c.nonce.to_le_bytes().repeat(2).try_into().expect("16 bytes")),
        once: Once::Nonce,
        refused_by: "sdk divs recipients_check_signatures_and_the_latest_validity (report for another request)",
    },
];

const HERE: Context = Context {
    contract: [1; 32],
    nonce: 5,
    expires_at: 1_000,
};

fn signed(statement: &Statement, signer: &KeyPair) -> shared_types::Ed25519Signature {
    signer.sign(&(statement.build)(&HERE))
}

fn verifies(signer: &KeyPair, signature: &shared_types::Ed25519Signature, bytes: &[u8]) -> bool {
    verify::ed25519(&signer.signing_public(), signature, bytes)
}

#[test]
fn every_signed_statement_of_payload_rs_is_in_the_table() {
    let source = include_str!("../../shared-types/src/payload.rs");
    // Every `statement(domain::NAME, …)` call, but the hashed-only policy version.
    let mut signed: Vec<&str> = source
        .split("statement(")
        .skip(1)
        .filter_map(|rest| rest.trim_start().strip_prefix("domain::"))
        .filter_map(|rest| rest.split(',').next())
        .filter(|name| *name != "POLICY_VERSION")
        .collect();
    signed.sort_unstable();
    signed.dedup();
    let mut in_table: Vec<String> = STATEMENTS
        .iter()
        .map(|s| String::from_utf8_lossy(s.domain).into_owned())
        .collect();
    in_table.sort_unstable();
    let mut in_source: Vec<String> = signed.iter().map(|name| domain_tag(name)).collect();
    in_source.sort_unstable();
    assert_eq!(in_table, in_source, "STATEMENTS and payload.rs differ");
}

/// The tag of `payload::domain::<name>`, read from payload.rs.
fn domain_tag(name: &str) -> String {
    let source = include_str!("../../shared-types/src/payload.rs");
    let line = source
        .lines()
        .find(|l| l.contains(&format!("pub const {name}: &[u8] = b\"")))
        .unwrap_or_else(|| panic!("no domain constant {name}"));
    line.split('"').nth(1).expect("a byte string").to_owned()
}

#[test]
fn a_signature_verifies_only_for_its_own_statement() {
    let signer = KeyPair::from_secrets([7; 32], [8; 32]);
    for statement in STATEMENTS {
        let bytes = (statement.build)(&HERE);
        assert!(verifies(&signer, &signed(statement, &signer), &bytes));
    }
}

#[test]
fn replayed_to_another_purpose_fails() {
    let signer = KeyPair::from_secrets([7; 32], [8; 32]);
    for (i, statement) in STATEMENTS.iter().enumerate() {
        let signature = signed(statement, &signer);
        for (j, other) in STATEMENTS.iter().enumerate() {
            if i != j {
                assert!(
                    !verifies(&signer, &signature, &(other.build)(&HERE)),
                    "{} verifies as {}",
                    String::from_utf8_lossy(statement.domain),
                    String::from_utf8_lossy(other.domain)
                );
            }
        }
    }
}

#[test]
fn replayed_to_another_contract_instance_fails() {
    let signer = KeyPair::from_secrets([7; 32], [8; 32]);
    let elsewhere = Context {
        contract: [2; 32],
        ..HERE
    };
    for statement in STATEMENTS {
        let signature = signed(statement, &signer);
        assert!(
            !verifies(&signer, &signature, &(statement.build)(&elsewhere)),
            "{} verifies for another contract",
            String::from_utf8_lossy(statement.domain)
        );
    }
}

#[test]
fn replayed_after_its_nonce_was_used_or_after_expiry_fails() {
    let signer = KeyPair::from_secrets([7; 32], [8; 32]);
    for statement in STATEMENTS {
        let signature = signed(statement, &signer);
        let name = String::from_utf8_lossy(statement.domain);
        let next = match statement.once {
            Once::Nonce => Context {
                nonce: HERE.nonce + 1,
                ..HERE
            },
            Once::Expiry => Context {
                expires_at: HERE.expires_at + 1,
                ..HERE
            },
            Once::Recorded(why) => {
                assert!(!why.is_empty() && !statement.refused_by.is_empty());
                continue;
            }
        };
        assert!(
            !verifies(&signer, &signature, &(statement.build)(&next)),
            "{name} verifies under the next nonce or another expiry"
        );
        assert!(
            !statement.refused_by.is_empty(),
            "{name}: no verifier test named"
        );
    }
}
