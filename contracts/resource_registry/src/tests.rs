//! `#[ink::test]` unit tests of the registry logic with the device and user records passed
//! in (the off-chain environment cannot make cross-contract calls; the drink e2e flows run
//! the messages end to end). Every refusal asserts the exact error and unchanged state.
use crate::data::{
    sha256, Error, Event, ProviderFault, ResourceData, ResourceRegistration, VerificationRecorded,
};
use contract_fixtures::{account, assert_refused, device, hand_over, user};
use interfaces::device::DeviceRecord;
use interfaces::identity::UserRecord;
use shared_types::{
    reason, AccountBytes, Classification, DeviceId, DeviceKind, HashAlgorithm, Multihash,
    ResourceContent, ResourceId, SegmentTree, Status, TimeSpan, UserId,
};
use vssi_sdk::{requests, KeyPair, KnownKeys};

const THIS: AccountBytes = [0xcc; 32];
const DEVICES: u8 = 0xde;
const ALICE: UserId = UserId([0xa1; 32]);
const BOB: UserId = UserId([0xb0; 32]);
const PU1: DeviceId = DeviceId([0x01; 32]);
const PU2: DeviceId = DeviceId([0x02; 32]);
const ADMIN: u8 = 0xad;
const CLOUD: u8 = 0xc1;
const ALICE_ACCOUNT: u8 = 0xa0;
const BOB_ACCOUNT: u8 = 0xb1;

fn multihash(file: &[u8]) -> Multihash {
    Multihash::wrap(HashAlgorithm::Sha2_256, &sha256(file)).unwrap()
}

struct World {
    data: ResourceData,
    keys: KnownKeys,
    alice_keys: KeyPair,
    alice: UserRecord,
    bob_keys: KeyPair,
    bob: UserRecord,
    pu1_keys: KeyPair,
    pu1: DeviceRecord,
    pu2_keys: KeyPair,
    pu2: DeviceRecord,
}

/// Alice (account 0xa0) owns PU1, Bob (0xb1) PU2; the cloud store 0xc1 is a provider;
/// threshold 2.
fn world() -> World {
    let mut data = ResourceData::new(account(ADMIN), account(DEVICES), account(0x1d), 2).unwrap();
    data.register_provider(account(ADMIN), 1, account(CLOUD))
        .unwrap();
    let (alice_keys, bob_keys, pu1_keys, pu2_keys) = (
        KeyPair::generate(),
        KeyPair::generate(),
        KeyPair::generate(),
        KeyPair::generate(),
    );
    World {
        data,
        keys: KnownKeys::default()
            .user(ALICE, alice_keys.signing_public())
            .user(BOB, bob_keys.signing_public())
            .device(PU1, pu1_keys.signing_public())
            .device(PU2, pu2_keys.signing_public()),
        alice: user(alice_keys.public(), ALICE_ACCOUNT),
        bob: user(bob_keys.public(), BOB_ACCOUNT),
        pu1: device(ALICE, DeviceKind::Pu, pu1_keys.public()),
        pu2: device(BOB, DeviceKind::Pu, pu2_keys.public()),
        alice_keys,
        bob_keys,
        pu1_keys,
        pu2_keys,
    }
}

/// A general resource of 1000 bytes in 4 segments, to be written by the cloud store with
/// Alice's signature and PU1's capture attestation.
fn upload(w: &World, file: &[u8]) -> ResourceRegistration {
    upload_by(ALICE, &w.alice_keys, PU1, &w.pu1_keys, file)
}

/// [`upload`] for `owner`'s camera `pu`.
fn upload_by(
    owner: UserId,
    owner_keys: &KeyPair,
    pu: DeviceId,
    pu_keys: &KeyPair,
    file: &[u8],
) -> ResourceRegistration {
    let content = ResourceContent {
        multihash: multihash(file),
        classification: Classification::General,
        size: 1000,
        capture: TimeSpan { start: 10, end: 20 },
        segments: Some(SegmentTree {
            root: [3; 32],
            segment_size: 256,
            segments: 4,
        }),
    };
    let resource = ResourceId::derive(&pu, &content.multihash, sha256);
    let cloud = account(CLOUD);
    let unsigned = ResourceRegistration {
        resource,
        owner,
        pu,
        provider: Some(cloud),
        location: b"s3://cloud/alice/0001".to_vec(),
        owner_signature: None,
        pu_signature: None,
        content,
    };
    let signed = requests::with_owner_signature(unsigned, &THIS, cloud.as_ref(), owner_keys);
    requests::with_capture_attestation(signed, &[DEVICES; 32], pu_keys)
}

