//! `#[ink::test]` unit tests of the ledger logic, with UEs and authorities from the SDK.
//! Every refusal asserts the exact error and unchanged state.
use crate::data::{DivsData, Error, Event, MAX_BATCH};
use admin_role::{assert_refused, testing::hand_over};
use ink::primitives::AccountId;
use shared_types::{
    AccountBytes, AccountState, AccountStatus, Endorsement, EndorsementBatch, EntryAddress,
    EntryKind, TxId,
};
use vssi_sdk::divs::{endorse, ExportedLedger, LedgerAnchors, Ue};
use vssi_sdk::KeyPair;

const THIS: AccountBytes = [0xd1; 32];
const ADMIN: u8 = 0xad;
const AS1: u8 = 0xa1;
const AS2: u8 = 0xa2;
const NOW: u64 = 1_000_000;
const YEAR: u64 = 365 * 24 * 3600 * 1000;

fn account(b: u8) -> AccountId {
    AccountId::from([b; 32])
}

fn status(state: AccountState) -> AccountStatus {
    AccountStatus {
        contract_id: [0xc0; 32],
        valid_from: NOW,
        terminates_at: NOW + YEAR,
        region: Some(*b"CN"),
        state,
    }
}

fn ue(n: u32) -> Ue {
    Ue::new(
        &format!("35-209900-{n:06}-1"),
        &format!("8986{n:016}"),
        &format!("+86138{n:08}"),
    )
}

struct World {
    data: DivsData,
    as1: KeyPair,
    as2: KeyPair,
}

fn world() -> World {
    let mut data = DivsData::new(account(ADMIN), [0x1e; 32]);
    let (as1, as2) = (KeyPair::generate(), KeyPair::generate());
    for (b, keys) in [(AS1, &as1), (AS2, &as2)] {
        let event = data
            .add_authority(
                account(ADMIN),
                NOW,
                account(b),
                keys.signing_public(),
                [b; 32],
            )
            .unwrap();
        assert!(matches!(event, Event::AuthorityAdded(_)));
    }
    World { data, as1, as2 }
}

/// `authority`'s registration of `ue`, which signed its parameters for the authority with
/// account `for_authority`.
fn registration(authority: &KeyPair, for_authority: u8, ue: &Ue) -> Endorsement {
    endorse(
        authority,
        &THIS,
        ue.parameters(&THIS, &[for_authority; 32]),
        status(AccountState::Active),
        EntryKind::Registration,
        None,
    )
}

#[derive(Debug, PartialEq)]
struct Snapshot {
    head: (u64, [u8; 32]),
    entries: Vec<shared_types::Entry>,
    as2: Result<crate::data::Authority, Error>,
    admin: admin_role::AdminRole,
}

fn snapshot(data: &DivsData) -> Snapshot {
    Snapshot {
        head: data.head(),
        entries: data.entries(TxId(0), 50),
        as2: data.authority(account(AS2)),
        admin: data.admin.role(),
    }
}

#[ink::test]
fn an_endorsement_is_verified_appended_and_chained() {
    let mut w = world();
    let alice_ue = ue(1);
    let (tx_id, event) = w
        .data
        .endorse(
            account(AS1),
            &THIS,
            NOW,
            registration(&w.as1, AS1, &alice_ue),
        )
        .unwrap();
    assert_eq!(tx_id, TxId(0));
    let entry = w.data.entry(TxId(0)).unwrap();
    assert!(matches!(event, Event::Endorsed(ref e) if e.tx_id == TxId(0) && e.head == entry.link));
    assert_eq!(w.data.head(), (1, entry.link));
    assert_eq!(w.data.latest(alice_ue.keys.signing_public()), Ok(entry));
    assert_eq!(entry.previous, None);
    assert_eq!(entry.authority, [AS1; 32]);
    assert!(entry.verified && w.data.partial(TxId(0)).unwrap().verified);
}

