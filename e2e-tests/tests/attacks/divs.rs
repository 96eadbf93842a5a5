//! Attacks on divs_ledger (issue 14, section 2 b) by a second registered authority, DIVS-AS2,
//! against UEs of DIVS-AS1: with its own account and keys and what the chain shows (a UE's
//! parameters, with the UE's signature, are in its public entries, and a pending registration
//! or batch can be copied before it is included). Each refusal is the typed
//! error and leaves the head (entry count and hash chain) and the UE's latest entry as they
//! were.
use anyhow::{anyhow, ensure};
use divs_ledger::Error;
use e2e_tests::chain::{Actor, Chain};
use e2e_tests::clients::{Called, DivsClient};
use e2e_tests::flows::divs::{export_ledger, status_at, terminals};
use e2e_tests::sandbox::SandboxChain;
use shared_types::{
    AccountState, Ed25519PublicKey, Ed25519Signature, Endorsement, Entry, EntryKind, TxId,
};
use std::fmt::Debug;
use vssi_sdk::divs::{endorse, verify_bundle, DivsError, LedgerAnchors, Ue};

/// Another handle on `actor` (its account and keys): actors are not `Clone`.
fn same(actor: &Actor) -> Actor {
    Actor {
        name: actor.name.clone(),
        account: actor.account,
        keys: actor.keys.clone(),
    }
}

struct Ledger {
    chain: SandboxChain,
    ledger: DivsClient,
    as1: Actor,
    as2: Actor,
}

fn ledger() -> anyhow::Result<Ledger> {
    let mut chain = SandboxChain::new();
    let operator = chain.actor("Operator")?;
    let ledger = DivsClient::deploy(&mut chain, &operator, [0x1e; 32])?;
    let (as1, as2) = (chain.actor("DIVS-AS1")?, chain.actor("DIVS-AS2")?);
    for authority in [&as1, &as2] {
        let added = ledger.add_authority(&mut chain, &operator, authority, [0; 32])?;
        added.value.map_err(|e| anyhow!("{e:?}"))?;
    }
    Ok(Ledger {
        chain,
        ledger,
        as1,
        as2,
    })
}

fn ok<T, E: Debug>(called: Called<Result<T, E>>) -> anyhow::Result<T> {
    called.value.map_err(|e| anyhow!("{e:?}"))
}

/// What the attacks must leave as it was: the head and the UE's latest entry.
type Observed = ((u64, [u8; 32]), Result<Entry, Error>);

impl Ledger {
    fn contract(&self) -> [u8; 32] {
        self.ledger.0.address_bytes()
    }

    /// DIVS-AS1's registration of `ue`, signed by both, as it waits to be included.
    fn pending(&mut self, ue: &Ue) -> Endorsement {
        let status = status_at(self.chain.now(), "ue");
        endorse(
            &self.as1.keys,
            &self.contract(),
            ue.parameters(&self.contract(), self.as1.account.as_ref()),
            status,
            EntryKind::Registration,
            None,
        )
    }

    /// DIVS-AS1 registers `ue`, verified in the contract.
    fn register(
        &mut self,
        ue: &Ue,
    ) -> anyhow::Result<Called<Result<(TxId, shared_types::EntryAddress), Error>>> {
        let e = self.pending(ue);
        let as1 = same(&self.as1);
        self.ledger.endorse(&mut self.chain, &as1, &e)
    }

    /// `pending`'s parameters and status (the UE's signature with them) endorsed by AS2.
    fn copied(&self, pending: &Endorsement) -> Endorsement {
        endorse(
            &self.as2.keys,
            &self.contract(),
            pending.parameters,
            pending.status,
            EntryKind::Registration,
            None,
        )
    }

    /// The ledger exported and checked offline against both authorities' keys and the head
    /// read from the chain: the batch entries that endorse nothing.
    fn unendorsed(&mut self) -> anyhow::Result<Vec<TxId>> {
        let observer = same(&self.as1);
        let export = export_ledger(&mut self.chain, &self.ledger, &observer)?;
        let (count, head) = self.ledger.head(&mut self.chain, &observer)?;
        let anchors = LedgerAnchors {
            authorities: [&self.as1, &self.as2]
                .iter()
                .map(|a| {
                    (
                        *AsRef::<[u8; 32]>::as_ref(&a.account),
                        a.keys.signing_public(),
                    )
                })
                .collect(),
            count,
            head,
        };
        let checked = export.verify(&anchors).map_err(|e| anyhow!("{e}"))?;
        Ok(checked.unendorsed().to_vec())
    }

