//! `#[ink::test]` unit tests of the sharing logic with user, device and resource records
//! passed in and signatures checked by [`KnownKeys`] (the off-chain environment cannot make
//! cross-contract calls; the drink e2e flows run the messages end to end). Every refusal
//! asserts the exact error and unchanged state.
use crate::data::{
    ensure_acts_for, ensure_controls, sha256, Acceptance, GrantParties, PrivateParam, SharingData,
    TransferState, MAX_GRANT_DURATION, MAX_POLICY_RESOURCES,
};
use crate::{errors::Error, events::Event};
use contract_fixtures::{account, assert_refused, user};
use interfaces::identity::UserRecord;
use interfaces::resource::ResourceRecord;
use shared_types::{
    payload, AccountBytes, AgreementId, Classification, DeviceId, DeviceKind, GrantId,
    HashAlgorithm, Multihash, Permissions, PolicyId, PolicyTerms, Registries, ResourceContent,
    ResourceId, Status, TimeSpan, TransferId, UserId, Window,
};
use vssi_sdk::{KeyPair, KnownKeys};

const THIS: AccountBytes = [0x5c; 32];
const ALICE: UserId = UserId([0xa1; 32]);
const BOB: UserId = UserId([0xb0; 32]);
const ALICE_ACCOUNT: u8 = 0xa0;
const BOB_ACCOUNT: u8 = 0xb1;
const R1: ResourceId = ResourceId([0x71; 32]);
const R2: ResourceId = ResourceId([0x72; 32]);
const PU1: DeviceId = DeviceId([0x01; 32]);
const CU: DeviceId = DeviceId([0x0c; 32]);
const DB1: DeviceId = DeviceId([0xd1; 32]);
const DB2: DeviceId = DeviceId([0xd2; 32]);

fn device(owner: UserId, kind: DeviceKind) -> interfaces::device::DeviceRecord {
    contract_fixtures::device(owner, kind, KeyPair::generate().public())
}

fn multihash(file: &[u8]) -> Multihash {
    Multihash::wrap(HashAlgorithm::Sha2_256, &sha256(file)).unwrap()
}

fn resource(owner: UserId, pu: DeviceId, classification: Classification) -> ResourceRecord {
    ResourceRecord {
        owner,
        pu,
        content: ResourceContent {
            multihash: multihash(b"video"),
            classification,
            size: 1000,
            capture: TimeSpan {
                start: 0,
                end: 60_000,
            },
            segments: None,
        },
        provider: None,
        location: vec![],
        owner_signature: None,
        pu_signature: None,
        registered_by: account(ALICE_ACCOUNT),
        registered_at: 0,
    }
}

/// View and download of R1 and R2, capture seconds 10-30, during block time 1000-2000.
fn terms(price: u128) -> PolicyTerms {
    PolicyTerms {
        resources: vec![R1, R2],
        period: TimeSpan {
            start: 1000,
            end: 2000,
        },
        window: Some(Window::time(10_000, 30_000)),
        permissions: Permissions::VIEW.union(Permissions::DOWNLOAD),
        price,
        terms_hash: [0x7e; 32],
    }
}

struct World {
    data: SharingData,
    keys: KnownKeys,
    bob_keys: KeyPair,
    alice: UserRecord,
    bob: UserRecord,
    general: [ResourceRecord; 2],
}

/// Alice owns R1 and R2 (general) under policy 0 at version 1 (price 5).
fn world() -> World {
    let mut data = SharingData::new(Registries {
        identity: [3; 32],
        devices: [2; 32],
        resources: [1; 32],
    });
    let (alice_keys, bob_keys) = (KeyPair::generate(), KeyPair::generate());
    let general = [
        resource(ALICE, PU1, Classification::General),
        resource(ALICE, PU1, Classification::General),
    ];
    let (policy, event) = data
        .create_policy(&THIS, 500, ALICE, terms(5), &general)
        .unwrap();
    assert_eq!(policy, PolicyId(0));
    assert!(
        matches!(event, Event::PolicyVersionCreated(ref e) if e.version == 1 && e.owner == ALICE)
    );
    World {
        data,
        keys: KnownKeys::default()
            .user(ALICE, alice_keys.signing_public())
            .user(BOB, bob_keys.signing_public()),
        alice: user(alice_keys.public(), ALICE_ACCOUNT),
        bob: user(bob_keys.public(), BOB_ACCOUNT),
        bob_keys,
        general,
    }
}

