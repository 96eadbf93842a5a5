//! `#[ink::test]` unit tests of the registry logic with owner records and DIVS entries passed
//! in (the off-chain test environment cannot make the cross-contract calls; the drink e2e
//! tests cover those paths: NotRegistrar, UnknownOwner, DivsLedgerCallFailed and the
//! messages end to end).
//! Every refusal asserts the exact error and unchanged state.
use crate::data::{DeviceData, DeviceKeyEpoch, DeviceRegistration, Error, Event, Suspender};
use crate::{DeviceRegistry, DivsLink};
use ink::primitives::AccountId;
use interfaces::{identity::UserRecord, DeviceLookup};
use shared_types::{
    payload, reason, AccountBytes, AccountState, AccountStatus, DeviceId, DeviceKind,
    Ed25519PublicKey, Ed25519Signature, Endorsement, Entry, EntryKind, IdentityCommitment, KeySet,
    SignatureAlgorithm, Status, TimeSpan, Timestamp, TxId, UeIdentity, UeParameters, UserId,
    X25519PublicKey,
};
use vssi_sdk::requests::{self, DeviceTerms};
use vssi_sdk::KeyPair;

const THIS: AccountBytes = [0xcc; 32];
const ALICE: UserId = UserId([0xa1; 32]);
const BOB: UserId = UserId([0xb0; 32]);
const PU1: DeviceId = DeviceId([0x01; 32]);
/// Block time of the world's registrations, and of its first key rotations.
const REGISTERED_AT: Timestamp = 42;
const ROTATED_AT: Timestamp = 100;

fn account(b: u8) -> AccountId {
    AccountId::from([b; 32])
}
const ISP: u8 = 0x15;

fn user(keys: &KeyPair, controller: u8) -> UserRecord {
    UserRecord {
        controller: account(controller),
        keys: keys.public(),
        key_version: 0,
        status: Status::Active,
        status_reason: 0,
        suspended_by: None,
        registrar: account(ISP),
        registrar_key: keys.signing_public(),
        registrar_signature: Ed25519Signature([0; 64]),
        notice_hash: [0; 32],
        notice_version: 1,
        registered_at: 0,
    }
}

fn registration(
    device: DeviceId,
    kind: DeviceKind,
    owner: UserId,
    owner_keys: &KeyPair,
    device_keys: &KeyPair,
) -> DeviceRegistration {
    let terms = DeviceTerms {
        device,
        kind,
        owner,
        keys: device_keys.public(),
        serial: vssi_sdk::commitment::serial_commitment(&[9; 32], b"SN-1"),
    };
    requests::device_registration(&THIS, &terms, owner_keys, device_keys)
}

/// `keys`' proof of possession for `device` of `owner` at `nonce`.
fn possession(keys: &KeyPair, device: DeviceId, owner: UserId, nonce: u32) -> Ed25519Signature {
    requests::device_proof_of_possession(&THIS, &device, &owner, keys, nonce)
}

/// `keys` with the all-zero (small-order) X25519 key.
fn weak(keys: &KeyPair) -> KeySet {
    KeySet {
        signing: keys.signing_public(),
        encryption: X25519PublicKey([0; 32]),
    }
}

/// A DIVS entry `tx_id` of kind `kind` for the UE key `key`, `verified` or not, as a ledger
/// would answer it.
fn divs_entry(tx_id: TxId, key: Ed25519PublicKey, kind: EntryKind, verified: bool) -> Entry {
    let commitment = IdentityCommitment([0x1c; 32]);
    let endorsement = Endorsement {
        parameters: UeParameters {
            identity: UeIdentity {
                imei: commitment,
                iccid: commitment,
                msisdn: commitment,
            },
            public_key: key,
            algorithm: SignatureAlgorithm::Ed25519,
            ue_signature: Ed25519Signature([0; 64]),
        },
        status: AccountStatus {
            contract_id: [0; 32],
            valid_from: 0,
            terminates_at: u64::MAX,
            region: None,
            state: AccountState::Active,
        },
        kind,
        authority_signature: Ed25519Signature([0; 64]),
    };
    Entry::unlinked(tx_id, endorsement, None, [0xa5; 32], 0, verified)
}

/// Everything a refused call must leave as it was.
#[derive(Debug, PartialEq)]
struct Snapshot {
    pu1: Result<crate::DeviceRecord, Error>,
    pu1_keys: Result<Vec<DeviceKeyEpoch>, Error>,
    alice: Vec<DeviceId>,
    bob: Vec<DeviceId>,
}