/// The world with "encrypted video" registered for Alice by the cloud store.
fn world_with_video() -> (World, ResourceId) {
    let mut w = world();
    let r = upload(&w, b"encrypted video");
    let id = r.resource;
    let (pu1, alice) = (w.pu1.clone(), w.alice.clone());
    w.data
        .register_resource(account(CLOUD), &THIS, 30, r, &pu1, &alice, &w.keys)
        .unwrap();
    (w, id)
}

#[derive(Debug, PartialEq)]
struct Snapshot {
    resources: Vec<ResourceId>,
    by_pu: Vec<ResourceId>,
    cloud: Result<crate::ProviderRecord, Error>,
    admin: admin_role::AdminRole,
}

fn snapshot(data: &ResourceData) -> Snapshot {
    Snapshot {
        resources: data.resources_of(ALICE, 0, 50),
        by_pu: data.resources_by_pu(PU1, 0, 50),
        cloud: data.provider(account(CLOUD)),
        admin: data.admin.role(),
    }
}

#[ink::test]
fn the_cloud_store_registers_for_alice_and_the_catalogue_lists_it() {
    let mut w = world();
    let r = upload(&w, b"encrypted video");
    let id = r.resource;
    let event = w
        .data
        .register_resource(account(CLOUD), &THIS, 30, r, &w.pu1, &w.alice, &w.keys)
        .unwrap();
    assert!(
        matches!(event, Event::ResourceRegistered(ref e) if e.resource == id && e.owner == ALICE && e.pu == PU1)
    );
    let record = w.data.resource(id).unwrap();
    assert_eq!(record.registered_by, account(CLOUD));
    assert_eq!(record.location, b"s3://cloud/alice/0001".to_vec());
    assert_eq!(w.data.resources_of(ALICE, 0, 10), vec![id]);
    assert_eq!(w.data.resources_by_pu(PU1, 0, 10), vec![id]);
    assert_eq!(w.data.counts(ALICE, PU1), (1, 1));
    assert_eq!(w.data.resources_of(ALICE, 1, 10), vec![]);
}

#[ink::test]
fn the_owner_registers_directly_without_signatures() {
    let mut w = world();
    let mut r = upload(&w, b"encrypted video");
    (r.owner_signature, r.pu_signature, r.provider) = (None, None, None);
    let id = r.resource;
    w.data
        .register_resource(
            account(ALICE_ACCOUNT),
            &THIS,
            30,
            r,
            &w.pu1,
            &w.alice,
            &w.keys,
        )
        .unwrap();
    assert_eq!(w.data.resource(id).unwrap().provider, None);
}