/// Bob's signed acceptance of `version` of policy 0.
fn acceptance(w: &World, version: u32) -> Acceptance {
    let hash = w
        .data
        .version(PolicyId(0), version)
        .map(|v| v.hash)
        .unwrap_or([0; 32]);
    Acceptance {
        policy: PolicyId(0),
        version,
        requester: BOB,
        signature: w.bob_keys.sign(&payload::agreement_acceptance(
            &THIS,
            PolicyId(0),
            version,
            &hash,
            &BOB,
        )),
    }
}

#[derive(Debug, PartialEq)]
struct Snapshot {
    policy: Result<crate::Policy, Error>,
    versions: Vec<Result<crate::PolicyVersion, Error>>,
    agreement: Result<crate::Agreement, Error>,
    access: Result<crate::AccessRecord, Error>,
    grant: Result<crate::DeviceGrant, Error>,
    transfer: Result<crate::PrivateTransfer, Error>,
}

fn snapshot(data: &SharingData) -> Snapshot {
    Snapshot {
        policy: data.policy(PolicyId(0)),
        versions: (1..=3).map(|v| data.version(PolicyId(0), v)).collect(),
        agreement: data.agreement(AgreementId(0)),
        access: data.access_record(AgreementId(0), 0),
        grant: data.grant(GrantId(0)),
        transfer: data.transfer(TransferId(0)),
    }
}

#[ink::test]
fn versions_are_immutable_and_only_the_current_one_can_be_signed() {
    let mut w = world();
    let v1 = w.data.version(PolicyId(0), 1).unwrap();
    w.data
        .update_policy(&THIS, 600, PolicyId(0), terms(7), &w.general)
        .unwrap();
    let v2 = w.data.version(PolicyId(0), 2).unwrap();
    assert_eq!(w.data.version(PolicyId(0), 1).unwrap(), v1);
    assert_ne!(v1.hash, v2.hash);
    assert_eq!(
        v2.hash,
        sha256(&payload::policy_version(
            &THIS,
            PolicyId(0),
            2,
            &ALICE,
            &terms(7)
        ))
    );
    let bob = account(BOB_ACCOUNT);
    let bob_record = w.bob.clone();

    assert_refused!(snapshot, w.data, w.data.accept(bob, &THIS, 900, acceptance(&w, 1), &bob_record, &w.alice, 5, &w.keys) => Error::StaleVersion);
    assert_refused!(snapshot, w.data, w.data.accept(bob, &THIS, 900, acceptance(&w, 3), &bob_record, &w.alice, 7, &w.keys) => Error::UnknownVersion);
    assert_refused!(snapshot, w.data, w.data.accept(bob, &THIS, 900, acceptance(&w, 2), &bob_record, &w.alice, 5, &w.keys) => Error::WrongPayment);
    assert_refused!(snapshot, w.data, w.data.accept(account(ALICE_ACCOUNT), &THIS, 900, acceptance(&w, 2), &bob_record, &w.alice, 7, &w.keys) => Error::NotController);
    let mut forged = acceptance(&w, 2);
    forged.signature = w.bob_keys.sign(b"something else");
    assert_refused!(snapshot, w.data, w.data.accept(bob, &THIS, 900, forged, &bob_record, &w.alice, 7, &w.keys) => Error::InvalidSignature);
    // Bob's signature for this contract is no good on another instance.
    assert_refused!(snapshot, w.data, w.data.accept(bob, &[0x99; 32], 900, acceptance(&w, 2), &bob_record, &w.alice, 7, &w.keys) => Error::InvalidSignature);
    assert_refused!(snapshot, w.data, w.data.accept(bob, &THIS, 2001, acceptance(&w, 2), &bob_record, &w.alice, 7, &w.keys) => Error::PeriodOver);
    assert_refused!(snapshot, w.data, w.data.accept(bob, &THIS, 900, acceptance(&w, 2), &bob_record, &w.alice, 7, &KnownKeys::default()) => Error::SignatureCheckFailed);

    let (agreement, event) = w
        .data
        .accept(
            bob,
            &THIS,
            900,
            acceptance(&w, 2),
            &bob_record,
            &w.alice,
            7,
            &w.keys,
        )
        .unwrap();
    assert!(
        matches!(event, Event::AgreementSigned(ref e) if e.version == 2 && e.version_hash == v2.hash && e.paid == 7)
    );
    assert_eq!(w.data.agreement(agreement).unwrap().version_hash, v2.hash);
    assert_eq!(w.data.catalogue(agreement), Ok(vec![R1, R2]));
    assert_refused!(snapshot, w.data, w.data.accept(bob, &THIS, 900, acceptance(&w, 2), &bob_record, &w.alice, 7, &w.keys) => Error::AlreadyAgreed);

    w.data
        .set_policy_status(PolicyId(0), Status::Suspended)
        .unwrap();
    assert_refused!(snapshot, w.data, w.data.set_policy_status(PolicyId(0), Status::Suspended) => Error::StatusUnchanged);
    w.data
        .set_policy_status(PolicyId(0), Status::Revoked)
        .unwrap();
    assert_refused!(snapshot, w.data, w.data.set_policy_status(PolicyId(0), Status::Active) => Error::PolicyRevoked);
    assert_refused!(snapshot, w.data, w.data.update_policy(&THIS, 700, PolicyId(0), terms(1), &w.general) => Error::PolicyRevoked);
}