    /// An update of `ue` signed by `authority`, linked to `previous`.
    fn update(&self, authority: &Actor, ue: &Ue, kind: EntryKind, previous: TxId) -> Endorsement {
        // The contract checks only that the period is ordered: any fixed one will do.
        let mut status = status_at(0, "ue");
        if kind == EntryKind::Termination {
            status.state = AccountState::Terminated;
        }
        endorse(
            &authority.keys,
            &self.contract(),
            // Updates keep the parameters the UE signed for AS1.
            ue.parameters(&self.contract(), self.as1.account.as_ref()),
            status,
            kind,
            Some(previous),
        )
    }

    fn observe(&mut self, ue: Ed25519PublicKey) -> anyhow::Result<Observed> {
        let observer = same(&self.as1);
        let head = self.ledger.head(&mut self.chain, &observer)?;
        let latest = self.ledger.latest(&mut self.chain, &observer, ue)?;
        Ok((head, latest))
    }

    /// Makes `call` and checks it is refused with `expected`, reverted, silent, and that
    /// the latest entry of the UE with key `ue` and the head are unchanged.
    fn refused<T: Debug>(
        &mut self,
        ue: Ed25519PublicKey,
        what: &str,
        call: impl FnOnce(&mut Self) -> anyhow::Result<Called<Result<T, Error>>>,
        expected: Error,
    ) -> anyhow::Result<()> {
        let before = self.observe(ue)?;
        let called = call(self)?;
        ensure!(
            called.value.as_ref().err() == Some(&expected),
            "{what}: expected Err({expected:?}), got {:?}",
            called.value
        );
        ensure!(
            called.outcome.reverted && called.outcome.events.is_empty(),
            "{what}: not reverted or emitted events"
        );
        ensure!(self.observe(ue)? == before, "{what}: state changed");
        Ok(())
    }
}

#[test]
fn a_foreign_authority_cannot_terminate_or_update_another_authoritys_ue() -> anyhow::Result<()> {
    let mut l = ledger()?;
    let victim = Ue::new("imei", "iccid", "msisdn");
    let (tx_id, _) = ok(l.register(&victim)?)?;
    for kind in [
        EntryKind::Termination,
        EntryKind::StatusUpdate,
        EntryKind::BindingChange,
        EntryKind::OwnershipChange,
    ] {
        // Both signatures valid: the victim's own, copied from its public entry, and AS2's.
        let forged = l.update(&l.as2, &victim, kind, tx_id);
        let as2 = same(&l.as2);
        l.refused(
            victim.keys.signing_public(),
            &format!("{kind:?} of AS1's UE by AS2"),
            |l| l.ledger.endorse(&mut l.chain, &as2, &forged),
            Error::NotUeAuthority,
        )?;
    }
    Ok(())
}

#[test]
fn a_garbage_termination_in_a_batch_for_another_authoritys_ue_is_refused() -> anyhow::Result<()> {
    let mut l = ledger()?;
    let victim = Ue::new("imei", "iccid", "msisdn");
    let (tx_id, _) = ok(l.register(&victim)?)?;
    let mut garbage = l.update(&l.as2, &victim, EntryKind::Termination, tx_id);
    garbage.authority_signature = Ed25519Signature([0x66; 64]);
    let as2 = same(&l.as2);
    l.refused(
        victim.keys.signing_public(),
        "a garbage termination in AS2's batch",
        |l| l.ledger.endorse_batch(&mut l.chain, &as2, &[garbage]),
        Error::UpdateInBatch,
    )
}