#[ink::test]
fn bad_registrations_are_refused_with_state_unchanged() {
    let mut w = world();
    let (pu1, alice) = (w.pu1.clone(), w.alice.clone());
    let cloud = account(CLOUD);
    let good = upload(&w, b"encrypted video");

    let mut r = good.clone();
    r.resource = ResourceId([0; 32]);
    assert_refused!(snapshot, w.data, w.data.register_resource(cloud, &THIS, 30, r, &pu1, &alice, &w.keys) => Error::ResourceIdMismatch);

    let mut r = good.clone();
    r.location = vec![b'x'; crate::MAX_LOCATION_LEN + 1];
    assert_refused!(snapshot, w.data, w.data.register_resource(cloud, &THIS, 30, r, &pu1, &alice, &w.keys) => Error::LocationTooLong);

    let mut r = good.clone();
    r.content.capture = TimeSpan { start: 20, end: 10 };
    assert_refused!(snapshot, w.data, w.data.register_resource(cloud, &THIS, 30, r, &pu1, &alice, &w.keys) => Error::InvalidCaptureSpan);

    let mut r = good.clone();
    r.content.size = 0;
    assert_refused!(snapshot, w.data, w.data.register_resource(cloud, &THIS, 30, r, &pu1, &alice, &w.keys) => Error::EmptyResource);

    let mut r = good.clone();
    r.content.segments = Some(SegmentTree {
        root: [0; 32],
        segment_size: 256,
        segments: 5,
    });
    assert_refused!(snapshot, w.data, w.data.register_resource(cloud, &THIS, 30, r, &pu1, &alice, &w.keys) => Error::InvalidSegmentTree);
    let mut r = good.clone();
    r.content.segments = Some(SegmentTree {
        root: [0; 32],
        segment_size: 0,
        segments: 0,
    });
    assert_refused!(snapshot, w.data, w.data.register_resource(cloud, &THIS, 30, r, &pu1, &alice, &w.keys) => Error::InvalidSegmentTree);

    let bobs_pu = device(BOB, DeviceKind::Pu, w.pu1_keys.public());
    assert_refused!(snapshot, w.data, w.data.register_resource(cloud, &THIS, 30, good.clone(), &bobs_pu, &alice, &w.keys) => Error::DeviceNotOwned);
    let mut suspended_pu = pu1.clone();
    suspended_pu.status = Status::Suspended;
    assert_refused!(snapshot, w.data, w.data.register_resource(cloud, &THIS, 30, good.clone(), &suspended_pu, &alice, &w.keys) => Error::DeviceNotActive);
    let viewer = device(ALICE, DeviceKind::Cu, w.pu1_keys.public());
    assert_refused!(snapshot, w.data, w.data.register_resource(cloud, &THIS, 30, good.clone(), &viewer, &alice, &w.keys) => Error::NotASourceDevice);
    let private_db = device(ALICE, DeviceKind::PrivateDb, w.pu1_keys.public());
    assert_refused!(snapshot, w.data, w.data.register_resource(cloud, &THIS, 30, good.clone(), &private_db, &alice, &w.keys) => Error::NotASourceDevice);
    let mut suspended_alice = alice.clone();
    suspended_alice.status = Status::Suspended;
    assert_refused!(snapshot, w.data, w.data.register_resource(cloud, &THIS, 30, good.clone(), &pu1, &suspended_alice, &w.keys) => Error::UserNotActive);

    let mut r = good.clone();
    r.content.classification = Classification::Private;
    assert_refused!(snapshot, w.data, w.data.register_resource(cloud, &THIS, 30, r, &pu1, &alice, &w.keys) => Error::PrivateResourceWithProvider);

    assert_refused!(snapshot, w.data, w.data.register_resource(account(BOB_ACCOUNT), &THIS, 30, good.clone(), &pu1, &alice, &w.keys) => Error::NotAuthorized);
    let mut r = good.clone();
    r.provider = None;
    assert_refused!(snapshot, w.data, w.data.register_resource(cloud, &THIS, 30, r, &pu1, &alice, &w.keys) => Error::ProviderMismatch);
    let mut r = good.clone();
    r.owner_signature = None;
    assert_refused!(snapshot, w.data, w.data.register_resource(cloud, &THIS, 30, r, &pu1, &alice, &w.keys) => Error::InvalidOwnerSignature);
    // Alice's signature for this registry is no good for another instance.
    assert_refused!(snapshot, w.data, w.data.register_resource(cloud, &[0xdd; 32], 30, good.clone(), &pu1, &alice, &w.keys) => Error::InvalidOwnerSignature);
    let mut r = good.clone();
    r.pu_signature = r.owner_signature;
    assert_refused!(snapshot, w.data, w.data.register_resource(cloud, &THIS, 30, r, &pu1, &alice, &w.keys) => Error::InvalidPuSignature);
    let mut r = good.clone();
    r.provider = Some(account(0x99));
    assert_refused!(snapshot, w.data, w.data.register_resource(cloud, &THIS, 30, r, &pu1, &alice, &w.keys) => Error::UnknownProvider);

    w.data
        .register_resource(cloud, &THIS, 30, good.clone(), &pu1, &alice, &w.keys)
        .unwrap();
    let before = snapshot(&w.data);
    assert_eq!(
        w.data
            .register_resource(cloud, &THIS, 31, good, &pu1, &alice, &w.keys),
        Err(Error::ResourceExists)
    );
    assert_eq!(snapshot(&w.data), before);
}

#[ink::test]
fn private_video_comes_from_the_private_db_without_a_provider() {
    let mut w = world();
    let db = device(ALICE, DeviceKind::PrivateDb, w.pu1_keys.public());
    let mut r = upload(&w, b"private video");
    r.content.classification = Classification::Private;
    (r.provider, r.owner_signature, r.pu_signature, r.location) = (None, None, None, vec![]);
    r.resource = ResourceId::derive(&PU1, &r.content.multihash, sha256);
    w.data
        .register_resource(account(ALICE_ACCOUNT), &THIS, 30, r, &db, &w.alice, &w.keys)
        .unwrap();
}