fn snapshot(data: &DeviceData) -> Snapshot {
    Snapshot {
        pu1: data.device(PU1),
        pu1_keys: data.key_history(PU1, 0, 50),
        alice: data.devices_of(ALICE, 0, 50),
        bob: data.devices_of(BOB, 0, 50),
    }
}

macro_rules! refused {
    ($data:ident . $method:ident ( $($arg:expr),* ) => $error:expr) => {{
        let before = snapshot(&$data);
        assert_eq!($data.$method($($arg),*), Err($error));
        assert_eq!(snapshot(&$data), before, "state changed on refusal");
    }};
}

struct World {
    data: DeviceData,
    alice_keys: KeyPair,
    alice: UserRecord,
    bob_keys: KeyPair,
    bob: UserRecord,
    pu1_keys: KeyPair,
}

/// Alice (controller 0xa0) owns PU1, registered by the ISP.
fn world() -> World {
    let mut data = DeviceData::new(account(0x1d));
    let (alice_keys, bob_keys, pu1_keys) = (
        KeyPair::generate(),
        KeyPair::generate(),
        KeyPair::generate(),
    );
    let (alice, bob) = (user(&alice_keys, 0xa0), user(&bob_keys, 0xb1));
    let event = data
        .register_device(
            account(ISP),
            &THIS,
            REGISTERED_AT,
            registration(PU1, DeviceKind::Pu, ALICE, &alice_keys, &pu1_keys),
            &alice,
        )
        .unwrap();
    assert!(matches!(event, Event::DeviceRegistered(ref e) if e.device == PU1 && e.owner == ALICE));
    World {
        data,
        alice_keys,
        alice,
        bob_keys,
        bob,
        pu1_keys,
    }
}

#[ink::test]
fn registration_stores_keys_commitment_and_catalogue() {
    let w = world();
    let record = w.data.device(PU1).unwrap();
    assert_eq!(
        (record.kind, record.owner, record.status, record.nonce),
        (DeviceKind::Pu, ALICE, Status::Active, 0)
    );
    assert_eq!(record.keys, w.pu1_keys.public());
    assert_eq!(
        (record.registered_at, record.key_version),
        (REGISTERED_AT, 0)
    );
    let first = DeviceKeyEpoch {
        keys: w.pu1_keys.public(),
        valid_from: REGISTERED_AT,
        valid_until: None,
        divs: None,
    };
    assert_eq!(w.data.key_history(PU1, 0, 10), Ok(vec![first]));
    assert_eq!(w.data.key_at(PU1, REGISTERED_AT), Ok(first));
    assert_eq!(
        w.data.key_at(PU1, REGISTERED_AT - 1),
        Err(Error::NoKeyAtTime)
    );
    assert_eq!(w.data.devices_of(ALICE, 0, 10), vec![PU1]);
    assert_eq!(
        w.data
            .verify_device_key(PU1, w.pu1_keys.signing_public(), &w.alice),
        Ok(true)
    );
    assert_eq!(
        w.data
            .verify_device_key(PU1, w.alice_keys.signing_public(), &w.alice),
        Ok(false)
    );
    assert_eq!(
        w.data
            .verify_device_key(DeviceId([7; 32]), w.pu1_keys.signing_public(), &w.alice),
        Err(Error::UnknownDevice)
    );
}