#[ink::test]
fn bad_endorsements_are_refused() {
    let mut w = world();
    let u = ue(2);
    let good = registration(&w.as1, AS1, &u);
    assert_refused!(snapshot, w.data, w.data.endorse(account(0x99), &THIS, NOW, good) => Error::NotAuthority);
    let mut forged_ue = good;
    forged_ue.parameters.ue_signature = w.as1.sign(b"not the UE");
    assert_refused!(snapshot, w.data, w.data.endorse(account(AS1), &THIS, NOW, forged_ue) => Error::InvalidUeSignature);
    // AS2's signature presented by AS1, and AS1's signature for another ledger.
    assert_refused!(snapshot, w.data, w.data.endorse(account(AS1), &THIS, NOW, registration(&w.as2, AS1, &u)) => Error::InvalidAuthoritySignature);
    assert_refused!(snapshot, w.data, w.data.endorse(account(AS1), &[0xee; 32], NOW, good) => Error::InvalidUeSignature);
    let mut reversed = status(AccountState::Active);
    reversed.valid_from = reversed.terminates_at + 1;
    let bad_period = endorse(
        &w.as1,
        &THIS,
        u.parameters(&THIS, &[AS1; 32]),
        reversed,
        EntryKind::Registration,
        None,
    );
    assert_refused!(snapshot, w.data, w.data.endorse(account(AS1), &THIS, NOW, bad_period) => Error::InvalidStatus);
    let unknown_update = endorse(
        &w.as1,
        &THIS,
        u.parameters(&THIS, &[AS1; 32]),
        status(AccountState::Active),
        EntryKind::StatusUpdate,
        Some(TxId(0)),
    );
    assert_refused!(snapshot, w.data, w.data.endorse(account(AS1), &THIS, NOW, unknown_update) => Error::UnknownUe);

    w.data.endorse(account(AS1), &THIS, NOW, good).unwrap();
    assert_refused!(snapshot, w.data, w.data.endorse(account(AS1), &THIS, NOW, good) => Error::AlreadyRegistered);
    let active_termination = endorse(
        &w.as1,
        &THIS,
        u.parameters(&THIS, &[AS1; 32]),
        status(AccountState::Active),
        EntryKind::Termination,
        Some(TxId(0)),
    );
    assert_refused!(snapshot, w.data, w.data.endorse(account(AS1), &THIS, NOW, active_termination) => Error::InvalidStatus);

    assert_refused!(snapshot, w.data, w.data.add_authority(account(AS1), NOW, account(3), w.as1.signing_public(), [0; 32]) => Error::NotAdmin);
    assert_refused!(snapshot, w.data, w.data.add_authority(account(ADMIN), NOW, account(AS1), w.as1.signing_public(), [0; 32]) => Error::AuthorityExists);
    w.data
        .remove_authority(account(ADMIN), account(AS2))
        .unwrap();
    assert_refused!(snapshot, w.data, w.data.remove_authority(account(ADMIN), account(AS2)) => Error::UnknownAuthority);
    assert_refused!(snapshot, w.data, w.data.endorse(account(AS2), &THIS, NOW, registration(&w.as2, AS2, &ue(3))) => Error::NotAuthority);
}

