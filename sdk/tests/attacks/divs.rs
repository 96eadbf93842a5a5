//! Attacks on the DIVS verifiers (issue 14, section 2 a, c, d): forged and truncated exports,
//! validity judged at the latest status instead of the one in force at signing, and a
//! backdated signing time, and a UE's registration signature copied into another authority's
//! entry. The attacker has her own keys and the public ledger.
use vssi_sdk::divs::{
    check_entry, endorse, verify_bundle, DivsError, ExportedLedger, LedgerAnchors, SigningTime, Ue,
};
use vssi_sdk::shared_types::{
    AccountBytes, AccountState, AccountStatus, EntryAddress, EntryKind, Timestamp, TxId,
};
use vssi_sdk::KeyPair;

const LEDGER: AccountBytes = [0xd1; 32];
const AS: AccountBytes = [0xa1; 32];
const T0: Timestamp = 1_000_000;

fn address() -> EntryAddress {
    EntryAddress {
        instance: [0x1e; 32],
        contract: LEDGER,
    }
}

fn status(state: AccountState, terminates_at: Timestamp) -> AccountStatus {
    AccountStatus {
        contract_id: [0xc0; 32],
        valid_from: T0,
        terminates_at,
        region: None,
        state,
    }
}

/// The genuine ledger: one UE registered by the genuine authority at T0, active until
/// T0 + 1000.
struct World {
    authority: KeyPair,
    ue: Ue,
    export: ExportedLedger,
}

fn world() -> World {
    let authority = KeyPair::generate();
    let ue = Ue::new("imei", "iccid", "msisdn");
    let mut export = ExportedLedger {
        address: address(),
        entries: vec![],
    };
    let registration = endorse(
        &authority,
        &LEDGER,
        ue.parameters(&LEDGER, &AS),
        status(AccountState::Active, T0 + 1000),
        EntryKind::Registration,
        None,
    );
    export.append(AS, registration, None, T0);
    World {
        authority,
        ue,
        export,
    }
}

impl World {
    /// The authority appends an update of the UE, recorded at `at`.
    fn update(
        &mut self,
        state: AccountState,
        terminates_at: Timestamp,
        kind: EntryKind,
        at: Timestamp,
    ) -> TxId {
        let previous = Some(TxId(self.export.entries.len() as u64 - 1));
        let e = endorse(
            &self.authority,
            &LEDGER,
            self.ue.parameters(&LEDGER, &AS),
            status(state, terminates_at),
            kind,
            previous,
        );
        self.export.append(AS, e, previous, at)
    }

    /// What the verifier trusts: the genuine authority and the ledger's head now (as the
    /// chain answers it).
    fn anchors(&self) -> LedgerAnchors {
        let (count, head) = self.export.head();
        LedgerAnchors {
            authorities: vec![(AS, self.authority.signing_public())],
            count,
            head,
        }
    }
}

#[test]
fn an_export_endorsed_by_a_freshly_generated_authority_is_refused() {
    let w = world();
    let mallory = KeyPair::generate();
    let mut forged = ExportedLedger {
        address: address(),
        entries: vec![],
    };
    let e = endorse(
        &mallory,
        &LEDGER,
        w.ue.parameters(&LEDGER, &AS),
        status(AccountState::Active, T0 + 1000),
        EntryKind::Registration,
        None,
    );
    // Under the genuine authority's account, and under an account of her own.
    forged.append(AS, e, None, T0);
    let mut own = forged.clone();
    own.entries.clear();
    own.append([0x66; 32], e, None, T0);
    for export in [forged, own] {
        // Even given the forged export's own head, only trusted keys count.
        let (count, head) = export.head();
        let anchors = LedgerAnchors {
            count,
            head,
            ..w.anchors()
        };
        let refused = export.verify(&anchors).err();
        assert!(
            matches!(
                refused,
                Some(DivsError::BadEndorsement(TxId(0)) | DivsError::UnknownAuthority)
            ),
            "{refused:?}"
        );
    }
}