#[ink::test]
fn registration_refusals() {
    let World {
        mut data,
        alice_keys,
        mut alice,
        bob_keys,
        pu1_keys,
        ..
    } = world();
    let other = DeviceId([2; 32]);
    let good = registration(other, DeviceKind::PrivateDb, ALICE, &alice_keys, &pu1_keys);
    // Signed by someone else than the owner.
    let forged = registration(other, DeviceKind::PrivateDb, ALICE, &bob_keys, &pu1_keys);
    refused!(data.register_device(account(ISP), &THIS, 0, forged, &alice) => Error::InvalidOwnerSignature);
    // A valid signature for another kind of device (another statement).
    let other_kind = DeviceRegistration {
        kind: DeviceKind::Cu,
        ..good.clone()
    };
    refused!(data.register_device(account(ISP), &THIS, 0, other_kind, &alice) => Error::InvalidOwnerSignature);
    // The same signature presented to another registry instance.
    refused!(data.register_device(account(ISP), &[0xdd; 32], 0, good.clone(), &alice) => Error::InvalidOwnerSignature);
    // Duplicate ID.
    let duplicate = registration(PU1, DeviceKind::Pu, ALICE, &alice_keys, &pu1_keys);
    refused!(data.register_device(account(ISP), &THIS, 0, duplicate, &alice) => Error::DeviceExists);
    // Another party's key: the owner signs, but the device key never did.
    let stolen = DeviceRegistration {
        device_signature: alice_keys.sign(&payload::device_proof_of_possession(
            &THIS,
            &other,
            &ALICE,
            &pu1_keys.public(),
            0,
        )),
        ..good.clone()
    };
    refused!(data.register_device(account(ISP), &THIS, 0, stolen, &alice) => Error::InvalidDeviceSignature);
    // A device proof made for another owner.
    let for_bob = DeviceRegistration {
        device_signature: possession(&pu1_keys, other, BOB, 0),
        ..good.clone()
    };
    refused!(data.register_device(account(ISP), &THIS, 0, for_bob, &alice) => Error::InvalidDeviceSignature);
    // A small-order encryption key, every signature genuine.
    let weak_keys = weak(&pu1_keys);
    let serial = good.serial;
    let small_order = DeviceRegistration {
        keys: weak_keys,
        owner_signature: alice_keys.sign(&payload::device_registration(
            &THIS,
            &other,
            DeviceKind::PrivateDb,
            &ALICE,
            &weak_keys,
            &serial,
        )),
        device_signature: pu1_keys.sign(&payload::device_proof_of_possession(
            &THIS, &other, &ALICE, &weak_keys, 0,
        )),
        ..good.clone()
    };
    refused!(data.register_device(account(ISP), &THIS, 0, small_order, &alice) => Error::WeakEncryptionKey);
    // Suspended owner.
    alice.status = Status::Suspended;
    refused!(data.register_device(account(ISP), &THIS, 0, good.clone(), &alice) => Error::OwnerNotActive);
    alice.status = Status::Active;
    data.register_device(account(ISP), &THIS, 0, good, &alice)
        .unwrap();
    assert_eq!(data.device_count(ALICE), 2);
}

#[ink::test]
fn key_rotation_is_owner_signed_and_single_use() {
    let World {
        mut data,
        alice_keys,
        mut alice,
        bob_keys,
        pu1_keys,
        ..
    } = world();
    let new = KeyPair::generate();
    let statement = payload::device_key_rotation(&THIS, &PU1, 0, &new.public());
    let signature = alice_keys.sign(&statement);
    let proof = possession(&new, PU1, ALICE, 0);
    refused!(data.rotate_device_key(&THIS, ROTATED_AT, PU1, new.public(), bob_keys.sign(&statement), proof, &alice) => Error::InvalidOwnerSignature);
    // Rotating to a key the device does not hold (its proof signed by another key).
    refused!(data.rotate_device_key(&THIS, ROTATED_AT, PU1, new.public(), signature, possession(&pu1_keys, PU1, ALICE, 0), &alice) => Error::InvalidDeviceSignature);
    let same = payload::device_key_rotation(&THIS, &PU1, 0, &pu1_keys.public());
    refused!(data.rotate_device_key(&THIS, ROTATED_AT, PU1, pu1_keys.public(), alice_keys.sign(&same), possession(&pu1_keys, PU1, ALICE, 0), &alice) => Error::KeyUnchanged);
    let weak_keys = weak(&new);
    let to_weak = payload::device_key_rotation(&THIS, &PU1, 0, &weak_keys);
    let weak_proof = new.sign(&payload::device_proof_of_possession(
        &THIS, &PU1, &ALICE, &weak_keys, 0,
    ));
    refused!(data.rotate_device_key(&THIS, ROTATED_AT, PU1, weak_keys, alice_keys.sign(&to_weak), weak_proof, &alice) => Error::WeakEncryptionKey);
    refused!(data.rotate_device_key(&THIS, ROTATED_AT, DeviceId([7; 32]), new.public(), signature, proof, &alice) => Error::UnknownDevice);
    alice.status = Status::Revoked;
    refused!(data.rotate_device_key(&THIS, ROTATED_AT, PU1, new.public(), signature, proof, &alice) => Error::OwnerNotActive);
    alice.status = Status::Active;

    assert!(matches!(
        data.rotate_device_key(
            &THIS,
            ROTATED_AT,
            PU1,
            new.public(),
            signature,
            proof,
            &alice
        ),
        Ok(Event::DeviceKeyRotated(_))
    ));
    let record = data.device(PU1).unwrap();
    assert_eq!(
        (record.keys, record.nonce, record.key_version),
        (new.public(), 1, 1)
    );
    // The exact same call again: the nonce moved on.
    refused!(data.rotate_device_key(&THIS, ROTATED_AT, PU1, new.public(), signature, proof, &alice) => Error::InvalidOwnerSignature);
    assert_eq!(
        data.verify_device_key(PU1, pu1_keys.signing_public(), &alice),
        Ok(false)
    );
    // Replay: back to the old keys with the statements signed for nonce 0.
    let back = payload::device_key_rotation(&THIS, &PU1, 0, &pu1_keys.public());
    refused!(data.rotate_device_key(&THIS, ROTATED_AT, PU1, pu1_keys.public(), alice_keys.sign(&back), possession(&pu1_keys, PU1, ALICE, 0), &alice) => Error::InvalidOwnerSignature);
    // The owner's rotation statement for nonce 1 with the device's nonce-0 proof.
    let back = payload::device_key_rotation(&THIS, &PU1, 1, &pu1_keys.public());
    refused!(data.rotate_device_key(&THIS, ROTATED_AT, PU1, pu1_keys.public(), alice_keys.sign(&back), possession(&pu1_keys, PU1, ALICE, 0), &alice) => Error::InvalidDeviceSignature);
}