#[ink::test]
fn status_changes_append_linked_entries_and_old_updates_cannot_be_replayed() {
    let mut w = world();
    let u = ue(4);
    w.data
        .endorse(account(AS1), &THIS, NOW, registration(&w.as1, AS1, &u))
        .unwrap();
    // The registering authority records a binding change (new SIM), then the termination.
    let rebound = Ue::with_keys(
        u.keys.clone(),
        "35-209900-000004-1",
        "8986-new-sim",
        "+8613900000004",
    );
    let change = endorse(
        &w.as1,
        &THIS,
        rebound.parameters(&THIS, &[AS1; 32]),
        status(AccountState::Active),
        EntryKind::BindingChange,
        Some(TxId(0)),
    );
    w.data
        .endorse(account(AS1), &THIS, NOW + 10, change)
        .unwrap();
    // The binding change signed against entry 0 cannot be appended again.
    assert_refused!(snapshot, w.data, w.data.endorse(account(AS1), &THIS, NOW + 15, change) => Error::InvalidAuthoritySignature);
    // Another authority may not update the UE, with its own valid signature.
    let foreign = endorse(
        &w.as2,
        &THIS,
        rebound.parameters(&THIS, &[AS1; 32]),
        status(AccountState::Suspended),
        EntryKind::StatusUpdate,
        Some(TxId(1)),
    );
    assert_refused!(snapshot, w.data, w.data.endorse(account(AS2), &THIS, NOW + 15, foreign) => Error::NotUeAuthority);
    let mut ended = status(AccountState::Terminated);
    ended.terminates_at = NOW + 20;
    let termination = endorse(
        &w.as1,
        &THIS,
        rebound.parameters(&THIS, &[AS1; 32]),
        ended,
        EntryKind::Termination,
        Some(TxId(1)),
    );
    w.data
        .endorse(account(AS1), &THIS, NOW + 20, termination)
        .unwrap();

    let latest = w.data.latest(u.keys.signing_public()).unwrap();
    assert_eq!(
        (latest.tx_id, latest.previous, latest.kind),
        (TxId(2), Some(TxId(1)), EntryKind::Termination)
    );
    assert_eq!(w.data.entry(TxId(1)).unwrap().previous, Some(TxId(0)));
    assert_eq!(
        w.data.entry(TxId(0)).unwrap().parameters.identity,
        u.identity
    );
    let partial = w.data.partial(TxId(0)).unwrap();
    assert_eq!(
        (partial.terminates_at, partial.state),
        (NOW + 20, AccountState::Terminated)
    );
    // Nothing follows a termination.
    let revived = endorse(
        &w.as1,
        &THIS,
        rebound.parameters(&THIS, &[AS1; 32]),
        status(AccountState::Active),
        EntryKind::StatusUpdate,
        Some(TxId(2)),
    );
    assert_refused!(snapshot, w.data, w.data.endorse(account(AS1), &THIS, NOW + 30, revived) => Error::Terminated);
    assert_refused!(snapshot, w.data, w.data.assign_ue(account(ADMIN), u.keys.signing_public(), account(AS2)) => Error::Terminated);
    assert_refused!(snapshot, w.data, w.data.partial(TxId(9)) => Error::UnknownEntry);
}

#[ink::test]
fn the_admin_names_the_authority_responsible_for_a_ue() {
    let mut w = world();
    let u = ue(5);
    let key = u.keys.signing_public();
    w.data
        .endorse(account(AS1), &THIS, NOW, registration(&w.as1, AS1, &u))
        .unwrap();
    assert_refused!(snapshot, w.data, w.data.assign_ue(account(AS1), key, account(AS2)) => Error::NotAdmin);
    assert_refused!(snapshot, w.data, w.data.assign_ue(account(ADMIN), key, account(0x99)) => Error::UnknownAuthority);
    assert_refused!(snapshot, w.data, w.data.assign_ue(account(ADMIN), ue(6).keys.signing_public(), account(AS2)) => Error::UnknownUe);
    let event = w.data.assign_ue(account(ADMIN), key, account(AS2)).unwrap();
    assert!(
        matches!(event, Event::UeAssigned(ref e) if e.ue == key && e.authority == account(AS2))
    );
    let update = |authority: &KeyPair, signed_for: u8, kind: EntryKind, previous: u64| {
        endorse(
            authority,
            &THIS,
            u.parameters(&THIS, &[signed_for; 32]),
            status(AccountState::Suspended),
            kind,
            Some(TxId(previous)),
        )
    };
    let suspension = |authority| update(authority, AS1, EntryKind::StatusUpdate, 0);
    assert_refused!(snapshot, w.data, w.data.endorse(account(AS1), &THIS, NOW, suspension(&w.as1)) => Error::NotUeAuthority);
    // AS2 updates with the parameters the UE signed for AS1: no new UE signature needed, and
    // a new one changes the parameters, which only a binding change may.
    let resigned = update(&w.as2, AS2, EntryKind::StatusUpdate, 0);
    assert_refused!(snapshot, w.data, w.data.endorse(account(AS2), &THIS, NOW, resigned) => Error::ParametersChanged);
    w.data
        .endorse(account(AS2), &THIS, NOW, suspension(&w.as2))
        .unwrap();
    // A binding change brings parameters: the UE signs them for AS2.
    let for_as1 = update(&w.as2, AS1, EntryKind::BindingChange, 1);
    assert_refused!(snapshot, w.data, w.data.endorse(account(AS2), &THIS, NOW, for_as1) => Error::InvalidUeSignature);
    w.data
        .endorse(
            account(AS2),
            &THIS,
            NOW,
            update(&w.as2, AS2, EntryKind::BindingChange, 1),
        )
        .unwrap();
}

