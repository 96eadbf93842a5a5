//! Attacks on divs_ledger (issue 14, section 2 b) by a second registered authority, DIVS-AS2,
//! against UEs of DIVS-AS1: with its own account and keys and what the chain shows (a UE's
//! parameters, with the UE's signature, are in its public entries). Each refusal is the typed
//! error and leaves the head (entry count and hash chain) and the UE's latest entry as they
//! were.
use anyhow::{anyhow, ensure};
use divs_ledger::Error;
use e2e_tests::chain::{Actor, Chain};
use e2e_tests::clients::{Called, DivsClient};
use e2e_tests::flows::divs::status_at;
use e2e_tests::sandbox::SandboxChain;
use shared_types::{AccountState, Ed25519Signature, Endorsement, Entry, EntryKind};
use std::fmt::Debug;
use vssi_sdk::divs::{endorse, Ue};

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

    /// DIVS-AS1 registers `ue`, verified in the contract.
    fn register(
        &mut self,
        ue: &Ue,
    ) -> anyhow::Result<Called<Result<(u64, shared_types::EntryAddress), Error>>> {
        let status = status_at(self.chain.now(), "ue");
        let e = endorse(
            &self.as1.keys,
            &self.contract(),
            ue.parameters(&self.contract()),
            status,
            EntryKind::Registration,
            None,
        );
        let as1 = same(&self.as1);
        self.ledger.endorse(&mut self.chain, &as1, &e)
    }

    /// An update of `ue` signed by `authority`, linked to `previous`.
    fn update(&self, authority: &Actor, ue: &Ue, kind: EntryKind, previous: u64) -> Endorsement {
        // The contract checks only that the period is ordered: any fixed one will do.
        let mut status = status_at(0, "ue");
        if kind == EntryKind::Termination {
            status.state = AccountState::Terminated;
        }
        endorse(
            &authority.keys,
            &self.contract(),
            ue.parameters(&self.contract()),
            status,
            kind,
            Some(previous),
        )
    }

    fn observe(&mut self, ue: &Ue) -> anyhow::Result<Observed> {
        let observer = same(&self.as1);
        let head = self.ledger.head(&mut self.chain, &observer)?;
        let latest = self
            .ledger
            .latest(&mut self.chain, &observer, ue.keys.signing_public())?;
        Ok((head, latest))
    }

    /// Makes `call` and checks it is refused with `expected`, reverted, silent, and that
    /// `ue`'s latest entry and the head are unchanged.
    fn refused<T: Debug>(
        &mut self,
        ue: &Ue,
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
            &victim,
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
        &victim,
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
    let mut parameters = Ue::new("a", "b", "c").parameters(&l.contract());
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
        victim.parameters(&l.contract()),
        status_at(l.chain.now(), "again"),
        EntryKind::Registration,
        None,
    );
    l.refused(
        &victim,
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
            &ue,
            &format!("{kind:?} after the termination"),
            |l| l.ledger.endorse(&mut l.chain, &as1, &revived),
            Error::Terminated,
        )?;
    }
    Ok(())
}