#[ink::test]
fn transfer_needs_both_owners() {
    let World {
        mut data,
        alice_keys,
        alice,
        bob_keys,
        mut bob,
        ..
    } = world();
    let statement = payload::device_transfer(&THIS, &PU1, 0, &ALICE, &BOB);
    let (from_sig, to_sig) = (alice_keys.sign(&statement), bob_keys.sign(&statement));
    refused!(data.transfer_device(&THIS, PU1, ALICE, from_sig, to_sig, &alice, &alice) => Error::SameOwner);
    refused!(data.transfer_device(&THIS, PU1, BOB, to_sig, to_sig, &alice, &bob) => Error::InvalidOwnerSignature);
    refused!(data.transfer_device(&THIS, PU1, BOB, from_sig, from_sig, &alice, &bob) => Error::InvalidNewOwnerSignature);
    bob.status = Status::Suspended;
    refused!(data.transfer_device(&THIS, PU1, BOB, from_sig, to_sig, &alice, &bob) => Error::OwnerNotActive);
    bob.status = Status::Active;

    // A second device so the swap-remove of the owner's list is exercised.
    let cam2 = DeviceId([3; 32]);
    data.register_device(
        account(ISP),
        &THIS,
        0,
        registration(
            cam2,
            DeviceKind::Ipu,
            ALICE,
            &alice_keys,
            &KeyPair::generate(),
        ),
        &alice,
    )
    .unwrap();
    let event = data
        .transfer_device(&THIS, PU1, BOB, from_sig, to_sig, &alice, &bob)
        .unwrap();
    assert!(matches!(event, Event::DeviceTransferred(ref e) if e.from == ALICE && e.to == BOB));
    assert_eq!(
        (data.devices_of(ALICE, 0, 50), data.devices_of(BOB, 0, 50)),
        (vec![cam2], vec![PU1])
    );
    assert_eq!(data.device(PU1).unwrap().owner, BOB);
    // The moved device's list position was fixed: transferring it away empties Alice's list.
    let statement = payload::device_transfer(&THIS, &cam2, 0, &ALICE, &BOB);
    data.transfer_device(
        &THIS,
        cam2,
        BOB,
        alice_keys.sign(&statement),
        bob_keys.sign(&statement),
        &alice,
        &bob,
    )
    .unwrap();
    assert_eq!(data.device_count(ALICE), 0);
    assert_eq!(data.devices_of(BOB, 0, 50), vec![PU1, cam2]);
    // Replay of the used transfer statement (nonce 0) back is refused.
    refused!(data.transfer_device(&THIS, PU1, ALICE, from_sig, to_sig, &bob, &alice) => Error::InvalidOwnerSignature);
}

