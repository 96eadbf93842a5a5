//! `#[ink::test]` unit tests of the registry logic with owner records passed in (the
//! off-chain test environment cannot make the cross-contract calls; the drink e2e tests
//! cover those paths: NotRegistrar, UnknownOwner and the messages end to end).
//! Every refusal asserts the exact error and unchanged state.
use crate::data::{DeviceData, DeviceRegistration, Error, Event, Suspender};
use crate::DeviceRegistry;
use identity_registry::UserRecord;
use ink::primitives::AccountId;
use shared_types::{
    payload, reason, AccountBytes, DeviceId, DeviceKind, Ed25519Signature, KeySet, Status, UserId,
    X25519PublicKey,
};
use vssi_sdk::KeyPair;

const THIS: AccountBytes = [0xcc; 32];
const ALICE: UserId = UserId([0xa1; 32]);
const BOB: UserId = UserId([0xb0; 32]);
const PU1: DeviceId = DeviceId([0x01; 32]);

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
    let serial = vssi_sdk::commitment::serial_commitment(&[9; 32], b"SN-1");
    let keys = device_keys.public();
    DeviceRegistration {
        device,
        kind,
        owner,
        keys,
        serial,
        owner_signature: owner_keys.sign(&payload::device_registration(
            &THIS, &device, kind, &owner, &keys, &serial,
        )),
        device_signature: device_keys.sign(&payload::device_proof_of_possession(
            &THIS, &device, &owner, &keys, 0,
        )),
    }
}

/// `keys`' proof of possession for `device` of `owner` at `nonce`.
fn possession(keys: &KeyPair, device: DeviceId, owner: UserId, nonce: u32) -> Ed25519Signature {
    keys.sign(&payload::device_proof_of_possession(
        &THIS,
        &device,
        &owner,
        &keys.public(),
        nonce,
    ))
}

/// `keys` with the all-zero (small-order) X25519 key.
fn weak(keys: &KeyPair) -> KeySet {
    KeySet {
        signing: keys.signing_public(),
        encryption: X25519PublicKey([0; 32]),
    }
}

/// Everything a refused call must leave as it was.
#[derive(Debug, PartialEq)]
struct Snapshot {
    pu1: Result<crate::DeviceRecord, Error>,
    alice: Vec<DeviceId>,
    bob: Vec<DeviceId>,
}

fn snapshot(data: &DeviceData) -> Snapshot {
    Snapshot {
        pu1: data.device(PU1),
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
            42,
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
    assert_eq!(record.registered_at, 42);
    assert_eq!(w.data.devices_of(ALICE, 0, 10), vec![PU1]);
    assert_eq!(
        w.data.verify_device_key(PU1, w.pu1_keys.signing_public()),
        Ok(true)
    );
    assert_eq!(
        w.data.verify_device_key(PU1, w.alice_keys.signing_public()),
        Ok(false)
    );
    assert_eq!(
        w.data
            .verify_device_key(DeviceId([7; 32]), w.pu1_keys.signing_public()),
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
    refused!(data.rotate_device_key(&THIS, PU1, new.public(), bob_keys.sign(&statement), proof, &alice) => Error::InvalidOwnerSignature);
    // Rotating to a key the device does not hold (its proof signed by another key).
    refused!(data.rotate_device_key(&THIS, PU1, new.public(), signature, possession(&pu1_keys, PU1, ALICE, 0), &alice) => Error::InvalidDeviceSignature);
    let same = payload::device_key_rotation(&THIS, &PU1, 0, &pu1_keys.public());
    refused!(data.rotate_device_key(&THIS, PU1, pu1_keys.public(), alice_keys.sign(&same), possession(&pu1_keys, PU1, ALICE, 0), &alice) => Error::KeyUnchanged);
    let weak_keys = weak(&new);
    let to_weak = payload::device_key_rotation(&THIS, &PU1, 0, &weak_keys);
    let weak_proof = new.sign(&payload::device_proof_of_possession(
        &THIS, &PU1, &ALICE, &weak_keys, 0,
    ));
    refused!(data.rotate_device_key(&THIS, PU1, weak_keys, alice_keys.sign(&to_weak), weak_proof, &alice) => Error::WeakEncryptionKey);
    refused!(data.rotate_device_key(&THIS, DeviceId([7; 32]), new.public(), signature, proof, &alice) => Error::UnknownDevice);
    alice.status = Status::Revoked;
    refused!(data.rotate_device_key(&THIS, PU1, new.public(), signature, proof, &alice) => Error::OwnerNotActive);
    alice.status = Status::Active;

    assert!(matches!(
        data.rotate_device_key(&THIS, PU1, new.public(), signature, proof, &alice),
        Ok(Event::DeviceKeyRotated(_))
    ));
    let record = data.device(PU1).unwrap();
    assert_eq!((record.keys, record.nonce), (new.public(), 1));
    // The exact same call again: the nonce moved on.
    refused!(data.rotate_device_key(&THIS, PU1, new.public(), signature, proof, &alice) => Error::InvalidOwnerSignature);
    assert_eq!(
        data.verify_device_key(PU1, pu1_keys.signing_public()),
        Ok(false)
    );
    // Replay: back to the old keys with the statements signed for nonce 0.
    let back = payload::device_key_rotation(&THIS, &PU1, 0, &pu1_keys.public());
    refused!(data.rotate_device_key(&THIS, PU1, pu1_keys.public(), alice_keys.sign(&back), possession(&pu1_keys, PU1, ALICE, 0), &alice) => Error::InvalidOwnerSignature);
    // The owner's rotation statement for nonce 1 with the device's nonce-0 proof.
    let back = payload::device_key_rotation(&THIS, &PU1, 1, &pu1_keys.public());
    refused!(data.rotate_device_key(&THIS, PU1, pu1_keys.public(), alice_keys.sign(&back), possession(&pu1_keys, PU1, ALICE, 0), &alice) => Error::InvalidDeviceSignature);
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
        data.verify_device_key(PU1, pu1_keys.signing_public()),
        Ok(false)
    );

    let new = KeyPair::generate();
    let statement = payload::device_key_rotation(&THIS, &PU1, 0, &new.public());
    refused!(data.rotate_device_key(&THIS, PU1, new.public(), alice_keys.sign(&statement), possession(&new, PU1, ALICE, 0), &alice) => Error::DeviceNotActive);

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
        ..
    } = world();
    let link = crate::DivsLink {
        ledger: account(0xd1),
        tx_id: 7,
    };
    refused!(data.link_divs(false, &alice, PU1, link) => Error::NotAuthorized);
    refused!(data.link_divs(true, &alice, DeviceId([0xee; 32]), link) => Error::UnknownDevice);
    alice.status = Status::Suspended;
    refused!(data.link_divs(true, &alice, PU1, link) => Error::OwnerNotActive);
    alice.status = Status::Active;
    let event = data.link_divs(true, &alice, PU1, link).unwrap();
    assert!(matches!(event, Event::DeviceDivsLinked(ref e) if e.device == PU1));
    assert_eq!(data.device(PU1).unwrap().divs, Some(link));
    data.change_status(
        account(ISP),
        Some(Suspender::Registrar),
        &alice,
        PU1,
        Status::Suspended,
        reason::DEVICE_LOST,
    )
    .unwrap();
    refused!(data.link_divs(true, &alice, PU1, link) => Error::DeviceNotActive);
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