#[ink::test]
fn accesses_are_checked_against_period_range_permission_and_status_and_recorded() {
    let mut w = world();
    let (bob, bob_record) = (account(BOB_ACCOUNT), w.bob.clone());
    let (agreement, _) = w
        .data
        .accept(
            bob,
            &THIS,
            900,
            acceptance(&w, 1),
            &bob_record,
            &w.alice,
            5,
            &w.keys,
        )
        .unwrap();
    let inside = Some(Window::time(12_000, 20_000));

    assert_refused!(snapshot, w.data, w.data.access(bob, 999, agreement, R1, Permissions::VIEW, inside, &bob_record, &w.alice) => Error::OutsidePeriod);
    assert_refused!(snapshot, w.data, w.data.access(bob, 2001, agreement, R1, Permissions::VIEW, inside, &bob_record, &w.alice) => Error::OutsidePeriod);
    assert_refused!(snapshot, w.data, w.data.access(bob, 1500, agreement, ResourceId([9; 32]), Permissions::VIEW, inside, &bob_record, &w.alice) => Error::ResourceNotCovered);
    assert_refused!(snapshot, w.data, w.data.access(bob, 1500, agreement, R1, Permissions::RESHARE, inside, &bob_record, &w.alice) => Error::PermissionDenied);
    assert_refused!(snapshot, w.data, w.data.access(bob, 1500, agreement, R1, Permissions(0), inside, &bob_record, &w.alice) => Error::PermissionDenied);
    assert_refused!(snapshot, w.data, w.data.access(bob, 1500, agreement, R1, Permissions::VIEW, Some(Window::time(5_000, 20_000)), &bob_record, &w.alice) => Error::OutsideWindow);
    assert_refused!(snapshot, w.data, w.data.access(bob, 1500, agreement, R1, Permissions::VIEW, Some(Window::segments(0, 1)), &bob_record, &w.alice) => Error::OutsideWindow);
    assert_refused!(snapshot, w.data, w.data.access(bob, 1500, agreement, R1, Permissions::VIEW, None, &bob_record, &w.alice) => Error::OutsideWindow);
    assert_refused!(snapshot, w.data, w.data.access(account(ALICE_ACCOUNT), 1500, agreement, R1, Permissions::VIEW, inside, &bob_record, &w.alice) => Error::NotAgreementHolder);
    assert_refused!(snapshot, w.data, w.data.access(bob, 1500, AgreementId(7), R1, Permissions::VIEW, inside, &bob_record, &w.alice) => Error::UnknownAgreement);
    let mut suspended_bob = bob_record.clone();
    suspended_bob.status = Status::Suspended;
    assert_refused!(snapshot, w.data, w.data.access(bob, 1500, agreement, R1, Permissions::VIEW, inside, &suspended_bob, &w.alice) => Error::UserNotActive);

    let (index, event) = w
        .data
        .access(
            bob,
            1500,
            agreement,
            R1,
            Permissions::DOWNLOAD,
            inside,
            &bob_record,
            &w.alice,
        )
        .unwrap();
    assert_eq!(index, 0);
    assert!(
        matches!(event, Event::AccessRecorded(ref e) if e.resource == R1 && e.agreement == agreement)
    );
    let record = w.data.access_record(agreement, 0).unwrap();
    assert_eq!(
        (record.resource, record.at, record.window),
        (R1, 1500, inside)
    );
    assert_eq!(w.data.agreement(agreement).unwrap().uses, 1);

    w.data
        .set_policy_status(PolicyId(0), Status::Suspended)
        .unwrap();
    let before = snapshot(&w.data);
    assert_eq!(
        w.data.access(
            bob,
            1500,
            agreement,
            R1,
            Permissions::VIEW,
            inside,
            &bob_record,
            &w.alice
        ),
        Err(Error::PolicyNotActive)
    );
    assert_eq!(snapshot(&w.data), before);
    w.data
        .set_policy_status(PolicyId(0), Status::Active)
        .unwrap();
    w.data.revoke_agreement(agreement).unwrap();
    assert_refused!(snapshot, w.data, w.data.access(bob, 1500, agreement, R1, Permissions::VIEW, inside, &bob_record, &w.alice) => Error::AgreementRevoked);
    assert_refused!(snapshot, w.data, w.data.revoke_agreement(agreement) => Error::AgreementRevoked);
}