#[ink::test]
fn status_lifecycle_and_inactive_devices() {
    let World {
        mut data,
        alice_keys,
        alice,
        pu1_keys,
        ..
    } = world();
    let (stranger, owner, isp) = (
        account(0xee),
        Some(Suspender::Owner),
        Some(Suspender::Registrar),
    );
    refused!(data.change_status(stranger, None, &alice, PU1, Status::Suspended, reason::DEVICE_LOST) => Error::NotAuthorized);
    refused!(data.change_status(account(0xa0), owner, &alice, PU1, Status::Active, reason::RESOLVED) => Error::StatusUnchanged);
    refused!(data.change_status(account(0xa0), owner, &alice, DeviceId([7; 32]), Status::Suspended, 0) => Error::UnknownDevice);
    data.change_status(
        account(0xa0),
        owner,
        &alice,
        PU1,
        Status::Suspended,
        reason::DEVICE_LOST,
    )
    .unwrap();
    assert_eq!(
        data.verify_device_key(PU1, pu1_keys.signing_public(), &alice),
        Ok(false)
    );

    let new = KeyPair::generate();
    let statement = payload::device_key_rotation(&THIS, &PU1, 0, &new.public());
    refused!(data.rotate_device_key(&THIS, ROTATED_AT, PU1, new.public(), alice_keys.sign(&statement), possession(&new, PU1, ALICE, 0), &alice) => Error::DeviceNotActive);

    // The owner's suspension is the owner's to lift, and the registrar's the registrar's.
    refused!(data.change_status(account(ISP), isp, &alice, PU1, Status::Active, reason::RESOLVED) => Error::NotSuspender);
    data.change_status(
        account(0xa0),
        owner,
        &alice,
        PU1,
        Status::Active,
        reason::RESOLVED,
    )
    .unwrap();
    data.change_status(
        account(ISP),
        isp,
        &alice,
        PU1,
        Status::Suspended,
        reason::KEY_COMPROMISE,
    )
    .unwrap();
    assert_eq!(data.device(PU1).unwrap().suspended_by, isp);
    refused!(data.change_status(account(0xa0), owner, &alice, PU1, Status::Active, reason::RESOLVED) => Error::NotSuspender);
    data.change_status(
        account(ISP),
        isp,
        &alice,
        PU1,
        Status::Active,
        reason::RESOLVED,
    )
    .unwrap();
    data.change_status(
        account(ISP),
        isp,
        &alice,
        PU1,
        Status::Revoked,
        reason::KEY_COMPROMISE,
    )
    .unwrap();
    refused!(data.change_status(account(ISP), isp, &alice, PU1, Status::Active, reason::RESOLVED) => Error::DeviceRevoked);
}

#[ink::test]
fn pages_are_capped() {
    let World {
        mut data,
        alice_keys,
        alice,
        ..
    } = world();
    for i in 0..60u8 {
        let id = DeviceId([i.wrapping_add(100); 32]);
        data.register_device(
            account(ISP),
            &THIS,
            0,
            registration(id, DeviceKind::Cu, ALICE, &alice_keys, &KeyPair::generate()),
            &alice,
        )
        .unwrap();
    }
    assert_eq!(data.device_count(ALICE), 61);
    assert_eq!(
        data.devices_of(ALICE, 0, 1000).len(),
        crate::MAX_PAGE as usize
    );
    assert_eq!(data.devices_of(ALICE, 50, 50).len(), 11);
    assert_eq!(data.devices_of(ALICE, 70, 5).len(), 0);
}

#[ink::test]
fn contract_queries() {
    let registry = DeviceRegistry::new(account(0x1d));
    assert_eq!(registry.identity_registry(), account(0x1d));
    assert_eq!(registry.version(), 1);
    assert_eq!(registry.device(PU1), Err(Error::UnknownDevice));
    assert_eq!(registry.device_keys(PU1), Err(Error::UnknownDevice));
    assert_eq!(registry.key_at(PU1, 0), Err(Error::UnknownDevice));
    assert_eq!(registry.key_history(PU1, 0, 1), Err(Error::UnknownDevice));
    assert_eq!(
        registry.verify_device_key(PU1, KeyPair::generate().signing_public()),
        Err(Error::UnknownDevice)
    );
    assert_eq!(
        (
            registry.devices_of(ALICE, 0, 10),
            registry.device_count(ALICE)
        ),
        (vec![], 0)
    );
}