#[ink::test]
fn the_owner_may_sign_her_own_upload_and_the_record_keeps_the_signature() {
    let mut w = world();
    let (pu1, alice, alice_account) = (w.pu1.clone(), w.alice.clone(), account(ALICE_ACCOUNT));
    let mut r = upload(&w, b"encrypted video");
    r.provider = None;
    // The cloud store's statement does not name Alice's account as the writer.
    assert_refused!(snapshot, w.data, w.data.register_resource(alice_account, &THIS, 30, r.clone(), &pu1, &alice, &w.keys) => Error::InvalidOwnerSignature);
    let r = requests::with_owner_signature(r, &THIS, alice_account.as_ref(), &w.alice_keys);
    let (id, signature) = (r.resource, r.owner_signature);
    w.data
        .register_resource(alice_account, &THIS, 30, r, &pu1, &alice, &w.keys)
        .unwrap();
    let record = w.data.resource(id).unwrap();
    assert_eq!(
        (record.owner_signature, record.registered_by),
        (signature, alice_account)
    );
}

#[ink::test]
fn any_account_records_a_comparison_without_changing_state() {
    let (w, id) = world_with_video();
    let stranger = account(0x77);
    for (copy, expected) in [(&b"encrypted video"[..], true), (b"tampered video", false)] {
        let before = snapshot(&w.data);
        let (matched, event) = w
            .data
            .record_verification(stranger, id, &multihash(copy))
            .unwrap();
        assert_eq!(matched, expected);
        assert_eq!(
            event,
            Event::VerificationRecorded(VerificationRecorded {
                resource: id,
                verifier: stranger,
                matched: expected,
            })
        );
        assert_eq!(snapshot(&w.data), before);
    }
    assert_eq!(w.data.provider(account(CLOUD)).unwrap().faults, 0);
}

#[ink::test]
fn fault_reports_count_distinct_owners_of_copies_the_provider_wrote_and_suspend_at_the_threshold() {
    let (mut w, id) = world_with_video();
    let (pu1, pu2, alice, bob) = (w.pu1.clone(), w.pu2.clone(), w.alice.clone(), w.bob.clone());
    let cloud = account(CLOUD);
    let second = upload(&w, b"second video");
    let second_id = second.resource;
    w.data
        .register_resource(cloud, &THIS, 31, second, &pu1, &alice, &w.keys)
        .unwrap();
    let bobs = upload_by(BOB, &w.bob_keys, PU2, &w.pu2_keys, b"bob's video");
    let bobs_id = bobs.resource;
    w.data
        .register_resource(cloud, &THIS, 32, bobs, &pu2, &bob, &w.keys)
        .unwrap();
    let tampered = multihash(b"tampered video");
    let events = w
        .data
        .report_fault(account(ALICE_ACCOUNT), id, ALICE, &alice, &tampered)
        .unwrap();
    assert_eq!(
        events,
        [Event::ProviderFault(ProviderFault {
            provider: cloud,
            resource: id,
            reporter: ALICE,
            faults: 1,
        })]
    );
    // Alice again, on the same copy or another one at this store: one reporter, one fault.
    assert_refused!(snapshot, w.data, w.data.report_fault(account(ALICE_ACCOUNT), id, ALICE, &alice, &tampered) => Error::AlreadyReported);
    assert_refused!(snapshot, w.data, w.data.report_fault(account(ALICE_ACCOUNT), second_id, ALICE, &alice, &tampered) => Error::AlreadyReported);
    // Bob's report on his own copy is the second fault: the threshold suspends the provider.
    let events = w
        .data
        .report_fault(account(BOB_ACCOUNT), bobs_id, BOB, &bob, &tampered)
        .unwrap();
    assert!(
        matches!(events[1], Event::ProviderStatusChanged(ref s) if s.status == Status::Suspended && s.reason == reason::FAULT_THRESHOLD)
    );
    assert_eq!(w.data.provider(cloud).unwrap().faults, 2);

    // A suspended provider may not register.
    let r = upload(&w, b"another video");
    assert_refused!(snapshot, w.data, w.data.register_resource(cloud, &THIS, 40, r, &pu1, &alice, &w.keys) => Error::ProviderSuspended);
    w.data
        .set_provider_status(account(ADMIN), cloud, Status::Active, reason::RESOLVED)
        .unwrap();
    let provider = w.data.provider(cloud).unwrap();
    assert_eq!((provider.faults, provider.round), (0, 1));
    // After the reactivation Alice's report counts again.
    let events = w
        .data
        .report_fault(account(ALICE_ACCOUNT), second_id, ALICE, &alice, &tampered)
        .unwrap();
    assert!(matches!(events[..], [Event::ProviderFault(ref f)] if f.faults == 1));
}