#[ink::test]
fn bad_terms_are_refused() {
    let mut w = world();
    let general = w.general.clone();
    let mut t = terms(1);
    t.resources = vec![];
    assert_refused!(snapshot, w.data, w.data.update_policy(&THIS, 1, PolicyId(0), t, &[]) => Error::InvalidResourceList);
    let mut t = terms(1);
    t.resources = vec![R1, R1];
    assert_refused!(snapshot, w.data, w.data.update_policy(&THIS, 1, PolicyId(0), t, &general) => Error::InvalidResourceList);
    let mut t = terms(1);
    t.resources = (0..=MAX_POLICY_RESOURCES as u8)
        .map(|i| ResourceId([i; 32]))
        .collect();
    assert_refused!(snapshot, w.data, w.data.update_policy(&THIS, 1, PolicyId(0), t, &general) => Error::InvalidResourceList);
    let mut t = terms(1);
    t.period = TimeSpan { start: 2, end: 1 };
    assert_refused!(snapshot, w.data, w.data.update_policy(&THIS, 1, PolicyId(0), t, &general) => Error::InvalidPeriod);
    let mut t = terms(1);
    t.window = Some(Window::segments(4, 3));
    assert_refused!(snapshot, w.data, w.data.update_policy(&THIS, 1, PolicyId(0), t, &general) => Error::InvalidPeriod);
    let mut t = terms(1);
    t.permissions = Permissions(8);
    assert_refused!(snapshot, w.data, w.data.update_policy(&THIS, 1, PolicyId(0), t, &general) => Error::InvalidPermissions);
    assert_refused!(snapshot, w.data, w.data.update_policy(&THIS, 1, PolicyId(0), terms(1), &general[..1]) => Error::UnknownResource);
    let bobs = [
        general[0].clone(),
        resource(BOB, PU1, Classification::General),
    ];
    assert_refused!(snapshot, w.data, w.data.update_policy(&THIS, 1, PolicyId(0), terms(1), &bobs) => Error::NotResourceOwner);
    let private = [
        general[0].clone(),
        resource(ALICE, DB1, Classification::Private),
    ];
    assert_refused!(snapshot, w.data, w.data.update_policy(&THIS, 1, PolicyId(0), terms(1), &private) => Error::PrivateResource);
    assert_refused!(snapshot, w.data, w.data.update_policy(&THIS, 1, PolicyId(5), terms(1), &general) => Error::UnknownPolicy);
}