#[test]
fn an_export_with_its_trailing_termination_dropped_and_its_head_reset_is_refused() {
    let mut w = world();
    w.update(
        AccountState::Terminated,
        T0 + 20,
        EntryKind::Termination,
        T0 + 20,
    );
    let anchors = w.anchors();
    let mut cut = w.export.clone();
    cut.entries.pop();
    assert_eq!(cut.verify(&anchors).err(), Some(DivsError::UntrustedHead));
    // Nor with the count of the cut export and the real head, or the reverse.
    let (count, head) = cut.head();
    for (count, head) in [(count, anchors.head), (anchors.count, head)] {
        let told = LedgerAnchors {
            count,
            head,
            ..anchors.clone()
        };
        assert_eq!(cut.verify(&told).err(), Some(DivsError::UntrustedHead));
    }
    // The data signed after the termination is refused against the genuine export.
    let late =
        w.ue.sign_data(b"after".to_vec(), T0 + 30, TxId(1), address());
    let mut lookup = w.export.verify(&anchors).unwrap();
    assert!(matches!(
        verify_bundle(&late, &mut lookup, None),
        Err(DivsError::OutsideValidity { .. })
    ));
}

#[test]
fn data_signed_while_suspended_does_not_verify_after_reactivation() {
    let mut w = world();
    w.update(
        AccountState::Suspended,
        T0 + 1000,
        EntryKind::StatusUpdate,
        T0 + 10,
    );
    let during =
        w.ue.sign_data(b"while suspended".to_vec(), T0 + 15, TxId(1), address());
    w.update(
        AccountState::Active,
        T0 + 1000,
        EntryKind::StatusUpdate,
        T0 + 20,
    );
    let anchors = w.anchors();
    let mut lookup = w.export.verify(&anchors).unwrap();
    assert_eq!(
        verify_bundle(&during, &mut lookup, None),
        Err(DivsError::OutsideValidity {
            signed_at: T0 + 15,
            valid_from: T0,
            terminates_at: T0 + 1000
        })
    );
    // After the reactivation it signs validly again.
    let after =
        w.ue.sign_data(b"reactivated".to_vec(), T0 + 25, TxId(2), address());
    assert_eq!(
        verify_bundle(&after, &mut lookup, None).map(|v| v.governing.tx_id),
        Ok(TxId(2))
    );
}

#[test]
fn data_signed_before_a_suspension_still_verifies_during_it() {
    let mut w = world();
    let before =
        w.ue.sign_data(b"before".to_vec(), T0 + 5, TxId(0), address());
    w.update(
        AccountState::Suspended,
        T0 + 1000,
        EntryKind::StatusUpdate,
        T0 + 10,
    );
    let anchors = w.anchors();
    let mut lookup = w.export.verify(&anchors).unwrap();
    assert_eq!(
        verify_bundle(&before, &mut lookup, None).map(|v| v.governing.tx_id),
        Ok(TxId(0))
    );
}

#[test]
fn a_later_entry_with_an_earlier_termination_does_not_invalidate_data_that_was_valid() {
    let mut w = world();
    let valid =
        w.ue.sign_data(b"valid then".to_vec(), T0 + 50, TxId(0), address());
    // Recorded at T0 + 100, the termination names T0 + 10.
    w.update(
        AccountState::Terminated,
        T0 + 10,
        EntryKind::Termination,
        T0 + 100,
    );
    let anchors = w.anchors();
    let mut lookup = w.export.verify(&anchors).unwrap();
    assert_eq!(
        verify_bundle(&valid, &mut lookup, None).map(|v| v.governing.tx_id),
        Ok(TxId(0))
    );
}

#[test]
fn a_backdated_signing_time_is_reported_as_claimed_and_refused_at_a_trusted_time_after_termination()
{
    let mut w = world();
    w.update(
        AccountState::Terminated,
        T0 + 20,
        EntryKind::Termination,
        T0 + 20,
    );
    // Signed after the termination (first seen at T0 + 500), claiming T0 + 10.
    let backdated =
        w.ue.sign_data(b"backdated".to_vec(), T0 + 10, TxId(0), address());
    let anchors = w.anchors();
    let mut lookup = w.export.verify(&anchors).unwrap();
    let claimed = verify_bundle(&backdated, &mut lookup, None).unwrap();
    assert_eq!(claimed.time, SigningTime::Claimed(T0 + 10));
    assert_eq!(
        verify_bundle(&backdated, &mut lookup, Some(T0 + 500)),
        Err(DivsError::OutsideValidity {
            signed_at: T0 + 500,
            valid_from: T0,
            terminates_at: T0 + 20
        })
    );
    // A trusted time before the termination verifies, and says so.
    let trusted = verify_bundle(&backdated, &mut lookup, Some(T0 + 15)).unwrap();
    assert_eq!(trusted.time, SigningTime::Trusted(T0 + 15));
    // A claim later than the trusted time contradicts it.
    assert_eq!(
        verify_bundle(&backdated, &mut lookup, Some(T0 + 5)),
        Err(DivsError::SignedAfterSeen {
            claimed: T0 + 10,
            seen: T0 + 5
        })
    );
}