#[ink::test]
fn a_verified_registration_replaces_a_batch_claim_whose_signatures_fail() {
    let mut w = world();
    let (victim, claimed) = (ue(7), ue(8));
    // AS2 knows only the victim's public key; its batch claims it with a garbage signature.
    let mut parameters = ue(9).parameters(&THIS, &[AS1; 32]);
    parameters.public_key = victim.keys.signing_public();
    let squat = endorse(
        &w.as2,
        &THIS,
        parameters,
        status(AccountState::Active),
        EntryKind::Registration,
        None,
    );
    let genuine_batch = registration(&w.as2, AS2, &claimed);
    w.data
        .endorse_batch(
            account(AS2),
            &THIS,
            NOW,
            EndorsementBatch(vec![squat, genuine_batch]),
        )
        .unwrap();
    assert!(
        !w.data
            .latest(victim.keys.signing_public())
            .unwrap()
            .verified
    );
    assert!(!w.data.partial(TxId(0)).unwrap().verified);
    let (tx_id, _) = w
        .data
        .endorse(account(AS1), &THIS, NOW, registration(&w.as1, AS1, &victim))
        .unwrap();
    let latest = w.data.latest(victim.keys.signing_public()).unwrap();
    assert_eq!(
        (latest.tx_id, latest.verified, latest.previous),
        (tx_id, true, None)
    );
    // A batch registration whose signatures hold stands.
    assert_refused!(snapshot, w.data, w.data.endorse(account(AS1), &THIS, NOW, registration(&w.as1, AS1, &claimed)) => Error::AlreadyRegistered);
}

#[ink::test]
fn batches_append_consecutively_or_not_at_all() {
    let mut w = world();
    let ues: Vec<Ue> = (10..60).map(ue).collect();
    let batch: Vec<Endorsement> = ues.iter().map(|u| registration(&w.as1, AS1, u)).collect();

    assert_refused!(snapshot, w.data, w.data.endorse_batch(account(AS1), &THIS, NOW, EndorsementBatch(vec![])) => Error::InvalidBatchSize);
    assert_refused!(snapshot, w.data, w.data.endorse_batch(account(AS1), &THIS, NOW, EndorsementBatch(vec![batch[0]; MAX_BATCH + 1])) => Error::InvalidBatchSize);
    assert_refused!(snapshot, w.data, w.data.endorse_batch(account(0x99), &THIS, NOW, EndorsementBatch(batch.clone())) => Error::NotAuthority);
    let mut twice = batch.clone();
    twice.push(batch[3]);
    assert_refused!(snapshot, w.data, w.data.endorse_batch(account(AS1), &THIS, NOW, EndorsementBatch(twice)) => Error::DuplicateInBatch);
    let mut one_bad = batch.clone();
    one_bad[40].kind = EntryKind::StatusUpdate;
    assert_refused!(snapshot, w.data, w.data.endorse_batch(account(AS1), &THIS, NOW, EndorsementBatch(one_bad)) => Error::UpdateInBatch);

    let (first, event) = w
        .data
        .endorse_batch(account(AS1), &THIS, NOW, EndorsementBatch(batch))
        .unwrap();
    assert_eq!(first, TxId(0));
    assert!(
        matches!(event, Event::BatchEndorsed(ref e) if e.count == 50 && e.head == w.data.head().1)
    );
    for (i, u) in ues.iter().enumerate() {
        assert_eq!(
            w.data.latest(u.keys.signing_public()).unwrap().tx_id,
            TxId(i as u64)
        );
    }
    let again = EndorsementBatch(vec![registration(&w.as1, AS1, &ues[0])]);
    assert_refused!(snapshot, w.data, w.data.endorse_batch(account(AS1), &THIS, NOW, again) => Error::AlreadyRegistered);
    // Signatures are stored, not verified, in a batch: the export verifies them off chain.
    let export = ExportedLedger {
        address: EntryAddress {
            instance: [0x1e; 32],
            contract: THIS,
        },
        entries: w.data.entries(TxId(0), 50),
    };
    assert!(export.entries.iter().all(|e| !e.verified));
    let (count, head) = w.data.head();
    let anchors = LedgerAnchors {
        authorities: vec![([AS1; 32], w.as1.signing_public())],
        count,
        head,
    };
    assert!(export.verify(&anchors).unwrap().unendorsed().is_empty());
}