#[ink::test]
fn device_grants_expire_and_can_be_revoked() {
    let mut w = world();
    let (pu, cu) = (device(ALICE, DeviceKind::Pu), device(BOB, DeviceKind::Cu));
    let key = KeyPair::generate().signing_public();
    let view = Permissions::VIEW;
    assert_refused!(snapshot, w.data, w.data.grant_device(100, PU1, &cu, CU, &cu, &w.bob, key, view, 200) => Error::WrongDeviceKind);
    assert_refused!(snapshot, w.data, w.data.grant_device(100, PU1, &pu, CU, &pu, &w.bob, key, view, 200) => Error::WrongDeviceKind);
    let mut suspended_cu = cu.clone();
    suspended_cu.status = Status::Suspended;
    assert_refused!(snapshot, w.data, w.data.grant_device(100, PU1, &pu, CU, &suspended_cu, &w.bob, key, view, 200) => Error::DeviceNotActive);
    assert_refused!(snapshot, w.data, w.data.grant_device(100, PU1, &pu, CU, &cu, &w.bob, key, view, 100) => Error::InvalidExpiry);
    assert_refused!(snapshot, w.data, w.data.grant_device(100, PU1, &pu, CU, &cu, &w.bob, key, view, 101 + MAX_GRANT_DURATION) => Error::InvalidExpiry);
    assert_refused!(snapshot, w.data, w.data.grant_device(100, PU1, &pu, CU, &cu, &w.bob, key, Permissions(0), 200) => Error::InvalidPermissions);
    let revoked_bob = with_status(&w.bob, Status::Revoked);
    assert_refused!(snapshot, w.data, w.data.grant_device(100, PU1, &pu, CU, &cu, &revoked_bob, key, view, 200) => Error::OwnerNotActive);

    let (grant, _) = w
        .data
        .grant_device(100, PU1, &pu, CU, &cu, &w.bob, key, view, 200)
        .unwrap();
    let parties = GrantParties {
        pu: pu.clone(),
        owner: w.alice.clone(),
        cu: cu.clone(),
        cu_owner: w.bob.clone(),
    };
    assert_eq!(w.data.check_grant(150, grant, key, &parties), Ok(()));
    assert_eq!(w.data.check_grant(200, grant, key, &parties), Ok(()));
    assert_eq!(
        w.data.check_grant(201, grant, key, &parties),
        Err(Error::GrantExpired)
    );
    let other = KeyPair::generate().signing_public();
    assert_eq!(
        w.data.check_grant(150, grant, other, &parties),
        Err(Error::NotGrantKey)
    );
    assert_eq!(
        w.data.check_grant(150, GrantId(9), key, &parties),
        Err(Error::UnknownGrant)
    );
    assert_eq!(w.data.grant(grant).unwrap().owner, ALICE);
    w.data.revoke_grant(grant).unwrap();
    assert_eq!(
        w.data.check_grant(150, grant, key, &parties),
        Err(Error::GrantRevoked)
    );
    assert_refused!(snapshot, w.data, w.data.revoke_grant(grant) => Error::GrantRevoked);
    assert_refused!(snapshot, w.data, w.data.revoke_grant(GrantId(9)) => Error::UnknownGrant);
}

fn with_status(user: &UserRecord, status: Status) -> UserRecord {
    UserRecord {
        status,
        ..user.clone()
    }
}

#[ink::test]
fn a_grant_holds_only_while_its_devices_and_their_owners_are_in_service() {
    let mut w = world();
    let (pu, cu) = (device(ALICE, DeviceKind::Pu), device(BOB, DeviceKind::Cu));
    let key = KeyPair::generate().signing_public();
    let (grant, _) = w
        .data
        .grant_device(100, PU1, &pu, CU, &cu, &w.bob, key, Permissions::VIEW, 200)
        .unwrap();
    let good = GrantParties {
        pu: pu.clone(),
        owner: w.alice.clone(),
        cu: cu.clone(),
        cu_owner: w.bob.clone(),
    };
    let before = snapshot(&w.data);
    let check = |parties: &GrantParties| w.data.check_grant(150, grant, key, parties);
    assert_eq!(check(&good), Ok(()));
    for status in [Status::Suspended, Status::Revoked] {
        let mut p = good.clone();
        p.cu.status = status;
        assert_eq!(check(&p), Err(Error::DeviceNotActive));
        let mut p = good.clone();
        p.pu.status = status;
        assert_eq!(check(&p), Err(Error::DeviceNotActive));
        let mut p = good.clone();
        p.owner.status = status;
        assert_eq!(check(&p), Err(Error::OwnerNotActive));
        let mut p = good.clone();
        p.cu_owner.status = status;
        assert_eq!(check(&p), Err(Error::OwnerNotActive));
    }
    let mut sold = good.clone();
    sold.pu.owner = UserId([0xca; 32]);
    assert_eq!(check(&sold), Err(Error::OwnerChanged));
    assert_eq!(snapshot(&w.data), before);
}

#[ink::test]
fn an_inactive_owner_sells_nothing_and_what_she_shared_grants_nothing() {
    let mut w = world();
    let (bob, bob_record) = (account(BOB_ACCOUNT), w.bob.clone());
    let (agreement, _) = w
        .data
        .accept(
            bob,
            &THIS,
            900,
            acceptance(&w, 1),
            &bob_record,
            &w.alice,
            5,
            &w.keys,
        )
        .unwrap();
    w.data
        .update_policy(&THIS, 950, PolicyId(0), terms(5), &w.general)
        .unwrap();
    let inside = Some(Window::time(12_000, 20_000));
    for status in [Status::Suspended, Status::Revoked] {
        let alice = with_status(&w.alice, status);
        assert_refused!(snapshot, w.data, w.data.accept(bob, &THIS, 960, acceptance(&w, 2), &bob_record, &alice, 5, &w.keys) => Error::OwnerNotActive);
        assert_refused!(snapshot, w.data, w.data.access(bob, 1500, agreement, R1, Permissions::VIEW, inside, &bob_record, &alice) => Error::OwnerNotActive);
    }
}