#[test]
fn a_garbage_batch_entry_in_an_export_endorses_nothing_and_breaks_no_other_check() {
    let mut w = world();
    // An authority's batch claimed the key of a victim UE with a garbage UE signature (its
    // own signature covers it, so that fails first).
    let victim = Ue::new("v-imei", "v-iccid", "v-msisdn");
    let mut claimed = endorse(
        &w.authority,
        &LEDGER,
        victim.parameters(&LEDGER, &AS),
        status(AccountState::Active, T0 + 1000),
        EntryKind::Registration,
        None,
    );
    claimed.parameters.ue_signature.0[0] ^= 1;
    let squat = w.export.append_unverified(AS, claimed, T0 + 1);
    let anchors = w.anchors();
    let mut lookup = w.export.verify(&anchors).unwrap();
    assert_eq!(lookup.unendorsed(), &[squat]);
    let data = victim.sign_data(b"victim".to_vec(), T0 + 5, squat, address());
    assert_eq!(
        verify_bundle(&data, &mut lookup, None),
        Err(DivsError::BadEndorsement(squat))
    );
    // The same garbage in an entry the contract marks verified is a forged export.
    let mut forged = w.export.clone();
    forged.entries.pop();
    forged.append(AS, claimed, None, T0 + 1);
    let (count, head) = forged.head();
    let told = LedgerAnchors {
        count,
        head,
        ..anchors
    };
    assert_eq!(
        forged.verify(&told).err(),
        Some(DivsError::BadEndorsement(squat))
    );
}

#[test]
fn a_ues_registration_signature_copied_by_another_authority_endorses_nothing_off_chain() {
    let w = world();
    // Mallory, a second trusted authority, copies the parameters the UE signed for the
    // genuine authority into a registration of her own, included first (as a batch entry),
    // and the genuine registration follows.
    let (mallory, mallory_account) = (KeyPair::generate(), [0xa2; 32]);
    let genuine = w.export.entries[0];
    let copied = endorse(
        &mallory,
        &LEDGER,
        genuine.parameters,
        genuine.status,
        EntryKind::Registration,
        None,
    );
    let mut export = ExportedLedger {
        address: address(),
        entries: vec![],
    };
    let squat = export.append_unverified(mallory_account, copied, T0);
    let registration = endorse(
        &w.authority,
        &LEDGER,
        genuine.parameters,
        genuine.status,
        EntryKind::Registration,
        None,
    );
    let tx_id = export.append(AS, registration, None, T0 + 1);
    let (count, head) = export.head();
    let anchors = LedgerAnchors {
        authorities: vec![
            (AS, w.authority.signing_public()),
            (mallory_account, mallory.signing_public()),
        ],
        count,
        head,
    };
    let mut lookup = export.verify(&anchors).unwrap();
    assert_eq!(lookup.unendorsed(), &[squat]);
    assert_eq!(
        check_entry(
            &LEDGER,
            &export.entries[0],
            &mallory.signing_public(),
            &mut lookup
        ),
        Err(DivsError::BadRegistration(squat))
    );
    let data =
        w.ue.sign_data(b"reading".to_vec(), T0 + 5, squat, address());
    assert_eq!(
        verify_bundle(&data, &mut lookup, None),
        Err(DivsError::BadRegistration(squat))
    );
    let data =
        w.ue.sign_data(b"reading".to_vec(), T0 + 5, tx_id, address());
    let verified = verify_bundle(&data, &mut lookup, None).unwrap();
    assert_eq!(verified.governing.authority, AS);
    // Recorded as verified (as a contract would that let it through), it breaks the export.
    let mut forged = ExportedLedger {
        address: address(),
        entries: vec![],
    };
    forged.append(mallory_account, copied, None, T0);
    let (count, head) = forged.head();
    let told = LedgerAnchors {
        count,
        head,
        ..anchors
    };
    assert_eq!(
        forged.verify(&told).err(),
        Some(DivsError::BadRegistration(TxId(0)))
    );
}