#[ink::test]
fn only_the_owner_links_an_active_device_to_its_divs_entry() {
    let World {
        mut data,
        mut alice,
        pu1_keys,
        ..
    } = world();
    let link = DivsLink {
        ledger: account(0xd1),
        tx_id: TxId(7),
    };
    let entry = Some(divs_entry(
        TxId(7),
        pu1_keys.signing_public(),
        EntryKind::Registration,
        true,
    ));
    refused!(data.link_divs(false, &alice, PU1, link, (entry, entry)) => Error::NotAuthorized);
    refused!(data.link_divs(true, &alice, DeviceId([0xee; 32]), link, (entry, entry)) => Error::UnknownDevice);
    alice.status = Status::Suspended;
    refused!(data.link_divs(true, &alice, PU1, link, (entry, entry)) => Error::OwnerNotActive);
    alice.status = Status::Active;
    let event = data
        .link_divs(true, &alice, PU1, link, (entry, entry))
        .unwrap();
    assert!(matches!(event, Event::DeviceDivsLinked(ref e) if e.device == PU1));
    assert_eq!(data.device(PU1).unwrap().divs, Some(link));
    assert_eq!(data.key_at(PU1, REGISTERED_AT).unwrap().divs, Some(link));
    data.change_status(
        account(ISP),
        Some(Suspender::Registrar),
        &alice,
        PU1,
        Status::Suspended,
        reason::DEVICE_LOST,
    )
    .unwrap();
    refused!(data.link_divs(true, &alice, PU1, link, (entry, entry)) => Error::DeviceNotActive);
    // A suspended owner may suspend her device but not bring it back.
    let owner = Some(Suspender::Owner);
    data.change_status(account(0xa0), owner, &alice, PU1, Status::Active, 0)
        .unwrap_err();
    data.change_status(
        account(ISP),
        Some(Suspender::Registrar),
        &alice,
        PU1,
        Status::Active,
        0,
    )
    .unwrap();
    data.change_status(account(0xa0), owner, &alice, PU1, Status::Suspended, 0)
        .unwrap();
    alice.status = Status::Suspended;
    refused!(data.change_status(account(0xa0), owner, &alice, PU1, Status::Active, reason::RESOLVED) => Error::OwnerNotActive);
    data.change_status(
        account(0xa0),
        owner,
        &alice,
        PU1,
        Status::Revoked,
        reason::DEVICE_LOST,
    )
    .unwrap();
}

/// Rotates PU1 to fresh keys at block time `now`, signed by Alice and by the new key at the
/// record's nonce; returns the new keys.
fn rotate(
    data: &mut DeviceData,
    alice_keys: &KeyPair,
    alice: &UserRecord,
    now: Timestamp,
) -> KeyPair {
    let new = KeyPair::generate();
    let nonce = data.device(PU1).unwrap().nonce;
    let statement = payload::device_key_rotation(&THIS, &PU1, nonce, &new.public());
    let event = data
        .rotate_device_key(
            &THIS,
            now,
            PU1,
            new.public(),
            alice_keys.sign(&statement),
            possession(&new, PU1, ALICE, nonce),
            alice,
        )
        .unwrap();
    assert!(
        matches!(event, Event::DeviceKeyRotated(ref e) if e.device == PU1 && e.keys == new.public())
    );
    new
}

#[ink::test]
fn key_history_answers_which_device_key_was_valid_when() {
    let World {
        mut data,
        alice_keys,
        alice,
        pu1_keys,
        ..
    } = world();
    // Rotations at 100, twice at 200 (in one block) and at 300.
    let k1 = rotate(&mut data, &alice_keys, &alice, 100);
    let k2 = rotate(&mut data, &alice_keys, &alice, 200);
    let k3 = rotate(&mut data, &alice_keys, &alice, 200);
    let k4 = rotate(&mut data, &alice_keys, &alice, 300);
    let at = |t| data.key_at(PU1, t).map(|epoch| epoch.keys);
    assert_eq!(at(REGISTERED_AT - 1), Err(Error::NoKeyAtTime));
    assert_eq!(at(REGISTERED_AT), Ok(pu1_keys.public()));
    assert_eq!(at(99), Ok(pu1_keys.public()));
    assert_eq!(at(100), Ok(k1.public()));
    assert_eq!(at(199), Ok(k1.public()));
    // k2 was current for no time: the block's last rotation holds from the block on.
    assert_eq!(at(200), Ok(k3.public()));
    assert_eq!(at(299), Ok(k3.public()));
    assert_eq!(at(300), Ok(k4.public()));
    assert_eq!(at(u64::MAX), Ok(k4.public()));
    let spans: Vec<_> = data
        .key_history(PU1, 0, 100)
        .unwrap()
        .iter()
        .map(|epoch| (epoch.keys, epoch.valid_from, epoch.valid_until))
        .collect();
    assert_eq!(
        spans,
        vec![
            (pu1_keys.public(), REGISTERED_AT, Some(100)),
            (k1.public(), 100, Some(200)),
            (k2.public(), 200, Some(200)),
            (k3.public(), 200, Some(300)),
            (k4.public(), 300, None),
        ]
    );
    assert_eq!(data.device(PU1).unwrap().key_version, 4);
    assert_eq!(
        data.key_history(PU1, 3, 1).map(|page| page[0].keys),
        Ok(k3.public())
    );
    assert_eq!(data.key_history(PU1, 9, 1), Ok(vec![]));
    let unknown = DeviceId([7; 32]);
    assert_eq!(data.key_history(unknown, 0, 1), Err(Error::UnknownDevice));
    assert_eq!(data.key_at(unknown, 0), Err(Error::UnknownDevice));
}