#[ink::test]
fn an_inactive_owner_still_controls_but_no_longer_acts() {
    let alice = user(KeyPair::generate().public(), ALICE_ACCOUNT);
    for status in [Status::Suspended, Status::Revoked] {
        let inactive = with_status(&alice, status);
        assert_eq!(ensure_controls(account(ALICE_ACCOUNT), &inactive), Ok(()));
        assert_eq!(
            ensure_acts_for(account(ALICE_ACCOUNT), &inactive),
            Err(Error::UserNotActive)
        );
        assert_eq!(
            ensure_controls(account(BOB_ACCOUNT), &inactive),
            Err(Error::NotController)
        );
    }
    assert_eq!(ensure_acts_for(account(ALICE_ACCOUNT), &alice), Ok(()));
}

#[ink::test]
fn only_the_recipient_db_moves_a_private_transfer_on() {
    let mut w = world();
    let private = resource(ALICE, DB1, Classification::Private);
    let general = w.general[0].clone();
    let db2 = device(BOB, DeviceKind::PrivateDb);
    let param = PrivateParam { db1: DB1, db2: DB2 };
    assert_refused!(snapshot, w.data, w.data.open_transfer(R1, &general, param, &db2) => Error::NotPrivate);
    assert_refused!(snapshot, w.data, w.data.open_transfer(R1, &private, PrivateParam { db1: PU1, db2: DB2 }, &db2) => Error::SourceMismatch);
    assert_refused!(snapshot, w.data, w.data.open_transfer(R1, &private, PrivateParam { db1: DB1, db2: DB1 }, &db2) => Error::SameParticipant);
    assert_refused!(snapshot, w.data, w.data.open_transfer(R1, &private, param, &device(BOB, DeviceKind::Cu)) => Error::WrongDeviceKind);

    let (transfer, _) = w.data.open_transfer(R1, &private, param, &db2).unwrap();
    let ledger = private.content.multihash.clone();
    let tampered = multihash(b"tampered");
    assert_refused!(snapshot, w.data, w.data.advance_transfer(transfer, DB1, &db2, None, &ledger) => Error::NotParticipant);
    assert_refused!(snapshot, w.data, w.data.advance_transfer(transfer, DeviceId([0xee; 32]), &db2, None, &ledger) => Error::NotParticipant);
    assert_refused!(snapshot, w.data, w.data.advance_transfer(transfer, DB2, &db2, Some(&ledger), &ledger) => Error::WrongTransferState);
    assert_refused!(snapshot, w.data, w.data.advance_transfer(TransferId(9), DB2, &db2, None, &ledger) => Error::UnknownTransfer);
    for status in [Status::Suspended, Status::Revoked] {
        let mut inactive = db2.clone();
        inactive.status = status;
        assert_refused!(snapshot, w.data, w.data.advance_transfer(transfer, DB2, &inactive, None, &ledger) => Error::DeviceNotActive);
    }

    w.data
        .advance_transfer(transfer, DB2, &db2, None, &ledger)
        .unwrap();
    assert_eq!(
        w.data.transfer(transfer).unwrap().state,
        TransferState::Acknowledged
    );
    assert_refused!(snapshot, w.data, w.data.advance_transfer(transfer, DB2, &db2, None, &ledger) => Error::WrongTransferState);
    let event = w
        .data
        .advance_transfer(transfer, DB2, &db2, Some(&ledger), &ledger)
        .unwrap();
    assert!(
        matches!(event, Event::PrivateTransferUpdated(ref e) if e.state == TransferState::Verified)
    );
    assert_refused!(snapshot, w.data, w.data.advance_transfer(transfer, DB2, &db2, Some(&tampered), &ledger) => Error::WrongTransferState);

    let (second, _) = w.data.open_transfer(R1, &private, param, &db2).unwrap();
    w.data
        .advance_transfer(second, DB2, &db2, None, &ledger)
        .unwrap();
    w.data
        .advance_transfer(second, DB2, &db2, Some(&tampered), &ledger)
        .unwrap();
    assert_eq!(
        w.data.transfer(second).unwrap().state,
        TransferState::Mismatched
    );
}