#[test]
fn batch_registering_a_victims_key_neither_blocks_its_genuine_registration_nor_is_served_as_endorsed(
) -> anyhow::Result<()> {
    let mut l = ledger()?;
    let victim = Ue::new("imei", "iccid", "msisdn");
    let key = victim.keys.signing_public();
    // AS2 knows only the victim's public key: it signs the claim itself, not as the UE.
    let mut parameters = Ue::new("a", "b", "c").parameters(&l.contract(), l.as2.account.as_ref());
    parameters.public_key = key;
    let status = status_at(l.chain.now(), "squat");
    let squat = endorse(
        &l.as2.keys,
        &l.contract(),
        parameters,
        status,
        EntryKind::Registration,
        None,
    );
    let as2 = same(&l.as2);
    let (squat_tx, _) = ok(l.ledger.endorse_batch(&mut l.chain, &as2, &[squat])?)?;
    let observer = same(&l.as1);
    let served = ok_query(l.ledger.latest(&mut l.chain, &observer, key)?)?;
    let partial = ok_query(l.ledger.partial(&mut l.chain, &observer, squat_tx)?)?;
    ensure!(
        !served.verified && !partial.verified,
        "the batch claim is served as verified"
    );
    let (tx_id, _) = ok(l.register(&victim)?)?;
    let latest = ok_query(l.ledger.latest(&mut l.chain, &observer, key)?)?;
    ensure!(
        latest.tx_id == tx_id
            && latest.verified
            && &latest.authority == AsRef::<[u8; 32]>::as_ref(&l.as1.account),
        "the genuine registration is not the UE's latest: {latest:?}"
    );
    // And the victim's genuine registration cannot be claimed again by a batch.
    let again = endorse(
        &l.as2.keys,
        &l.contract(),
        victim.parameters(&l.contract(), l.as1.account.as_ref()),
        status_at(l.chain.now(), "again"),
        EntryKind::Registration,
        None,
    );
    l.refused(
        victim.keys.signing_public(),
        "AS2 batch-registers the genuinely registered key",
        |l| l.ledger.endorse_batch(&mut l.chain, &as2, &[again]),
        Error::AlreadyRegistered,
    )
}

fn ok_query<T>(answer: Result<T, Error>) -> anyhow::Result<T> {
    answer.map_err(|e| anyhow!("{e:?}"))
}

#[test]
fn an_update_after_termination_is_refused() -> anyhow::Result<()> {
    let mut l = ledger()?;
    let ue = Ue::new("imei", "iccid", "msisdn");
    let (tx_id, _) = ok(l.register(&ue)?)?;
    let end = l.update(&l.as1, &ue, EntryKind::Termination, tx_id);
    let as1 = same(&l.as1);
    let (end_tx, _) = ok(l.ledger.endorse(&mut l.chain, &as1, &end)?)?;
    // The authority that terminated it, signing properly, cannot bring it back.
    for kind in [EntryKind::StatusUpdate, EntryKind::OwnershipChange] {
        let revived = l.update(&l.as1, &ue, kind, end_tx);
        l.refused(
            ue.keys.signing_public(),
            &format!("{kind:?} after the termination"),
            |l| l.ledger.endorse(&mut l.chain, &as1, &revived),
            Error::Terminated,
        )?;
    }
    Ok(())
}

#[test]
fn a_second_authority_cannot_front_run_a_ue_registration_with_the_ues_signature(
) -> anyhow::Result<()> {
    let mut l = ledger()?;
    let victim = Ue::new("imei", "iccid", "msisdn");
    // AS2 sees AS1's registration of the victim waiting to be included, and submits the
    // victim's parameters and signature endorsed with its own key first.
    let pending = l.pending(&victim);
    let front_run = l.copied(&pending);
    let as2 = same(&l.as2);
    l.refused(
        victim.keys.signing_public(),
        "AS2 endorses the UE's registration made for AS1",
        |l| l.ledger.endorse(&mut l.chain, &as2, &front_run),
        Error::InvalidUeSignature,
    )?;
    let as1 = same(&l.as1);
    let (tx_id, _) = ok(l.ledger.endorse(&mut l.chain, &as1, &pending)?)?;
    let latest = ok_query(
        l.ledger
            .latest(&mut l.chain, &as1, victim.keys.signing_public())?,
    )?;
    ensure!(
        latest.tx_id == tx_id
            && latest.verified
            && &latest.authority == AsRef::<[u8; 32]>::as_ref(&l.as1.account),
        "AS1's registration is not the UE's latest: {latest:?}"
    );
    Ok(())
}