#[ink::test]
fn key_history_pages_are_capped() {
    let World {
        mut data,
        alice_keys,
        alice,
        ..
    } = world();
    for now in 0..crate::MAX_PAGE {
        rotate(&mut data, &alice_keys, &alice, ROTATED_AT + u64::from(now));
    }
    let page = data.key_history(PU1, 0, u32::MAX).unwrap();
    assert_eq!(page.len(), crate::MAX_PAGE as usize);
    assert_eq!(page[0].valid_from, REGISTERED_AT);
    assert_eq!(
        data.key_history(PU1, crate::MAX_PAGE, u32::MAX)
            .unwrap()
            .len(),
        1
    );
}

#[ink::test]
fn a_device_or_owner_out_of_service_verifies_nothing() {
    let World {
        mut data,
        mut alice,
        pu1_keys,
        ..
    } = world();
    let key = pu1_keys.signing_public();
    let message: &[u8] = b"capture attestation";
    let signature = pu1_keys.sign(message);
    let answers = |data: &DeviceData, alice: &UserRecord| {
        (
            data.verify_device_key(PU1, key, alice),
            data.signed_by(PU1, message, &signature, alice),
        )
    };
    assert_eq!(answers(&data, &alice), (Ok(true), Ok(true)));
    let forged = KeyPair::generate().sign(message);
    assert_eq!(data.signed_by(PU1, message, &forged, &alice), Ok(false));
    for status in [Status::Suspended, Status::Revoked] {
        alice.status = status;
        let before = snapshot(&data);
        assert_eq!(answers(&data, &alice), (Ok(false), Ok(false)), "{status:?}");
        assert_eq!(snapshot(&data), before);
    }
    alice.status = Status::Active;
    data.change_status(
        account(0xa0),
        Some(Suspender::Owner),
        &alice,
        PU1,
        Status::Suspended,
        reason::DEVICE_LOST,
    )
    .unwrap();
    assert_eq!(answers(&data, &alice), (Ok(false), Ok(false)));
    assert_eq!(
        data.signed_by(DeviceId([7; 32]), message, &signature, &alice),
        Err(Error::UnknownDevice)
    );
}