#[ink::test]
fn a_handed_over_admin_role_manages_the_authorities() {
    let mut w = world();
    let successor = account(0x5c);
    hand_over(&mut w.data.admin, account(ADMIN), successor);
    assert_refused!(snapshot, w.data, w.data.remove_authority(account(ADMIN), account(AS2)) => Error::NotAdmin);
    w.data.remove_authority(successor, account(AS2)).unwrap();
}

#[ink::test]
fn a_ues_registration_copied_by_another_authority_neither_endorses_nor_blocks() {
    let mut w = world();
    let (u, others) = (ue(20), [ue(21), ue(22)]);
    let pending = registration(&w.as1, AS1, &u);
    let copied = endorse(
        &w.as2,
        &THIS,
        pending.parameters,
        pending.status,
        EntryKind::Registration,
        None,
    );
    assert_refused!(snapshot, w.data, w.data.endorse(account(AS2), &THIS, NOW, copied) => Error::InvalidUeSignature);
    // Copied into AS2's batch, included before AS1's batch of the same UE and two others.
    w.data
        .endorse_batch(account(AS2), &THIS, NOW, EndorsementBatch(vec![copied]))
        .unwrap();
    let mut ended = status(AccountState::Terminated);
    ended.terminates_at = NOW;
    let termination = endorse(
        &w.as2,
        &THIS,
        pending.parameters,
        ended,
        EntryKind::Termination,
        Some(TxId(0)),
    );
    assert_refused!(snapshot, w.data, w.data.endorse(account(AS2), &THIS, NOW, termination) => Error::UnknownUe);
    let honest: Vec<Endorsement> = [&u, &others[0], &others[1]]
        .iter()
        .map(|u| registration(&w.as1, AS1, u))
        .collect();
    let (first, _) = w
        .data
        .endorse_batch(account(AS1), &THIS, NOW, EndorsementBatch(honest.clone()))
        .unwrap();
    let latest = w.data.latest(u.keys.signing_public()).unwrap();
    assert_eq!(
        (latest.tx_id, latest.authority, latest.previous),
        (first, [AS1; 32], None)
    );
    // AS1's entries hold: no copy replaces them, in a batch or verified.
    let again = EndorsementBatch(vec![endorse(
        &w.as2,
        &THIS,
        honest[1].parameters,
        honest[1].status,
        EntryKind::Registration,
        None,
    )]);
    assert_refused!(snapshot, w.data, w.data.endorse_batch(account(AS2), &THIS, NOW, again) => Error::AlreadyRegistered);
    assert_refused!(snapshot, w.data, w.data.endorse(account(AS1), &THIS, NOW, pending) => Error::AlreadyRegistered);
}