#[test]
fn a_ues_signature_copied_into_another_authoritys_batch_endorses_nothing_and_the_genuine_registration_replaces_it(
) -> anyhow::Result<()> {
    let mut l = ledger()?;
    let victim = Ue::new("imei", "iccid", "msisdn");
    let key = victim.keys.signing_public();
    let pending = l.pending(&victim);
    // The batch is not signature-checked on chain: AS2's copy is recorded, unverified.
    let copied = l.copied(&pending);
    let as2 = same(&l.as2);
    let (squat_tx, _) = ok(l.ledger.endorse_batch(&mut l.chain, &as2, &[copied])?)?;
    ensure!(
        l.unendorsed()? == [squat_tx],
        "the copy endorses the UE for AS2 in an export check"
    );
    let observer = same(&l.as1);
    let address = l.ledger.entry_address(&mut l.chain, &observer)?;
    let bundle = victim.sign_data(b"reading".to_vec(), l.chain.now(), squat_tx, address);
    let mut lookup = e2e_tests::ledger::ChainDivs {
        chain: &mut l.chain,
        asker: &observer,
        divs: &l.ledger,
    };
    let checked = verify_bundle(&bundle, &mut lookup, None);
    ensure!(
        checked == Err(DivsError::BadRegistration(squat_tx)),
        "data verified under AS2's copy: {checked:?}"
    );
    // Nor may AS2 build on its copy: it cannot terminate the UE for good.
    let termination = l.update(&l.as2, &victim, EntryKind::Termination, squat_tx);
    l.refused(
        victim.keys.signing_public(),
        "AS2 terminates the UE it batch-registered with the UE's copied signature",
        |l| l.ledger.endorse(&mut l.chain, &as2, &termination),
        Error::UnknownUe,
    )?;
    // AS1's verified registration replaces the copy and is then the UE's only authority.
    let as1 = same(&l.as1);
    let (tx_id, _) = ok(l.ledger.endorse(&mut l.chain, &as1, &pending)?)?;
    let latest = ok_query(l.ledger.latest(&mut l.chain, &as1, key)?)?;
    ensure!(
        latest.tx_id == tx_id && latest.verified && latest.previous.is_none(),
        "AS1's registration is not the UE's latest: {latest:?}"
    );
    let termination = l.update(&l.as2, &victim, EntryKind::Termination, tx_id);
    l.refused(
        victim.keys.signing_public(),
        "AS2 terminates the UE after AS1 registered it",
        |l| l.ledger.endorse(&mut l.chain, &as2, &termination),
        Error::NotUeAuthority,
    )
}

#[test]
fn an_entry_copied_from_an_honest_batch_and_included_first_does_not_make_the_batch_fail(
) -> anyhow::Result<()> {
    let mut l = ledger()?;
    let now = l.chain.now();
    let honest = terminals(
        &l.as1.keys,
        l.as1.account.as_ref(),
        &l.contract(),
        now,
        3,
        "mtc",
    );
    // AS2 copies one terminal's parameters from AS1's pending batch into a batch of its own.
    let planted = l.copied(&honest[1]);
    let as2 = same(&l.as2);
    let (planted_tx, _) = ok(l.ledger.endorse_batch(&mut l.chain, &as2, &[planted])?)?;
    let as1 = same(&l.as1);
    let (first, count) = ok(l.ledger.endorse_batch(&mut l.chain, &as1, &honest)?)?;
    ensure!(count == 3, "count {count}");
    for (i, e) in honest.iter().enumerate() {
        let latest = ok_query(
            l.ledger
                .latest(&mut l.chain, &as1, e.parameters.public_key)?,
        )?;
        ensure!(
            latest.tx_id == TxId(first.0 + i as u64),
            "terminal {i}: latest entry {}",
            latest.tx_id
        );
    }
    ensure!(
        l.unendorsed()? == [planted_tx],
        "the planted copy endorses, or the honest batch does not"
    );
    // The honest entries hold: AS2 cannot plant a copy over one of them afterwards.
    let again = l.copied(&honest[2]);
    l.refused(
        honest[2].parameters.public_key,
        "AS2 batch-registers a copy of an honest batch entry",
        |l| l.ledger.endorse_batch(&mut l.chain, &as2, &[again]),
        Error::AlreadyRegistered,
    )
}