#[ink::test]
fn faults_count_only_from_the_owner_for_a_copy_the_provider_wrote() {
    let (mut w, id) = world_with_video();
    let (pu1, alice, bob) = (w.pu1.clone(), w.alice.clone(), w.bob.clone());
    let bad = multihash(b"tampered video");
    // Bob was never served Alice's copy as far as this registry knows.
    assert_refused!(snapshot, w.data, w.data.report_fault(account(BOB_ACCOUNT), id, BOB, &bob, &bad) => Error::NotEntitled);
    // Alice names the cloud store in a record she writes herself: it never agreed to hold it.
    let mut r = upload(&w, b"claimed to be in the cloud");
    r.owner_signature = None;
    let claimed = r.resource;
    w.data
        .register_resource(account(ALICE_ACCOUNT), &THIS, 30, r, &pu1, &alice, &w.keys)
        .unwrap();
    assert_refused!(snapshot, w.data, w.data.report_fault(account(ALICE_ACCOUNT), claimed, ALICE, &alice, &bad) => Error::NotWrittenByProvider);
    assert_eq!(w.data.provider(account(CLOUD)).unwrap().faults, 0);
}

#[ink::test]
fn bad_verifications_and_provider_management_are_refused() {
    let (mut w, id) = world_with_video();
    let (pu1, alice, bob) = (w.pu1.clone(), w.alice.clone(), w.bob.clone());
    let (good, bad) = (multihash(b"encrypted video"), multihash(b"tampered video"));
    let other = Multihash::wrap(HashAlgorithm::Sha2_512, &[0; 64]).unwrap();
    assert_eq!(
        w.data
            .record_verification(account(BOB_ACCOUNT), id, &other)
            .err(),
        Some(Error::AlgorithmMismatch)
    );
    assert_eq!(
        w.data
            .record_verification(account(BOB_ACCOUNT), ResourceId([9; 32]), &good)
            .err(),
        Some(Error::UnknownResource)
    );
    assert_refused!(snapshot, w.data, w.data.report_fault(account(ALICE_ACCOUNT), id, BOB, &bob, &bad) => Error::NotController);
    let mut suspended = bob.clone();
    suspended.status = Status::Suspended;
    assert_refused!(snapshot, w.data, w.data.report_fault(account(BOB_ACCOUNT), id, BOB, &suspended, &bad) => Error::UserNotActive);
    assert_refused!(snapshot, w.data, w.data.report_fault(account(ALICE_ACCOUNT), id, ALICE, &alice, &other) => Error::AlgorithmMismatch);
    assert_refused!(snapshot, w.data, w.data.report_fault(account(ALICE_ACCOUNT), id, ALICE, &alice, &good) => Error::HashesMatch);
    assert_refused!(snapshot, w.data, w.data.report_fault(account(BOB_ACCOUNT), ResourceId([9; 32]), BOB, &bob, &bad) => Error::UnknownResource);
    // A resource the owner registered without a provider has no provider copy to fault.
    let r = upload(&w, b"kept at home");
    let (home, mut r) = (r.resource, r);
    r.provider = None;
    r.owner_signature = None;
    w.data
        .register_resource(account(ALICE_ACCOUNT), &THIS, 30, r, &pu1, &alice, &w.keys)
        .unwrap();
    assert_refused!(snapshot, w.data, w.data.report_fault(account(ALICE_ACCOUNT), home, ALICE, &alice, &bad) => Error::NoProviderCopy);

    assert_refused!(snapshot, w.data, w.data.register_provider(account(BOB_ACCOUNT), 5, account(0x77)) => Error::NotAdmin);
    assert_refused!(snapshot, w.data, w.data.register_provider(account(ADMIN), 5, account(CLOUD)) => Error::ProviderExists);
    assert_refused!(snapshot, w.data, w.data.set_provider_status(account(BOB_ACCOUNT), account(CLOUD), Status::Suspended, 0) => Error::NotAdmin);
    assert_refused!(snapshot, w.data, w.data.set_provider_status(account(ADMIN), account(CLOUD), Status::Active, 0) => Error::StatusUnchanged);
    assert_refused!(snapshot, w.data, w.data.set_provider_status(account(ADMIN), account(0x77), Status::Active, 0) => Error::UnknownProvider);
    assert_eq!(
        ResourceData::new(account(ADMIN), account(DEVICES), account(0x1d), 0).map(|_| ()),
        Err(Error::InvalidThreshold)
    );
}

#[ink::test]
fn a_handed_over_admin_role_manages_the_providers() {
    let mut w = world();
    let successor = account(0x5c);
    hand_over(&mut w.data.admin, account(ADMIN), successor);
    assert_refused!(snapshot, w.data, w.data.register_provider(account(ADMIN), 5, account(0x77)) => Error::NotAdmin);
    w.data
        .register_provider(successor, 5, account(0x77))
        .unwrap();
}