#[ink::test]
fn a_link_must_name_a_verified_registration_of_the_current_key() {
    let World {
        mut data,
        alice_keys,
        alice,
        pu1_keys,
        ..
    } = world();
    let key = pu1_keys.signing_public();
    let link = DivsLink {
        ledger: account(0xd1),
        tx_id: TxId(7),
    };
    let registration = |key| Some(divs_entry(TxId(7), key, EntryKind::Registration, true));
    refused!(data.link_divs(true, &alice, PU1, link, (None, None)) => Error::UnknownDivsEntry);
    for kind in [
        EntryKind::StatusUpdate,
        EntryKind::Termination,
        EntryKind::BindingChange,
        EntryKind::OwnershipChange,
    ] {
        let update = Some(divs_entry(TxId(7), key, kind, true));
        refused!(data.link_divs(true, &alice, PU1, link, (update, update)) => Error::NotADivsRegistration);
    }
    let batched = Some(divs_entry(TxId(7), key, EntryKind::Registration, false));
    refused!(data.link_divs(true, &alice, PU1, link, (batched, batched)) => Error::DivsEntryNotVerified);
    let other = KeyPair::generate().signing_public();
    refused!(data.link_divs(true, &alice, PU1, link, (registration(other), registration(other))) => Error::DivsKeyMismatch);
    // Its UE's latest entry must be known, and a terminated UE is linked no more.
    refused!(data.link_divs(true, &alice, PU1, link, (registration(key), None)) => Error::UnknownDivsEntry);
    let mut terminated = divs_entry(TxId(8), key, EntryKind::Termination, true);
    terminated.status.state = AccountState::Terminated;
    refused!(data.link_divs(true, &alice, PU1, link, (registration(key), Some(terminated))) => Error::DivsUeTerminated);
    let mut suspended = divs_entry(TxId(8), key, EntryKind::StatusUpdate, true);
    suspended.status.state = AccountState::Suspended;
    data.link_divs(
        true,
        &alice,
        PU1,
        link,
        (registration(key), Some(suspended)),
    )
    .unwrap();

    // A rotation takes the link off the record; the old key's epoch keeps it.
    let new = rotate(&mut data, &alice_keys, &alice, ROTATED_AT);
    assert_eq!(data.device(PU1).unwrap().divs, None);
    assert_eq!(data.key_at(PU1, REGISTERED_AT).unwrap().divs, Some(link));
    assert_eq!(data.key_at(PU1, ROTATED_AT).unwrap().divs, None);
    // The old key's entry does not endorse the new key; the new key's own entry does.
    refused!(data.link_divs(true, &alice, PU1, link, (registration(key), registration(key))) => Error::DivsKeyMismatch);
    let relinked = DivsLink {
        ledger: account(0xd1),
        tx_id: TxId(9),
    };
    let entry = Some(divs_entry(
        TxId(9),
        new.signing_public(),
        EntryKind::Registration,
        true,
    ));
    data.link_divs(true, &alice, PU1, relinked, (entry, entry))
        .unwrap();
    let links: Vec<_> = data
        .key_history(PU1, 0, 2)
        .unwrap()
        .iter()
        .map(|epoch| epoch.divs)
        .collect();
    assert_eq!(links, vec![Some(link), Some(relinked)]);
}

#[ink::test]
fn a_signature_is_checked_under_the_key_valid_throughout_the_span() {
    let World {
        mut data,
        alice_keys,
        mut alice,
        pu1_keys,
        ..
    } = world();
    let message = b"captured".to_vec();
    let old_signature = pu1_keys.sign(&message);
    let new = rotate(&mut data, &alice_keys, &alice, ROTATED_AT);
    let new_signature = new.sign(&message);
    let signed = |data: &DeviceData, (start, end), signature, owner: &UserRecord| {
        let span = TimeSpan { start, end };
        data.signed_during(PU1, &span, &message, signature, owner)
            .unwrap()
    };
    // Before registration and until the rotation: the registered key; from it: the new one.
    for span in [(0, 1), (0, REGISTERED_AT), (REGISTERED_AT, ROTATED_AT - 1)] {
        assert!(signed(&data, span, &old_signature, &alice), "{span:?}");
        assert!(!signed(&data, span, &new_signature, &alice), "{span:?}");
    }
    assert!(signed(
        &data,
        (ROTATED_AT, u64::MAX),
        &new_signature,
        &alice
    ));
    assert!(!signed(
        &data,
        (ROTATED_AT, ROTATED_AT),
        &old_signature,
        &alice
    ));
    // The retired key signs no span reaching its retirement, nor does the new key one
    // starting before it.
    for span in [(REGISTERED_AT, ROTATED_AT), (0, u64::MAX)] {
        assert!(!signed(&data, span, &old_signature, &alice), "{span:?}");
        assert!(!signed(&data, span, &new_signature, &alice), "{span:?}");
    }
    assert!(!data
        .signed_by(PU1, &message, &old_signature, &alice)
        .unwrap());
    // Nothing verifies while the owner is inactive, nor for an unknown device.
    alice.status = Status::Suspended;
    assert!(!signed(
        &data,
        (REGISTERED_AT, REGISTERED_AT),
        &old_signature,
        &alice
    ));
    let span = TimeSpan { start: 0, end: 0 };
    assert_eq!(
        data.signed_during(DeviceId([7; 32]), &span, &message, &old_signature, &alice),
        Err(Error::UnknownDevice)
    );
}
